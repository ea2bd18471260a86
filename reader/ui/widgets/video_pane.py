"""The left pane: the video (or a card for audio-only and transcript-only reading) with captions, above its controls."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from reader.ui.widgets.captions import Captions
from reader.ui.widgets.controls import PlayerControls
from reader.ui.widgets.video_surface import VideoSurface


class VideoPane(QWidget):
    action_requested = Signal(str)  # a button on the card: "download", "play" (an entry whose video is not here yet)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("videoPane")
        self.video = VideoSurface(self)
        self.card_box = QWidget(self)
        self.card_box.setObjectName("mediaCard")
        self.card_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.card = QLabel(self.card_box)
        self.card.setObjectName("mediaCard")
        self.card.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card.setWordWrap(True)
        self.card.setTextFormat(Qt.TextFormat.PlainText)
        self.card_buttons: dict[str, QPushButton] = {}
        self._button_row = QHBoxLayout()
        self._button_row.addStretch(1)
        self._button_row.addStretch(1)
        card_layout = QVBoxLayout(self.card_box)
        card_layout.setContentsMargins(16, 16, 16, 16)
        card_layout.addStretch(1)
        card_layout.addWidget(self.card)
        card_layout.addLayout(self._button_row)
        card_layout.addStretch(1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.video)
        self.stack.addWidget(self.card_box)
        self.controls = PlayerControls(self)
        self.captions = Captions(self)  # over the stack, wherever the picture is (see place_captions)
        self.captions.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.controls)
        self.video.picture_moved.connect(self.place_captions)
        self.stack.currentChanged.connect(self.place_captions)

    def show_video(self) -> None:
        self.video.show_frames()
        self.stack.setCurrentWidget(self.video)

    def show_card(self, text: str, actions: tuple[tuple[str, str], ...] = ()) -> None:
        """A card instead of the picture, with buttons (action, label) under its text that ask for the action."""
        self.card.setText(text)
        for button in self.card_buttons.values():
            self._button_row.removeWidget(button)
            button.hide()  # gone at once, not when its deletion comes round (it would show over the new card meanwhile)
            button.deleteLater()
        self.card_buttons = {}
        for i, (action, label) in enumerate(actions):
            button = QPushButton(label, self.card_box)
            button.clicked.connect(lambda _checked=False, a=action: self.action_requested.emit(a))
            self._button_row.insertWidget(1 + i, button)
            self.card_buttons[action] = button
        self.stack.setCurrentWidget(self.card_box)

    def picture_rect(self) -> QRect:
        """Where the picture is in this pane (the whole of the stack when a card shows)."""
        area = self.stack.geometry()
        if self.stack.currentWidget() is not self.video:
            return area
        return self.video.picture_rect().translated(self.video.mapTo(self, QPoint(0, 0)))

    def place_captions(self) -> None:
        """Captions span the stack's width and end at the picture's bottom, their type sized to the picture."""
        area, picture = self.stack.geometry(), self.picture_rect()
        self.captions.setGeometry(QRect(area.left(), area.top(), area.width(), picture.bottom() - area.top() + 1))
        self.captions.set_basis(picture.height() if self.stack.currentWidget() is self.video else min(area.height(), 360))
        self.captions.raise_()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_captions()
