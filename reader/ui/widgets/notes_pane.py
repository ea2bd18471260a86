"""The side pane: highlights in time order, the selected one's note and colour, and its thread with Claude."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSplitter,
    QStyle, QStyledItemDelegate, QToolButton, QVBoxLayout, QWidget,
)

from reader.base.colours import COLOURS, colour
from reader.transcript.writers import short_clock
from reader.ui.widgets.answer_view import AnswerView, thread_html
from reader.ui.widgets.problem_banner import ProblemBanner

ROW = Qt.ItemDataRole.UserRole + 1
CURRENT = Qt.ItemDataRole.UserRole + 2
CARDS = Qt.ItemDataRole.UserRole + 3  # how many recall cards were made from the highlight


class HighlightDelegate(QStyledItemDelegate):
    """A highlight: colour bar, time, the passage (two lines), the note, answer count; marked when current."""

    def sizeHint(self, option, index) -> QSize:
        return QSize(200, option.fontMetrics.height() * 4 + 14)

    def paint(self, painter: QPainter, option, index) -> None:
        row = index.data(ROW)
        painter.save()
        option.widget.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = option.palette.highlightedText().color() if selected else option.palette.text().color()
        muted = QColor(text_color)
        muted.setAlpha(150)
        r = option.rect.adjusted(6, 5, -8, -5)
        painter.fillRect(r.left(), r.top(), 4, r.height(), QColor(colour(row["color"]).hex()))
        if index.data(CURRENT):
            painter.fillRect(r.left() + 5, r.top(), 2, r.height(), text_color)
        fm = option.fontMetrics
        x, w = r.left() + 14, r.width() - 14
        painter.setPen(muted)
        meta = short_clock(row["start_ms"])
        if row.get("answer_count"):
            meta += f"  ·  {row['answer_count']} answer{'s' if row['answer_count'] != 1 else ''}"
        if index.data(CARDS):
            meta += f"  ·  {index.data(CARDS)} card{'s' if index.data(CARDS) != 1 else ''}"
        if row.get("anchor_lost_at"):
            meta += "  ·  not in this transcript"
        if row.get("failed_count"):
            meta += f"  ·  {row['failed_count']} failed"
        painter.drawText(x, r.top() + fm.ascent(), meta)
        painter.setPen(text_color)
        words = row["text"].replace("\n", " ")
        # two lines of the passage; a longer one is cut at the second line's end
        painter.drawText(QRect(x, r.top() + fm.height(), w, 2 * fm.height()), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop, words)
        if row.get("note"):
            font = painter.font()
            font.setItalic(True)
            painter.setFont(font)
            painter.setPen(muted)
            painter.drawText(x, r.top() + 3 * fm.height() + fm.ascent(), fm.elidedText(row["note"].replace("\n", " "), Qt.TextElideMode.ElideRight, w))
        painter.restore()


class _Detail(QWidget):
    """The selected highlight's detail. In its scroll area it asks for the least height that shows every
    part whole at its width (wrapped lines included), so it scrolls only when the pane is shorter than that."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        layout = self.layout()
        m = layout.contentsMargins()
        inner = width - m.left() - m.right()
        heights = []
        for i in range(layout.count()):
            item = layout.itemAt(i)
            w = item.widget()
            if w is not None and w.isHidden():
                continue
            if item.hasHeightForWidth():
                heights.append(item.heightForWidth(inner))
            elif not item.isEmpty():
                heights.append(item.minimumSize().height())
        return sum(heights) + layout.spacing() * max(0, len(heights) - 1) + m.top() + m.bottom()


