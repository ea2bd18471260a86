"""SRT reader, lenient the way real files need: missing or wrong indexes, '.' for ',', short fractions, tags."""

from __future__ import annotations

import re

from reader.transcript.cuetext import clean_line, strip_simple_markup
from reader.transcript.model import Cue, Transcript, finish
from reader.transcript.times import BadTime, Skipped, clock_ms, line_of

_T = r"(?:([0-9]+):)?([0-9]{1,2}):([0-9]{1,2})(?:[,.:]([0-9]{0,3}))?"
TIMING = re.compile(r"^[ \t]*" + _T + r"[ \t]*-{1,2}>[ \t]*" + _T, re.M)
_ONE_TIME = re.compile(r"[ \t]*" + _T + r"[ \t]*")
_INDEX = re.compile(r"[ \t]*[0-9]+[ \t]*$")
# "MAN:" or ">> ALICE:" opening a cue names the speaker.
SPEAKER = re.compile(r"^(?:>>\s*)?([A-Z][A-Z0-9 .'\-]{0,30}[A-Z0-9]):\s*(.*)$", re.S)


def to_ms(h, m, s, frac) -> int:
    """Digit runs to ms; BadTime when the hours run past 2^53 ms."""
    return clock_ms(h, m, s, frac)


def looks_like_timing(line: str) -> bool:
    """A line with an arrow that a person meant as a timing line, though it does not read as one."""
    left, _, right = line.partition("-->")
    return line.lstrip()[:1].isdigit() or bool(_ONE_TIME.fullmatch(left.rstrip("-")) or _ONE_TIME.fullmatch(right.lstrip(">")))


def split_speaker(text: str) -> tuple[str | None, str, bool]:
    """Split a leading 'NAME:' or '>> NAME:' off a cue; the flag says a '>>' turn marker was there."""
    turn = text.startswith(">>")
    m = SPEAKER.match(text)
    if m:
        return m.group(1).title(), m.group(2), turn
    if turn:
        text = text[2:].lstrip()
    return None, text, turn


def parse_srt(text: str) -> Transcript:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    matches = list(TIMING.finditer(text))
    warnings: list[str] = []
    cues: list[Cue] = []
    orphans = 0
    skipped, broken = Skipped(), Skipped()
    before = text[: matches[0].start()] if matches else ""
    lost = [line for line in before.split("\n") if line.strip() and not _INDEX.match(line)]
    if lost:
        warnings.append(f"{len(lost)} line(s) of text before the first timing line were left out.")
    for i, m in enumerate(matches):
        try:
            start = to_ms(*m.groups()[0:4])
            end = to_ms(*m.groups()[4:8])
        except BadTime:
            skipped.add(lambda: f"line {line_of(text, m.start())}")
            continue
        body_start = text.find("\n", m.end())
        body_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[body_start + 1:body_end] if body_start != -1 and body_start < body_end else ""
        lines = body.split("\n")
        # The line just above the next timing is that cue's index, not this cue's text.
        while lines and not lines[-1].strip():
            lines.pop()
        if i + 1 < len(matches) and lines and _INDEX.match(lines[-1]):
            lines.pop()
        kept: list[str] = []
        after_blank = index_before = False
        for n, line in enumerate(lines):
            if not line.strip():
                after_blank = True
                continue
            if "-->" in line and looks_like_timing(line):
                broken.add(lambda: f"line {line_of(text, body_start + 1) + n}")  # a timing line with a typo: not text
                if index_before:
                    orphans -= 1  # the index above belongs to this broken timing, already counted
                index_before = False
                continue
            index_before = False
            if after_blank and _INDEX.match(line):
                orphans += 1  # a cue whose timing line is missing: keep its text with this one
                after_blank = False
                index_before = True
                continue
            after_blank = False
            kept.append(clean_line(strip_simple_markup(line)))
        speaker, first, turn = split_speaker("\n".join(line for line in kept if line))
        cues.append(Cue(start, end, first, speaker, (), turn))
    skipped.warn(warnings)
    if broken.count:
        warnings.append(
            f"{broken.count} timing line(s) could not be read (the first at {broken.first}); the text under them was joined to the cue before."
        )
    if orphans:
        warnings.append(f"{orphans} cue(s) had no timing line; their text was joined to the cue before.")
    return finish(cues, "srt", warnings)
