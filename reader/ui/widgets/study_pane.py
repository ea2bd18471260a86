"""The Study tab: one button per study tool (prompt files), their saved results, and a chat about the video."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...study import Tool
from .answer_view import AnswerView, thread_html


class StudyPane(QWidget):
    tool_requested = Signal(object, bool)  # Tool, run again
    chat_requested = Signal(str)
    stop_requested = Signal()
    seek_requested = Signal(int)
    flash_requested = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("studyPane")
        self.intro = QLabel("Whole-video study aids from Claude, grounded in the transcript: each claim links to "
                            "the moment that supports it. Results are saved; run one again to replace it.", self)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("studyIntro")
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        self.current: Tool | None = None  # the tool whose result is shown: Run again runs it
        self.tools: dict[str, Tool] = {}
        self.title = QLabel("", self)
        self.title.setObjectName("studyTitle")
        self.answers = AnswerView(self)
        self.answers.citation_clicked.connect(lambda a, b: (self.seek_requested.emit(a), self.flash_requested.emit(a, b)))
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.hide()
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.clicked.connect(self.stop_requested)
        self.again_button = QPushButton("Run again", self)
        self.again_button.clicked.connect(lambda: self.current and self.tool_requested.emit(self.current, True))
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.clicked.connect(self.answers.copy_answer)
        self.chat = QLineEdit(self)
        self.chat.setPlaceholderText("Ask about the whole video… (Enter)")
        self.chat.returnPressed.connect(self._send_chat)
        actions = QGridLayout()
        actions.addWidget(self.stop_button, 0, 0)
        actions.addWidget(self.again_button, 0, 1)
        actions.addWidget(self.copy_button, 0, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.intro)
        layout.addLayout(self.grid)
        layout.addWidget(self.title)
        layout.addWidget(self.answers, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        layout.addWidget(self.chat)
        self.show_result(None, [], False)

    def set_tools(self, tools: list[Tool]) -> None:
        """One button per tool (the studying controller reads the prompt files)."""
        for b in self.buttons.values():
            b.deleteLater()
        self.buttons = {}
        self.tools = {t.key: t for t in tools}
        for i, tool in enumerate(tools):
            b = QPushButton(tool.name, self)
            b.setCheckable(True)
            b.setToolTip(tool.prompt[:300])
            b.clicked.connect(lambda _=False, t=tool: self.tool_requested.emit(t, False))
            self.grid.addWidget(b, i // 3, i % 3)
            self.buttons[tool.key] = b

    def show_result(self, title: str | None, rows: list[dict], streaming: bool, key: str | None = None) -> None:
        """Show a tool's result or the chat thread (rows as the store gives them)."""
        for k, b in self.buttons.items():
            b.setChecked(k == key)
        self.current = self.tools.get(key) if key is not None else None
        self.title.setText(title or "")
        self.title.setVisible(bool(title))
        thread = thread_html(rows, streaming, show_questions=key is None)
        if not rows:
            thread.head = "<p style='color:gray'>Choose a tool above, or ask a question about the whole video below.</p>"
        self.answers.show_thread(thread)
        plain = thread.plain
        self.stop_button.setVisible(streaming)
        self.again_button.setVisible(bool(rows) and not streaming and key is not None)
        self.copy_button.setVisible(bool(plain) and not streaming)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _send_chat(self) -> None:
        text = self.chat.text().strip()
        if text:
            self.chat.clear()
            self.chat_requested.emit(text)
