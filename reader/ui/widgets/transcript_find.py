"""Find in the transcript: every match marked, the one shown now, stepping through them."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCursor

from reader.ui.widgets.transcript_document import u16


class TranscriptFind:
    """Part of TranscriptView: the matches of the find bar's query, as document positions."""

    def _init_find(self) -> None:
        self._matches: list[tuple[int, int]] = []
        self._match_index = -1

    def find_all(self, query: str) -> int:
        self._matches = []
        self._match_index = -1
        text = self._layout.text
        if query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            if self._astral:
                self._matches = [(u16(text[: m.start()]), u16(text[: m.end()])) for m in pattern.finditer(text)]
            else:
                self._matches = [(m.start(), m.end()) for m in pattern.finditer(text)]
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
