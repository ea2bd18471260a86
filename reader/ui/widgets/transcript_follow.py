"""Following the spoken line: keeping it in view, pausing when the reader scrolls or selects, and the button back to it."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton


class TranscriptFollow:
    """Part of TranscriptView: `following` is whether the view keeps the current line in sight."""

    def _init_follow(self) -> None:
        self.following = True
        self._scroll_anim = QVariantAnimation(self)
        self._scroll_anim.setDuration(180)
        self._scroll_anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._scroll_anim.valueChanged.connect(lambda v: self.verticalScrollBar().setValue(int(v)))
        # Qt lays long documents out lazily, so a far line's position can shift while we glide to it:
        # look again when the glide ends.
        self._scroll_anim.finished.connect(lambda: self._current >= 0 and self.following and self._keep_in_view(self._current))
        self.verticalScrollBar().actionTriggered.connect(lambda _action: self.pause_follow())
        self.verticalScrollBar().valueChanged.connect(self._point_back_button)
        # A child of the view, not of its viewport: the viewport's children move when it scrolls.
        self.back_button = QPushButton("Back to current line", self)
        self.back_button.setObjectName("backToCurrent")
        self.back_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back_button.hide()
        self.back_button.clicked.connect(self.resume_follow)

    def _keep_in_view(self, index: int, force: bool = False) -> None:
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.setPosition(self._cue_pos[index])
        top = self.cursorRect(cursor).top()
        cursor.setPosition(self._cue_end[index])
        bottom = self.cursorRect(cursor).bottom()
        height = self.viewport().height()
        if not force and top >= height * 0.12 and bottom <= height * 0.72:
            return
        bar = self.verticalScrollBar()
        wanted = bar.value() + top - int(height * 0.3)
        if wanted > bar.maximum():
            # the scroll range grows as the lazy layout goes on: finish it first
            doc.documentLayout().blockBoundingRect(doc.lastBlock())
        target = max(bar.minimum(), min(bar.maximum(), wanted))
        if not self.isVisible() or abs(target - bar.value()) > height * 3:
            self._scroll_anim.stop()
            bar.setValue(target)  # far jumps are instant; animating them only blurs the text
            if force:
                QTimer.singleShot(0, lambda: self._current == index and self.following and self._keep_in_view(index))
            return
        self._scroll_anim.stop()
        self._scroll_anim.setStartValue(bar.value())
        self._scroll_anim.setEndValue(target)
        self._scroll_anim.start()

    def pause_follow(self) -> None:
        if self.following and self.timeline.cues:
            self.following = False
            self._scroll_anim.stop()
            self.show_back_button(self._current >= 0)  # nothing to go back to before playback starts
            self._point_back_button()
            self.follow_changed.emit(False)

    def resume_follow(self, scroll: bool = True) -> None:
        was = self.following
        self.following = True
        self.show_back_button(False)
        if scroll and self._current >= 0:
            self._keep_in_view(self._current, force=True)
        if not was:
            self.follow_changed.emit(True)

    def _point_back_button(self) -> None:
        """Say which way the current line is, while following is paused."""
        if self.following or self._current < 0:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._cue_pos[self._current])
        top = self.cursorRect(cursor).top()
        arrow = "↑ " if top < 0 else "↓ " if top > self.viewport().height() else ""
        text = arrow + "Back to current line"
        if text != self.back_button.text():
            self.back_button.setText(text)
            self._place_back_button()

    def show_back_button(self, visible: bool) -> None:
        """The pill, in a strip of its own under the text (so it never covers the last line's words)."""
        if visible != self.back_button.isVisibleTo(self):
            self.back_button.setVisible(visible)
            self._fit_column()  # the strip opens or closes
        self._place_back_button()

    def back_strip(self) -> int:
        """The height of the strip under the text that the pill sits in while it shows (0 when hidden)."""
        return self.back_button.sizeHint().height() + 12 if self.back_button.isVisibleTo(self) else 0

    def _place_back_button(self) -> None:
        self.back_button.adjustSize()
        vp = self.viewport().geometry()
        strip = self.back_strip()
        self.back_button.move(vp.x() + (vp.width() - self.back_button.width()) // 2,
                              vp.bottom() + 1 + max(0, strip - self.back_button.height()) // 2)
        self.back_button.raise_()
