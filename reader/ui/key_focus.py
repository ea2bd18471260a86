"""Keys a focused box uses itself stay with it: Up and Down move in a text field, a list or a spin box, not to another line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

KEPT_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down}
_USERS = (QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit)


class KeepKeysInBoxes(QObject):
    """Installed on the application. Before Qt runs a window shortcut it asks the focused widget whether it
    wants the key (a ShortcutOverride); boxes that scroll or step with Up and Down say yes here. `except_for`
    is a widget whose Up and Down are the window's (the transcript: there they go to the next line)."""

    def __init__(self, except_for: type, parent=None):
        super().__init__(parent)
        self.except_for = except_for

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() in KEPT_KEYS
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
                and isinstance(obj, _USERS) and not isinstance(obj, self.except_for)
                and obj.window() is self.parent()):
            event.accept()
            return True
        return False
