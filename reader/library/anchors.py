"""Placing saved highlights on a new transcript by their text and time, when captions are replaced."""

from __future__ import annotations

from typing import Sequence

from reader.library.db.rows import Place
from reader.transcript.model import Cue

# How far from its old time a highlight's text may be found in the new lines. Captions of the same
# video from another source are often shifted by a few seconds; the same words said again minutes
# later are another passage, not this one.
NEAR_MS = 90_000


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _fold(text: str) -> str:
    """Letters and digits only, case-folded: what two captionings of the same words have in common."""
    return "".join(ch.casefold() for ch in text if ch.isalnum())


class Folded:
    """A transcript's text folded for matching, with each folded character's cue and offset."""

    def __init__(self, cues: Sequence[Cue]):
        chars: list[str] = []
        where: list[tuple[int, int]] = []
        for i, cue in enumerate(cues):
            for j, ch in enumerate(cue.text):
                if ch.isalnum():
                    for folded in ch.casefold():  # 'ß' folds to 'ss': both point at the same character
                        chars.append(folded)
                        where.append((i, j))
        self.text = "".join(chars)
        self.where = where
        self.cues = cues

    def find(self, text: str, near_ms: int) -> Place | None:
        """The occurrence of `text` (folded) starting closest to `near_ms`, within NEAR_MS; None if none."""
        needle = _fold(text)
        if not needle:
            return None
        best: tuple[int, int] | None = None
        at = self.text.find(needle)
        while at >= 0:
            distance = abs(self.cues[self.where[at][0]].start_ms - near_ms)
            if distance <= NEAR_MS and (best is None or distance < best[0]):
                best = (distance, at)
            at = self.text.find(needle, at + 1)
        if best is None:
            return None
        first, first_off = self.where[best[1]]
        last, last_off = self.where[best[1] + len(needle) - 1]
        start, end = self.cues[first], self.cues[last]
        # offsets are stored as the transcript view counts them: UTF-16 units
        start_u16, end_u16 = _u16(start.text[:first_off]), _u16(end.text[:last_off + 1])
        return Place(start_cue=first, start_offset=start_u16, end_cue=last, end_offset=end_u16, start_ms=start.start_ms,
                     end_ms=max(end.end_ms, end.start_ms))


def reanchor(highlights: Sequence[dict], cues: Sequence[Cue]) -> tuple[dict[int, Place], list[dict]]:
    """New places for highlights (by id) in `cues`, and the highlights that could not be placed."""
    folded = Folded(cues)
    placed: dict[int, Place] = {}
    lost: list[dict] = []
    for row in highlights:
        anchor = folded.find(row.get("text") or "", int(row.get("start_ms") or 0))
        if anchor is None:
            lost.append(row)
        else:
            placed[row["id"]] = anchor
    return placed, lost
