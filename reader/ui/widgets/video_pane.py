"""The left pane: the video (or a card for audio-only and transcript-only reading) above its controls."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from .controls import PlayerControls
from .video_surface import VideoSurface


class VideoPane(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("videoPane")
        self.video = VideoSurface(self)
        self.card = QLabel(self)
        self.card.setObjectName("mediaCard")
        self.card.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card.setWordWrap(True)
        self.card.setTextFormat(Qt.TextFormat.PlainText)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.video)
        self.stack.addWidget(self.card)
        self.controls = PlayerControls(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.controls)

    def show_video(self) -> None:
        self.video.show_frames()
        self.stack.setCurrentWidget(self.video)

    def show_card(self, text: str) -> None:
        self.card.setText(text)
        self.stack.setCurrentWidget(self.card)
