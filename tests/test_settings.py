"""The settings table and its Qt-free reader: every key has a default and a kind; a missing, garbled or
strange settings file reads as the defaults, without waiting or failing."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

from reader.base.settings import (DEFAULT_MODEL, KINDS, SETTINGS, convert, read_setting, read_settings, settings_path,
                                  settings_path_usable, settings_problem, to_text)

ROOT = Path(__file__).resolve().parent.parent / "reader"


def _in_time(fn, seconds: float = 5.0):
    """fn() within `seconds`, or the test fails (a FIFO must not make the reader wait for a writer)."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"still waiting after {seconds} s"
    return result[0]


@pytest.mark.parametrize("key", sorted(SETTINGS))
def test_every_key_has_a_default_and_a_kind(key):
    s = SETTINGS[key]
    assert s.key == key and re.fullmatch(r"[a-z]+/[a-z_]+", key) and s.kind in KINDS and s.about
    if s.kind == "bytes":
        assert s.default is None  # Qt's own state: nothing until the window saves some
    else:
        assert convert(s, to_text(key, s.default)) == s.default  # the default survives being written and read
    if s.choices:
        assert s.default in s.choices
    if s.minimum is not None:
        assert s.minimum <= s.default <= s.maximum


def test_the_table_covers_every_key_the_code_uses():
    """A key used anywhere in reader/ (QSettings' value/setValue, read_setting) is in the table."""
    used = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""(?:\.value|\.setValue|read_setting)\(\s*["']([a-z]+/[a-z_]+)["']""", text))
    assert used and used <= set(SETTINGS), used - set(SETTINGS)
    expected = {"claude/model", "import/languages", "import/video", "import/max_height", "ui/appearance", "ui/welcomed",
                "window/geometry", "layout/mode", "layout/sizes", "player/volume", "player/muted", "player/rate"}
    assert expected <= set(SETTINGS)


def _write(text: str | bytes) -> Path:
    path = settings_path()
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize("name, content, key, expected", [
    ("missing", None, "claude/model", DEFAULT_MODEL),
    ("empty", "", "player/volume", 80),
    ("set", "[claude]\nmodel=claude-opus-5-5\n", "claude/model", "claude-opus-5-5"),
    ("blank value", "[claude]\nmodel=\n", "claude/model", DEFAULT_MODEL),
    ("languages quoted by Qt", '[import]\nlanguages="en,fr"\n', "import/languages", ("en", "fr")),
    ("languages by hand", "[import]\nlanguages = de fr\n", "import/languages", ("de", "fr")),
    ("bool", "[import]\nvideo=false\n", "import/video", False),
    ("bool garbled", "[import]\nvideo=maybe\n", "import/video", True),
    ("int", "[import]\nmax_height=720\n", "import/max_height", 720),
    ("int not a choice", "[import]\nmax_height=721\n", "import/max_height", 1080),
    ("int garbled", "[player]\nvolume=loud\n", "player/volume", 80),
    ("int out of range", "[player]\nvolume=1000\n", "player/volume", 80),
    ("float", "[player]\nrate=1.5\n", "player/rate", 1.5),
    ("float nan", "[player]\nrate=nan\n", "player/rate", 1.0),
    ("float huge", "[player]\nrate=1e999\n", "player/rate", 1.0),
    ("choice", "[ui]\nappearance=dark\n", "ui/appearance", "dark"),
    ("not a choice", "[ui]\nappearance=purple\n", "ui/appearance", "system"),
    ("bytes are Qt's", "[window]\ngeometry=@ByteArray(\\x1\\x2)\n", "window/geometry", None),
    ("no section header", "model=claude-opus-5-5\n", "claude/model", DEFAULT_MODEL),
    ("garbled", "[claude\n=\n\x00\x01", "claude/model", DEFAULT_MODEL),
    ("not UTF-8", b"[claude]\nmodel=\xff\xfe\n", "claude/model", DEFAULT_MODEL),
    ("percent sign", "[claude]\nmodel=%(x)s\n", "claude/model", "%(x)s"),
    ("section twice", "[claude]\nmodel=a\n[claude]\nmodel=b\n", "claude/model", "b"),
    ("too big", "[claude]\nmodel=a\n" + "; padding\n" * 200_000, "claude/model", DEFAULT_MODEL),
])
def test_reading_a_setting(name, content, key, expected):
    if content is not None:
        _write(content)
    assert _in_time(lambda: read_setting(key)) == expected


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_a_settings_file_that_is_not_a_file_reads_as_the_defaults(kind):
    path = settings_path()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(path.parent / "nowhere" / "reader.ini")
    usable = kind == "dangling link"  # a link to nothing is a missing file, which QSettings may create
    assert settings_path_usable() is usable and bool(settings_problem()) is not usable
    assert _in_time(read_settings) == {}
    assert _in_time(lambda: read_setting("player/volume")) == 80
    if not usable:
        assert settings_problem().endswith(".") and str(path) in settings_problem()


def test_a_file_written_by_qsettings_reads_the_same():
    """The window writes with QSettings; the CLI reads with configparser: they agree on every kind."""
    from PySide6.QtCore import QByteArray, QSettings

    qs = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    values = {"claude/model": "claude-haiku-5-5", "import/languages": ("fr", "en-GB"), "import/video": False,
              "import/max_height": 720, "ui/appearance": "light", "ui/welcomed": True, "player/volume": 35,
              "player/muted": True, "player/rate": 1.25}
    for key, value in values.items():
        qs.setValue(key, to_text(key, value) if SETTINGS[key].kind in ("bool", "languages") else value)
    qs.setValue("window/geometry", QByteArray(b"\x01\x02geometry"))
    qs.sync()
    assert {key: read_setting(key) for key in values} == values
    assert read_setting("window/geometry") is None
    assert read_settings()["claude/model"] == "claude-haiku-5-5"


def test_an_unknown_key_is_a_mistake_in_reader():
    with pytest.raises(KeyError):
        read_setting("claude/temperature")
