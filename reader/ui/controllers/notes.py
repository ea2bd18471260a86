"""Notes: the open video's highlights, their notes and colours, delete and undo, and the selected conversation."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from reader.asking.keys import no_key
from reader.asking.questions import Problem, problem


class NotesController(QObject):
    """Highlights belong to the open library entry (reading); asking goes through streaming. The highlights
    are read once per change notice, and every pane that shows them is given the same rows."""

    highlights_changed = Signal(list, object)  # rows, highlight id to select (or None)
    row_changed = Signal(int, dict)  # highlight id, changed fields (its note, its answer count)
    conversation_changed = Signal(list, bool)  # rows, streaming
    problem_changed = Signal(object)  # what went wrong with the conversation's last answer (questions.Problem), or None
    undo_offered = Signal(str)
    undo_taken = Signal()

    def __init__(self, reading, streaming, events, parent=None):
        super().__init__(parent)
        self.reading = reading
        self.streaming = streaming
        self.events = events
        self.rows: list[dict] = []
        self.highlight_id: int | None = None  # the one selected
        self.conversation_id: int | None = None  # the one shown beside it
        self.undo_stack: list = []
        self._unasked: tuple | None = None  # the question that could not be asked for want of a key (Retry asks it)
        events.highlights_changed.connect(self.on_events_highlights_changed)
        events.conversation_changed.connect(self.on_events_conversation_changed)
        streaming.no_key.connect(self.on_streaming_no_key)
        streaming.waiting_changed.connect(self.on_streaming_waiting_changed)

    @property
    def store(self):
        return self.reading.store

    # -- the list -------------------------------------------------------------------------------
    def on_reading_session_changed(self, *_):
        self.conversation_id = self.highlight_id = None
        self.rows = []
        self.highlights_changed.emit([], None)
        self.problem_changed.emit(None)
        self.load()

    def load(self, select: int | None = None) -> None:
        video_id = self.reading.video_id
        self.rows = self.store.highlights(video_id) if self.store is not None and video_id is not None else []
        self.highlights_changed.emit(self.rows, select)

    def on_events_highlights_changed(self, video_id: int, select, _source) -> None:
        if video_id == self.reading.video_id:
            self.load(select)

    def highlight_at(self, start_ms: int) -> dict | None:
        return next((r for r in self.rows if r["start_ms"] == start_ms), None)

    def add(self, span: dict, color: str = "yellow", replacing: int | None = None) -> tuple[int | None, bool]:
        """A highlight over span (cue and offset bounds); an identical one is reused (asking about one reuses it).
        With `replacing`, a highlight the new one grows over (a saved line grown over the line before) goes, in
        the same transaction, quietly (no undo: its words stay highlighted) unless it has a note or answers.
        Returns (its id, whether it is new); (None, False) when notes cannot be kept."""
        video_id = self.reading.ensure_entry()
        if video_id is None:
            return None, False
        highlight_id, new = self.store.find_or_add_highlight(video_id, color=color, replacing=replacing, **span)
        if new or replacing is not None:
            self.events.highlights_changed.emit(video_id, highlight_id, self)
        return highlight_id, new

    def edit_note(self, highlight_id: int, note: str) -> None:
        self.store.update_highlight(highlight_id, note=note)
        self.row_changed.emit(highlight_id, {"note": note})

    def set_color(self, highlight_id: int, color: str) -> None:
        self.store.update_highlight(highlight_id, color=color)
        self.events.highlights_changed.emit(self.reading.video_id, highlight_id, self)

    def delete(self, highlight_id: int) -> None:
        video_id = self.reading.video_id
        if self.streaming.busy() and self.streaming.conversation_id in self.store.threads(video_id, highlight_id):
            self.streaming.stop()
        removed = self.store.delete_highlight(highlight_id)
        if removed is not None:
            self.undo_stack.append(removed)
            self.events.highlights_changed.emit(video_id, None, self)
            self.undo_offered.emit("Highlight deleted.")

    def undo(self) -> None:
        if not self.undo_stack or self.store is None:
            return
        row, answers = self.undo_stack.pop()
        self.store.restore_highlight(row, answers)
        self.undo_taken.emit()
        self.events.highlights_changed.emit(row["video_id"], row["id"], self)

    # -- the conversation -------------------------------------------------------------------------
    def select(self, highlight_id: int | None) -> None:
        """A highlight was chosen: show its latest conversation (the one streaming, if it is one of its own)."""
        self.highlight_id = highlight_id
        if highlight_id is None or self.store is None:
            return
        conversations = self.store.threads(self.reading.video_id, highlight_id)
        if self.streaming.busy() and self.streaming.conversation_id in conversations:
            self.conversation_id = self.streaming.conversation_id
        else:
            self.conversation_id = conversations[-1] if conversations else None
        self._show(self.conversation_id, self.streaming.streaming(self.conversation_id))

    def explain(self, highlight_id: int) -> None:
        self.ask(highlight_id, "explain")

    def ask(self, highlight_id: int, kind: str, question: str = "", conversation_id: int | None = None,
            answer_id: int | None = None) -> None:
        self._unasked = None
        conversation = self.streaming.ask(highlight_id, kind, question, conversation_id, answer_id, asker=self)
        if conversation is None:
            self._unasked = (highlight_id, kind, question, conversation_id, answer_id)
        else:
            self.conversation_id = conversation
            self._show(conversation, self.streaming.busy())

    def followup(self, text: str) -> None:
        if self.highlight_id is not None:
            self.ask(self.highlight_id, "followup" if self.conversation_id else "ask", text, self.conversation_id)

    def retry(self) -> None:
        """Ask again what failed: a question no key let through, else the conversation's last answer."""
        if self._unasked is not None and self._unasked[0] == self.highlight_id:
            self.ask(*self._unasked)
        else:
            self.regenerate()

    def regenerate(self) -> None:
        """Ask the conversation's last question again, in its place (Regenerate, and Retry after a failure)."""
        if self.highlight_id is None or self.conversation_id is None:
            return
        rows = self.store.answers(self.conversation_id)
        asked = rows and self.streaming.retry(rows[-1]["id"], self.conversation_id, asker=self) is not None
        if asked:
            self._show(self.conversation_id, self.streaming.busy())

    def on_events_conversation_changed(self, conversation_id, streaming: bool, _source=None) -> None:
        if conversation_id is None and self.conversation_id is None:
            self.conversation_changed.emit([], False)
        elif conversation_id is not None and conversation_id == self.conversation_id:
            self._show(conversation_id, streaming)

    def on_streaming_waiting_changed(self, conversation_id, _seconds: int) -> None:
        if conversation_id is not None and conversation_id == self.conversation_id and self.store is not None:
            self.problem_changed.emit(problem(self.streaming.rows(conversation_id), False, self.streaming.wait_left(conversation_id)))

    def _show(self, conversation_id, streaming: bool) -> None:
        if conversation_id is None or self.store is None:
            self.conversation_changed.emit([], False)
            self.problem_changed.emit(None)
            return
        rows = self.streaming.rows(conversation_id)
        self.conversation_changed.emit(rows, streaming)
        self.problem_changed.emit(problem(rows, streaming, self.streaming.wait_left(conversation_id)))
        if not streaming and self.highlight_id is not None:
            QTimer.singleShot(0, self._count_answers)

    def _count_answers(self) -> None:
        if self.highlight_id is not None and self.store is not None:
            count, failed = self.store.answer_counts(self.highlight_id)
            self.row_changed.emit(self.highlight_id, {"answer_count": count, "failed_count": failed})

    def on_streaming_no_key(self, asker) -> None:
        if asker is self:
            self.problem_changed.emit(Problem(*no_key("to explain passages")))
