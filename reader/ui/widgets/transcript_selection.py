"""Selecting in the transcript: whole words, the selection as lines and offsets, its toolbar and its context menu."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu

from reader.base.colours import COLOURS
from reader.transcript.writers import short_clock
from reader.ui.widgets.selection_toolbar import SelectionToolbar
from reader.ui.widgets.transcript_document import py_index, u16, whole_words


class TranscriptSelection:
    """Part of TranscriptView. A drag ends on whole words; the toolbar shows beside the selected words."""

    def _init_selection(self) -> None:
        self.toolbar = SelectionToolbar(self)  # a child of the view, not the viewport, which moves its children
        self.toolbar.highlight_requested.connect(self.highlight_requested)
        self.toolbar.note_requested.connect(self.note_requested)
        self.toolbar.explain_requested.connect(self.explain_requested)
        self.toolbar.ask_requested.connect(self.ask_requested)
        self.toolbar.card_requested.connect(self.card_requested)
        self._dragging = False
        self.selectionChanged.connect(self._on_selection_changed)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._place_toolbar())

    def selection_span(self) -> dict | None:
        """The selected stretch as cue indices and offsets, times and text; None without a selection."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or not self._cue_pos:
            return None
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
            text = texts[0][py_index(texts[0], start_off):py_index(texts[0], end_off)]
        else:
            text = " ".join([texts[0][py_index(texts[0], start_off):], *texts[1:-1], texts[-1][:py_index(texts[-1], end_off)]])
        text = " ".join(text.split())
        if not text:
            return None
        return {"start_cue": first, "start_offset": start_off, "end_cue": last, "end_offset": end_off,
                "start_ms": cues[first].start_ms, "end_ms": max(cues[last].end_ms, cues[last].start_ms), "text": text}

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def snap_selection(self) -> None:
        """Grow the selection to whole words at both ends (a drag rarely starts or stops on a word's edge)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return
        a, b = cursor.selectionStart(), cursor.selectionEnd()
        text = self._layout.text
        if self._astral:
            a, b = py_index(text, a), py_index(text, b)
        start, end = whole_words(text, a, b)
        if self._astral:
            start, end = u16(text[:start]), u16(text[:end])
        if (start, end) == (cursor.selectionStart(), cursor.selectionEnd()):
            return
        forward = cursor.position() >= cursor.anchor()
        cursor.setPosition(start if forward else end)
        cursor.setPosition(end if forward else start, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _on_selection_changed(self) -> None:
        if self.textCursor().hasSelection():
            self.pause_follow()
        self._place_toolbar()

    def _place_toolbar(self) -> None:
        """Beside the selection once the drag is over; gone with it."""
        cursor = self.textCursor()
        if self._dragging or not cursor.hasSelection():
            self.toolbar.hide()
            return
        offset = self.viewport().geometry().topLeft()  # the toolbar is the view's child; the boxes are the viewport's
        words = [r.toAlignedRect().translated(offset) for r in self.span_rects(cursor.selectionStart(), cursor.selectionEnd())]
        self.toolbar.place(words, self.viewport().geometry())

    def contextMenuEvent(self, event) -> None:
        menu = QMenu(self)
        has = self.textCursor().hasSelection()
        colours = menu.addMenu("Highlight")
        for c in COLOURS.values():
            colours.addAction(c.label, lambda n=c.name: self.highlight_requested.emit(n))
        colours.setEnabled(has)
        for label, signal in (("Add Note…", self.note_requested), ("Make a Card…", self.card_requested),
                              ("Explain", self.explain_requested), ("Ask Claude…", self.ask_requested)):
            action = menu.addAction(label, signal.emit)
            action.setEnabled(has)
        menu.addSeparator()
        again = menu.addAction("Transcribe This Again…" if has else "Transcribe This Chapter Again…", self.retranscribe_requested.emit)
        again.setEnabled(has or bool(self.timeline.chapters))
        copy = menu.addAction("Copy", self.copy)
        copy.setEnabled(has)
        pos = self.cursorForPosition(event.pos()).position()
        index = self.cue_at_position(pos)
        if index >= 0:
            menu.addAction(f"Play from {short_clock(self.timeline.cues[index].start_ms + self.offset_ms)}",
                           lambda: self.seek_requested.emit(self.timeline.cues[index].start_ms + self.offset_ms))
        menu.exec(event.globalPos())