class _DetailArea(QScrollArea):
    """Scrolls the detail up and down in a short pane, never sideways: it is as narrow as the detail allows."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().minimumSizeHint()
        inner = self.widget()
        return QSize(inner.minimumSizeHint().width(), hint.height()) if inner is not None else hint


class NotesPane(QWidget):
    seek_requested = Signal(int)
    flash_requested = Signal(int, int)
    note_edited = Signal(int, str)  # highlight id, note
    color_changed = Signal(int, str)
    delete_requested = Signal(int)
    undo_requested = Signal()
    followup_requested = Signal(str)
    stop_requested = Signal()
    regenerate_requested = Signal()
    retry_requested = Signal()  # the last answer failed: ask it again
    cancel_wait_requested = Signal()  # do not ask again by itself after a rate limit
    play_requested = Signal()  # a citation was clicked: hear that moment
    settings_requested = Signal()
    selection_changed = Signal(object)  # the highlight id chosen in the list, or None
    card_requested = Signal(int)  # make a card from this highlight
    cards_suggest_requested = Signal(int)  # ask Claude for cards about it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notesPane")
        self.rows: list[dict] = []
        self.current_id: int | None = None
        heading = QLabel("Notes", self)
        heading.setObjectName("notesHeading")
        self.count = QLabel("", self)
        self.count.setObjectName("notesCount")
        self.list = QListWidget(self)
        self.list.setObjectName("highlightList")
        self.list.setItemDelegate(HighlightDelegate(self.list))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemClicked.connect(self._on_clicked)
        self.card_counts: dict[int, int] = {}
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._card_menu)
        self.empty = QLabel("Select words in the transcript, then press H to highlight, N to add a note, "
                            "E to have Claude explain them, or A to ask a question. Right-click for the same.", self)
        self.empty.setObjectName("notesEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.undo_bar = QFrame(self)
        self.undo_bar.setObjectName("undoBar")
        self.undo_label = QLabel("Highlight deleted.", self.undo_bar)
        undo = QPushButton("Undo", self.undo_bar)
        undo.clicked.connect(self.undo_requested)
        ub = QHBoxLayout(self.undo_bar)
        ub.setContentsMargins(8, 4, 8, 4)
        ub.addWidget(self.undo_label, 1)
        ub.addWidget(undo)
        self.undo_bar.hide()
        # detail of the selected highlight
        self.detail = _Detail(self)
        self.passage = QLabel(self.detail)
        self.passage.setObjectName("passage")
        self.passage.setWordWrap(True)
        self.passage.setTextFormat(Qt.TextFormat.PlainText)
        self.passage.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QPlainTextEdit(self.detail)
        self.note.setObjectName("noteEditor")
        self.note.setPlaceholderText("Your note…")
        self.note.setMaximumHeight(90)
        self.note.setMinimumHeight(44)  # two lines: in a short window the answer and its problem need the room
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(400)
        self._note_timer.timeout.connect(self._save_note)
        self.note.textChanged.connect(self._note_timer.start)
        colors = QHBoxLayout()
        colors.setSpacing(4)
        self.color_buttons = {}
        for name, c in COLOURS.items():
            hexcolor = c.hex()
            b = QToolButton(self.detail)
            b.setToolTip(f"Colour: {c.label}")
            b.setFixedSize(20, 20)
            b.setStyleSheet(f"QToolButton {{ background: {hexcolor}; border: 1px solid rgba(0, 0, 0, 60); border-radius: 10px; }}")
            b.clicked.connect(lambda _=False, n=name: self._set_color(n))
            colors.addWidget(b)
            self.color_buttons[name] = b
        colors.addStretch(1)
        self.card_button = QPushButton("Make a Card…", self.detail)
        self.card_button.setToolTip("Write a recall question about this passage (Q)")
        self.card_button.clicked.connect(lambda: self.current_id is not None and self.card_requested.emit(self.current_id))
        colors.addWidget(self.card_button)
        self.delete_button = QPushButton("Delete", self.detail)
        self.delete_button.clicked.connect(lambda: self.current_id is not None and self.delete_requested.emit(self.current_id))
        colors.addWidget(self.delete_button)
        self.answers = AnswerView(self.detail)
        self.answers.setMinimumHeight(48)
        self.answers.citation_clicked.connect(self._on_citation)
        self.problem = ProblemBanner(self.detail)
        self.problem.preferences_requested.connect(self.settings_requested)
        self.problem.retry_requested.connect(self.retry_requested)
        self.problem.cancel_wait_requested.connect(self.cancel_wait_requested)
        self.stop_button = QPushButton("Stop", self.detail)
        self.stop_button.clicked.connect(self.stop_requested)
        self.copy_button = QPushButton("Copy", self.detail)
        self.copy_button.clicked.connect(self.answers.copy_answer)
        self.regen_button = QPushButton("Regenerate", self.detail)
        self.regen_button.clicked.connect(self.regenerate_requested)
        actions = QHBoxLayout()
        actions.addWidget(self.stop_button)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.regen_button)
        actions.addStretch(1)
        self.followup = QLineEdit(self.detail)
        self.followup.setPlaceholderText("Ask Claude a follow-up… (Enter)")
        self.followup.returnPressed.connect(self._send_followup)
        d = QVBoxLayout(self.detail)
        d.setContentsMargins(10, 6, 10, 8)
        d.addWidget(self.passage)
        d.addLayout(colors)
        d.addWidget(self.note)
        d.addWidget(self.answers, 1)
        d.addWidget(self.problem)
        d.addLayout(actions)
        d.addWidget(self.followup)
        d.addStretch(0)  # what is left over when there is no thread to show (the problem stays under the note)
        # in a short window the detail keeps every part whole (an answer's problem, its buttons) and scrolls
        self.detail_area = _DetailArea(self)
        self.detail_area.setObjectName("detailArea")
        self.detail_area.setWidget(self.detail)
        self.detail_area.setWidgetResizable(True)
        self.detail_area.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_area.hide()
        top = QWidget(self)
        t = QVBoxLayout(top)
        t.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.setContentsMargins(12, 8, 12, 2)
        heading.hide()  # the tab already says "Notes"
        head.addStretch(1)
        head.addWidget(self.count)
        t.addLayout(head)
        t.addWidget(self.list, 1)
        t.addWidget(self.empty, 1)
        t.addWidget(self.undo_bar)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(top)
        self.split.addWidget(self.detail_area)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split)
        self._current_at = None
        self._can_regenerate = False

    # -- the list -----------------------------------------------------------------------------------
    def set_highlights(self, rows: list[dict], select: int | None = None) -> None:
        keep = select if select is not None else self.current_id
        self.rows = rows
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(self.list)
            item.setData(ROW, row)
            item.setData(CARDS, self.card_counts.get(row["id"], 0))
            item.setData(Qt.ItemDataRole.DisplayRole, row["text"][:80])
            item.setToolTip(row["text"][:500] + ("\n\nThe transcript was replaced and these words are not in the new one; "
                                                 "the highlight, its note and answers are kept." if row.get("anchor_lost_at") else ""))
        self.list.blockSignals(False)
        self.count.setText(f"{len(rows)} highlight{'s' if len(rows) != 1 else ''}" if rows else "")
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if keep is not None and any(r["id"] == keep for r in rows):
            self.select(keep)
        else:
            self.current_id = None
            self.detail_area.hide()

    def select(self, highlight_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ROW)["id"] == highlight_id:
                self.list.setCurrentRow(i)
                self.list.scrollToItem(self.list.item(i))
                return

    def update_row(self, highlight_id: int, **changes) -> None:
        """Change what one row shows (its note, its answer count) without rebuilding the list."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            row = item.data(ROW)
            if row["id"] == highlight_id:
                row = {**row, **changes}
                item.setData(ROW, row)
                self.rows[i] = row

    def set_card_counts(self, counts: dict[int, int]) -> None:
        """How many cards each highlight has (highlight id -> count), shown in its row."""
        self.card_counts = counts
        for i in range(self.list.count()):
            self.list.item(i).setData(CARDS, counts.get(self.list.item(i).data(ROW)["id"], 0))

    def _card_menu(self, pos) -> None:
        item = self.list.itemAt(pos)
        if item is not None:
            from PySide6.QtWidgets import QMenu

            highlight_id, menu = item.data(ROW)["id"], QMenu(self)
            menu.addAction("Make a Card…", lambda: self.card_requested.emit(highlight_id))
            menu.addAction("Suggest Cards with Claude…", lambda: self.cards_suggest_requested.emit(highlight_id))
            menu.addAction("Delete", lambda: self.delete_requested.emit(highlight_id))
            menu.exec(self.list.viewport().mapToGlobal(pos))

    def set_position(self, ms: int) -> None:
        """Mark the highlight for this moment (the one whose span holds it, else the last before it)."""
        at = None
        for i, row in enumerate(self.rows):
            if row["start_ms"] <= ms:
                at = i
            else:
                break
        if at is not None and ms > self.rows[at]["end_ms"] + 5000:
            at = None
        if at == self._current_at:
            return
        for i in (self._current_at, at):
            if i is not None and i < self.list.count():
                self.list.item(i).setData(CURRENT, i == at)
        self._current_at = at

    def _on_current_changed(self, item, _previous) -> None:
        if item is None:
            self.current_id = None
            self.detail_area.hide()
            self.selection_changed.emit(None)
            return
        row = item.data(ROW)
        self.current_id = row["id"]
        self.passage.setText(f"{short_clock(row['start_ms'])}–{short_clock(row['end_ms'])}   “{row['text']}”")
        self.note.blockSignals(True)
        self.note.setPlainText(row.get("note") or "")
        self.note.blockSignals(False)
        self.detail_area.show()
        self.selection_changed.emit(self.current_id)

    def _on_clicked(self, item) -> None:
        row = item.data(ROW)
        self.seek_requested.emit(row["start_ms"])
        self.flash_requested.emit(row["start_ms"], row["end_ms"])

    def _save_note(self) -> None:
        if self.current_id is not None:
            self.note_edited.emit(self.current_id, self.note.toPlainText())

    def flush_note(self) -> None:
        if self._note_timer.isActive():
            self._note_timer.stop()
            self._save_note()

    def _set_color(self, name: str) -> None:
        if self.current_id is not None:
            self.color_changed.emit(self.current_id, name)

    def show_undo(self, text: str) -> None:
        self.undo_label.setText(text)
        self.undo_bar.show()
        QTimer.singleShot(10_000, self.undo_bar.hide)

    # -- the thread ----------------------------------------------------------------------------------
    def show_thread(self, rows: list[dict], streaming: bool = False) -> None:
        """Render the questions and answers of a thread (called on a timer while one streams)."""
        thread = thread_html(rows, streaming)
        self.answers.show_thread(thread)
        last_plain = thread.plain
        self.stop_button.setVisible(streaming)
        self.copy_button.setVisible(bool(last_plain) and not streaming)
        self._can_regenerate = bool(rows) and not streaming and bool(last_plain)
        self.regen_button.setVisible(self._can_regenerate and self.problem.isHidden())  # else its Retry stands in
        self.followup.setEnabled(bool(rows) and not streaming)
        self.answers.setVisible(bool(rows))

    def show_problem(self, problem) -> None:
        """What went wrong with the last answer (questions.Problem), where the answer would be; None hides it."""
        self.problem.show_problem(problem)
        self.regen_button.setVisible(self._can_regenerate and self.problem.isHidden())

    def _send_followup(self) -> None:
        text = self.followup.text().strip()
        if text:
            self.followup.clear()
            self.followup_requested.emit(text)

    def _on_citation(self, start_ms: int, end_ms: int) -> None:
        self.seek_requested.emit(start_ms)
        self.flash_requested.emit(start_ms, end_ms)
        self.play_requested.emit()
