"""A card's clip: plays one stretch of a video's media in a small player of its own, and stops at the stretch's end."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal


class ClipController(QObject):
    """Drives its own Player (so the reading session's player is never disturbed): play(path, start, end)
    loads the media if it is not loaded already, seeks to `start_ms`, plays, and pauses once the
    position reaches `end_ms`."""

    playing_changed = Signal(bool)
    media_loaded = Signal(bool)  # has a picture
    failed = Signal(str)

    def __init__(self, player, parent=None):
        super().__init__(parent)
        self.player = player
        self.end_ms: int | None = None
        self._pending: tuple[int, int | None] | None = None  # asked for before its media loaded (end None: show only)
        player.position_changed.connect(self.on_player_position_changed)
        player.media_loaded.connect(self.on_player_media_loaded)
        player.playing_changed.connect(self.playing_changed)
        player.media_failed.connect(self.on_player_media_failed)

    def play(self, path: Path, start_ms: int, end_ms: int) -> None:
        """Play `path` from start_ms to end_ms (at least a tenth of a second)."""
        self._go(path, start_ms, max(end_ms, start_ms + 100))

    def show(self, path: Path, start_ms: int) -> None:
        """Be ready at start_ms of `path`, paused (the picture there is drawn), without playing."""
        self._go(path, start_ms, None)

    def _go(self, path: Path, start_ms: int, end_ms: int | None) -> None:
        self.end_ms = None
        if self.player.source != path:
            self._pending = (start_ms, end_ms)
            self.player.load(path)
        else:
            self._start(start_ms, end_ms)

    def stop(self) -> None:
        self._pending = None
        self.end_ms = None
        self.player.pause()

    def is_playing(self) -> bool:
        return self.player.is_playing()

    def _start(self, start_ms: int, end_ms: int | None) -> None:
        if end_ms is None:
            self.player.pause()
            self.player.seek(start_ms)
            return
        self.end_ms = end_ms
        self.player.seek(start_ms)
        self.player.play()

    def on_player_media_loaded(self, has_video: bool) -> None:
        self.media_loaded.emit(has_video)
        if self._pending is not None:
            start_ms, end_ms = self._pending
            self._pending = None
            self._start(start_ms, end_ms)

    def on_player_position_changed(self, ms: int) -> None:
        if self.end_ms is not None and ms >= self.end_ms and self.player.is_playing():
            end, self.end_ms = self.end_ms, None
            self.player.pause()
            # the position shown ran a little ahead of the backend's; the clip rests on its last moment
            self.player.seek(end)

    def on_player_media_failed(self, text: str) -> None:
        self._pending = None
        self.end_ms = None
        self.failed.emit(text)
