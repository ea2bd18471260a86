"""Captions over the bottom of the picture: white text on translucent dark plates, wrapped to fit, sized to the picture."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import QWidget

PLATE = QColor(8, 8, 8, 190)  # dark enough under white text on a white frame, light enough to see the picture
TEXT = QColor(255, 255, 255)


class Captions(QWidget):
    """Drawn over whatever is beneath (the picture, or the audio-only card); clicks pass through it.
    Its parent sets its place: across the picture's width, its bottom at the picture's bottom, and
    `basis`, the picture's height, which sets the size of the type as on YouTube."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("captions")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.text = ""
        self.basis = 360

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.update()

    def set_basis(self, picture_height: int) -> None:
        if picture_height != self.basis:
            self.basis = picture_height
            self.update()

    def caption_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(12, min(44, round(self.basis / 17))))
        font.setWeight(QFont.Weight.Medium)
        return font

    def lines(self) -> list[tuple[QRectF, QTextLayout, int]]:
        """Each line's plate (in this widget), and the layout and line number to draw in it; bottom-aligned,
        centred, wrapped at words (or anywhere, for a word wider than the picture)."""
        if not self.text or self.width() <= 0:
            return []
        font = self.caption_font()
        pad_x, pad_y = round(font.pixelSize() * 0.4), round(font.pixelSize() * 0.12)
        margin = max(4, round(self.width() * 0.04))
        room = max(1.0, self.width() - 2 * margin - 2 * pad_x)
        option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        placed = []
        for paragraph in self.text.split("\n"):
            layout = QTextLayout(paragraph, font)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(room)
                placed.append((layout, line))
            layout.endLayout()
        bottom = self.height() - max(4, round(self.basis * 0.05))
        height = placed[0][1].height() + 2 * pad_y if placed else 0
        top = bottom - height * len(placed)
        plates = []
        for i, (layout, line) in enumerate(placed):
            width = line.naturalTextWidth() + 2 * pad_x
            plate = QRectF((self.width() - width) / 2, top + i * height, width, height)
            plates.append((plate, layout, line.lineNumber()))
        return plates

    def paintEvent(self, event) -> None:
        plates = self.lines()
        if not plates:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for plate, _layout, _n in plates:
            painter.fillRect(plate, PLATE)
        painter.setPen(TEXT)
        for plate, layout, n in plates:
            line = layout.lineAt(n)
            # the line is laid out centred in its room: move it so its own text sits in its plate
            offset = QPointF(plate.x() + (plate.width() - line.naturalTextWidth()) / 2 - line.naturalTextRect().x(),
                             plate.y() + (plate.height() - line.height()) / 2 - line.y())
            line.draw(painter, offset)
