"""Whisper's pieces as transcript lines: one sentence a line (long pieces split at sentence ends), word timings kept."""

from __future__ import annotations

from reader.transcript.model import Cue, Word
from reader.transcription.engine import Piece, TimedWord

ENDS = (".", "?", "!", "…", "。", "？", "！")
LONG_CHARS = 220  # a line with no sentence end is still cut at a word near here


def _line(words: list[TimedWord]) -> Cue:
    text = "".join(w.text for w in words).strip()
    return Cue(words[0].start_ms, max(words[-1].end_ms, words[0].start_ms), " ".join(text.split()),
               words=tuple(Word(w.start_ms, w.text.strip()) for w in words))


def to_lines(pieces: list[Piece]) -> list[Cue]:
    """Lines in time order. A piece without word timings is one line."""
    cues: list[Cue] = []
    for piece in pieces:
        if not piece.words:
            if piece.text.strip():
                cues.append(Cue(piece.start_ms, max(piece.end_ms, piece.start_ms), " ".join(piece.text.split())))
            continue
        current: list[TimedWord] = []
        chars = 0
        for word in piece.words:
            current.append(word)
            chars += len(word.text)
            if word.text.strip().endswith(ENDS) or chars >= LONG_CHARS:
                cues.append(_line(current))
                current, chars = [], 0
        if current:
            cues.append(_line(current))
    cues.sort(key=lambda c: c.start_ms)
    return cues
