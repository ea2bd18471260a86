"""Captions on the video: the line being spoken at the position (after the sync offset), and whether they show."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.transcript.timeline import Timeline
from reader.ui.settings import settings

# A line stays up this long past its end while the next has not begun, so short pauses do not blink.
HOLD_MS = 1000


class CaptionsController(QObject):
    """Follows the reading position and announces the caption's text when it changes; C (or the CC button,
    or View ▸ Captions on Video) turns captions on and off, remembered for the next start."""

    text_changed = Signal(str)  # "" between lines, before the first and without a transcript
    enabled_changed = Signal(bool)

    def __init__(self, reading, parent=None):
        super().__init__(parent)
        self.reading = reading
        self.enabled = bool(settings().get("player/captions"))
        self.offset_ms = 0
        self.text = ""
        self._timeline: Timeline | None = None
        reading.session_changed.connect(self.on_reading_session_changed)
        reading.position_changed.connect(self.on_reading_position_changed)

    def text_at(self, ms: int) -> str:
        """The caption at media time `ms`: the transcript's line then (the offset moves the lines later)."""
        timeline = self._timeline
        if timeline is None:
            return ""
        at = ms - self.offset_ms
        index = timeline.cue_at(at)
        if index < 0:
            return ""
        cue = timeline.cues[index]
        return cue.text.strip() if at < cue.end_ms + HOLD_MS else ""

    def set_enabled(self, on: bool) -> None:
        on = bool(on)
        if on != self.enabled:
            self.enabled = on
            settings().set("player/captions", on)
        self.enabled_changed.emit(on)
        self._show(self.reading.position())

    def toggle(self) -> None:
        self.set_enabled(not self.enabled)

    def set_offset(self, ms: int) -> None:
        """The transcript's sync offset (a remembered one, or the reader adjusting it)."""
        self.offset_ms = ms
        self._show(self.reading.position())

    def on_reading_session_changed(self, session, _same_media: bool) -> None:
        transcript = session.transcript
        self._timeline = Timeline(transcript.cues) if transcript is not None and transcript.cues else None
        self._show(self.reading.position())

    def on_reading_position_changed(self, ms: int) -> None:
        if self.enabled:
            self._show(ms)

    def _show(self, ms: int) -> None:
        text = self.text_at(ms) if self.enabled else ""
        if text != self.text:
            self.text = text
            self.text_changed.emit(text)
