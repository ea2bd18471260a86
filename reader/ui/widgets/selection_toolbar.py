"""The small toolbar beside selected words: the four highlight colours, Note, Card, Explain and Ask, each with its key."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton

from reader.base.colours import COLOURS, DEFAULT_COLOUR
from reader.ui.shortcuts import SHORTCUTS

GAP = 6  # px between the toolbar and the words it is for


def _key(name: str) -> str:
    keys = SHORTCUTS[name].keys
    return f" ({keys[0]})" if keys else ""


def _swatch(rgb: tuple[int, int, int]) -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 90))
    painter.setBrush(QColor(*rgb))
    painter.drawEllipse(1, 1, 14, 14)
    painter.end()
    return QIcon(pixmap)


class SelectionToolbar(QFrame):
    """Passive: it asks, with the same requests the keys make. Its buttons never take the focus, so the
    selection stays where it is while one is clicked."""

    highlight_requested = Signal(str)  # colour
    note_requested = Signal()
    explain_requested = Signal()
    ask_requested = Signal()
    card_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("selectionToolbar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setCursor(Qt.CursorShape.ArrowCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(1)
        self.buttons: dict[str, QToolButton] = {}
        for c in COLOURS.values():
            key = _key("highlight") if c.name == DEFAULT_COLOUR else ""
            self._button(c.name, "", f"Highlight in {c.label.lower()}{key}", lambda _=False, n=c.name: self.highlight_requested.emit(n),
                         _swatch(c.light))
        for name, label, tip, signal in (("note", "Note", "Add a note", self.note_requested),
                                         ("make_card", "Card", "Make a card from it", self.card_requested),
                                         ("explain", "Explain", "Have Claude explain it", self.explain_requested),
                                         ("ask", "Ask…", "Ask Claude about it", self.ask_requested)):
            self._button(name, label, tip + _key(name), signal.emit)
        self.hide()

    def _button(self, name: str, text: str, tip: str, slot, icon: QIcon | None = None) -> None:
        button = QToolButton(self)
        button.setObjectName(f"selection_{name}")
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        if icon is not None:
            button.setIcon(icon)
        else:
            button.setText(text)
        button.clicked.connect(slot)
        self.layout().addWidget(button)
        self.buttons[name] = button

    def place(self, words: list[QRect], area: QRect) -> bool:
        """Show the toolbar above the first line of `words` (boxes in the parent's coordinates, one per
        line), else below the last, inside `area` and never over the words; hidden when neither fits.
        Returns whether it is shown."""
        self.adjustSize()
        size = self.sizeHint()
        if not words:
            self.hide()
            return False
        first, last = words[0], words[-1]
        spots = (QPoint(first.center().x() - size.width() // 2, first.top() - GAP - size.height()),
                 QPoint(last.center().x() - size.width() // 2, last.bottom() + GAP))
        for spot in spots:
            x = max(area.left(), min(spot.x(), area.right() - size.width()))
            box = QRect(QPoint(x, spot.y()), size)
            if area.contains(box) and not any(box.intersects(w) for w in words):
                self.setGeometry(box)
                self.show()
                self.raise_()
                return True
        self.hide()
        return False
