"""The Study tab: one button per study tool (prompt files), their saved results, and a chat about the video."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from reader.asking.study import Tool
from reader.ui.widgets.answer_view import AnswerView, thread_html
from reader.ui.widgets.problem_banner import ProblemBanner


def made_on(iso: str, now: datetime | None = None) -> str:
    """When a result was made, as a short local date: "29 Nov", with the year when it is not this one."""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return ""
    now = now or datetime.now().astimezone()
    return f"{when.day} {when:%b}" + ("" if when.year == now.year else f" {when.year}")


class ToolButton(QPushButton):
    """A study tool: its name, and under it whether it has a result and when it was made."""

    def __init__(self, tool: Tool, parent=None):
        super().__init__(parent)
        self.tool = tool
        self.setCheckable(True)
        self.name = QLabel(tool.name, self)
        self.state = QLabel("", self)
        self.state.setObjectName("toolState")
        font = self.state.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        self.state.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(0)
        for label in (self.name, self.state):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self.toggled.connect(self._on_toggled)
        self.set_result("")

    def _on_toggled(self, on: bool) -> None:
        # the tool on show, plain to see in either theme (a checked button is faint in the dark one), in the
        # link colour rather than bold, which would widen it
        self.name.setForegroundRole(QPalette.ColorRole.Link if on else QPalette.ColorRole.ButtonText)

    def set_result(self, made: str) -> None:
        """An ISO time the result was made, "" for none, "running" or "failed" (a run with no result)."""
        if made == "running":
            state, tip = "running…", "Claude is writing it now."
        elif made == "failed":
            state, tip = "failed", "The last run failed: click to see why, and retry."
        elif made:
            state, tip = f"✓ {made_on(made)}", f"Made {made_on(made)}: click to show it; Run again replaces it."
        else:
            state, tip = "", "Not made yet: click to have Claude make it."
        self.state.setText(state or " ")
        # as rich text, which a tooltip wraps; the description is the user's own words when they wrote the file
        self.setToolTip(f"<p>{html.escape(self.tool.description)}</p><p><i>{html.escape(tip)}</i></p>")
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override): the two lines, not a push button's one
        return self.layout().totalSizeHint().expandedTo(QSize(0, super().sizeHint().height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()


class StudyPane(QWidget):
    tool_requested = Signal(object, bool)  # Tool, run again
    chat_requested = Signal(str)
    stop_requested = Signal()
    retry_requested = Signal()  # the result on show, or its run again, failed: ask again
    cancel_wait_requested = Signal()  # do not ask again by itself after a rate limit
    settings_requested = Signal()
    seek_requested = Signal(int)
    flash_requested = Signal(int, int)
    play_requested = Signal()  # a citation was clicked: hear that moment

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("studyPane")
        self.intro = QLabel("Whole-video study aids from Claude, grounded in the transcript: each claim links to "
                            "the moment that supports it. Results are saved; run one again to replace it.", self)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("studyIntro")
        # the buttons' box asks for no width of its own: it takes as many columns as the pane's width allows
        self.tool_box = QWidget(self)
        self.tool_box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.grid = QGridLayout(self.tool_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.buttons: dict[str, ToolButton] = {}
        self.current: Tool | None = None  # the tool whose result is shown: Run again runs it
        self.tools: dict[str, Tool] = {}
        self.results: dict[str, str] = {}  # tool key -> when its result was made (see ToolButton.set_result)
        self._columns = 0
        self.title = QLabel("", self)
        self.title.setObjectName("studyTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.answers = AnswerView(self)
        self.answers.setMinimumHeight(48)
        self.answers.citation_clicked.connect(self._on_citation)
        self.status = QLabel("", self)
        self.status.setObjectName("studyStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.hide()
        self.problem = ProblemBanner(self)
        self.problem.preferences_requested.connect(self.settings_requested)
        self.problem.retry_requested.connect(self.retry_requested)
        self.problem.cancel_wait_requested.connect(self.cancel_wait_requested)
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
        layout.addWidget(self.tool_box)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.answers, 1)
        layout.addWidget(self.problem)
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
            b = ToolButton(tool, self.tool_box)
            b.set_result(self.results.get(tool.key, ""))
            b.clicked.connect(lambda _=False, t=tool: self.tool_requested.emit(t, False))
            self.buttons[tool.key] = b
        self._columns = 0
        self._place_buttons()

    def _place_buttons(self) -> None:
        """As many columns of tool buttons (at most three) as the pane's width takes without cutting a name."""
        if not self.buttons:
            return
        widest = max(b.minimumSizeHint().width() for b in self.buttons.values())
        room = self.width() - 20
        spacing = self.grid.spacing()
        columns = max(1, min(3, (room + spacing) // (widest + spacing)))
        if columns == self._columns:
            return
        self._columns = columns
        for b in self.buttons.values():
            self.grid.removeWidget(b)
        for i, b in enumerate(self.buttons.values()):
            self.grid.addWidget(b, i // columns, i % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._place_buttons()

    def set_results(self, results: dict[str, str]) -> None:
        """Which tools have a result, and when it was made (tool key -> ISO time, "running" or "failed")."""
        self.results = dict(results)
        for key, b in self.buttons.items():
            b.set_result(self.results.get(key, ""))
        self._columns = 0
        self._place_buttons()
        self._set_title(self.title.property("name") or "")

    def show_result(self, title: str | None, rows: list[dict], streaming: bool, key: str | None = None) -> None:
        """Show a tool's result or the chat thread (rows as the store gives them)."""
        for k, b in self.buttons.items():
            b.setChecked(k == key)
        self.current = self.tools.get(key) if key is not None else None
        self._set_title(title or "")
        self.intro.setVisible(not rows)  # said once, before anything is made: then the room is the result's
        thread = thread_html(rows, streaming, show_questions=key is None)
        if not rows:
            thread.head = "<p style='color:gray'>Choose a tool above, or ask a question about the whole video below.</p>"
        self.answers.show_thread(thread)
        plain = thread.plain
        self.stop_button.setVisible(streaming)
        self.again_button.setVisible(bool(rows) and not streaming and key is not None)
        self.copy_button.setVisible(bool(plain) and not streaming)

    def _set_title(self, name: str) -> None:
        self.title.setProperty("name", name)
        made = self.results.get(self.current.key, "") if self.current is not None else ""
        when = made_on(made) if made not in ("", "running", "failed") else ""
        self.title.setText(f"{name} · made {when}" if name and when else name)
        self.title.setVisible(bool(name))

    def show_problem(self, problem) -> None:
        """What went wrong with the result on show or its run again (questions.Problem); None hides it."""
        self.problem.show_problem(problem)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _on_citation(self, start_ms: int, end_ms: int) -> None:
        self.seek_requested.emit(start_ms)
        self.flash_requested.emit(start_ms, end_ms)
        self.play_requested.emit()

    def _send_chat(self) -> None:
        text = self.chat.text().strip()
        if text:
            self.chat.clear()
            self.chat_requested.emit(text)
