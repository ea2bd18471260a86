"""The transcript as readable paragraphs: the current line lit and followed, a time on every line, click to seek, size and width."""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QToolTip

from reader.transcript.model import Transcript
from reader.transcript.paragraphs import Paragraph, group
from reader.transcript.timeline import Timeline
from reader.transcript.writers import short_clock
from reader.ui.widgets.transcript_document import Layout, apply_formats, lay_out
from reader.ui.widgets.transcript_find import TranscriptFind
from reader.ui.widgets.transcript_follow import TranscriptFollow
from reader.ui.widgets.transcript_paint import TranscriptPaint
from reader.ui.widgets.transcript_selection import TranscriptSelection

# The text's column: long lines are hard to read, so it keeps to a centred column this wide at the normal
# text size (it grows with the text, so a line holds the same words at any size), or takes the whole width.
LINE_WIDTHS = {"narrow": 560, "medium": 760, "full": None}
LINE_WIDTH_LABELS = {"narrow": "Narrow", "medium": "Medium", "full": "Full Width"}
TEXT_SIZES = (60, 70, 80, 90, 100, 110, 120, 135, 150, 175, 200, 250, 300)  # percent of the normal size
NORMAL_TEXT = 100
_NAV_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}  # Up and Down are the line keys


class TranscriptView(TranscriptPaint, TranscriptFollow, TranscriptSelection, TranscriptFind, QTextEdit):
    """Read-only; it asks (the *_requested signals) and the window acts. Its parts are mixed in from the
    transcript_* modules beside it: what is drawn, following, selecting and find."""

    seek_requested = Signal(int)
    follow_changed = Signal(bool)
    cue_changed = Signal(int)
    highlight_requested = Signal(str)  # colour
    note_requested = Signal()
    explain_requested = Signal()
    ask_requested = Signal()
    card_requested = Signal()  # a card from the selected words
    retranscribe_requested = Signal()  # the selection (or, with none, the chapter) with another model
    line_width_changed = Signal(str)  # a key of LINE_WIDTHS

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setUndoRedoEnabled(False)
        self.setMouseTracking(True)
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        self._normal_point_size = self.font().pointSizeF() * 1.15
        self._text_size = NORMAL_TEXT
        self._line_width = "medium"
        self._set_layout(Layout())
        font = self.font()
        font.setPointSizeF(self._normal_point_size)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.timeline = Timeline([])
        self.paragraphs: list[Paragraph] = []
        self.offset_ms = 0
        self.last_position = 0
        self._current = -1
        self._word = -1
        self._wheel_zoom = 0  # Ctrl+wheel turns not yet a whole step
        self._init_paint()
        self._init_find()
        self._init_follow()
        self._init_selection()

    # -- building ------------------------------------------------------------------------
    def set_transcript(self, transcript: Transcript) -> None:
        self.timeline = Timeline(transcript.cues, transcript.chapters)
        self.paragraphs = group(transcript.cues, transcript.chapters)
        self._mark_rows, self._marks = [], []
        self._current = self._word = -1
        self._matches, self._match_index, self._flash = [], -1, None
        self._build()
        self.resume_follow(scroll=False)
        self.verticalScrollBar().setValue(0)

    def grow_transcript(self, transcript: Transcript) -> None:
        """The same transcript with lines added (a transcription going on): built again with the scroll
        position, following, highlights and selection as they were."""
        bar = self.verticalScrollBar().value()
        cursor = self.textCursor()
        selected = (cursor.anchor(), cursor.position()) if cursor.hasSelection() else None
        self.timeline = Timeline(transcript.cues, transcript.chapters)
        self.paragraphs = group(transcript.cues, transcript.chapters)
        self._current = self._word = -1
        self._build()
        if selected is not None:
            cursor = QTextCursor(self.document())
            end = self.document().characterCount() - 1
            cursor.setPosition(min(selected[0], end))
            cursor.setPosition(min(selected[1], end), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
        self.verticalScrollBar().setValue(bar)
        self.set_position(self.last_position)

    def _set_layout(self, layout: Layout) -> None:
        self._layout = layout
        self._text, self._cue_pos, self._cue_end, self._stamps, self._astral = (
            layout.text, layout.cue_pos, layout.cue_end, layout.stamps, layout.astral)

    def _build(self) -> None:
        self._set_layout(lay_out(self.paragraphs, self.timeline.cues, self.offset_ms))
        self.setCurrentCharFormat(QTextCharFormat())  # the cursor's format (a clicked time's) is not the text's
        self.setPlainText(self._text)
        self._format()
        if self._mark_rows:
            self.set_marks(self._mark_rows)  # positions move when the text is rebuilt

    def _format(self) -> None:
        apply_formats(self.document(), self._layout, self.font(), self.palette().color(QPalette.ColorRole.Link))

    def _rebuild_keeping_place(self, top: int | None = None) -> None:
        """Build the text again (new colours or sizes) with the words that were at the top (or `top`) still there."""
        if top is None:
            top = self.cursorForPosition(QPoint(0, 0)).position()
        self._build()
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.setPosition(min(top, doc.characterCount() - 1))
        doc.documentLayout().blockBoundingRect(cursor.block())  # Qt lays out lazily: up to there, so the range is known
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top())
        self._refresh_selections()

    # -- following the player -------------------------------------------------------------
    def set_offset(self, offset_ms: int) -> None:
        """Shift the transcript against the media: positive means the lines are shown later."""
        if offset_ms == self.offset_ms:
            return
        self.offset_ms = offset_ms
        # Paragraph times shown in the text move with the offset.
        bar = self.verticalScrollBar().value()
        self._build()
        self.verticalScrollBar().setValue(bar)
        self._current = -1

    def set_position(self, media_ms: int) -> None:
        """Light the cue (and word) spoken at this media time; cheap when nothing changes."""
        self.last_position = media_ms
        ms = media_ms - self.offset_ms
        index = self.timeline.cue_at(ms)
        word = self.timeline.word_at(index, ms) if index >= 0 else -1
        if index == self._current and word == self._word:
            return
        moved = index != self._current
        self._current, self._word = index, word
        if not self.following and index >= 0 and not self.back_button.isVisible():
            self.show_back_button(True)
        self._refresh_selections()
        if moved:
            self.cue_changed.emit(index)
            if self.following and index >= 0:
                self._keep_in_view(index)

    def current_cue(self) -> int:
        return self._current

    def cue_range(self, index: int) -> tuple[int, int]:
        return self._cue_pos[index], self._cue_end[index]

    def cue_at_position(self, pos: int) -> int:
        i = bisect_right(self._cue_pos, pos) - 1
        return i if i >= 0 and pos <= self._cue_end[i] else -1

    # -- text size and line width --------------------------------------------------------------
    def text_size(self) -> int:
        return self._text_size

    def set_text_size(self, percent: int) -> None:
        """The text at this percentage of the normal size (kept within TEXT_SIZES' range)."""
        percent = max(TEXT_SIZES[0], min(TEXT_SIZES[-1], int(percent)))
        if percent == self._text_size:
            return
        self._text_size = percent
        top = self.cursorForPosition(QPoint(0, 0)).position()
        font = self.font()
        font.setPointSizeF(self._normal_point_size * percent / 100)
        self.setFont(font)
        if self._text:
            self._rebuild_keeping_place(top)  # the times and headings are sized from the font
        self._fit_column()

    def step_text_size(self, step: int) -> None:
        """One size larger (step 1) or smaller (-1); 0 goes back to the normal size."""
        if step == 0:
            self.set_text_size(NORMAL_TEXT)
            return
        here = self._text_size
        sizes = [s for s in TEXT_SIZES if (s > here if step > 0 else s < here)]
        if sizes:
            self.set_text_size(sizes[0] if step > 0 else sizes[-1])

    def line_width(self) -> str:
        return self._line_width

    def set_line_width(self, name: str) -> None:
        if name not in LINE_WIDTHS or name == self._line_width:
            return
        self._line_width = name
        self._fit_column()
        self.line_width_changed.emit(name)

    def _fit_column(self) -> None:
        width = LINE_WIDTHS[self._line_width]
        spare = 0
        if width is not None:
            bar = self.verticalScrollBar()
            room = self.contentsRect().width() - (bar.width() if bar.isVisibleTo(self) else 0)
            spare = max(0, room - round(width * self._text_size / 100))
        self.setViewportMargins(spare // 2, 0, spare // 2, self.back_strip())
        self._place_back_button()
        self._place_toolbar()

    # -- mouse and keys -------------------------------------------------------------------------
    def _stamp_at(self, point: QPoint) -> int | None:
        pos = self.cursorForPosition(point).position()
        i = bisect_right(self._stamps, (pos, 1 << 62, 0)) - 1
        if i >= 0 and self._stamps[i][0] <= pos <= self._stamps[i][1]:
            return self._stamps[i][2]
        return None

    def cue_at_point(self, point: QPoint) -> int:
        """The line whose words are under a viewport point, or -1 (between lines, in the margins)."""
        index = self.cue_at_position(self.cursorForPosition(point).position())
        if index < 0:
            return -1
        start, end = self.cue_range(index)
        return index if any(r.adjusted(-2, 0, 2, 0).contains(point) for r in self.span_rects(start, end)) else -1

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.cue_at_point(event.pos())
            if index >= 0:  # each line says when it is spoken
                QToolTip.showText(event.globalPos(), short_clock(self.timeline.cues[index].start_ms + self.offset_ms), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event) -> None:
        self._dragging = event.button() == Qt.MouseButton.LeftButton
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        over = self._stamp_at(event.position().toPoint()) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._dragging = False
        if self.textCursor().hasSelection():
            self.snap_selection()
            self._place_toolbar()
            return
        ms = self._stamp_at(event.position().toPoint())
        if ms is not None:
            self.seek_requested.emit(ms + self.offset_ms)

    def mouseDoubleClickEvent(self, event) -> None:
        pos = self.cursorForPosition(event.position().toPoint()).position()
        index = self.cue_at_position(pos)
        if index >= 0:
            self.clear_selection()
            self.seek_requested.emit(self.timeline.cues[index].start_ms + self.offset_ms)
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # Ctrl+wheel: the text size, as View ▸ Larger/Smaller
            self._wheel_zoom += event.angleDelta().y()
            while abs(self._wheel_zoom) >= 120:
                step = 1 if self._wheel_zoom > 0 else -1
                self._wheel_zoom -= 120 * step
                self.step_text_size(step)
            event.accept()
            return
        self.pause_follow()
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.textCursor().hasSelection():
            self.clear_selection()
            return
        if event.key() in _NAV_KEYS:
            self.pause_follow()
        super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._text:
            self._rebuild_keeping_place()  # the times' colour comes from the palette (light or dark)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_column()
