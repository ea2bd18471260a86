"""What every `reader` command shares: reading its arguments, printing safely, failing in one line."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path


def _time_arg(text: str):
    typed = _time(text)
    if typed is None:
        raise argparse.ArgumentTypeError(f"{_quote(text)} is not a time: give h:mm:ss, m:ss or seconds.")
    return typed


def _video_end(store, video_id: int) -> int:
    """How long a video is: its known duration, or where its last line ends."""
    row = store.video(video_id) or {}
    cues = store.transcript(video_id).cues
    return max(int(row.get("duration_ms") or 0), max((c.end_ms for c in cues), default=0))


def _typed_stretch(video_id: int, start, end) -> tuple[int | None, int | None]:
    """--from and --to of a library video as the whole lines they take (the transcript's shown times), in ms."""
    from reader.transcript.typed_times import typed_stretch

    if start is None and end is None:
        return None, None
    store = _store()
    try:
        return typed_stretch(store.transcript(video_id).cues, start, end, _video_end(store, video_id))
    finally:
        store.close()


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake in the arguments is one `reader: <sentence>` line and exit status 2."""

    def error(self, message: str):
        _say(_argument_sentence(message, self.prog))
        sys.exit(2)


def _argument_sentence(message: str, prog: str) -> str:
    """argparse's own wording of a mistake, said as a sentence that points at --help."""
    see = f" (see `{prog} --help`)"
    m = re.match(r"the following arguments are required: (.+)", message)
    if m:
        return f"{prog} needs {m.group(1).replace(', ', ' and ')}{see}."
    m = re.match(r"argument (\S+?)(?:/\S+)?: invalid choice: '?(.*?)'? \(choose from (.+)\)", message)
    if m:
        return f"{m.group(1)} cannot be {_quote(m.group(2))}; it is one of {m.group(3).replace(chr(39), '')}."
    m = re.match(r"argument (\S+?)(?:/\S+)?: expected one argument", message)
    if m:
        return f"{m.group(1)} needs a value after it{see}."
    m = re.match(r"argument (\S+?)(?:/\S+)?: invalid \S+ value: '?(.*?)'?$", message)
    if m:
        return f"{m.group(1)} takes a whole number, not {_quote(m.group(2))}{see}."
    m = re.match(r"argument (\S+?)(?:/\S+)?: (.+)", message)
    if m:
        return _printable(m.group(2))
    m = re.match(r"unrecognized arguments: (.+)", message)
    if m:
        return f"{prog} does not take {_printable(m.group(1))}{see}."
    return _printable(message[0].upper() + message[1:] + ("" if message.endswith(".") else ".") if message else "")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text, newlines: bool = False) -> str:
    """Text safe to print: control characters (a terminal's escape sequences among them) shown as \\xNN,
    so a title or a transcript line cannot drive the terminal or break a record across lines.
    With newlines, line breaks and tabs are kept (an answer's paragraphs)."""
    text = "" if text is None else str(text)

    def escape(m: re.Match) -> str:
        c = m.group(0)
        if newlines and c in "\n\t":
            return c
        if newlines and c == "\r":
            return ""
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    return _CONTROL.sub(escape, text)


def _quote(text) -> str:
    """Text someone typed, quoted for a message: 'like this', control characters shown as \\xNN (once, not doubled)."""
    return f"'{_printable(text)}'"


def _say(message: str) -> None:
    """One `reader: ...` line on stderr, whatever the message holds (a file name with escape sequences or a line break)."""
    print(f"reader: {_printable(message)}", file=sys.stderr)


