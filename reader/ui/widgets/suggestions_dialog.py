"""Claude's suggested cards: wait for them (or cancel), then read, edit, accept or reject each, and see what the check dropped."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QToolButton, QVBoxLayout, QWidget,
)

from reader.transcript.writers import short_clock
from reader.ui.widgets.card_dialog import note_box, show_problem


class SuggestionItem(QFrame):
    """One suggestion: its time (click to play it), question and answer (editable until accepted), the quotes it
    rests on, and Accept / Reject."""

    play_requested = Signal(object)  # this item
    decided = Signal()

    def __init__(self, suggestion, keep, parent=None):
        super().__init__(parent)
        self.setObjectName("suggestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.suggestion = suggestion
        self.keep = keep
        self.state = "open"  # "accepted" or "rejected" once decided
        self.time = QPushButton(self)
        self.time.setObjectName("suggestionTime")
        self.time.setFlat(True)
        self.time.setCursor(Qt.CursorShape.PointingHandCursor)
        self.time.setToolTip("Play this moment of the video")
        self.time.clicked.connect(lambda: self.play_requested.emit(self))
        self.verdict = QLabel(self)
        self.verdict.setObjectName("suggestionVerdict")
        self.accept_button = QPushButton("Accept", self)
        self.accept_button.setToolTip("Keep it as a card, as it reads now")
        self.accept_button.clicked.connect(self.accept)
        self.reject_button = QPushButton("Reject", self)
        self.reject_button.clicked.connect(lambda: self._decide("rejected"))
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.clicked.connect(lambda: self._decide("open"))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.time)
        top.addWidget(self.verdict, 1)
        for b in (self.undo_button, self.reject_button, self.accept_button):
            top.addWidget(b)
        self.question = note_box(self, "The question", 2)
        self.question.setPlainText(suggestion.question)
        self.answer = note_box(self, "The answer", 3)
        self.answer.setPlainText(suggestion.answer)
        quotes = " · ".join(f"“{html.escape(q)}”" for q in suggestion.evidence)
        self.evidence = QLabel(f"<i>Rests on: {quotes}</i>" if quotes else "", self)
        self.evidence.setObjectName("suggestionEvidence")
        self.evidence.setWordWrap(True)
        self.evidence.setVisible(bool(quotes))
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self.question)
        layout.addWidget(self.answer)
        layout.addWidget(self.evidence)
        layout.addWidget(self.problem)
        self.set_playing(False)
        self._decide("open")

    def set_playing(self, playing: bool) -> None:
        s = self.suggestion
        self.playing = playing
        self.time.setText(f"{'⏸' if playing else '▶'} {short_clock(s.start_ms)}–{short_clock(s.end_ms)}")

    def accept(self) -> None:
        """Store it as shown (edits included); a problem (an emptied question, say) is shown instead."""
        if self.state != "open":
            return
        problem = self.keep(self.suggestion, self.question.toPlainText(), self.answer.toPlainText())
        show_problem(self.problem, problem)
        if not problem:
            self._decide("accepted")

    def _decide(self, state: str) -> None:
        self.state = state
        self.problem.hide()
        for box in (self.question, self.answer):
            box.setReadOnly(state != "open")
            box.setVisible(state != "rejected")
        self.evidence.setVisible(state != "rejected" and bool(self.suggestion.evidence))
        self.accept_button.setVisible(state == "open")
        self.reject_button.setVisible(state == "open")
        self.undo_button.setVisible(state == "rejected")
        self.verdict.setText({"accepted": "✓ Accepted: saved as a card", "rejected": f"Rejected: {self.suggestion.question}",
                              "open": ""}[state])
        self.verdict.setEnabled(state != "rejected")
        self.decided.emit()


class SuggestionsDialog(QDialog):
    """Opened by start(what) while Claude is asked (Cancel stops waiting); then shows the suggestions, or the
    failure with Retry (or Preferences, without a key). `keep(suggestion, question, answer)` stores one and
    returns "" or why not."""

    cancel_requested = Signal()
    retry_requested = Signal()
    settings_requested = Signal()
    play_requested = Signal(int)  # ms
    pause_requested = Signal()

    def __init__(self, keep, parent=None):
        super().__init__(parent)
        self.setObjectName("suggestionsDialog")
        self.setWindowTitle("Cards Suggested by Claude")
        self.keep = keep
        self.items: list[SuggestionItem] = []
        self.busy = False
        self.what = ""
        self.heading = QLabel(self)
        self.heading.setObjectName("suggestionsHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        # waiting for Claude
        self.waiting = QWidget(self)
        self.progress = QProgressBar(self.waiting)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", self.waiting)
        self.cancel_button.clicked.connect(self.reject)
        w = QHBoxLayout(self.waiting)
        w.setContentsMargins(0, 0, 0, 0)
        w.addWidget(self.progress, 1)
        w.addWidget(self.cancel_button)
        # a failure, in the banner's colours
        self.failure = QFrame(self)
        self.failure.setObjectName("banner")
        self.failure.setProperty("level", "error")
        self.failure_text = QLabel(self.failure)
        self.failure_text.setWordWrap(True)
        self.failure_text.setTextFormat(Qt.TextFormat.PlainText)
        self.failure_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("Retry", self.failure)
        self.retry_button.clicked.connect(self.retry_requested)
        self.settings_button = QPushButton("Open Preferences…", self.failure)
        self.settings_button.clicked.connect(self._open_settings)
        f = QHBoxLayout(self.failure)
        f.setContentsMargins(12, 8, 8, 8)
        f.addWidget(self.failure_text, 1)
        f.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        f.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)
        # the suggestions
        self.list = QWidget(self)
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.list)
        self.dropped_button = QToolButton(self)
        self.dropped_button.setObjectName("droppedToggle")
        self.dropped_button.setCheckable(True)
        self.dropped_button.setAutoRaise(True)
        self.dropped_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.dropped_button.toggled.connect(self._show_dropped)
        self.dropped = QLabel(self)
        self.dropped.setObjectName("droppedReasons")
        self.dropped.setWordWrap(True)
        self.dropped.hide()
        self.summary = QLabel(self)
        self.accept_all = QPushButton("Accept All", self)
        self.accept_all.clicked.connect(self._accept_all)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary)
        bottom.addStretch(1)
        bottom.addWidget(self.accept_all)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.waiting)
        layout.addWidget(self.failure)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.dropped_button)
        layout.addWidget(self.dropped)
        layout.addStretch(0)  # takes the room while there is no list to take it
        layout.addLayout(bottom)

    # -- the three states ------------------------------------------------------------------------------
    def start(self, what: str) -> None:
        """Claude is being asked about `what`: a busy bar and Cancel; opens the dialog if it is closed."""
        self.busy = True
        self.what = what
        self.heading.setText(f"Asking Claude for cards about {what}… This takes a moment; each suggestion is checked "
                             "against the transcript before it is shown.")
        self._clear()
        self._show_part("waiting")
        if not self.isVisible():
            self.open()
        self._fit(0)

    def show_failure(self, text: str, no_key: bool) -> None:
        self.busy = False
        self.heading.setText(f"No cards about {self.what}.")
        self.failure_text.setText(text)
        self._level("error")
        self.retry_button.setVisible(not no_key)
        self.settings_button.setVisible(no_key)
        self._show_part("failure")
        self._fit(0)

    def show_suggestions(self, result) -> None:
        """Claude's suggestions that passed the check (result.kept), and why the others were dropped."""
        self.busy = False
        self._clear()
        for suggestion in result.kept:
            item = SuggestionItem(suggestion, self.keep, self.list)
            item.play_requested.connect(self._play)
            item.decided.connect(self._count)
            self.list_layout.insertWidget(self.list_layout.count() - 1, item)
            self.items.append(item)
        n, dropped = len(result.kept), list(result.dropped)
        self.heading.setText(f"Claude suggests {n} card{'s' * (n != 1)} about {self.what}. Edit them as you like, then "
                             "accept the ones worth remembering; the others are not kept." if n else
                             f"Claude's suggestions about {self.what} all failed the check, so there are none to show.")
        self.dropped_button.setText(f"{len(dropped)} more suggestion{'s were' if len(dropped) != 1 else ' was'} dropped by the "
                                    "check against the transcript: why" if dropped else
                                    "Every suggestion passed the check: the quotes it rests on are in the transcript.")
        self.dropped_button.setEnabled(bool(dropped))
        self.dropped_button.setArrowType(Qt.ArrowType.RightArrow if dropped else Qt.ArrowType.NoArrow)
        self.dropped.setText("".join(f"• {d}\n" for d in dropped).strip())
        self._show_part("list")
        self.retry_button.setVisible(not n)
        self._count()
        self._fit(680 if n else 0)

    def _fit(self, height: int) -> None:
        """As tall as `height` (0: what it shows needs), at most the window's height, centred on the window."""
        parent = self.parentWidget()
        width = min(720, parent.width() - 40) if parent is not None else 720
        self.layout().activate()
        height = max(height, self.heightForWidth(width), self.minimumSizeHint().height())
        if parent is not None:
            height = min(height, parent.height() - 40)
        self.resize(width, height)
        if parent is not None:
            self.move(parent.mapToGlobal(parent.rect().center()) - self.rect().center())

    def _show_part(self, part: str) -> None:
        self.waiting.setVisible(part == "waiting")
        self.failure.setVisible(part == "failure" or (part == "list" and not self.items))
        if part == "list" and not self.items:
            self.failure_text.setText("Ask again for a new set: Claude writes different ones each time.")
            self._level("info")
            self.settings_button.hide()
        self.scroll.setVisible(part == "list" and bool(self.items))
        for w in (self.dropped_button, self.summary, self.accept_all):
            w.setVisible(part == "list")
        self.dropped.setVisible(part == "list" and self.dropped_button.isChecked())
        self.close_button.setVisible(part != "waiting")

    def _level(self, level: str) -> None:
        self.failure.setProperty("level", level)
        self.failure.style().unpolish(self.failure)
        self.failure.style().polish(self.failure)

    def _clear(self) -> None:
        for item in self.items:
            item.setParent(None)
            item.deleteLater()
        self.items = []
        self.dropped_button.setChecked(False)

    def _count(self) -> None:
        accepted = sum(i.state == "accepted" for i in self.items)
        rejected = sum(i.state == "rejected" for i in self.items)
        left = len(self.items) - accepted - rejected
        self.summary.setText(f"{accepted} accepted, {rejected} rejected, {left} to decide")
        self.accept_all.setEnabled(left > 0)
        self.close_button.setText("Done" if self.items and not left else "Close")

    def _accept_all(self) -> None:
        for item in self.items:
            item.accept()

    def _show_dropped(self, shown: bool) -> None:
        self.dropped.setVisible(shown)
        self.dropped_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _open_settings(self) -> None:
        self.settings_requested.emit()  # Preferences is modal: when it closes, try again with the key it took
        self.retry_requested.emit()

    # -- playing a suggestion's moment -------------------------------------------------------------------
    def _play(self, item: SuggestionItem) -> None:
        if item.playing:
            self.pause_requested.emit()
            return
        for other in self.items:
            other.set_playing(other is item)
        self.play_requested.emit(item.suggestion.start_ms)

    def set_playing(self, playing: bool) -> None:
        """The player stopped (or started by other means): no item shows itself as playing."""
        if not playing:
            for item in self.items:
                item.set_playing(False)

    def done(self, result: int) -> None:
        if self.busy:
            self.busy = False
            self.cancel_requested.emit()
        if any(item.playing for item in self.items):
            self.pause_requested.emit()
        super().done(result)
