"""The review session page (the cards due now, one at a time, then how it went) and a checkpoint's one-card dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from reader.ui.controllers.reviewing import RATING_LABELS
from reader.ui.shortcuts import REVIEW_KEYS, SHORTCUTS
from reader.ui.widgets.page_header import page_header
from reader.ui.widgets.review_card import CardView, bind


def _soon(when: str) -> str:
    return "in less than a minute" if when == "now" else when  # not due yet (else it would be counted due)


def summary_text(summary) -> tuple[str, str]:
    """The heading and the sentences that end a round."""
    if not summary.reviewed:
        if not summary.cards:
            return ("No cards yet", "Make cards from your highlights (or let Claude suggest some for a chapter): "
                    "each comes back here when it is due, spaced out by how well you remembered it.")
        return "Nothing is due", f"All caught up. The next card is due {_soon(summary.next_due)}."
    counts = ", ".join(f"{summary.ratings[n]} {RATING_LABELS[n].lower()}" for n in RATING_LABELS if summary.ratings.get(n))
    heading = f"{summary.reviewed} card{'s' * (summary.reviewed != 1)} reviewed"
    lines = [f"How they went: {counts}."]
    if summary.due_now:
        lines.append(f"{summary.due_now} card{'s are' if summary.due_now != 1 else ' is'} due again now.")
    elif summary.next_due:
        lines.append(f"The next card is due {_soon(summary.next_due)}.")
    return heading, " ".join(lines)


class ReviewSessionPage(QWidget):
    """A page of the window. `card` is the CardView; the window's reviewing keys call it (menus.review_keys)."""

    more_requested = Signal()
    stage_changed = Signal(str)  # the card view's stage, or "" while the summary shows
    checkpoint_closed = Signal()  # a checkpoint's question was rated or skipped: playing may go on

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reviewSession")
        self.progress = QLabel("", self)
        self.progress.setObjectName("sessionProgress")
        top, self.back_button = page_header(self, "Review Cards", self.progress)
        self.card = CardView(self)
        self.done = QWidget(self)
        self.done_heading = QLabel("", self.done)
        self.done_heading.setObjectName("libraryHeading")
        self.done_heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_text = QLabel("", self.done)
        self.done_text.setWordWrap(True)
        self.done_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.more_button = QPushButton("", self.done)
        self.more_button.clicked.connect(self.more_requested)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.done_heading)
        column.addWidget(self.done_text)
        column.addSpacing(8)
        column.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        done = QHBoxLayout(self.done)  # a column of readable width, centred
        done.addStretch(1)
        done.addLayout(column, 4)
        done.addStretch(1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.card)
        self.stack.addWidget(self.done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.card.stage_changed.connect(self.stage_changed)
        self.controller = self.checkpoint = self.checkpoint_dialog = self.settings_slot = None

    def bind(self, controller, checkpoint, settings_slot) -> None:
        """The session's round, and the round a checkpoint's dialog asks its card in."""
        self.controller, self.checkpoint, self.settings_slot = controller, checkpoint, settings_slot
        bind(self.card, controller, settings_slot)
        controller.card_shown.connect(self.show_front)
        controller.finished.connect(self.show_summary)

    def ask_checkpoint(self, card_id: int) -> None:
        """Playback stopped at a chapter's end: ask one of its cards in a dialog (made the first time)."""
        if self.checkpoint_dialog is None:
            self.checkpoint_dialog = CheckpointDialog(self.checkpoint, self.settings_slot, self.window())
            self.checkpoint_dialog.finished.connect(lambda _result: self.checkpoint_closed.emit())
        self.checkpoint_dialog.ask(card_id)

    def hideEvent(self, event) -> None:
        if self.controller is not None:
            self.controller.stop()  # the page was left: a check still running ends, kept as far as it came
        super().hideEvent(event)

    def show_front(self, front) -> None:
        videos = f" · video {front.video_position} of {front.videos}" if front.videos > 1 else ""
        self.progress.setText(f"Card {front.position} of {front.total}{videos}")
        self.stack.setCurrentWidget(self.card)

    def show_summary(self, summary) -> None:
        self.card.clear()
        heading, text = summary_text(summary)
        self.done_heading.setText(heading)
        self.done_text.setText(text)
        self.progress.setText("")
        self.more_button.setText(f"Review the {summary.due_now} due now" if summary.due_now else "")
        self.more_button.setVisible(summary.due_now > 0)
        self.stack.setCurrentWidget(self.done)
        if summary.due_now:
            self.more_button.setFocus()


class CheckpointDialog(QDialog):
    """A chapter has ended while watching: one of its cards, with the same question, reveal and ratings as the
    session page (and the same keys). Closes once it is rated; Skip (Esc) closes without a review. Made once
    and shown again at each checkpoint (ask)."""

    def __init__(self, controller, settings_slot, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Before the next chapter")
        self.setObjectName("checkpointDialog")
        self.resize(720, 560)
        self.controller = controller
        intro = QLabel("That chapter has ended. A question about it, while it is fresh:", self)
        intro.setObjectName("checkpointIntro")
        self.card = CardView(self)
        bind(self.card, controller, settings_slot)
        controller.finished.connect(lambda _summary: self.accept())
        skip = QPushButton("Skip (Esc)", self)
        skip.setAutoDefault(False)
        skip.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.setContentsMargins(16, 0, 16, 8)
        row.addWidget(intro, 1)
        row.addWidget(skip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.card, 1)
        self.actions_by_name: dict[str, QAction] = {}
        card = self.card
        for name, slot in (("reveal", card.request_reveal), ("check_answer", card.request_check),
                           *((n, lambda _=False, r=r: card.request_rate(r)) for r, n in
                             enumerate(("rate_again", "rate_hard", "rate_good", "rate_easy"), 1))):
            action = QAction(SHORTCUTS[name].label, self)
            action.setShortcuts([QKeySequence(k) for k in SHORTCUTS[name].keys])
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions_by_name[name] = action
        card.stage_changed.connect(self._on_stage)
        self.finished.connect(lambda _result: controller.stop())

    def ask(self, card_id: int) -> None:
        """Show the dialog (modal to the window, without blocking) with this card's question."""
        self.open()
        self.controller.start_card(card_id)

    def _on_stage(self, stage: str) -> None:
        for name, action in self.actions_by_name.items():
            action.setEnabled(name in REVIEW_KEYS.get(stage, ()))
