"""Studying: the study tools (prompt files, read when the Study tab opens) and the chat about the whole video."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.asking.keys import no_key
from reader.asking.questions import Problem, begin, problem
from reader.asking.study import Tool, tools
from reader.base.citations import has_content

RUNNING_AGAIN = "Running again… this result stays until the new one is complete."


class StudyingController(QObject):
    """Runs a tool or shows its saved result, and keeps the video's chat. The tools are read from disk
    by reload_tools, not on every redraw of a streaming result.

    Run again asks in a new thread while the earlier result stays on show; the new result replaces it
    (and it is deleted) only once it has arrived whole. Should it fail, the earlier result stays, with
    the failure and its Retry below it."""

    tools_changed = Signal(list)  # [Tool]
    results_changed = Signal(dict)  # tool key -> when its result was made (ISO time; "" none yet, "running", "failed")
    result_changed = Signal(object, list, bool, object)  # title (or None), rows, streaming, tool key (None: the chat)
    problem_changed = Signal(object)  # what went wrong with the result on show or its new run (questions.Problem), or None
    status_changed = Signal(str)
    shown = Signal()  # a tool was chosen: the Study tab should be in front

    def __init__(self, reading, streaming, events, parent=None):
        super().__init__(parent)
        self.reading = reading
        self.streaming = streaming
        self.tools: list[Tool] = []
        self.conversation_id: int | None = None  # the thread on show
        self.pending: int | None = None  # a run again of the tool on show, while it runs or after it failed
        self.key: str | None = None  # the tool shown; None for the chat
        self._unasked = None  # what could not be asked for want of a key (Retry asks it)
        events.conversation_changed.connect(self.on_events_conversation_changed)
        streaming.no_key.connect(self.on_streaming_no_key)
        streaming.waiting_changed.connect(self.on_streaming_waiting_changed)

    @property
    def store(self):
        return self.reading.store

    def reload_tools(self) -> None:
        """Read the prompt files again (a file added to prompts/tools shows up when the Study tab opens)."""
        self.tools = tools()
        self.tools_changed.emit(self.tools)
        self._announce_results()

    def tool(self, key: str | None) -> Tool | None:
        return next((t for t in self.tools if t.key == key), None) if key else None

    def on_reading_session_changed(self, *_) -> None:
        self.conversation_id = self.key = self.pending = self._unasked = None
        self.result_changed.emit(None, [], False, None)
        self.problem_changed.emit(None)
        self.status_changed.emit("")
        self._announce_results()

    def _saved(self, video_id: int) -> dict[str, dict]:
        return {s["kind"]: s for s in self.store.study_threads(video_id)} if self.store is not None else {}

    def _announce_results(self) -> None:
        """Say which tools have a result and when it was made (or that one runs, or failed without one)."""
        video_id = self.reading.video_id
        results: dict[str, str] = {}
        if video_id is not None and self.store is not None:
            for kind, s in self._saved(video_id).items():
                if kind.startswith("study:"):
                    results[kind[6:]] = s["made_at"] or "failed"
            if self.streaming.busy():
                row = self.store.answer(self.streaming.conversation_id)
                if row is not None and row["video_id"] == video_id and row["kind"].startswith("study:"):
                    results[row["kind"][6:]] = "running"
        self.results_changed.emit(results)

    def show(self, streaming: bool | None = None) -> None:
        rows = self.streaming.rows(self.conversation_id) if self.conversation_id is not None else []
        if not rows and self.pending is not None:  # the run again arrived whole and has replaced it already
            self.conversation_id, self.pending = self.pending, None
            rows = self.streaming.rows(self.conversation_id)
        running_again = self.pending is not None and self.streaming.streaming(self.pending)
        if streaming is None:
            streaming = self.streaming.streaming(self.conversation_id)
        tool = self.tool(self.key)
        title = tool.name if tool else ("Questions about this video" if rows else None)
        self.result_changed.emit(title, rows, streaming or running_again, self.key)
        self.status_changed.emit(RUNNING_AGAIN if running_again else "")
        if self.pending is not None and not running_again:
            self.problem_changed.emit(problem(self.streaming.rows(self.pending), False, self.streaming.wait_left(self.pending)))
        elif running_again:
            self.problem_changed.emit(None)
        else:
            self.problem_changed.emit(problem(rows, streaming, self.streaming.wait_left(self.conversation_id)))

    def on_events_conversation_changed(self, conversation_id, streaming: bool, _source=None) -> None:
        if conversation_id is None or self.store is None:
            return
        if not streaming:
            self._settle(conversation_id)
        if conversation_id in (self.conversation_id, self.pending):
            self.show(streaming if conversation_id == self.conversation_id else None)

    def _settle(self, thread_id: int) -> None:
        """A run of a study tool has ended: a whole result takes the place of the one on show (the store
        has kept it alone, questions.record)."""
        row = self.store.answer(thread_id)
        if row is None or row["highlight_id"] is not None or not row["kind"].startswith("study:"):
            return
        if row["status"] == "complete" and has_content(row["answer"]) and thread_id == self.pending:
            self.conversation_id, self.pending = thread_id, None
        self._announce_results()

    def on_streaming_waiting_changed(self, conversation_id, _seconds: int) -> None:
        if conversation_id is not None and conversation_id in (self.conversation_id, self.pending):
            self.show()

    def run_tool(self, tool: Tool, again: bool = False) -> None:
        """Show a tool's saved result (and a newer run that failed), or run it: the first time, or again."""
        video_id = self.reading.ensure_entry()
        if video_id is None:
            return
        self.shown.emit()
        self.status_changed.emit("")
        self._unasked = None
        saved = self._saved(video_id).get(f"study:{tool.key}")
        if self.key != tool.key or not again:
            self.pending = None
        self.key = tool.key
        if saved is not None and not again:
            self.conversation_id, self.pending = saved["thread_id"], saved["attempt_id"]
            self.show()
            return
        conversation = self.streaming.ask_with(
            lambda store, model, tr: begin(store, None, "study", "", None, model, None, tr, video_id=video_id, tool=tool), asker=self)
        if conversation is None:
            self._unasked = lambda: self.run_tool(tool, again)
            if saved is None:
                self.conversation_id = None
                self.result_changed.emit(tool.name, [], False, tool.key)
            return
        if saved is not None and saved["made_at"]:  # the earlier result stays until the new one is whole
            self.conversation_id, self.pending = saved["thread_id"], conversation
        else:
            self.conversation_id, self.pending = conversation, None
        self._announce_results()
        self.show()

    def retry(self) -> None:
        """Ask the failed question again, in its place: a run again that failed, else the last answer on show
        (or what no key let through)."""
        if self._unasked is not None:
            unasked, self._unasked = self._unasked, None
            unasked()
            return
        thread = self.pending if self.pending is not None else self.conversation_id
        if thread is None or self.store is None:
            return
        rows = self.store.answers(thread)
        if not rows:
            return
        asked = self.streaming.retry(rows[-1]["id"], thread, asker=self)
        if asked is not None:
            self._announce_results()
            self.show()

    def chat(self, question: str) -> None:
        video_id = self.reading.ensure_entry()
        if video_id is None:
            return
        chat = self.conversation_id if self.key is None else None
        if chat is None:
            chat = next((s["thread_id"] for s in self.store.study_threads(video_id) if s["kind"] == "chat"), None)
        self.key, self.pending, self._unasked = None, None, None
        conversation = self.streaming.ask_with(
            lambda store, model, tr: begin(store, None, "chat", question, chat, model, None, tr, video_id=video_id), chat, asker=self)
        if conversation is not None:
            self.conversation_id = conversation
            self.show(True)
        else:
            self._unasked = lambda: self.chat(question)

    def on_streaming_no_key(self, asker) -> None:
        if asker is self:
            self.problem_changed.emit(Problem(*no_key("for study tools")))
