"""Times typed as the transcript shows them (--from 0:33 --to 0:40): the one rule for which lines a stretch takes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from reader.transcript.model import Cue

MAX_TIME_MS = 1000 * 3600 * 1000  # a thousand hours: longer than any video


@dataclass(frozen=True)
class TypedTime:
    """A time as typed: where it starts, and how much it names. "0:33" names the whole second (every line the
    transcript shows as 0:33, such as one starting at 33.9 s); "0:33.9" a tenth of it; "0:33.900" one millisecond."""

    ms: int
    width: int = 1


def parse_time(text: str) -> TypedTime | None:
    """12:30, 1:02:03, 12:30.5 or 750 (seconds) as a TypedTime; None if it is not a time."""
    text = text.strip()
    m = re.fullmatch(r"(?:([0-9]{1,3}):)?([0-9]{1,3}):([0-9]{2})(?:[.,]([0-9]{1,3}))?", text)
    if m:
        hours, minutes, seconds, fraction = int(m.group(1) or 0), int(m.group(2)), int(m.group(3)), m.group(4)
        if seconds > 59 or (m.group(1) is not None and minutes > 59):
            return None
        whole = (hours * 60 + minutes) * 60 + seconds
    else:
        m = re.fullmatch(r"([0-9]{1,7})(?:\.([0-9]{1,3}))?", text)
        if not m:
            return None
        whole, fraction = int(m.group(1)), m.group(2)
    ms = whole * 1000 + int((fraction or "0").ljust(3, "0"))
    width = 10 ** (3 - len(fraction)) if fraction else 1000
    return TypedTime(ms, width) if ms <= MAX_TIME_MS else None


def lines_taken(cues: Sequence[Cue], first_from: int, first_until: int, last_before: int) -> tuple[int, int] | None:
    """The first and last index of the lines a stretch takes, or None when no line is in it.

    The first line is the first one that starts in [first_from, first_until) (the line shown with the time
    typed), else the first one still being spoken at first_from, else the first that starts after it. The
    last is the last line that starts before last_before. Every line between them is taken.
    """
    first = next((i for i, c in enumerate(cues) if first_from <= c.start_ms < first_until), None)
    if first is None:
        first = next((i for i, c in enumerate(cues) if c.start_ms < first_from < c.end_ms), None)
    if first is None:
        first = next((i for i, c in enumerate(cues) if c.start_ms >= first_from), None)
    last = max((i for i, c in enumerate(cues) if c.start_ms < last_before), default=None)
    if first is None or last is None or last < first:
        return None
    return first, last


def between(cues: Sequence[Cue], from_ms: int, to_ms: int) -> tuple[int, int] | None:
    """The lines between two exact moments (a highlight's or a card's), by the same rule: the line starting at
    from_ms (else the one spoken then) to the last that starts before to_ms."""
    return lines_taken(cues, from_ms, from_ms + 1, max(to_ms, from_ms + 1))


def typed_lines(cues: Sequence[Cue], start: TypedTime | None, end: TypedTime | None) -> tuple[int, int] | None:
    """The lines --from and --to take (either may be left out: the start, the end), as typed."""
    return lines_taken(cues, start.ms if start else 0, start.ms + start.width if start else 1,
                       end.ms + end.width if end else MAX_TIME_MS + 1)


def typed_stretch(cues: Sequence[Cue], start: TypedTime | None, end: TypedTime | None,
                  length: int = 0) -> tuple[int | None, int | None]:
    """--from and --to in milliseconds, as the start of the first line and the end of the last that they take
    (None for one left out). They stay as typed when they take no line (a video without a transcript, a stretch
    backwards or where nothing is said) or reach past the video's `length` (when known), so that the
    caller's own check says what is wrong with them."""
    taken = typed_lines(cues, start, end)
    past = length and ((start is not None and start.ms >= length) or (end is not None and end.ms > length + 1000))
    if taken is None or past:
        return (start.ms if start else None), (end.ms if end else None)
    first, last = taken
    return (cues[first].start_ms if start else None), (max(cues[last].end_ms, cues[first].start_ms + 1) if end else None)


def backwards(start: TypedTime | None, end: TypedTime | None) -> bool:
    """Whether --to comes before --from (--from 0:33 --to 0:33 is the line shown as 0:33, so it is not)."""
    return start is not None and end is not None and end.ms < start.ms
