"""A dismissable message strip at the top of the window, for errors and notices that need no dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QToolButton


class Banner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        self.bar = QProgressBar(self)  # how far a long job (a restore, an export) has got; hidden otherwise
        self.bar.setMaximumWidth(240)
        self.bar.setTextVisible(True)
        self.bar.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.level = ""
        self.hide()

    def show_message(self, text: str, level: str = "error") -> None:
        """Show a message; an error is not replaced by a later notice."""
        if self.isVisible() and self.level == "error" and level != "error":
            return
        self.level = level
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def show_progress(self, done: int, total: int) -> None:
        """Show how far a job has got beside its message; a total of 0 or less hides the bar."""
        if total <= 0:
            self.bar.hide()
            return
        scale = max(1, -(-total // 1_000_000))  # a QProgressBar counts in ints: byte counts are scaled down
        self.bar.setRange(0, total // scale)
        self.bar.setValue(min(done, total) // scale)
        self.bar.show()
