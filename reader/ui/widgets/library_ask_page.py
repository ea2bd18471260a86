"""The Ask the Library page: a question across every video, its answer's links to moments, the threads kept, passages to play."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from reader.library.opened import display_title
from reader.library.question_passages import Scope, focus_line
from reader.transcript.writers import short_clock
from reader.ui.widgets.answer_view import AnswerView, thread_html
from reader.ui.widgets.page_header import page_header

HINT = "Ask across every video you have: “where did anyone explain desirable difficulty, and how do they disagree?”"


class LibraryAskPage(QWidget):
    """Asks; the window's controller answers. Every moment shown (a citation, a passage) asks to be played."""

    ask_requested = Signal(str, object)  # question, Scope
    find_requested = Signal(str, object)
    followup_requested = Signal(str)
    stop_requested = Signal()
    regenerate_requested = Signal()
    thread_requested = Signal(object)  # a thread id, or None for a new question
    threads_search_changed = Signal(str)
    delete_requested = Signal(int)
    moment_requested = Signal(int, int, int)  # video id, start_ms, end_ms: open it there and play
    settings_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("libraryAskPage")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search your library questions…")
        self.search.setClearButtonEnabled(True)
        header, self.back_button = page_header(self, "Ask the Library", self.search)
        self.threads = QListWidget(self)
        self.threads.setObjectName("libraryThreads")
        self.threads.setWordWrap(True)
        self.threads.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.threads.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_button = QPushButton("New Question", self)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(16, 0, 6, 12)
        lv.addWidget(self.new_button)
        lv.addWidget(self.threads, 1)
        self.scope = QComboBox(self)
        self.scope.setToolTip("Which videos the question searches")
        self.question = QLineEdit(self)
        self.question.setPlaceholderText("Ask the library a question…")
        self.ask_button = QPushButton("Ask", self)
        self.ask_button.setDefault(True)
        self.find_button = QPushButton("Find Passages", self)
        self.find_button.setToolTip("The passages that bear on the question, best first, each one playable; no key needed")
        ask_row = QHBoxLayout()
        ask_row.addWidget(self.scope)
        ask_row.addWidget(self.question, 1)
        ask_row.addWidget(self.ask_button)
        ask_row.addWidget(self.find_button)
        self.note = QLabel(HINT, self)
        self.note.setObjectName("askNote")
        self.note.setWordWrap(True)
        self.settings_button = QPushButton("Open Preferences", self)
        self.settings_button.hide()
        note_row = QHBoxLayout()
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.settings_button)
        self.view = AnswerView(self)
        self.passages = QListWidget(self)
        self.passages.setObjectName("foundPassages")
        self.passages.setWordWrap(True)
        self.passages.hide()
        self.followup = QLineEdit(self)
        self.followup.setPlaceholderText("Ask a follow-up…")
        self.stop_button = QPushButton("Stop", self)
        self.copy_button = QPushButton("Copy", self)
        self.regenerate_button = QPushButton("Regenerate", self)
        self.delete_button = QPushButton("Delete Thread", self)
        foot = QHBoxLayout()
        foot.addWidget(self.followup, 1)
        for b in (self.stop_button, self.copy_button, self.regenerate_button, self.delete_button):
            foot.addWidget(b)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(6, 0, 16, 12)
        rv.addLayout(ask_row)
        rv.addLayout(note_row)
        rv.addWidget(self.view, 3)
        rv.addWidget(self.passages, 2)
        rv.addLayout(foot)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(200)
        self.splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        self.thread_id: int | None = None
        self._streaming = False
        self._wire()
        self.show_thread(None, [], False)

    def _wire(self) -> None:
        ask = lambda: self.ask_requested.emit(self.question.text(), self.current_scope())  # noqa: E731
        self.question.returnPressed.connect(ask)
        self.ask_button.clicked.connect(ask)
        self.find_button.clicked.connect(lambda: self.find_requested.emit(self.question.text(), self.current_scope()))
        self.followup.returnPressed.connect(self._follow_up)
        self.stop_button.clicked.connect(self.stop_requested)
        self.copy_button.clicked.connect(self.view.copy_answer)
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        self.delete_button.clicked.connect(lambda: self.thread_id is not None and self.delete_requested.emit(self.thread_id))
        self.new_button.clicked.connect(lambda: self.thread_requested.emit(None))
        self.threads.itemClicked.connect(lambda item: self.thread_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.threads.itemActivated.connect(lambda item: self.thread_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.search.textChanged.connect(self.threads_search_changed)
        self.view.moment_clicked.connect(self.moment_requested)
        self.passages.itemActivated.connect(self._play_passage)
        self.passages.itemClicked.connect(self._play_passage)
        self.settings_button.clicked.connect(self.settings_requested)

    def _follow_up(self) -> None:
        text = self.followup.text()
        if " ".join(text.split()):
            self.followup_requested.emit(text)
            self.followup.clear()

    def _play_passage(self, item: QListWidgetItem) -> None:
        where = item.data(Qt.ItemDataRole.UserRole)
        if where:
            self.moment_requested.emit(*where)

    def current_scope(self) -> Scope:
        return self.scope.currentData() or Scope()

    # -- what the controller says ---------------------------------------------------------------------------
    def set_scopes(self, scopes: list) -> None:
        chosen = self.current_scope()
        self.scope.blockSignals(True)
        self.scope.clear()
        for label, scope in scopes:
            self.scope.addItem(display_title(label, 60), scope)
        index = next((i for i, (_l, s) in enumerate(scopes) if s == chosen), 0)
        self.scope.setCurrentIndex(index)
        self.scope.blockSignals(False)

    def choose_scope(self, scope: Scope) -> None:
        index = next((i for i in range(self.scope.count()) if self.scope.itemData(i) == scope), 0)
        self.scope.setCurrentIndex(index)

    def set_threads(self, rows: list[dict]) -> None:
        self.threads.clear()
        for row in rows:
            turns = f" · {row['turns']} questions" if row["turns"] > 1 else ""
            item = QListWidgetItem(f"{display_title(row['question'], 90)}\n{(row['created_at'] or '')[:10]}{turns}")
            item.setData(Qt.ItemDataRole.UserRole, row["thread_id"])
            item.setToolTip(display_title(row["question"], 500))
            self.threads.addItem(item)
            if row["thread_id"] == self.thread_id:
                item.setSelected(True)
        if not rows:
            item = QListWidgetItem("No library questions yet." if not self.search.text().strip() else "No question holds that.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.threads.addItem(item)

    def show_thread(self, thread_id: int | None, rows: list[dict], streaming: bool) -> None:
        """A thread as it stands (rows from the controller), or an empty page for a new question."""
        new = thread_id != self.thread_id
        self.thread_id, self._streaming = thread_id, streaming
        if new:
            self.view.reset()
            self.passages.hide()
        self.view.show_thread(thread_html(rows, streaming))
        has = bool(rows)
        self.followup.setEnabled(has and not streaming)
        self.stop_button.setEnabled(streaming)
        self.copy_button.setEnabled(has and bool(self.view.plain))
        self.regenerate_button.setEnabled(has and not streaming)
        self.delete_button.setEnabled(has and not streaming)
        self.ask_button.setEnabled(not streaming)
        if thread_id is None and not rows:
            self.view.setPlaceholderText(HINT)

    def show_passages(self, question: str, found: list) -> None:
        self.passages.clear()
        for f in found:
            first = focus_line(f, question)  # the excerpt starts, and playing starts, at the line that bears on it most
            start = f.lines[first][0] if f.lines else f.start_ms
            head = (f"{display_title(f.title, 80)} · {short_clock(start)}" if f.kind != "note"
                    else f"Your note · {display_title(f.title, 80)} · {short_clock(start)}")
            text = " ".join(" ".join(t for _s, _e, t in f.lines[first:]).split())
            item = QListWidgetItem(f"▶ {head}\n{'… ' if first else ''}{text[:300]}{'…' if len(text) > 300 else ''}")
            item.setData(Qt.ItemDataRole.UserRole, (f.video_id, start, f.end_ms))
            item.setToolTip("Play this passage")
            self.passages.addItem(item)
        self.passages.setVisible(bool(found))

    def show_message(self, text: str, level: str) -> None:
        """A sentence under the question (nothing: the hint); a missing key offers Preferences."""
        self.note.setText(text or HINT)
        self.note.setProperty("level", level or "")
        self.note.setStyleSheet("color: #d0453f;" if level == "error" else "")
        self.settings_button.setVisible("API key" in text)
