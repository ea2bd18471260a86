"""Chapter lists: '0:00 Intro' lines in a video description or a sidecar file."""

from __future__ import annotations

import re

from reader.transcript.model import Chapter
from reader.transcript.plain import TS, ts_ms

_LINE = re.compile(r"^\s*(?:[-*•▶►]\s*)?[\[(]?(" + TS + r")[\])]?\s*[-–—:|.)]?\s+(\S.{0,200}?)\s*$")
_LINE_TITLE_FIRST = re.compile(r"^\s*(\S.{0,200}?)\s*[-–—:|]?\s+[\[(]?(" + TS + r")[\])]?\s*$")


def parse_chapter_list(text: str) -> list[Chapter]:
    """Chapters from lines that begin (or end) with a time; YouTube's rule: the list must start at 0:00.

    Lines without a time are skipped, so a whole description can be passed in.
    """
    found: list[Chapter] = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            found.append(Chapter(ts_ms(m.group(1)), m.group(2).strip()))
            continue
        m = _LINE_TITLE_FIRST.match(line)
        if m and len(m.group(1)) <= 100:
            found.append(Chapter(ts_ms(m.group(2)), m.group(1).strip()))
    if len(found) < 2 or found[0].start_ms != 0:
        return []
    chapters = [found[0]]
    for ch in found[1:]:
        if ch.start_ms > chapters[-1].start_ms:
            chapters.append(ch)
    return chapters
