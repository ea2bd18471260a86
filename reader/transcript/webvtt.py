"""WebVTT reader: the W3C file-parsing algorithm, with a lenient retry for files that break its timing rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cuetext import parse_payload
from .model import Cue, Transcript, TranscriptError, finish
from .rolling import dedupe_rolling, looks_rolling

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
        h, m, s = 0, a, b
    else:
        h, m, s = int(a), b, c
    if len(m) != 2 or len(s) != 2 or len(frac) != 3 or int(m) > 59 or int(s) > 59:
        return None
    return ((h * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac)


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


def _lenient_ms(h: str | None, m: str, s: str, frac: str | None) -> int:
    return ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int((frac or "").ljust(3, "0")[:3])


def _parse_lenient(line: str):
    m = _LENIENT_TIMING.match(line)
    if not m:
        return None
    g = m.groups()
    return _lenient_ms(*g[0:4]), _lenient_ms(*g[4:8]), line[m.end():]


def has_signature(text: str) -> bool:
    return text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\n\r")


def parse_blocks(text: str, lenient: bool = False) -> list[RawCue]:
    """Run the WebVTT file-parsing algorithm over already-decoded text (BOM removed)."""
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
        i, _ = _collect_block(lines, i, True, parse_timing)
    cues: list[RawCue] = []
    # Blocks are separated by empty lines. Most blocks hold one timing line in their first two
    # lines; those are read directly. Anything else runs through the spec's block collector.
    for chunk in "\n".join(lines[i:]).split("\n\n"):
        chunk = chunk.lstrip("\n")
        if not chunk:
            continue
        arrows = chunk.count("-->")
        if arrows == 0:
            continue
        if arrows == 1:
            nl = chunk.find("\n")
            first = chunk if nl == -1 else chunk[:nl]
            if "-->" in first:
                cue_id, timing, body = "", first, ("" if nl == -1 else chunk[nl + 1:])
            else:
                nl2 = chunk.find("\n", nl + 1)
                second = chunk[nl + 1:] if nl2 == -1 else chunk[nl + 1:nl2]
                if "-->" not in second:
                    cues.extend(_collect_all(chunk.split("\n"), parse_timing))
                    continue
                cue_id, timing, body = first, second, ("" if nl2 == -1 else chunk[nl2 + 1:])
            parsed = parse_timing(timing)
            if parsed is not None:
                cues.append(RawCue(cue_id, parsed[0], parsed[1], parsed[2], body.rstrip("\n")))
            continue
        cues.extend(_collect_all(chunk.split("\n"), parse_timing))
    return cues


def _collect_all(lines, parse_timing) -> list[RawCue]:
    cues = []
    j = 0
    while j < len(lines):
        j, cue = _collect_block(lines, j, False, parse_timing)
        if cue is not None:
            cues.append(cue)
        while j < len(lines) and lines[j] == "":
            j += 1
    return cues


def _collect_block(lines, i, in_header, parse_timing):
    """The spec's "collect a block", over a list of lines. Returns (next line index, cue or None)."""
    n = len(lines)
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
    return i, cue


def parse_webvtt(text: str) -> Transcript:
    """Read WebVTT into a Transcript, de-duplicating YouTube's rolling auto-captions."""
    warnings: list[str] = []
    raw = parse_blocks(text)
    if not raw and "-->" in text:
        raw = parse_blocks(text, lenient=True)
        if raw:
            warnings.append("The cue timings do not follow the WebVTT standard (for example, missing milliseconds); they were read leniently.")
    payloads = [parse_payload(rc.text, rc.start_ms) for rc in raw]
    if looks_rolling(payloads):
        cues = dedupe_rolling((rc.start_ms, rc.end_ms, p) for rc, p in zip(raw, payloads))
        return finish(cues, "youtube-vtt", warnings)
    cues = [
        Cue(rc.start_ms, rc.end_ms, "\n".join(p.lines), p.speaker, p.words) for rc, p in zip(raw, payloads)
    ]
    return finish(cues, "webvtt", warnings)
