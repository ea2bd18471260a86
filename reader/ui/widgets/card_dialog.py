"""The card dialog: write or edit a recall card's question and answer, and the lines of the video it rests on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPlainTextEdit, QToolButton, QVBoxLayout,
)

from reader.library.opened import display_title
from reader.transcript.writers import short_clock


def overlapping(lines: list[tuple[int, int, str]], start_ms: int, end_ms: int) -> tuple[int, int] | None:
    """The first and last line spoken between two times (as a card's passage counts them), if any."""
    found = [i for i, (s, e, _t) in enumerate(lines) if s < max(end_ms, start_ms + 1) and max(e, s + 1) > start_ms]
    return (found[0], found[-1]) if found else None


def note_box(parent, placeholder: str, lines: int) -> QPlainTextEdit:
    """A few lines of plain text to write in; Tab moves on rather than typing a tab."""
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def show_problem(label: QLabel, text: str) -> None:
    """A problem in red under what it is about (a lighter red on a dark theme, so it can be read), or none."""
    dark = label.palette().window().color().lightness() < 128
    label.setStyleSheet(f"color: {'#f28b82' if dark else '#c5221f'};")
    label.setText(text)
    label.setVisible(bool(text))


class CardDialog(QDialog):
    """Opened on a CardDraft (edit); Save hands the question, answer and moments to `save`, which stores them
    and returns "" or a sentence saying why not, shown under the answer."""

    def __init__(self, save, parent=None):
        super().__init__(parent)
        self.setObjectName("cardDialog")
        self.save = save
        self.draft = None
        self.lines: list[tuple[int, int, str]] = []
        self.first = self.last = 0
        self.start_ms = self.end_ms = 0
        self.heading = QLabel(self)
        self.heading.setObjectName("cardHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: 600;")
        self.moments = QLabel(self)
        self.moments.setObjectName("cardMoments")
        self.passage = QPlainTextEdit(self)
        self.passage.setObjectName("cardPassage")
        self.passage.setReadOnly(True)
        self.passage.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.passage.setStyleSheet("QPlainTextEdit { background: palette(alternate-base); font-style: italic; }")
        self.passage.setFixedHeight(self.passage.fontMetrics().lineSpacing() * 3 + 14)
        self.passage.setToolTip("What is said at these moments: the passage the card rests on")
        row = QHBoxLayout()
        row.addWidget(self.moments, 1)
        self.steps = {}
        for name, text, tip, first, delta in (
                ("start_earlier", "◀", "Start one line earlier", True, -1), ("start_later", "▶", "Start one line later", True, 1),
                ("end_earlier", "◀", "End one line earlier", False, -1), ("end_later", "▶", "End one line later", False, 1)):
            if name == "end_earlier":
                row.addSpacing(10)
                row.addWidget(QLabel("End:", self))
            elif name == "start_earlier":
                row.addWidget(QLabel("Start:", self))
            button = QToolButton(self)
            button.setStyleSheet("QToolButton:disabled { color: palette(mid); }")  # the dark palette greys nothing
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(lambda _=False, f=first, d=delta: self.step(f, d))
            row.addWidget(button)
            self.steps[name] = button
        self.question = note_box(self, "The question: what should you be able to recall? (required)", 2)
        self.answer = note_box(self, "The answer, as you would want to remember it (optional)", 3)
        self.problem = QLabel(self)
        self.problem.setObjectName("cardProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip("Save the card (Ctrl+Enter)")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(row)
        layout.addWidget(self.passage)
        layout.addSpacing(4)
        layout.addWidget(QLabel("Question (required)", self))
        layout.addWidget(self.question)
        layout.addWidget(QLabel("Answer", self))
        layout.addWidget(self.answer)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def edit(self, draft) -> None:
        """Show a draft (a new card when draft.card_id is None) and open, modal to the window."""
        self.draft = draft
        self.setWindowTitle("Make a Card" if draft.card_id is None else "Edit Card")
        self.heading.setText(display_title(draft.title, 120))
        self.lines = draft.lines
        self.start_ms, self.end_ms = draft.start_ms, draft.end_ms
        found = overlapping(self.lines, self.start_ms, self.end_ms)
        self.first, self.last = found if found else (0, -1)
        for button in self.steps.values():
            button.setVisible(found is not None)
        self.question.setPlainText(draft.question)
        self.answer.setPlainText(draft.answer)
        self.problem.hide()
        self._show_moments()
        width = min(560, self.parentWidget().width() - 40) if self.parentWidget() else 560
        self.resize(max(360, width), self.sizeHint().height())
        self.open()
        self.question.setFocus()

    def step(self, first: bool, delta: int) -> None:
        """Move the start (first) or the end of the card by one whole line; it stays at least one line long."""
        if first:
            self.first = min(max(0, self.first + delta), self.last)
        else:
            self.last = max(min(len(self.lines) - 1, self.last + delta), self.first)
        self.start_ms, self.end_ms = self.lines[self.first][0], max(self.lines[self.last][1], self.lines[self.first][0] + 1)
        self._show_moments()

    def _show_moments(self) -> None:
        self.moments.setText(f"{short_clock(self.start_ms)} – {short_clock(self.end_ms)}")
        self.passage.setPlainText(" ".join(t for _s, _e, t in self.lines[self.first:self.last + 1]))
        self.steps["start_earlier"].setEnabled(self.first > 0)
        self.steps["start_later"].setEnabled(self.first < self.last)
        self.steps["end_earlier"].setEnabled(self.last > self.first)
        self.steps["end_later"].setEnabled(self.last < len(self.lines) - 1)

    def try_save(self) -> None:
        problem = self.save(self.draft, self.question.toPlainText(), self.answer.toPlainText(), self.start_ms, self.end_ms)
        show_problem(self.problem, problem)
        if problem:
            self.question.setFocus()
        else:
            self.accept()

    def keyPressEvent(self, event) -> None:
        """Ctrl+Enter saves, from the question or the answer too (they pass it on: it types nothing)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.try_save()
        else:
            super().keyPressEvent(event)
