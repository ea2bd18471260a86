"""The transcript data model: cues with optional speakers and word timings, chapters, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from reader.transcript.controls import CONTROLS, has_controls, without_controls

_has_controls = CONTROLS.search

# Anything past this is almost certainly a broken timestamp rather than a real recording.
ABSURD_MS = 72 * 3600 * 1000


class TranscriptError(ValueError):
    """A file that cannot be read as a transcript; the message is fit to show a user."""


class Word(NamedTuple):
    """A word (or a few) of a cue, from the moment it is spoken; a tuple because there are many."""

    start_ms: int
    text: str


class Cue:
    """A timed piece of text. `words` may be given as a function: then it is worked out on first use,
    which keeps loading a long auto-caption file fast (only the current cue's words are ever drawn)."""

    __slots__ = ("start_ms", "end_ms", "text", "speaker", "_words", "turn")

    def __init__(self, start_ms: int, end_ms: int, text: str, speaker: str | None = None, words=(), turn: bool = False):
        self.start_ms = start_ms
        self.end_ms = end_ms
        # Every reader, a transcription, a restore and the store make cues here: no line keeps a control
        # character (a subtitle's ESC ] 0 ... BEL or ESC [ 2J would reach a terminal through `--to txt`).
        self.text = text if _has_controls(text) is None else without_controls(text)
        self.speaker = without_controls(speaker, newlines=False) if speaker else speaker
        self._words = words if callable(words) or not words else (lambda: words)
        # True where the source marks a change of speaker without naming one (YouTube's ">>").
        self.turn = turn

    @property
    def words(self) -> tuple[Word, ...]:
        if callable(self._words):
            self._words = _clean_words(self._words())
        return self._words

    def __repr__(self) -> str:
        return f"Cue({self.start_ms}, {self.end_ms}, {self.text!r}, speaker={self.speaker!r})"

    def to_json(self) -> dict:
        data = {"start_ms": self.start_ms, "end_ms": self.end_ms, "speaker": self.speaker, "text": self.text}
        if self.words:
            data["words"] = [{"start_ms": w.start_ms, "text": w.text} for w in self.words]
        return data


def _clean_words(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """Word timings with control characters taken out of their text (checked once, when first used)."""
    if not any(has_controls(w.text) or "\n" in w.text for w in words):
        return words
    return tuple(Word(w.start_ms, without_controls(w.text, newlines=False).strip()) for w in words)


@dataclass(slots=True, frozen=True)
class Chapter:
    start_ms: int
    title: str

    def __post_init__(self):
        if not isinstance(self.title, str) or has_controls(self.title) or "\n" in self.title:
            object.__setattr__(self, "title", without_controls(self.title, newlines=False).strip())


@dataclass(slots=True, eq=False, weakref_slot=True)
class Transcript:
    cues: list[Cue]
    chapters: list[Chapter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = ""
    language: str | None = None

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "cues": [c.to_json() for c in self.cues],
            "chapters": [{"start_ms": c.start_ms, "title": c.title} for c in self.chapters],
            "warnings": list(self.warnings),
        }


def finish(cues: list[Cue], fmt: str, warnings: list[str], chapters: list[Chapter] | None = None) -> Transcript:
    """Put cues in time order and repair what a reader can repair, warning about each kind of fault."""
    kept: list[Cue] = []
    negative = backwards = absurd = 0
    for cue in cues:
        if not cue.text.strip():
            continue
        if cue.start_ms < 0 or cue.end_ms < 0:
            negative += 1
            cue.start_ms, cue.end_ms = max(cue.start_ms, 0), max(cue.end_ms, 0)
        if cue.start_ms > ABSURD_MS:
            absurd += 1
        if cue.end_ms < cue.start_ms:
            backwards += 1
            cue.end_ms = cue.start_ms
        kept.append(cue)
    out_of_order = sum(1 for a, b in zip(kept, kept[1:]) if b.start_ms < a.start_ms)
    if out_of_order:
        kept.sort(key=lambda c: c.start_ms)  # stable: simultaneous cues keep file order
        warnings.append(f"{out_of_order} cue(s) were out of time order and have been sorted.")
    if negative:
        warnings.append(f"{negative} cue(s) had negative times, set to 0.")
    if backwards:
        warnings.append(f"{backwards} cue(s) ended before they started; their end was set to their start.")
    if absurd:
        warnings.append(f"{absurd} cue(s) start more than 72 hours in; their times are probably wrong.")
    chapters = sorted(chapters or [], key=lambda c: c.start_ms)
    return Transcript(kept, chapters, warnings, fmt)
