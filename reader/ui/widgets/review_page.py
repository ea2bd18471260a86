"""Review: every highlight, note, answer and study result across the library, filtered and searched."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from reader.asking.llm import Answer
from reader.base.colours import COLOURS
from reader.cards.making import when
from reader.library.opened import display_title
from reader.transcript.writers import short_clock
from reader.ui.widgets.library_page import HitDelegate, snippet_html
from reader.ui.widgets.page_header import page_header

KINDS = (("Everything", None), ("Highlights and notes", "highlight"), ("Answers", "answer"), ("Study results", "study"),
         ("Cards", "card"))
COLOUR_CHOICES = (("Any colour", None), *((c.label, c.name) for c in COLOURS.values()))
DATES = (("Any time", None), ("Today", 1), ("This week", 7), ("This month", 31))
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
CARD_ROLE = Qt.ItemDataRole.UserRole + 3  # a card's row: (card id, status)


class ReviewPage(QWidget):
    open_requested = Signal(int, int)  # video id, ms (-1: where it was left)
    card_edit_requested = Signal(int)  # card id
    card_status_requested = Signal(int, str)  # card id, "active" or "suspended"
    card_delete_requested = Signal(int)
    undo_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.review = self.search_text = None  # the library's queries (set_source)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search notes, answers, highlights and cards (and every transcript)…")
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
        self.tree.itemActivated.connect(lambda item: self._on_item(item, opening=True))
        self.tree.itemClicked.connect(self._on_item)
        self.tree.currentItemChanged.connect(self._show_card_actions)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._card_menu)
        self.card_bar = self._card_bar()
        self.empty = QLabel("Nothing to review yet. Highlight passages, write notes, make cards, ask Claude, or run a study tool: "
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
        layout.addWidget(self.card_bar)
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
        chosen = self.current_card()
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
            if it["kind"] == "card":
                child.setData(0, CARD_ROLE, (it["id"], it["status"]))
                if chosen is not None and it["id"] == chosen[0]:
                    self.tree.setCurrentItem(child)
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
        if it["kind"] == "card":
            return card_html(it)
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

    def _on_item(self, item, _column=0, opening: bool = False) -> None:
        """A click opens the video there; on a card it chooses the card (its actions show), and a double-click
        or Enter opens."""
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data and (opening or item.data(0, CARD_ROLE) is None):
            self.open_requested.emit(data[0], data[1])

    # -- cards ------------------------------------------------------------------------------------
    def current_card(self) -> tuple[int, str] | None:
        """The chosen card's id and status, if a card is chosen."""
        item = self.tree.currentItem()
        return item.data(0, CARD_ROLE) if item is not None else None

    def _card_bar(self) -> QFrame:
        """Under the list: the chosen card's actions, and Undo after a card is deleted."""
        bar = QFrame(self)
        bar.setObjectName("cardBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 4, 16, 8)
        self.card_label = QLabel("Card:", bar)
        row.addWidget(self.card_label)
        self.card_buttons = {}
        for name, label in (("open", "Open the Video There"), ("edit", "Edit…"), ("suspend", "Suspend"), ("delete", "Delete")):
            self.card_buttons[name] = QPushButton(label, bar)
            self.card_buttons[name].clicked.connect(lambda _=False, n=name: self._card_action(n))
            row.addWidget(self.card_buttons[name])
        row.addStretch(1)
        self.undo_label = QLabel("Card deleted.", bar)
        self.undo_button = QPushButton("Undo", bar)
        self.undo_button.clicked.connect(self.undo_requested)
        for w in (self.undo_label, self.undo_button):
            row.addWidget(w)
            w.hide()
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(10_000)
        self._undo_timer.timeout.connect(self.hide_undo)
        bar.hide()
        return bar

    def _show_card_actions(self, *_args) -> None:
        card = self.current_card()
        for w in (self.card_label, *self.card_buttons.values()):
            w.setVisible(card is not None)
        if card is not None:
            self.card_buttons["suspend"].setText("Unsuspend" if card[1] == "suspended" else "Suspend")
        self.card_bar.setVisible(card is not None or self.undo_button.isVisibleTo(self.card_bar))

    def _card_action(self, name: str) -> None:
        card, item = self.current_card(), self.tree.currentItem()
        if card is None:
            return
        if name == "open":
            self._on_item(item, opening=True)
        elif name == "edit":
            self.card_edit_requested.emit(card[0])
        elif name == "suspend":
            self.card_status_requested.emit(card[0], "active" if card[1] == "suspended" else "suspended")
        elif name == "delete":
            self.card_delete_requested.emit(card[0])

    def _card_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is None or item.data(0, CARD_ROLE) is None:
            return
        self.tree.setCurrentItem(item)
        menu = QMenu(self)
        for name, button in self.card_buttons.items():
            menu.addAction(button.text(), lambda n=name: self._card_action(n))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete and self.current_card() is not None:
            self._card_action("delete")
            return
        super().keyPressEvent(event)

    def show_undo(self, text: str) -> None:
        self.undo_label.setText(text)
        self._set_undo(True)
        self._undo_timer.start()

    def hide_undo(self) -> None:
        self._set_undo(False)

    def _set_undo(self, shown: bool) -> None:
        self.undo_label.setVisible(shown)
        self.undo_button.setVisible(shown)
        self._show_card_actions()


def card_html(it: dict) -> str:
    """A card's row: time, status and when it is due, then its question in bold and its answer."""
    status = {"active": f"due {when(it['due'])}", "suspended": "suspended", "suggested": "suggested, not accepted"}[it["status"]]
    by = " · by Claude" if it.get("source") == "claude" else ""
    head = f"<span style='color:gray'>{short_clock(it['start_ms'])} · Card · {html.escape(status)}{by}</span> "
    answer = html.escape(it["answer"] or "") or "<span style='color:gray'>(no answer written)</span>"
    body = f"<b>{html.escape(it['question'])}</b><br>{answer}"
    return head + (f"<span style='color:gray'>{body}</span>" if it["status"] == "suspended" else body)
