"""The transcript as readable paragraphs: current line lit and followed, click a time to seek, find."""

from __future__ import annotations

import re

from PySide6.QtCore import QEasingCurve, QPoint, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPushButton, QTextEdit

from ...colours import COLOURS, colour
from ...transcript.model import Transcript
from ...transcript.paragraphs import Paragraph, group
from ...transcript.timeline import Timeline
from ...transcript.writers import short_clock

COLUMN_WIDTH = 760  # px; long lines are hard to read, so the text keeps to a centred column
_NAV_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End}


def _u16(text: str) -> int:
    """Length in UTF-16 units, which is how QTextDocument counts positions."""
    return len(text.encode("utf-16-le")) // 2


def _py_index(text: str, u16: int) -> int:
    """The Python index of a UTF-16 offset into text."""
    if text.isascii():
        return u16
    count = 0
    for i, ch in enumerate(text):
        if count >= u16:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)




class TranscriptView(QTextEdit):
    seek_requested = Signal(int)
    follow_changed = Signal(bool)
    cue_changed = Signal(int)
    highlight_requested = Signal(str)  # colour
    note_requested = Signal()
    explain_requested = Signal()
    ask_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setUndoRedoEnabled(False)
        self.setMouseTracking(True)
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.timeline = Timeline([])
        self.paragraphs: list[Paragraph] = []
        self.offset_ms = 0
        self.last_position = 0
        self.following = True
        self._current = -1
        self._word = -1
        self._text = ""
        self._cue_pos: list[int] = []  # document position where each cue's text starts
        self._cue_end: list[int] = []
        self._stamps: list[tuple[int, int, int]] = []  # (start pos, end pos, ms) of paragraph times
        self._matches: list[tuple[int, int]] = []
        self._match_index = -1
        self._flash: tuple[int, int] | None = None
        self._marks: list[tuple[int, int, str]] = []  # the user's highlights: start, end, colour
        self._mark_rows: list[dict] = []
        self._astral = False
        self._scroll_anim = QVariantAnimation(self)
        self._scroll_anim.setDuration(180)
        self._scroll_anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._scroll_anim.valueChanged.connect(lambda v: self.verticalScrollBar().setValue(int(v)))
        # Qt lays long documents out lazily, so a far line's position can shift while we glide to it:
        # look again when the glide ends.
        self._scroll_anim.finished.connect(lambda: self._current >= 0 and self.following and self._keep_in_view(self._current))
        self.verticalScrollBar().actionTriggered.connect(lambda _action: self.pause_follow())
        self.verticalScrollBar().valueChanged.connect(self._point_back_button)
        self.selectionChanged.connect(self._on_selection_changed)
        # A child of the view, not of its viewport: the viewport's children move when it scrolls.
        self.back_button = QPushButton("Back to current line", self)
        self.back_button.setObjectName("backToCurrent")
        self.back_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back_button.hide()
        self.back_button.clicked.connect(self.resume_follow)

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

    def _build(self) -> None:
        cues = self.timeline.cues
        pieces: list[str] = []
        cue_pos: list[int] = []
        cue_end: list[int] = []
        stamps: list[tuple[int, int, int]] = []
        headings: list[tuple[int, int]] = []
        speakers: list[tuple[int, int]] = []
        pos = 0
        astral = any(ord(ch) > 0xFFFF for c in cues for ch in c.text) if cues else False
        measure = _u16 if astral else len
        last_speaker = None
        for para in self.paragraphs:
            if para.chapter is not None:
                title = para.chapter.title.replace("\n", " ")
                headings.append((pos, measure(title)))
                pieces.append(title + "\n")
                pos += measure(title) + 1
            if para.speaker and para.speaker != last_speaker:
                speakers.append((pos, measure(para.speaker)))
                pieces.append(para.speaker + "\n")
                pos += measure(para.speaker) + 1
            last_speaker = para.speaker
            stamp = short_clock(para.start_ms + self.offset_ms)
            stamps.append((pos, pos + len(stamp), para.start_ms))
            line = [stamp, "\u2002 "]
            pos += len(stamp) + 2
            for i in range(para.first, para.last + 1):
                text = cues[i].text.replace("\n", " ")
                cue_pos.append(pos)
                pos += measure(text)
                cue_end.append(pos)
                line.append(text)
                if i < para.last:
                    line.append(" ")
                    pos += 1
            pieces.append("".join(line) + "\n")
            pos += 1
        self._text = "".join(pieces).rstrip("\n")
        self._cue_pos, self._cue_end, self._stamps, self._astral = cue_pos, cue_end, stamps, astral
        self.setPlainText(self._text)
        self._format(stamps, headings, speakers)
        if self._mark_rows:
            self.set_marks(self._mark_rows)  # positions move when the text is rebuilt

    def _format(self, stamps, headings, speakers) -> None:
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        block = QTextBlockFormat()
        block.setBottomMargin(10)
        block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(block)
        stamp_fmt = QTextCharFormat()
        stamp_fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.82)
        stamp_fmt.setFont(small, QTextCharFormat.FontPropertiesInheritanceBehavior.FontPropertiesSpecifiedOnly)
        for start, end, _ms in stamps:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(stamp_fmt)
        speaker_fmt = QTextCharFormat()
        speaker_fmt.setFontWeight(QFont.Weight.Bold)
        heading_fmt = QTextCharFormat()
        heading_fmt.setFontWeight(QFont.Weight.DemiBold)
        heading_fmt.setFontPointSize(self.font().pointSizeF() * 1.3)
        for spans, char_fmt, top, bottom in ((speakers, speaker_fmt, 8, 2), (headings, heading_fmt, 18, 6)):
            block_fmt = QTextBlockFormat()
            block_fmt.setTopMargin(top)
            block_fmt.setBottomMargin(bottom)
            for start, length in spans:
                cursor.setPosition(start)
                cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(char_fmt)
                cursor.mergeBlockFormat(block_fmt)
        cursor.endEditBlock()

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
            self.back_button.show()
        self._refresh_selections()
        if moved:
            self.cue_changed.emit(index)
            if self.following and index >= 0:
                self._keep_in_view(index)

    def current_cue(self) -> int:
        return self._current

    def cue_range(self, index: int) -> tuple[int, int]:
        return self._cue_pos[index], self._cue_end[index]

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
            self._place_back_button()
            self.back_button.setVisible(self._current >= 0)  # nothing to go back to before playback starts
            self._point_back_button()
            self.follow_changed.emit(False)

    def resume_follow(self, scroll: bool = True) -> None:
        was = self.following
        self.following = True
        self.back_button.hide()
        if scroll and self._current >= 0:
            self._keep_in_view(self._current, force=True)
        if not was:
            self.follow_changed.emit(True)

    # -- selections drawn over the text ------------------------------------------------------
    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def _refresh_selections(self) -> None:
        selections = []
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        for start, end, color in self._marks:
            mark_fmt = QTextCharFormat()
            mark_fmt.setBackground(QColor(*colour(color).light, 120))
            selections.append(self._selection(start, end, mark_fmt))
        if self._matches:
            match_fmt = QTextCharFormat()
            match_fmt.setBackground(QColor(255, 214, 10, 110))
            current_fmt = QTextCharFormat()
            current_fmt.setBackground(QColor(255, 149, 0, 200))
            for i, (s, e) in enumerate(self._matches):
                selections.append(self._selection(s, e, current_fmt if i == self._match_index else match_fmt))
        if self._flash:
            flash_fmt = QTextCharFormat()
            flash_fmt.setBackground(QColor(52, 199, 89, 90))
            selections.append(self._selection(*self._flash, flash_fmt))
        if self._current >= 0:
            line_fmt = QTextCharFormat()
            bg = QColor(highlight)
            bg.setAlpha(70)
            line_fmt.setBackground(bg)
            line_fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
            start, end = self._cue_pos[self._current], self._cue_end[self._current]
            selections.append(self._selection(start, end, line_fmt))
            span = self._word_span(self._current, self._word)
            if span:
                word_fmt = QTextCharFormat()
                wbg = QColor(highlight)
                wbg.setAlpha(150)
                word_fmt.setBackground(wbg)
                selections.append(self._selection(start + span[0], start + span[1], word_fmt))
        self.setExtraSelections(selections)

    def _word_span(self, index: int, word: int) -> tuple[int, int] | None:
        """Where the given word sits inside its cue's text, found by walking the words in order."""
        if word < 0:
            return None
        cue = self.timeline.cues[index]
        text = cue.text.replace("\n", " ")
        at = 0
        span = None
        for i, w in enumerate(cue.words[: word + 1]):
            found = text.find(w.text, at)
            if found < 0:
                return None
            span = (found, found + len(w.text))
            at = span[1]
        if span and self._astral:
            span = (_u16(text[: span[0]]), _u16(text[: span[1]]))
        return span

    def flash_range(self, start_ms: int, end_ms: int) -> None:
        """Mark the lines spoken between two times (used to show what a link points at)."""
        first = max(0, self.timeline.cue_at(start_ms))
        last = max(first, self.timeline.cue_at(max(start_ms, end_ms - 1)))
        if not self._cue_pos:
            return
        self._flash = (self._cue_pos[first], self._cue_end[last])
        self._refresh_selections()

    # -- the reader's highlights -------------------------------------------------------------------------
    def selection_span(self) -> dict | None:
        """The selected stretch as cue indices and offsets, times and text; None without a selection."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or not self._cue_pos:
            return None
        from bisect import bisect_left, bisect_right

        a, b = cursor.selectionStart(), cursor.selectionEnd()
        first = bisect_right(self._cue_end, a)  # the first cue ending after the selection starts
        last = bisect_left(self._cue_pos, b) - 1  # the last cue starting before it ends
        if first >= len(self._cue_pos) or last < 0 or first > last:
            return None
        start_off = max(0, a - self._cue_pos[first])
        end_off = min(self._cue_end[last], b) - self._cue_pos[last]
        cues = self.timeline.cues
        texts = [cues[i].text.replace("\n", " ") for i in range(first, last + 1)]
        if first == last:
            text = texts[0][_py_index(texts[0], start_off):_py_index(texts[0], end_off)]
        else:
            text = " ".join([texts[0][_py_index(texts[0], start_off):], *texts[1:-1], texts[-1][:_py_index(texts[-1], end_off)]])
        text = " ".join(text.split())
        if not text:
            return None
        return {"start_cue": first, "start_offset": start_off, "end_cue": last, "end_offset": end_off,
                "start_ms": cues[first].start_ms, "end_ms": max(cues[last].end_ms, cues[last].start_ms), "text": text}

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def set_marks(self, rows: list[dict]) -> None:
        """Show the user's highlights; a highlight whose lines have changed is placed by its times."""
        self._mark_rows = rows
        marks = []
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

    def contextMenuEvent(self, event) -> None:
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        has = self.textCursor().hasSelection()
        colours = menu.addMenu("Highlight")
        for c in COLOURS.values():
            colours.addAction(c.label, lambda n=c.name: self.highlight_requested.emit(n))
        colours.setEnabled(has)
        for label, signal in (("Add Note…", self.note_requested), ("Explain", self.explain_requested), ("Ask Claude…", self.ask_requested)):
            action = menu.addAction(label, signal.emit)
            action.setEnabled(has)
        menu.addSeparator()
        copy = menu.addAction("Copy", self.copy)
        copy.setEnabled(has)
        pos = self.cursorForPosition(event.pos()).position()
        index = self.cue_at_position(pos)
        if index >= 0:
            menu.addAction(f"Play from {short_clock(self.timeline.cues[index].start_ms + self.offset_ms)}",
                           lambda: self.seek_requested.emit(self.timeline.cues[index].start_ms + self.offset_ms))
        menu.exec(event.globalPos())

    # -- find --------------------------------------------------------------------------------
    def find_all(self, query: str) -> int:
        self._matches = []
        self._match_index = -1
        if query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            if self._astral:
                self._matches = [(_u16(self._text[: m.start()]), _u16(self._text[: m.end()])) for m in pattern.finditer(self._text)]
            else:
                self._matches = [(m.start(), m.end()) for m in pattern.finditer(self._text)]
        if self._matches:
            # Start from the first match at or after the current line, as a reader would expect.
            here = self._cue_pos[self._current] if self._current >= 0 else 0
            self._match_index = next((i for i, (s, _e) in enumerate(self._matches) if s >= here), 0)
            self._show_match()
        else:
            self._refresh_selections()
        return len(self._matches)

    def find_step(self, step: int) -> int:
        if not self._matches:
            return -1
        self._match_index = (self._match_index + step) % len(self._matches)
        self._show_match()
        return self._match_index

    def match_state(self) -> tuple[int, int]:
        return self._match_index, len(self._matches)

    def clear_find(self) -> None:
        self._matches, self._match_index = [], -1
        self._refresh_selections()

    def _show_match(self) -> None:
        self._refresh_selections()
        start, _end = self._matches[self._match_index]
        self.pause_follow()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        rect = self.cursorRect(cursor)
        height = self.viewport().height()
        if rect.top() < 0 or rect.bottom() > height:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - height // 3)

    # -- mouse and keys -------------------------------------------------------------------------
    def _stamp_at(self, point: QPoint) -> int | None:
        pos = self.cursorForPosition(point).position()
        for start, end, ms in self._stamps_near(pos):
            if start <= pos <= end:
                return ms
        return None

    def _stamps_near(self, pos: int):
        from bisect import bisect_right

        i = bisect_right(self._stamps, (pos, 1 << 62, 0)) - 1
        return self._stamps[max(0, i): i + 1] if i >= 0 else []

    def cue_at_position(self, pos: int) -> int:
        from bisect import bisect_right

        i = bisect_right(self._cue_pos, pos) - 1
        return i if i >= 0 and pos <= self._cue_end[i] else -1

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        over = self._stamp_at(event.position().toPoint()) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            ms = self._stamp_at(event.position().toPoint())
            if ms is not None:
                self.seek_requested.emit(ms + self.offset_ms)

    def mouseDoubleClickEvent(self, event) -> None:
        pos = self.cursorForPosition(event.position().toPoint()).position()
        index = self.cue_at_position(pos)
        if index >= 0:
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.seek_requested.emit(self.timeline.cues[index].start_ms + self.offset_ms)
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event) -> None:
        self.pause_follow()
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in _NAV_KEYS:
            self.pause_follow()
        super().keyPressEvent(event)

    def _on_selection_changed(self) -> None:
        if self.textCursor().hasSelection():
            self.pause_follow()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange and self._text:
            bar = self.verticalScrollBar().value()
            self._build()  # the time stamps' colour comes from the palette (light or dark)
            self.verticalScrollBar().setValue(bar)
            self._refresh_selections()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        spare = max(0, self.width() - COLUMN_WIDTH - self.verticalScrollBar().width())
        self.setViewportMargins(spare // 2, 0, spare // 2, 0)
        self._place_back_button()

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

    def _place_back_button(self) -> None:
        self.back_button.adjustSize()
        vp = self.viewport().geometry()
        self.back_button.move(vp.x() + (vp.width() - self.back_button.width()) // 2, vp.bottom() - self.back_button.height() - 14)
        self.back_button.raise_()
