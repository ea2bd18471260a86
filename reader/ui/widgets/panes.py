"""The panes side by side (video, transcript, notes): shown as a layout asks, reporting the widths the reader drags."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QWidget

# which panes each layout shows: video, transcript, side
SHOWN = {"normal": (True, True, True), "theatre": (True, False, False), "reading": (False, True, True)}
FULL_SCREEN = (True, False, False)


class Panes(QSplitter):
    widths_changed = Signal(list, list)  # the panes' widths after a drag, and which were shown

    def __init__(self, panes: list[tuple[QWidget, int]], parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("mainSplitter")
        for i, (pane, stretch) in enumerate(panes):
            self.addWidget(pane)
            self.setStretchFactor(i, stretch)
        self.setChildrenCollapsible(False)
        self.splitterMoved.connect(lambda _pos, _index: self.widths_changed.emit(self.sizes(), self.shown()))

    def show_layout(self, mode: str, full_screen: bool = False) -> None:
        for i, visible in enumerate(FULL_SCREEN if full_screen else SHOWN.get(mode, SHOWN["normal"])):
            self.widget(i).setVisible(visible)

    def shown(self) -> list[bool]:
        return [not self.widget(i).isHidden() for i in range(self.count())]

    def set_widths(self, widths) -> None:
        """Widths for all panes as they are when every one shows (a hidden pane keeps its share for later)."""
        if len(widths) == self.count() and any(widths):
            self.setSizes(list(widths))
