"""Line by line: where the previous, next and current lines start, pausing at the end of each line, and saving the spoken line."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from reader.base.colours import DEFAULT_COLOUR
from reader.library.db.rows import Span
from reader.transcript.model import Cue
from reader.transcript.timeline import Timeline
from reader.ui.settings import settings

CAPTURE_AGAIN_S = 2.5  # S pressed again within this long grows the same highlight back by a line
TICK_MAX_MS = 1000  # playback moves the position by less than this between two reports; more is a seek


def line_span(cues: list[Cue], first: int, last: int) -> Span:
    """Whole lines as a highlight's bounds, as `reader explain --from --to` makes them."""
    text = " ".join(cues[i].text.replace("\n", " ") for i in range(first, last + 1))
    return Span(start_cue=first, start_offset=0, end_cue=last, end_offset=len(cues[last].text),
                start_ms=cues[first].start_ms, end_ms=max(cues[last].end_ms, cues[last].start_ms), text=" ".join(text.split()))


@dataclass
class Capture:
    """The highlight the last S press made or grew, so the next press within CAPTURE_AGAIN_S grows it."""

    video_id: int
    highlight_id: int
    first: int  # its first and last line
    last: int
    at: float  # when, by the controller's clock
    made: bool  # S made it (rather than finding the reader's own highlight there), so it may be replaced


class LinesController(QObject):
    """Times are the media's: a line's time plus the subtitle offset. Announces; never touches a widget."""

    pause_each_line_changed = Signal(bool)

    def __init__(self, reading, notes, parent=None, clock=time.monotonic):
        super().__init__(parent)
        self.reading = reading
        self.notes = notes
        self.clock = clock
        self.timeline = Timeline([])
        self.pause_each_line = bool(settings().get("playback/pause_each_line"))
        self._last_ms = 0  # the position at the previous report
        self._paused_after = -1  # the line playback last paused at the end of: play goes on past it
        self._capture: Capture | None = None
        reading.session_changed.connect(self.on_reading_session_changed)
        reading.position_changed.connect(self.on_reading_position_changed)
        reading.jumped.connect(self.on_reading_jumped)

    def on_reading_session_changed(self, session, _same_media: bool) -> None:
        self.timeline = Timeline(session.transcript.cues if session.transcript is not None else [])
        self._capture = None
        self._last_ms = self.reading.position()

    # -- where lines are ----------------------------------------------------------------------------
    def current_line(self) -> int:
        """The line being spoken (the last one started; -1 before the first)."""
        return self.timeline.cue_at(self.reading.position() - self.reading.offset_ms)

    def line_start(self, step: int) -> int | None:
        """Where the line before (step -1), this one (0) or the next (+1) starts; None past either end."""
        cues = self.timeline.cues
        if not cues:
            return None
        here = self.current_line()
        target = max(0, here + step) if here >= 0 or step <= 0 else 0
        if target >= len(cues):
            return None
        return cues[target].start_ms + self.reading.offset_ms

    def line_end(self, index: int) -> int | None:
        """When line `index` has been said (media time): its end, or the next line's start if that comes first."""
        cues = self.timeline.cues
        cue = cues[index]
        ends = [cue.end_ms] if cue.end_ms > cue.start_ms else []
        if index + 1 < len(cues):
            ends.append(cues[index + 1].start_ms)
        return min(ends) + self.reading.offset_ms if ends else None

    # -- pausing at the end of each line -----------------------------------------------------------
    def set_pause_each_line(self, on: bool) -> None:
        if on == self.pause_each_line:
            return
        self.pause_each_line = on
        settings().set("playback/pause_each_line", on)
        self.pause_each_line_changed.emit(on)

    def on_reading_jumped(self, ms: int) -> None:
        self._last_ms = ms  # a seek is not playback: no line's end was passed
        self._paused_after = -1

    def on_reading_position_changed(self, ms: int) -> None:
        last, self._last_ms = self._last_ms, ms
        if not self.pause_each_line or not 0 < ms - last < TICK_MAX_MS or not self.reading.player.is_playing():
            return
        index = self.timeline.cue_at(last - self.reading.offset_ms)
        end = self.line_end(index) if index >= 0 and index != self._paused_after else None
        if end is not None and last < end <= ms:
            self._paused_after = index  # the next play goes on, even from a moment before this end
            self.reading.player.pause()

    # -- saving the spoken line -------------------------------------------------------------------
    def capture(self) -> int | None:
        """Save the line being spoken as a highlight; again within CAPTURE_AGAIN_S, the same highlight grows
        back over the line before (and on to the line spoken now, if playback has moved on). Returns its id."""
        cues = self.timeline.cues
        if not cues:
            return None
        now = self.clock()
        here = max(0, self.current_line())
        chain = self._capture
        if chain is not None and (now - chain.at > CAPTURE_AGAIN_S or chain.video_id != self.reading.video_id
                                  or self.notes.store.highlight(chain.highlight_id) is None):
            chain = None
        first, last = (max(0, chain.first - 1), max(chain.last, here)) if chain is not None else (here, here)
        grows = chain is not None and chain.made and (first, last) != (chain.first, chain.last)
        # it grows into the new one: the old goes and the new comes in one transaction
        highlight_id, new = self.notes.add(line_span(cues, first, last), DEFAULT_COLOUR,
                                           replacing=chain.highlight_id if grows else None)
        if highlight_id is None:
            self._capture = None
            return None
        made = new or (chain is not None and chain.made and chain.highlight_id == highlight_id)
        self._capture = Capture(self.reading.video_id, highlight_id, first, last, now, made)
        return highlight_id
