"""SRT reader, lenient the way real files need: missing or wrong indexes, '.' for ',', short fractions, tags."""

from __future__ import annotations

import re

from .cuetext import clean_line, strip_simple_markup
from .model import Cue, Transcript, finish

_T = r"(?:([0-9]+):)?([0-9]{1,2}):([0-9]{1,2})(?:[,.:]([0-9]{0,3}))?"
TIMING = re.compile(r"^[ \t]*" + _T + r"[ \t]*-{1,2}>[ \t]*" + _T, re.M)
_INDEX = re.compile(r"[ \t]*[0-9]+[ \t]*$")
# "MAN:" or ">> ALICE:" opening a cue names the speaker.
SPEAKER = re.compile(r"^(?:>>\s*)?([A-Z][A-Z0-9 .'\-]{0,30}[A-Z0-9]):\s*(.*)$", re.S)


def to_ms(h, m, s, frac) -> int:
    return ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int((frac or "").ljust(3, "0")[:3])


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
    for i, m in enumerate(matches):
        start = to_ms(*m.groups()[0:4])
        end = to_ms(*m.groups()[4:8])
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
        after_blank = False
        for line in lines:
            if not line.strip():
                after_blank = True
                continue
            if after_blank and _INDEX.match(line):
                orphans += 1  # a cue whose timing line is missing: keep its text with this one
                after_blank = False
                continue
            after_blank = False
            kept.append(clean_line(strip_simple_markup(line)))
        speaker, first, turn = split_speaker("\n".join(line for line in kept if line))
        cues.append(Cue(start, end, first, speaker, (), turn))
    if orphans:
        warnings.append(f"{orphans} cue(s) had no timing line; their text was joined to the cue before.")
    return finish(cues, "srt", warnings)
