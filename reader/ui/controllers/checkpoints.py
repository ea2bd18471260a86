"""Checkpoints while watching: when playback crosses the end of a chapter that has cards, pause and ask one."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.ui.settings import settings

MAX_STEP_MS = 1500  # a larger jump between two positions is a seek, not playback crossing a chapter's end


class CheckpointController(QObject):
    """Fed by the reading controller's position. Each chapter asks at most once per opening of its video;
    only while playing (a seek across a chapter's end does not count); only with the setting
    review/checkpoints on. Pauses the reading player and announces the card to ask."""

    reached = Signal(int)  # card id

    def __init__(self, reading, enabled=lambda: settings().get("review/checkpoints"), parent=None):
        super().__init__(parent)
        self.reading = reading
        self.enabled = enabled
        self._last: int | None = None
        self._asked: set[int] = set()  # chapter starts already asked about in this opening

    def on_reading_session_changed(self, _session=None, same_media: bool = False) -> None:
        if not same_media:
            self._asked.clear()
            self._last = None

    def chapters(self) -> list[tuple[int, int]]:
        """(start, end) of each chapter of the open video, the last ending where the media (or talk) ends."""
        session = self.reading.session
        transcript = session.transcript if session is not None else None
        if transcript is None or not transcript.chapters:
            return []
        starts = sorted({c.start_ms for c in transcript.chapters})
        length = max(self.reading.player.duration() if self.reading.has_media() else 0,
                     max((c.end_ms for c in transcript.cues), default=0))
        ends = [*starts[1:], length]
        return [(s, e) for s, e in zip(starts, ends) if e > s]

    def on_position_changed(self, ms: int) -> None:
        last, self._last = self._last, ms
        if last is None or not 0 < ms - last <= MAX_STEP_MS or not self.reading.player.is_playing():
            return
        for start, end in self.chapters():
            if last < end <= ms:
                self._at_end(start, end)
                return

    def on_player_ended(self) -> None:
        """The media ran out: the last chapter has ended (its end may never be reported as a position)."""
        chapters = self.chapters()
        if chapters and self._last is not None and self._last >= chapters[-1][0]:
            self._at_end(*chapters[-1])

    def _at_end(self, start: int, end: int) -> None:
        video_id = self.reading.video_id
        if video_id is None or start in self._asked or not self.enabled():
            return
        card_id = self.pick(video_id, start, end)
        if card_id is None:
            return
        self._asked.add(start)
        self.reading.player.pause()
        self.reached.emit(card_id)

    def pick(self, video_id: int, start: int, end: int) -> int | None:
        """The chapter's card to ask: the most overdue of those due, else the one due soonest."""
        store = self.reading.store
        if store is None:
            return None
        rows = [c for c in store.cards(video_id, "active") if start <= c["start_ms"] < end]
        if not rows:
            return None
        return min(rows, key=lambda c: (c["due"], c["start_ms"], c["id"]))["id"]
