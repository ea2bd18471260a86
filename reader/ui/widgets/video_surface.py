"""The picture: the player's frames drawn scaled to fit on black, the last one kept when the stream stops."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtMultimedia import QtVideo, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QSizePolicy, QWidget


class VideoSurface(QWidget):
    """A plain widget fed by its own QVideoSink. Unlike QVideoWidget (a native window that covers
    whatever is laid over it) other widgets can be drawn on top of it, such as the captions; and the
    empty frame Qt sends at the end of a stream does not blank the picture: it keeps the last one."""

    picture_moved = Signal()  # the picture's size changed, so its place in the widget may have moved

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("video")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._on_frame)
        self._frame = QVideoFrame()
        self._image: QImage | None = None  # the frame converted, made when first drawn
        self._size = QSize()
        self._waiting = False  # cleared for other media: frames still on their way from the last are dropped

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid() or self._waiting:
            return  # the stream ended or is being flushed: the picture stays until another comes
        self._frame = frame
        self._image = None
        size = frame.size()
        if frame.rotation() in (QtVideo.Rotation.Clockwise90, QtVideo.Rotation.Clockwise270):
            size = size.transposed()
        if size != self._size:
            self._size = size
            self.picture_moved.emit()
        self.update()

    def clear(self) -> None:
        """No picture: other media is being opened. Frames are drawn again after show_frames."""
        self._waiting = True
        self._frame = QVideoFrame()
        self._image = None
        self._size = QSize()
        self.picture_moved.emit()
        self.update()

    def show_frames(self) -> None:
        """The new media has loaded: its frames are the ones that come now."""
        self._waiting = False

    def image(self) -> QImage:
        """The frame shown now, as an image (a null image when there is none)."""
        if self._image is None:
            self._image = self._frame.toImage() if self._frame.isValid() else QImage()
        return self._image

    def picture_rect(self) -> QRect:
        """Where the picture is drawn: as large as fits, its shape kept, centred; the whole widget without one."""
        if self._size.isEmpty():
            return self.rect()
        size = self._size.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect((self.width() - size.width()) // 2, (self.height() - size.height()) // 2, size.width(), size.height())

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.picture_moved.emit()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        image = self.image()
        if not image.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.picture_rect(), image)
