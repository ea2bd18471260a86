"""The one owner of QMediaPlayer: plays, seeks, and reports a smooth position in milliseconds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaMetaData, QMediaPlayer

# QMediaPlayer reports position about every 50 ms; a 40 ms frame needs finer steps between reports.
TICK_MS = 15
NUDGE_MS = 1
RATES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


class Player(QObject):
    """Wraps QMediaPlayer. `position_changed` fires every ~15 ms while playing, interpolated between
    the backend's reports from the playback rate, and never runs backwards except on a seek."""

    position_changed = Signal(int)
    duration_changed = Signal(int)
    playing_changed = Signal(bool)
    rate_changed = Signal(float)
    volume_changed = Signal(int, bool)
    media_loaded = Signal(bool)  # has video
    media_failed = Signal(str)
    ended = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._audio = QAudioOutput(self)
        self._player.setAudioOutput(self._audio)
        self._clock = QElapsedTimer()
        self._anchor_ms = 0
        self._emitted_ms = 0
        self._asked = (-1, -1)  # the position the backend was sent to, and the one a seek asked for
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self._player.positionChanged.connect(self._on_backend_position)
        self._player.durationChanged.connect(lambda d: self.duration_changed.emit(int(d)))
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.errorOccurred.connect(self._on_error)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.playbackRateChanged.connect(lambda r: self.rate_changed.emit(float(r)))
        self.source: Path | str | None = None  # a file, or the address of a stream
        self._loaded = self._failed = self._ended = False
        self._loading = False  # the new source has begun loading (setSource first reports the old one stopped)

    # -- what the rest of the app asks for -------------------------------------------------
    def set_video_output(self, sink) -> None:
        """Where frames go: a QVideoSink (the video pane's picture)."""
        self._player.setVideoOutput(sink)

    def load(self, path: Path | str | None) -> None:
        """Open a file, or (a str) an http(s) address to stream: a video playing while it downloads."""
        self.source = path
        self._loaded = self._failed = self._ended = self._loading = False
        self._anchor_ms = self._emitted_ms = 0
        if isinstance(path, str):
            self._player.setSource(QUrl(path))
        else:
            self._player.setSource(QUrl.fromLocalFile(str(path)) if path else QUrl())

    def play(self) -> None:
        if self.source is not None:
            if self._ended:  # played to the end: play again from the start, as YouTube's replay
                self.seek(0)
            self._player.play()

    def pause(self) -> None:
        self._player.pause()

    def toggle(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def seek(self, ms: int) -> None:
        duration = self._player.duration()
        ms = max(0, min(ms, duration - 1 if duration > 0 else ms))
        self._ended = False
        # Paused, the backend draws the last frame that starts before the position: at a frame's (a cue's, a
        # slide's) very start, that is the frame before it. A millisecond on, it draws the one asked for.
        backend = min(ms + NUDGE_MS, duration - 1) if not self.is_playing() and duration > 0 else ms
        self._asked = (backend, ms)
        self._player.setPosition(backend)
        self._resync(ms)
        self._emitted_ms = ms
        self.position_changed.emit(ms)

    def skip(self, delta_ms: int) -> None:
        self.seek(self.position() + delta_ms)

    def loaded(self) -> bool:
        """The source has loaded (its length and whether it has a picture are known)."""
        return self._loaded

    def has_video(self) -> bool:
        return self._player.hasVideo()

    def title(self) -> str:
        """The title stored in the media file, or ''."""
        value = self._player.metaData().value(QMediaMetaData.Key.Title)
        return str(value).strip() if value else ""

    def position(self) -> int:
        return self._emitted_ms

    def duration(self) -> int:
        return self._player.duration()

    def set_rate(self, rate: float) -> None:
        self._resync(self.position())
        self._player.setPlaybackRate(max(RATES[0], min(RATES[-1], rate)))

    def rate(self) -> float:
        return self._player.playbackRate()

    def step_rate(self, direction: int) -> None:
        current = self.rate()
        if direction > 0:
            nxt = next((r for r in RATES if r > current + 1e-6), RATES[-1])
        else:
            nxt = next((r for r in reversed(RATES) if r < current - 1e-6), RATES[0])
        self.set_rate(nxt)

    def set_volume(self, percent: int) -> None:
        self._audio.setVolume(max(0, min(100, percent)) / 100)
        self.volume_changed.emit(self.volume(), self.is_muted())

    def volume(self) -> int:
        return round(self._audio.volume() * 100)

    def set_muted(self, muted: bool) -> None:
        self._audio.setMuted(muted)
        self.volume_changed.emit(self.volume(), muted)

    def is_muted(self) -> bool:
        return self._audio.isMuted()

    # -- keeping time ---------------------------------------------------------------------
    def _resync(self, ms: int) -> None:
        self._anchor_ms = ms
        self._clock.restart()

    def _estimate(self) -> int:
        if not self.is_playing() or not self._clock.isValid():
            return self._anchor_ms
        return self._anchor_ms + int(self._clock.elapsed() * self._player.playbackRate())

    def _on_backend_position(self, ms: int) -> None:
        if ms == self._asked[0]:
            ms = self._asked[1]  # the nudged seek's report: the position is the one asked for
        self._resync(ms)
        if not self.is_playing() or abs(ms - self._emitted_ms) > 1000:
            self._emit(ms, allow_back=True)  # paused, or a jump: trust the backend as is
        else:
            self._emit(ms)

    def _on_tick(self) -> None:
        self._emit(self._estimate())

    def _emit(self, ms: int, allow_back: bool = False) -> None:
        if ms < self._emitted_ms and not allow_back:
            return  # a report slightly behind our estimate: hold still rather than flicker back
        duration = self._player.duration()
        if duration > 0:
            ms = min(ms, duration)
        if ms != self._emitted_ms:
            self._emitted_ms = ms
            self.position_changed.emit(ms)

    def _on_state(self, state) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        if playing:
            self._resync(self._player.position())
            self._timer.start()
        else:
            self._timer.stop()
            self._emit(self._player.position(), allow_back=True)
        self.playing_changed.emit(playing)

    def _on_status(self, status) -> None:
        S = QMediaPlayer.MediaStatus
        if status == S.LoadingMedia:
            self._loading = True
        elif status in (S.LoadedMedia, S.BufferedMedia) and self.source is not None and self._loading and not self._loaded:
            self._loaded = True
            self.media_loaded.emit(self._player.hasVideo())  # listeners may seek to where it was left
            if self._player.playbackState() == QMediaPlayer.PlaybackState.StoppedState:
                # Stopped, Qt draws no frame (nor after a seek); paused, it draws the one at the position.
                self._player.pause()
        elif status == S.EndOfMedia:
            # Qt stops and blanks the picture; paused on the last frame instead, it stays on screen and
            # later seeks show theirs. Play then starts again from the beginning.
            self._player.setPosition(max(0, self._player.duration() - 1))
            self._player.pause()
            self._ended = True
            self.ended.emit()
        elif status == S.InvalidMedia:
            self._report(self._player.errorString() or "the file is not a playable video or audio format")

    def _on_error(self, error, message: str) -> None:
        if error != QMediaPlayer.Error.NoError:
            self._report(message or "the media could not be played")

    def _report(self, message: str) -> None:
        if self._failed:
            return
        self._failed = True
        name = "The video's stream" if isinstance(self.source, str) else self.source.name if self.source else "media"
        self.media_failed.emit(f"{name} cannot be played: {message}")
