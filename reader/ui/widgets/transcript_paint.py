"""What is drawn over the transcript's words: highlights as fills, the current line as a bar and an underline, a fading outline round cited lines."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QRectF, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from reader.base.colours import colour, marks as theme_marks
from reader.ui.widgets.transcript_document import word_span

FLASH_HOLD_MS = 500  # the outline stays whole this long, then fades
FLASH_MS = 2000  # and is gone after this long
BAR_X, BAR_WIDTH = 6, 3  # the current line's bar, in the document's left margin


def qcolor(rgb, alpha: int = 255) -> QColor:
    return QColor(rgb[0], rgb[1], rgb[2], alpha)


class TranscriptPaint:
    """Part of TranscriptView: the marks over its text. Colours come from reader/base/colours.py, by theme."""

    def _init_paint(self) -> None:
        self._marks: list[tuple[int, int, str]] = []  # the user's highlights: start, end, colour
        self._mark_rows: list[dict] = []
        self._flash: tuple[int, int] | None = None  # the first and last cue a citation points at
        self._flash_opacity = 0.0
        self._flash_anim = QVariantAnimation(self)
        self._flash_anim.setDuration(FLASH_MS)
        self._flash_anim.setStartValue(1.0)
        self._flash_anim.setKeyValueAt(FLASH_HOLD_MS / FLASH_MS, 1.0)
        self._flash_anim.setEndValue(0.0)
        self._flash_anim.setEasingCurve(QEasingCurve.Type.Linear)
        self._flash_anim.valueChanged.connect(self._on_flash_faded)
        self._flash_anim.finished.connect(self._end_flash)

    def dark_theme(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    # -- extra selections: fills and underlines, which Qt draws with the text ----------------------------
    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def _refresh_selections(self) -> None:
        dark = self.dark_theme()
        theme = theme_marks(dark)
        selections = []
        for start, end, name in self._marks:
            mark_fmt = QTextCharFormat()
            mark_fmt.setBackground(qcolor(colour(name).fill(dark)))
            selections.append(self._selection(start, end, mark_fmt))
        if self._matches:
            match_fmt = QTextCharFormat()
            match_fmt.setBackground(qcolor(theme.match))
            current_fmt = QTextCharFormat()
            current_fmt.setBackground(qcolor(theme.current_match))
            for i, (s, e) in enumerate(self._matches):
                selections.append(self._selection(s, e, current_fmt if i == self._match_index else match_fmt))
        if self._current >= 0:
            line_fmt = QTextCharFormat()  # an underline, not a fill: it shows through any highlight
            line_fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            line_fmt.setUnderlineColor(qcolor(theme.current))
            start, end = self._cue_pos[self._current], self._cue_end[self._current]
            selections.append(self._selection(start, end, line_fmt))
            span = word_span(self.timeline.cues[self._current], self._word, self._astral)
            if span:
                word_fmt = QTextCharFormat()
                word_fmt.setForeground(qcolor(theme.current))
                selections.append(self._selection(start + span[0], start + span[1], word_fmt))
        self.setExtraSelections(selections)
        self.viewport().update()  # the bar and the outline are drawn over the text, after it

    # -- drawn after the text: the current line's bar and the citation's outline ---------------------------
    def span_rects(self, start: int, end: int) -> list[QRectF]:
        """The boxes of a stretch of text, one per visual line, in viewport coordinates; lines Qt has not
        laid out yet (far off screen) are left out."""
        doc = self.document()
        doc_layout = doc.documentLayout()
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        rects: list[QRectF] = []
        block = doc.findBlock(start)
        while block.isValid() and block.position() < end:
            layout = block.layout()
            origin = doc_layout.blockBoundingRect(block).topLeft()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                first = block.position() + line.textStart()
                last = first + line.textLength()
                a, b = max(start, first), min(end, last)
                if a >= b:
                    continue
                x1 = line.cursorToX(a - block.position())[0]
                x2 = line.cursorToX(b - block.position())[0]
                rects.append(QRectF(origin.x() + x1 - dx, origin.y() + line.y() - dy, x2 - x1, line.height()))
            block = block.next()
        return rects

    def _paint_marks(self) -> None:
        theme = theme_marks(self.dark_theme())
        painter = None
        if self._current >= 0:
            rects = self.span_rects(self._cue_pos[self._current], self._cue_end[self._current])
            if rects:
                painter = QPainter(self.viewport())
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                top, bottom = rects[0].top() + 1, rects[-1].bottom() - 1
                bar = QRectF(BAR_X - self.horizontalScrollBar().value(), top, BAR_WIDTH, bottom - top)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(qcolor(theme.current))
                painter.drawRoundedRect(bar, BAR_WIDTH / 2, BAR_WIDTH / 2)
        if self._flash is not None and self._flash_opacity > 0:
            rects = self.span_rects(self._cue_pos[self._flash[0]], self._cue_end[self._flash[1]])
            if rects:
                painter = painter or QPainter(self.viewport())
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(qcolor(theme.flash, round(255 * self._flash_opacity)), 2))
                painter.drawPath(_outline(rects))
        if painter is not None:
            painter.end()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self._paint_marks()

    # -- the citation flash ---------------------------------------------------------------------------
    def flash_range(self, start_ms: int, end_ms: int) -> None:
        """Outline the lines spoken between two times (what a link points at), fading out over FLASH_MS."""
        if not self._cue_pos:
            return
        first = max(0, self.timeline.cue_at(start_ms))
        last = max(first, self.timeline.cue_at(max(start_ms, end_ms - 1)))
        self._flash = (first, last)
        self._flash_anim.stop()
        self._flash_opacity = 1.0
        self._flash_anim.start()
        self.viewport().update()

    def flashed(self) -> tuple[tuple[int, int], float] | None:
        """The lines outlined now (first and last cue) and how strongly (1 whole, 0 gone); None when none are."""
        return (self._flash, self._flash_opacity) if self._flash is not None else None

    def _on_flash_faded(self, value) -> None:
        self._flash_opacity = float(value)
        self.viewport().update()

    def _end_flash(self) -> None:
        self._flash, self._flash_opacity = None, 0.0
        self.viewport().update()

    # -- the reader's highlights ------------------------------------------------------------------------
    def set_marks(self, rows: list[dict]) -> None:
        """Show the user's highlights; a highlight whose lines have changed is placed by its times."""
        self._mark_rows = rows
        marks: list[tuple[int, int, str]] = []
        n = len(self._cue_pos)
        if not n:
            rows = []
        for row in rows:
            if row.get("anchor_lost_at"):
                continue  # its words are not in this transcript: drawn nowhere rather than somewhere wrong
            first, last = row["start_cue"], row["end_cue"]
            cues = self.timeline.cues
            if not (0 <= first <= last < n) or cues[first].start_ms != row["start_ms"]:
                first = max(0, self.timeline.cue_at(row["start_ms"]))
                last = max(first, self.timeline.cue_at(max(row["start_ms"], row["end_ms"] - 1)))
                start, end = self._cue_pos[first], self._cue_end[last]
            else:
                start = min(self._cue_pos[first] + row["start_offset"], self._cue_end[first])
                end = min(self._cue_pos[last] + row["end_offset"], self._cue_end[last])
            # one mark per run of lines, so times and speaker names between paragraphs stay unmarked
            run_start = start
            for i in range(first, last):
                if self._cue_pos[i + 1] - self._cue_end[i] > 1:
                    marks.append((run_start, self._cue_end[i], row["color"]))
                    run_start = self._cue_pos[i + 1]
            if end > run_start:
                marks.append((run_start, end, row["color"]))
        self._marks = marks
        self._refresh_selections()


def _outline(rects: list[QRectF]) -> QPainterPath:
    """One rounded outline round boxes stacked line under line: each box grown to meet the next."""
    boxes = [QRectF(r).adjusted(-4, -2, 4, 2) for r in rects]
    for above, below in zip(boxes, boxes[1:]):
        gap = below.top() - above.bottom()
        if 0 < gap < 24:
            middle = above.bottom() + gap / 2
            above.setBottom(middle)
            below.setTop(middle)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for box in boxes:
        path.addRoundedRect(box, 4, 4)
    return path.simplified()
