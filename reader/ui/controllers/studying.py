"""Studying: the study tools (prompt files, read when the Study tab opens) and the chat about the whole video."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ...questions import begin
from ...study import Tool, tools


class StudyingController(QObject):
    """Runs a tool or shows its saved result, and keeps the video's chat. The tools are read from disk
    by reload_tools, not on every redraw of a streaming result."""

    tools_changed = Signal(list)  # [Tool]
    result_changed = Signal(object, list, bool, object)  # title (or None), rows, streaming, tool key (None: the chat)
    status_changed = Signal(str)
    shown = Signal()  # a tool was chosen: the Study tab should be in front

    def __init__(self, reading, streaming, events, parent=None):
        super().__init__(parent)
        self.reading = reading
        self.streaming = streaming
        self.tools: list[Tool] = []
        self.conversation_id: int | None = None
        self.key: str | None = None  # the tool shown; None for the chat
        events.conversation_changed.connect(self.on_events_conversation_changed)
        streaming.no_key.connect(self.on_streaming_no_key)

    @property
    def store(self):
        return self.reading.store

    def reload_tools(self) -> None:
        """Read the prompt files again (a file added to prompts/tools shows up when the Study tab opens)."""
        self.tools = tools()
        self.tools_changed.emit(self.tools)

    def tool(self, key: str | None) -> Tool | None:
        return next((t for t in self.tools if t.key == key), None) if key else None

    def on_reading_session_changed(self, *_) -> None:
        self.conversation_id = self.key = None
        self.result_changed.emit(None, [], False, None)
        self.status_changed.emit("")

    def show(self, streaming: bool | None = None) -> None:
        if streaming is None:
            streaming = self.streaming.streaming(self.conversation_id)
        rows = self.streaming.rows(self.conversation_id) if self.conversation_id is not None else []
        tool = self.tool(self.key)
        title = tool.name if tool else ("Questions about this video" if rows else None)
        self.result_changed.emit(title, rows, streaming, self.key)

    def on_events_conversation_changed(self, conversation_id, streaming: bool, _source=None) -> None:
        if conversation_id is not None and conversation_id == self.conversation_id and self.store is not None:
            self.show(streaming)

    def run_tool(self, tool: Tool, again: bool = False) -> None:
        """Show a tool's saved result, or run it (again: replace the saved one)."""
        video_id = self.reading.ensure_entry()
        if video_id is None:
            return
        self.shown.emit()
        self.status_changed.emit("")
        saved = next((s["thread_id"] for s in self.store.study_threads(video_id) if s["kind"] == f"study:{tool.key}"), None)
        self.key = tool.key
        if saved is not None and not again:
            self.conversation_id = saved
            self.show()
            return
        answer_id = self.store.answers(saved)[0]["id"] if saved is not None else None
        conversation = self.streaming.ask_with(
            lambda store, model, tr: begin(store, None, "study", "", saved, model, answer_id, tr, video_id=video_id, tool=tool), saved)
        if conversation is not None:
            self.conversation_id = conversation
            self.show(True)

    def chat(self, question: str) -> None:
        video_id = self.reading.ensure_entry()
        if video_id is None:
            return
        chat = self.conversation_id if self.key is None else None
        if chat is None:
            chat = next((s["thread_id"] for s in self.store.study_threads(video_id) if s["kind"] == "chat"), None)
        self.key = None
        conversation = self.streaming.ask_with(
            lambda store, model, tr: begin(store, None, "chat", question, chat, model, None, tr, video_id=video_id), chat)
        if conversation is not None:
            self.conversation_id = conversation
            self.show(True)

    def on_streaming_no_key(self) -> None:
        self.status_changed.emit("Claude needs an API key for study tools: set ANTHROPIC_API_KEY, or add one in Preferences (Ctrl+,).")
