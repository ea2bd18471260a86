"""The find bar under the transcript: query, match count, next and previous, Esc to close."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    query_changed = Signal(str)
    step_requested = Signal(int)
    closed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("findBar")
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in transcript")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.query_changed)
        self.edit.installEventFilter(self)
        self.count = QLabel("", self)
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("999 of 999"))
        self.prev_button = QToolButton(self)
        self.prev_button.setText("↑")
        self.prev_button.setToolTip("Previous match (Shift+Enter)")
        self.prev_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button = QToolButton(self)
        self.next_button.setText("↓")
        self.next_button.setToolTip("Next match (Enter)")
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.next_button)
        layout.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        if self.edit.text():
            self.query_changed.emit(self.edit.text())

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def show_count(self, index: int, total: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{index + 1} of {total}")

    def eventFilter(self, obj, event) -> bool:
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.step_requested.emit(-1 if back else 1)
                return True
        return super().eventFilter(obj, event)
