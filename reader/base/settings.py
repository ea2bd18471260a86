"""Reader's settings: one table of every key with its default and kind, and a reader of the INI file without Qt."""

from __future__ import annotations

import configparser
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from reader.base.links import DEFAULT_LANGUAGES, format_languages, parse_languages
from reader.base.paths import config_dir
from reader.base.safe_io import FileProblem, read_limited

DEFAULT_MODEL = "claude-sonnet-5-5"


KINDS = ("str", "bool", "int", "float", "languages", "bytes")
MAX_SETTINGS_BYTES = 1 << 20  # the file holds a dozen short lines; anything bigger is not Reader's


@dataclass(frozen=True)
class Setting:
    key: str  # "group/name", as QSettings writes it: [group] name=...
    default: object  # what a missing or unusable value reads as
    kind: str  # one of KINDS: how the text in the file becomes a value
    choices: tuple = ()  # the values allowed, when only some are
    minimum: float | None = None  # for numbers: the smallest and largest allowed
    maximum: float | None = None
    about: str = ""


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("claude/model", DEFAULT_MODEL, "str", about="the Claude model answers come from"),
    Setting("import/languages", DEFAULT_LANGUAGES, "languages", about="subtitle languages to prefer, in order"),
    Setting("import/video", True, "bool", about="import the video too, not just its transcript"),
    Setting("import/max_height", 1080, "int", (2160, 1440, 1080, 720, 480, 360), about="the highest video quality to download"),
    Setting("ui/appearance", "system", "str", ("system", "light", "dark"), about="light, dark, or as the desktop is"),
    Setting("ui/welcomed", False, "bool", about="the welcome has been shown"),
    Setting("window/geometry", None, "bytes", about="where the window was (Qt's own bytes)"),
    Setting("layout/mode", "normal", "str", ("normal", "theatre", "reading"), about="the last pane layout chosen: all panes, theatre or reading only"),
    Setting("layout/sizes", "", "str", about="the last widths of the video, transcript and notes panes, in pixels (video,transcript,notes)"),
    Setting("player/volume", 80, "int", minimum=0, maximum=100, about="the player's volume, in percent"),
    Setting("player/muted", False, "bool", about="the player is muted"),
    Setting("player/rate", 1.0, "float", minimum=0.25, maximum=4.0, about="the playback speed"),
    Setting("player/captions", False, "bool", about="the line being spoken is drawn over the video (C)"),
    Setting("playback/pause_each_line", False, "bool", about="pause when each transcript line ends (Playback menu, P)"),
    Setting("transcript/text_size", 100, "int", minimum=60, maximum=300, about="the transcript's text size, in percent of normal"),
    Setting("transcript/line_width", "medium", "str", ("narrow", "medium", "full"), about="how wide the transcript's column is"),
    Setting("review/retention", 0.9, "float", minimum=0.7, maximum=0.99,
            about="how likely you want to be to remember a card when it comes back (FSRS's desired retention)"),
    Setting("review/checkpoints", False, "bool", about="pause at the end of a chapter that has cards and ask one"),
)}


def settings_path() -> Path:
    return config_dir() / "reader.ini"


def settings_path_usable(path: Path | None = None) -> bool:
    """Whether the settings file may be opened: it is missing (and will be made) or a regular file.
    A FIFO would make QSettings (and any reader) wait forever, and a folder or device cannot hold
    settings; the window then keeps its settings in memory for this run instead."""
    try:
        mode = os.stat(path or settings_path()).st_mode
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISREG(mode)


def settings_problem(path: Path | None = None) -> str:
    """Why the settings file is not used, as a sentence; "" when it is usable."""
    path = path or settings_path()
    if settings_path_usable(path):
        return ""
    return (f"The settings file {path} is not a regular file (a folder, a pipe or a device), so Reader does not "
            "read or write it: settings are the defaults, and changes last until Reader closes.")


def read_settings(path: Path | None = None) -> dict[str, str]:
    """The raw text of every key in the file ("group/name" -> text as written); empty when the file
    is missing, not a regular file, too big, not UTF-8 or not an INI file. Nothing here waits or raises."""
    path = path or settings_path()
    if not settings_path_usable(path):
        return {}
    try:
        text = read_limited(path, MAX_SETTINGS_BYTES, "settings file").decode("utf-8")
    except (FileProblem, OSError, UnicodeDecodeError):
        return {}
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",), comment_prefixes=(";", "#"))
    parser.optionxform = str  # keys keep their case, as QSettings writes them
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    found = {}
    for section in parser.sections():
        for name, value in parser.items(section, raw=True):
            key = name if section == "General" else f"{section}/{name}"
            found[key] = value
    return found


def read_setting(key: str, path: Path | None = None):
    """One setting as its table entry's kind says, or its default when the file does not say or says
    something unusable. A key not in SETTINGS is a mistake in Reader, so it raises KeyError."""
    setting = SETTINGS[key]
    raw = read_settings(path).get(key)
    return setting.default if raw is None else convert(setting, raw)


def convert(setting: Setting, raw: str):
    """A value from the file's text (QSettings' INI quoting undone), checked against the table."""
    text = _unquote(raw.strip())
    try:
        if setting.kind == "str":
            value = text.strip()
            if not value:
                return setting.default
        elif setting.kind == "bool":
            lowered = text.strip().lower()
            if lowered not in ("true", "false", "1", "0"):
                return setting.default
            value = lowered in ("true", "1")
        elif setting.kind == "int":
            value = int(text.strip())
        elif setting.kind == "float":
            value = float(text)
            if value != value or value in (float("inf"), float("-inf")):
                return setting.default
        elif setting.kind == "languages":
            value = parse_languages(text)
        else:  # bytes: Qt's own @ByteArray(...) encoding, for the window alone
            return setting.default
    except (ValueError, OverflowError):
        return setting.default
    if setting.choices and value not in setting.choices:
        return setting.default
    if setting.minimum is not None and value < setting.minimum:
        return setting.default
    if setting.maximum is not None and value > setting.maximum:
        return setting.default
    return value


def to_text(key: str, value) -> str:
    """How a value is written, so the window and the CLI agree on the file (QSettings quotes it further)."""
    setting = SETTINGS[key]
    if setting.kind == "bool":
        return "true" if value else "false"
    if setting.kind == "languages":
        return format_languages(value if not isinstance(value, str) else parse_languages(value))
    return str(value)


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"', "'": "'", "?": "?",
            ";": ";", ",": ",", "=": "="}


def _unquote(text: str) -> str:
    """QSettings' INI escaping undone: "quoted" parts lose their quotes, \\n \\t \\" \\\\ \\xNNNN become characters."""
    out: list[str] = []
    i, quoted = 0, False
    while i < len(text):
        c = text[i]
        if c == '"':
            quoted = not quoted
        elif c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "x":
                j = i + 2
                while j < len(text) and j < i + 6 and text[j] in "0123456789abcdefABCDEF":
                    j += 1
                if j > i + 2:
                    out.append(chr(int(text[i + 2:j], 16)))
                    i = j
                    continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)
