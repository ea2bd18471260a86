"""Start-up in two steps: the picture first, then the rest once the window shows it."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

PAINT_MS = 30  # time for the frame that arrived to be painted before slower work takes the window's thread
GIVE_UP_MS = 3000  # media that neither draws nor fails by then does not hold up the rest


class FirstFrame(QObject):
    """`passed` fires once, when the window shows what it will show first: the media's first frame drawn,
    or the media loaded with no frame coming (audio only, or not playing), or failed, or nothing after
    GIVE_UP_MS. The library, the transcript and the rest load then, after the picture and not before it."""

    passed = Signal()

    def __init__(self, player, sink, parent=None):
        super().__init__(parent)
        self.player, self.sink = player, sink
        self._done = False
        sink.videoFrameChanged.connect(self.on_sink_frame_changed)
        player.media_loaded.connect(self.on_player_media_loaded)
        player.media_failed.connect(self._pass)
        QTimer.singleShot(GIVE_UP_MS, self, self._pass)

    def on_sink_frame_changed(self, frame) -> None:
        if frame.isValid():
            self._pass()

    def on_player_media_loaded(self, has_video: bool) -> None:
        if not has_video:
            self._pass()
        else:  # play asked for while loading turns into playing just after: then a frame is on its way
            QTimer.singleShot(PAINT_MS, self, lambda: self.player.is_playing() or self._pass())

    def _pass(self, *_args) -> None:
        if self._done:
            return
        self._done = True
        self.sink.videoFrameChanged.disconnect(self.on_sink_frame_changed)  # it fires for every frame
        QTimer.singleShot(PAINT_MS, self, self.passed.emit)
