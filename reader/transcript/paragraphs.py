"""Group cues into paragraphs for reading: a new one at a new speaker, a long pause or a chapter."""

from __future__ import annotations

from dataclasses import dataclass

from reader.transcript.model import Chapter, Cue

PAUSE_MS = 2500
MAX_CHARS = 700


@dataclass(slots=True)
class Paragraph:
    first: int  # index of its first cue
    last: int  # index of its last cue (inclusive)
    start_ms: int
    speaker: str | None
    chapter: Chapter | None  # set when a chapter starts with this paragraph


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "?", "!", "…", '."', '?"', "!\"", ".”", "?”", "!”"))


def group(cues: list[Cue], chapters: list[Chapter] | None = None) -> list[Paragraph]:
    chapters = sorted(chapters or [], key=lambda c: c.start_ms)
    paras: list[Paragraph] = []
    ch = 0
    chars = 0
    speaker = None
    prev_end = None
    for i, cue in enumerate(cues):
        new_chapter = None
        while ch < len(chapters) and chapters[ch].start_ms <= cue.start_ms:
            new_chapter = chapters[ch]
            ch += 1
        start_new = (
            not paras
            or new_chapter is not None
            or cue.turn
            or (cue.speaker is not None and cue.speaker != speaker)
            or (prev_end is not None and cue.start_ms - prev_end >= PAUSE_MS)
            or (chars >= MAX_CHARS and _ends_sentence(cues[i - 1].text))
            or chars >= MAX_CHARS * 4 // 3  # unpunctuated auto-captions still get paragraphs
        )
        if start_new:
            if cue.speaker is not None:
                speaker = cue.speaker
            elif cue.turn:
                speaker = None
            paras.append(Paragraph(i, i, cue.start_ms, cue.speaker if cue.speaker is not None else (None if cue.turn else speaker), new_chapter))
            chars = 0
        else:
            paras[-1].last = i
        chars += len(cue.text) + 1
        prev_end = max(cue.end_ms, cue.start_ms) if prev_end is None else max(prev_end, cue.end_ms)
    return paras
