"""A failed answer's problem where the answer would be, in the window banner's style, with what to do about it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QPushButton, QVBoxLayout



class ProblemBanner(QFrame):
    """Shows a questions.Problem: its sentence, and a button for its action: Open Preferences for a key
    or model problem (and Retry once Preferences has been opened: before, it would only fail again), Retry
    for a dropped connection or a server error, or, for
    a rate limit, the seconds left before it is retried by itself, with Cancel. Passive: the buttons ask."""

    preferences_requested = Signal()
    retry_requested = Signal()
    cancel_wait_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")  # the window banner's colours, light and dark (ui/appearance.py)
        self.label = QLabel(self)
        self.label.setObjectName("problemText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preferences_button = QPushButton("Open Preferences", self)
        self.preferences_button.clicked.connect(self._open_preferences)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.clicked.connect(self._retry)
        self._preferences_opened = False  # since the last retry: a key or model may have been put right
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Do not try again by itself")
        self.cancel_button.clicked.connect(self.cancel_wait_requested)
        self.buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.preferences_button, self.retry_button, self.cancel_button):
            self.buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addLayout(self.buttons)
        self.hide()

    def show_problem(self, problem) -> None:
        """Show a problem (questions.Problem), or hide for None."""
        if problem is None:
            self.hide()
            return
        level = problem.level
        if self.property("level") != level:
            self.setProperty("level", level)
            self.style().unpolish(self)
            self.style().polish(self)
        self.label.setText(problem.message)
        self.preferences_button.setVisible(problem.action == "preferences")
        self.retry_button.setVisible(problem.action == "retry" or problem.action == "preferences" and self._preferences_opened)
        self.cancel_button.setVisible(problem.action == "wait")
        self.show()
        self._arrange(self.width())

    def _open_preferences(self) -> None:
        self.preferences_requested.emit()  # (the dialog is modal: it has been closed when this returns)
        self._preferences_opened = True
        if self.isVisible() and not self.preferences_button.isHidden():
            self.retry_button.show()
            self._arrange(self.width())

    def _retry(self) -> None:
        self._preferences_opened = False
        self.retry_requested.emit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override): as narrow as one button; the others go under it
        hint = super().minimumSizeHint()
        m = self.layout().contentsMargins()
        widest = max((b.minimumSizeHint().width() for b in self._shown()), default=0)
        height = hint.height()
        if self.width() > 0 and self.layout().hasHeightForWidth():  # all its lines at the width it has
            height = max(height, self.layout().heightForWidth(self.width()))
        return QSize(widest + m.left() + m.right(), height)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _shown(self) -> list[QPushButton]:
        return [b for b in (self.preferences_button, self.retry_button, self.cancel_button) if not b.isHidden()]

    def _arrange(self, width: int) -> None:
        """The buttons side by side where they fit, else one under the other."""
        m = self.layout().contentsMargins()
        shown = self._shown()
        row = sum(b.sizeHint().width() for b in shown) + self.buttons.spacing() * max(0, len(shown) - 1)
        direction = QBoxLayout.Direction.LeftToRight if row <= width - m.left() - m.right() else QBoxLayout.Direction.TopToBottom
        if self.buttons.direction() != direction:
            self.buttons.setDirection(direction)
        self.updateGeometry()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
