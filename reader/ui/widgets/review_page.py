"""Review: every highlight, note, answer and study result across the library, filtered and searched."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ...colours import COLOURS
from ...llm import Answer
from ...opened import display_title
from .page_header import page_header
from ...transcript.writers import short_clock
from .library_page import HitDelegate, snippet_html

KINDS = (("Everything", None), ("Highlights and notes", "highlight"), ("Answers", "answer"), ("Study results", "study"))
COLOUR_CHOICES = (("Any colour", None), *((c.label, c.name) for c in COLOURS.values()))
DATES = (("Any time", None), ("Today", 1), ("This week", 7), ("This month", 31))
HTML_ROLE = Qt.ItemDataRole.UserRole + 2


class ReviewPage(QWidget):
    open_requested = Signal(int, int)  # video id, ms (-1: where it was left)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.review = self.search_text = None  # the library's queries (set_source)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search notes, answers and highlights (and every transcript)…")
        self.search.setClearButtonEnabled(True)
        self.video = QComboBox(self)
        self.kind = QComboBox(self)
        self.colour = QComboBox(self)
        self.date = QComboBox(self)
        self.order = QComboBox(self)
        for box, options in ((self.kind, KINDS), (self.colour, COLOUR_CHOICES), (self.date, DATES),
                             (self.order, (("Newest first", True), ("In video order", False)))):
            for label, value in options:
                box.addItem(label, value)
        top, self.back_button = page_header(self, "Review", self.search)
        filters = QHBoxLayout()
        filters.setContentsMargins(16, 0, 16, 6)
        for w in (self.video, self.kind, self.colour, self.date, self.order):
            filters.addWidget(w)
        filters.addStretch(1)
        self.count = QLabel("", self)
        filters.addWidget(self.count)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("reviewTree")
        self.tree.setHeaderHidden(True)
        self.tree.setItemDelegate(HitDelegate(self.tree))
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._on_item)
        self.tree.itemClicked.connect(self._on_item)
        self.empty = QLabel("Nothing to review yet. Highlight passages, write notes, ask Claude, or run a study tool: "
                            "everything appears here, across all your videos, and works offline.", self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("libraryEmpty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        for box in (self.video, self.kind, self.colour, self.date, self.order):
            box.currentIndexChanged.connect(self.refresh)

    def set_source(self, videos: list[dict], review, search_text) -> None:
        """The videos to filter by, review(video, colour, kind, since, query, order) -> items and
        search_text(text, limit) -> transcript hits; review None: there is no library."""
        self.review, self.search_text = review, search_text
        self.video.blockSignals(True)
        self.video.clear()
        self.video.addItem("All videos", None)
        for v in videos:
            self.video.addItem(display_title(v["title"], 80), v["id"])
        self.video.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        if self.review is None:
            return
        since = None
        if self.date.currentData():
            since = (datetime.now(timezone.utc) - timedelta(days=self.date.currentData())).isoformat(timespec="seconds")
        query = self.search.text()
        items = self.review(self.video.currentData(), self.colour.currentData(), self.kind.currentData(), since, query,
                                  self.order.currentData())
        groups: dict[int, QTreeWidgetItem] = {}
        for it in items:
            parent = groups.get(it["video_id"])
            if parent is None:
                parent = groups[it["video_id"]] = QTreeWidgetItem(self.tree, [display_title(it["title"])])
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                parent.setData(0, Qt.ItemDataRole.UserRole, (it["video_id"], -1))
                parent.setExpanded(True)
            child = QTreeWidgetItem(parent, [it["text"] or it["question"] or ""])
            child.setData(0, Qt.ItemDataRole.UserRole, (it["video_id"], it["start_ms"] if it["kind"] != "study" else -1))
            child.setData(0, HTML_ROLE, self._item_html(it))
        hits = self.search_text(query, limit=100) if len(query.strip()) >= 2 else []
        if hits:
            top = QTreeWidgetItem(self.tree, [f"In transcripts ({len(hits)}{'+' if len(hits) >= 100 else ''})"])
            top.setExpanded(True)
            for h in hits:
                child = QTreeWidgetItem(top, [h.text])
                child.setData(0, Qt.ItemDataRole.UserRole, (h.video_id, h.start_ms))
                child.setData(0, HTML_ROLE, f"<span style='color:gray'>{html.escape(h.title)} · {short_clock(h.start_ms)}</span>&nbsp; {snippet_html(h.snippet)}")
        total = len(items) + len(hits)
        self.count.setText(f"{len(items)} item{'s' if len(items) != 1 else ''}" + (f", {len(hits)} transcript lines" if hits else ""))
        self.tree.setVisible(total > 0)
        self.empty.setVisible(total == 0)
        if total == 0 and (query or self.kind.currentData() or self.colour.currentData() or self.date.currentData() or self.video.currentData()):
            self.empty.setText("Nothing matches. Change the filters or the search.")

    def _item_html(self, it: dict) -> str:
        when = "" if it["kind"] == "study" else f"{short_clock(it['start_ms'])} · "
        dot = COLOURS[it["color"]].hex() if it["color"] in COLOURS else ""
        mark = f"<span style='color:{dot}'>■</span> " if dot else ""
        label = {"highlight": "Highlight", "answer": "Answer", "study": "Study"}[it["kind"]]
        head = f"<span style='color:gray'>{mark}{when}{label}</span> "
        if it["kind"] == "highlight":
            body = f"“{html.escape(it['text'])}”"
            if it["note"]:
                body += f"<br><i>{html.escape(it['note'])}</i>"
        else:
            answer = Answer(it["answer"] or "").plain_text().strip().replace("\n", " ")
            body = f"<b>{html.escape(it['question'] or '')}</b> — {html.escape(answer[:300])}{'…' if len(answer) > 300 else ''}"
        return head + body

    def _on_item(self, item, _column=0) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data:
            self.open_requested.emit(data[0], data[1])
