"""WebVTT reader: the W3C file-parsing algorithm, with a lenient retry for files that break its timing rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.transcript.cuetext import has_long_word_times, impossible_word_times, parse_payload
from reader.transcript.model import Cue, Transcript, TranscriptError, finish
from reader.transcript.rolling import dedupe_rolling, looks_rolling
from reader.transcript.times import BadTime, clock_ms

# Greedy digit runs mirror the spec's "collect a sequence of digits"; lengths are checked in _strict_ms.
_TS = r"([0-9]+):([0-9]+)(?::([0-9]+))?\.([0-9]+)"
_STRICT_TIMING = re.compile(r"[ \t\f]*" + _TS + r"[ \t\f]*-->[ \t\f]*" + _TS)
# What lenient producers write: no fraction, or one or two fraction digits.
_LTS = r"(?:([0-9]+):)?([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]{0,3}))?"
_LENIENT_TIMING = re.compile(r"[ \t\f]*" + _LTS + r"(?=[ \t\f-])[ \t\f]*-->[ \t\f]*" + _LTS + r"(?=[ \t\f]|$)")


@dataclass(slots=True)
class RawCue:
    """A cue exactly as the WebVTT parsing algorithm yields it (times in ms, payload untouched)."""

    id: str
    start_ms: int
    end_ms: int
    settings: str
    text: str


def _strict_ms(a: str, b: str, c: str | None, frac: str) -> int | None:
    if c is None:  # minutes:seconds form; a "minutes" field that is not two digits or above 59 means hours
        if len(a) != 2 or int(a) > 59:
            return None
        h, m, s = None, a, b
    else:
        h, m, s = a, b, c
    if len(m) != 2 or len(s) != 2 or len(frac) != 3 or int(m) > 59 or int(s) > 59:
        return None
    try:  # the spec allows any number of hour digits; Reader stops at 2^53 ms
        return clock_ms(h, m, s, frac)
    except BadTime:
        return None


_COMMON_TIMING = re.compile(r"([0-9]{2}):([0-5][0-9]):([0-5][0-9])\.([0-9]{3}) --> ([0-9]{2}):([0-5][0-9]):([0-5][0-9])\.([0-9]{3})(?![0-9])")


def _parse_strict(line: str):
    m = _COMMON_TIMING.match(line)
    if m:  # the shape nearly every file uses, read without the general checks
        h, mi, s, f, h2, mi2, s2, f2 = m.groups()
        return (
            int(h) * 3_600_000 + int(mi) * 60_000 + int(s) * 1000 + int(f),
            int(h2) * 3_600_000 + int(mi2) * 60_000 + int(s2) * 1000 + int(f2),
            line[m.end():],
        )
    m = _STRICT_TIMING.match(line)
    if not m:
        return None
    g = m.groups()
    start = _strict_ms(*g[0:4])
    end = _strict_ms(*g[4:8])
    if start is None or end is None:
        return None
    return start, end, line[m.end():]


def _parse_lenient(line: str):
    m = _LENIENT_TIMING.match(line)
    if not m:
        return None
    g = m.groups()
    try:
        return clock_ms(*g[0:4]), clock_ms(*g[4:8]), line[m.end():]
    except BadTime:
        return None


def has_signature(text: str) -> bool:
    return text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\n\r")


class Dropped:
    """Where the parsing algorithm discarded something: timing lines it could not read (their cue
    goes with them) and blocks of text with no timing line. Line numbers are 1-based."""

    def __init__(self) -> None:
        self.timings: list[int] = []
        self.text_blocks: list[int] = []


_NOT_CUES = ("NOTE", "STYLE", "REGION")


def _is_text_block(first_line: str) -> bool:
    """A block that is neither a comment, a style sheet nor a region: its text is lost if it has no timing."""
    word = first_line.split(None, 1)[0] if first_line.strip() else ""
    return word not in _NOT_CUES and bool(first_line.strip())


def parse_blocks(text: str, lenient: bool = False, dropped: Dropped | None = None) -> list[RawCue]:
    """Run the WebVTT file-parsing algorithm over already-decoded text (BOM removed).

    Pass a Dropped to learn what the algorithm discarded; it changes nothing in the result."""
    dropped = dropped if dropped is not None else Dropped()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    if not has_signature(text):
        raise TranscriptError("not a WebVTT file: it does not start with WEBVTT")
    parse_timing = _parse_lenient if lenient else _parse_strict
    lines = text.split("\n")
    n = len(lines)
    i = 1
    if i < n and lines[i] != "":
        i, _ = _collect_block(lines, i, True, parse_timing, 0, dropped)
    cues: list[RawCue] = []
    # Blocks are separated by empty lines. Most blocks hold one timing line in their first two
    # lines; those are read directly. Anything else runs through the spec's block collector.
    # Line numbers (for what is dropped) are counted only when needed: the usual block costs nothing extra.
    rest = "\n".join(lines[i:])
    first_line = i + 1  # 1-based number of rest's first line

    def line_at(offset: int) -> int:
        return first_line + rest.count("\n", 0, offset)

    pos = 0
    for chunk in rest.split("\n\n"):
        start = pos
        pos += len(chunk) + 2
        if chunk[:1] == "\n":
            stripped = chunk.lstrip("\n")
            start += len(chunk) - len(stripped)
            chunk = stripped
        if not chunk:
            continue
        arrows = chunk.count("-->")
        if arrows == 0:
            if _is_text_block(chunk[: chunk.find("\n")] if "\n" in chunk else chunk):
                dropped.text_blocks.append(line_at(start))
            continue
        if arrows == 1:
            nl = chunk.find("\n")
            first = chunk if nl == -1 else chunk[:nl]
            if "-->" in first:
                cue_id, timing, body, second_line = "", first, ("" if nl == -1 else chunk[nl + 1:]), False
            else:
                nl2 = chunk.find("\n", nl + 1)
                second = chunk[nl + 1:] if nl2 == -1 else chunk[nl + 1:nl2]
                if "-->" not in second:
                    cues.extend(_collect_all(chunk.split("\n"), parse_timing, line_at(start), dropped))
                    continue
                cue_id, timing, body, second_line = first, second, ("" if nl2 == -1 else chunk[nl2 + 1:]), True
            parsed = parse_timing(timing)
            if parsed is not None:
                cues.append(RawCue(cue_id, parsed[0], parsed[1], parsed[2], body.rstrip("\n")))
            else:
                dropped.timings.append(line_at(start) + second_line)
            continue
        cues.extend(_collect_all(chunk.split("\n"), parse_timing, line_at(start), dropped))
    return cues


def _collect_all(lines, parse_timing, first_line: int, dropped: Dropped) -> list[RawCue]:
    cues = []
    j = 0
    while j < len(lines):
        j, cue = _collect_block(lines, j, False, parse_timing, first_line, dropped)
        if cue is not None:
            cues.append(cue)
        while j < len(lines) and lines[j] == "":
            j += 1
    return cues


def _collect_block(lines, i, in_header, parse_timing, first_line: int, dropped: Dropped):
    """The spec's "collect a block", over a list of lines. Returns (next line index, cue or None).
    `first_line` is the 1-based line number of lines[0] in the file, for `dropped`."""
    n = len(lines)
    start = i
    line_count = 0
    previous = i
    buffer: list[str] = []
    seen_arrow = False
    cue = None
    while i < n:
        line = lines[i]
        line_count += 1
        i += 1
        if "-->" in line:
            if not in_header and (line_count == 1 or (line_count == 2 and not seen_arrow)):
                seen_arrow = True
                previous = i
                parsed = parse_timing(line)
                if parsed is not None:
                    cue = RawCue("\n".join(buffer), parsed[0], parsed[1], parsed[2], "")
                    buffer = []
                else:
                    cue = None
                    dropped.timings.append(first_line + i - 1)
            else:
                i = previous
                break
        elif line == "":
            break
        else:
            buffer.append(line)
            previous = i
    if cue is not None:
        cue.text = "\n".join(buffer)
    elif not seen_arrow and not in_header and buffer and _is_text_block(buffer[0]):
        dropped.text_blocks.append(first_line + start)
    return i, cue


def _warn_dropped(dropped: Dropped, warnings: list[str]) -> None:
    timings, blocks = dropped.timings, dropped.text_blocks
    if len(timings) == 1:
        warnings.append(f"1 cue with an impossible or malformed time was skipped (at line {timings[0]}).")
    elif timings:
        warnings.append(f"{len(timings)} cues with impossible or malformed times were skipped (the first at line {timings[0]}).")
    if len(blocks) == 1:
        warnings.append(f"1 block of text without a timing line was left out (at line {blocks[0]}).")
    elif blocks:
        warnings.append(f"{len(blocks)} blocks of text without a timing line were left out (the first at line {blocks[0]}).")


def parse_webvtt(text: str) -> Transcript:
    """Read WebVTT into a Transcript, de-duplicating YouTube's rolling auto-captions."""
    warnings: list[str] = []
    dropped = Dropped()
    raw = parse_blocks(text, dropped=dropped)
    if not raw and "-->" in text:
        lenient = Dropped()
        raw = parse_blocks(text, lenient=True, dropped=lenient)
        if raw:
            dropped = lenient
            warnings.append("The cue timings do not follow the WebVTT standard (for example, missing milliseconds); they were read leniently.")
    _warn_dropped(dropped, warnings)
    bad_words = sum(impossible_word_times(rc.text) for rc in raw) if has_long_word_times(text) else 0
    if bad_words:
        warnings.append(f"{bad_words} word timing(s) inside cues were impossible and were ignored.")
    payloads = [parse_payload(rc.text, rc.start_ms) for rc in raw]
    if looks_rolling(payloads):
        cues = dedupe_rolling((rc.start_ms, rc.end_ms, p) for rc, p in zip(raw, payloads))
        return finish(cues, "youtube-vtt", warnings)
    cues = [
        Cue(rc.start_ms, rc.end_ms, "\n".join(p.lines), p.speaker, p.words) for rc, p in zip(raw, payloads)
    ]
    return finish(cues, "webvtt", warnings)
