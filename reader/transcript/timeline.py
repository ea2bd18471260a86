"""Find the cue and word being spoken at a moment, in O(log n) whatever the transcript's length."""

from __future__ import annotations

from bisect import bisect_right

from reader.transcript.model import Chapter, Cue


class Timeline:
    """Lookups by time over cues sorted by start. A cue stays current until the next one starts,
    so gaps between cues keep the last line lit, as a reader expects."""

    def __init__(self, cues: list[Cue], chapters: list[Chapter] | None = None):
        self.cues = cues
        self.starts = [c.start_ms for c in cues]
        self.chapters = chapters or []
        self.chapter_starts = [c.start_ms for c in self.chapters]

    def cue_at(self, ms: int) -> int:
        """Index of the cue current at `ms`, or -1 before the first cue."""
        return bisect_right(self.starts, ms) - 1

    def word_at(self, cue_index: int, ms: int) -> int:
        """Index into that cue's words of the word being spoken, or -1."""
        if cue_index < 0:
            return -1
        words = self.cues[cue_index].words
        if not words:
            return -1
        lo, hi = 0, len(words)
        while lo < hi:
            mid = (lo + hi) // 2
            if words[mid].start_ms <= ms:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def chapter_at(self, ms: int) -> int:
        return bisect_right(self.chapter_starts, ms) - 1