def _path_arg(text: str) -> str:
    """A file argument: refused when empty (Path('') would be the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("The file name is empty: give the name of a file.")
    return text


def _file_arg(text: str) -> Path:
    return Path(_path_arg(text))


_C1 = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def _json_text(value) -> str:
    """JSON for the terminal, with C1 controls (which JSON leaves raw) escaped too: a list an item a line (json's
    own indenting is done in Python, 30 ms for a library of 1,000 videos; this is done in C), anything else indented."""
    if isinstance(value, list):
        text = "[\n" + ",\n".join(" " + json.dumps(item, ensure_ascii=False) for item in value) + "\n]" if value else "[]"
    else:
        text = json.dumps(value, ensure_ascii=False, indent=1)
    return _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


_MAX_ID = 2**63 - 1


def _video_id(text: str) -> int:
    """A video id argument: a whole number from 1 up, as `reader library` lists them."""
    value = text.strip()
    if not re.fullmatch(r"[0-9]{1,19}", value) or not 1 <= int(value) <= _MAX_ID:
        raise argparse.ArgumentTypeError(
            f"{_quote(text)} is not a video id: ids are whole numbers from 1, as `reader library` lists them.")
    return int(value)


def _fail(message: str) -> int:
    """Say what went wrong as one `reader: <sentence>` line on stderr; the exit status is 2."""
    message = str(message).strip() or "Something went wrong."
    if not message.endswith((".", "!", "?")):
        message += "."
    _say(message)
    return 2


def _time(text: str):
    """A time such as 12:30, 1:02:03, 12:30.5 or 750 (seconds), as typed (a TypedTime); None if it is not one."""
    from reader.transcript.typed_times import parse_time

    return parse_time(text)


def _store(writes: bool = False, lists: bool = False):
    """The library as the window opens it (answers a killed Reader left streaming are marked incomplete). For a
    command that saves something (`writes`), a library opened read-only (a full disk) is refused at once in one
    sentence, before any work (or request to Claude) whose result could not be saved. A command that only lists or
    searches (`lists`) leaves the day's snapshot to the next open that can change something: at 10,000 videos it
    copies 2.5 GB, and a search changes nothing it would protect."""
    from reader.library.opening import open_library

    store = open_library(snapshot=not lists)
    if writes and store.read_only:
        refused = store.refuse_write()
        store.close()
        raise refused
    if store.read_only_reason:  # a full disk: what can be read is shown, and nothing is written
        _say(f"note: {store.read_only_reason}; nothing was changed, and nothing can be saved until there is room.")
    return store


def _clock(ms: int) -> str:
    from reader.transcript.writers import short_clock

    return short_clock(ms)


NO_KEY = "no Anthropic API key: set ANTHROPIC_API_KEY, or add a key in the window's Preferences (Edit ▸ Preferences)"


def _ask_setup(video_id: int):
    """The key and the library for a question about a video; or what is missing, as a message."""
    from reader.asking.keys import get_key

    key = get_key()
    if not key:
        return None, None, NO_KEY
    store = _store(writes=True)
    if store.video(video_id) is None:
        store.close()
        return None, None, f"no video with id {video_id} in the library (see `reader library`)"
    return key, store, ""


def _print_stream(request, key: str, save, shown=lambda text, done: text, label=None):
    """Print Claude's answer as it streams, citations as [m:ss], and save(answer) as it goes and at the end.

    `shown(text, done)` is the part of the text to print so far (all of it unless told otherwise); it
    must only grow. Trailing blank space waits for what follows it, and the last line is ended.
    `label(citation)` is a citation as printed (default: its moment, " [m:ss]").
    Returns the Answer, its error (if any) not yet said.
    """
    from reader.asking.llm import Answer, CitationEvent, TextEvent, stream_answer
    from reader.base.citations import replace_marks

    answer = Answer()
    last_save = time.monotonic()
    printed = 0

    def show_new(done: bool) -> None:  # what the answer gained (never what it holds back as a possible key), marks as [m:ss]
        nonlocal printed
        text = shown(answer.text, done).rstrip()
        new, printed = text[printed:], max(printed, len(text))
        if new:
            new = replace_marks(new, lambda n: (label(answer.citations[n - 1]) if label else f" [{_clock(answer.citations[n - 1]['start_ms'])}]")
                                if 1 <= n <= len(answer.citations) else "")
            sys.stdout.write(_printable(new, newlines=True))
            sys.stdout.flush()

    for event in stream_answer(request, key):
        answer.add(event)
        if isinstance(event, (TextEvent, CitationEvent)):
            show_new(False)
        if time.monotonic() - last_save > 0.5:
            save(answer)
            last_save = time.monotonic()
    answer.finish()
    show_new(True)
    save(answer)
    if printed:  # end the answer's last line (a failure that printed nothing leaves stdout empty)
        sys.stdout.write("\n")
    return answer


def progress_bar(label: str, noun: str):
    """(report, clear) for a bar on stderr, redrawn in place, only when stderr is a terminal (a pipe or a log
    gets none): `Restoring [##########----------] 120 of 1000 videos`. report(done, total, stage): the stage
    "checking" (a restore reading its file first) counts bytes and is shown as a percentage."""
    shown, last = sys.stderr.isatty(), [0.0]

    def report(done: int, total: int, stage: str = "") -> None:
        now = time.monotonic()
        if not shown or (now - last[0] < 0.1 and done < total):
            return
        last[0] = now
        part = min(1.0, done / total) if total > 0 else 1.0
        bar = "#" * round(part * 20) + "-" * (20 - round(part * 20))
        said = f"{part:.0%} checked" if stage == "checking" else f"{done} of {total} {noun}"
        print(f"\r\033[K{'Checking' if stage == 'checking' else label} [{bar}] {said}", end="", file=sys.stderr, flush=True)

    def clear() -> None:
        if shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)

    return report, clear
