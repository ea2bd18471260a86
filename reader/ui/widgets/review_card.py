"""One card under review: the question and a box to answer in, then the reference, the passage with its clip, the
note, Claude's check, and the four ratings. Used by the review session page and by a checkpoint's dialog."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QStackedWidget, QVBoxLayout,
    QWidget,
)

from reader.cards.scheduling import RATINGS
from reader.library.opened import display_title
from reader.transcript.writers import short_clock
from reader.ui.controllers.clips import ClipController
from reader.ui.controllers.reviewing import RATING_LABELS
from reader.ui.player import Player
from reader.ui.shortcuts import SHORTCUTS
from reader.ui.widgets.answer_view import render_markdown
from reader.ui.widgets.banner import Banner
from reader.ui.widgets.video_surface import VideoSurface

CLIP_SIZE = (256, 144)
CONTENT_WIDTH = 860  # beyond this a line of text is too long to read comfortably
RATING_ACTIONS = {1: "rate_again", 2: "rate_hard", 3: "rate_good", 4: "rate_easy"}


def key_hint(name: str) -> str:
    """The first key of a shortcut, as a button shows it ("Space", "Ctrl+Return")."""
    return SHORTCUTS[name].keys[0]


def _heading(text: str, parent) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("cardHeading")
    return label


def _text(parent, name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class CardView(QWidget):
    """Asks through signals; a ReviewingController (see bind) answers by calling show_front, show_back…"""

    reveal_requested = Signal()
    rate_requested = Signal(int, str)  # rating 1-4, the typed answer
    check_requested = Signal(str)  # the typed answer
    retry_requested = Signal()
    settings_requested = Signal()
    stage_changed = Signal(str)  # "front", "back", or "" (no card on show)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("cardView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # after the reveal the keys 1-4 come here, not to the box
        self.stage = ""
        self.back_info = None
        self.citations: list[dict] = []
        self.clip_has_video = False
        self.meta = _text(self, "cardMeta")
        self.question = _text(self, "cardQuestion")
        self.typed = QPlainTextEdit(self)
        self.typed.setObjectName("cardTyped")
        self.typed.setPlaceholderText(f"Your answer, in your own words (optional). {key_hint('reveal')} or "
                                      f"{SHORTCUTS['reveal'].keys[1]} shows the reference.")
        self.typed.setTabChangesFocus(True)
        self.typed.setFixedHeight(84)
        # the back
        self.answer = _text(self, "cardAnswer")
        self.passage_heading = _heading("", self)
        self.clip_video = VideoSurface(self)
        self.clip_card = QLabel(self)
        self.clip_card.setObjectName("mediaCard")
        self.clip_card.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clip_card.setWordWrap(True)
        self.clip_stack = QStackedWidget(self)
        self.clip_stack.addWidget(self.clip_card)
        self.clip_stack.addWidget(self.clip_video)
        self.clip_stack.setFixedSize(*CLIP_SIZE)
        self.passage = _text(self, "cardPassage")
        self.play_button = QPushButton("▶ Play clip", self)
        self.play_button.setObjectName("playClip")
        self.play_button.clicked.connect(self.play_passage)
        self.no_media = _text(self, "cardNoMedia")
        self.note_heading = _heading("Your note", self)
        self.note = _text(self, "cardNote")
        self.check_button = QPushButton(f"Check my answer with Claude  ({key_hint('check_answer')})", self)
        self.check_button.setObjectName("checkAnswer")
        self.check_button.clicked.connect(self.request_check)
        self.check_status = _text(self, "checkStatus")
        self.problem = Banner(self)
        self.problem_action = QPushButton(self.problem)
        self.problem.layout().insertWidget(1, self.problem_action, 0, Qt.AlignmentFlag.AlignTop)
        self.problem_action.clicked.connect(self._on_problem_action)
        self.feedback_heading = _heading("Claude on your answer", self)
        self.feedback = QLabel(self)
        self.feedback.setObjectName("cardFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.RichText)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.feedback.setOpenExternalLinks(False)
        self.feedback.linkActivated.connect(self._on_link)
        self.feedback.hide()
        self._build_back()
        # the bottom bar: Show the answer, then the four ratings
        self.show_button = QPushButton(f"Show the answer  ({key_hint('reveal')})", self)
        self.show_button.setObjectName("showAnswer")
        self.show_button.clicked.connect(self.request_reveal)
        self.rating_buttons: dict[int, QPushButton] = {}
        self.bar = QFrame(self)
        self.bar.setObjectName("cardBar")
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(16, 8, 16, 10)
        bar.addStretch(1)
        bar.addWidget(self.show_button)
        for number, label in RATING_LABELS.items():
            button = QPushButton(self.bar)
            button.setObjectName("rateButton")
            button.setProperty("rating", label.lower())
            button.setMinimumWidth(118)
            button.clicked.connect(lambda _=False, n=number: self.request_rate(n))
            self.rating_buttons[number] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.player = Player(self)
        self.player.set_video_output(self.clip_video.sink)
        self.clip = ClipController(self.player, self)
        self.clip.media_loaded.connect(self._on_clip_loaded)
        self.clip.playing_changed.connect(self._on_clip_playing)
        self.clip.failed.connect(self._on_clip_failed)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # in a dialog, Enter must not press Play clip or a rating
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.bar)
        self.clear()

    def _build_back(self) -> None:
        content = QWidget(self)
        content.setObjectName("cardContent")
        content.setMaximumWidth(CONTENT_WIDTH)
        col = QVBoxLayout(content)
        col.setContentsMargins(24, 12, 24, 16)
        col.setSpacing(6)
        col.addWidget(self.meta)
        col.addWidget(self.question)
        col.addSpacing(4)
        col.addWidget(self.typed)
        self.back = QWidget(content)
        back = QVBoxLayout(self.back)
        back.setContentsMargins(0, 8, 0, 0)
        back.setSpacing(6)
        back.addWidget(_heading("Answer", self.back))
        back.addWidget(self.answer)
        back.addSpacing(6)
        back.addWidget(self.passage_heading)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.clip_stack, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        side.addWidget(self.passage)
        side.addWidget(self.no_media)
        side.addWidget(self.play_button, 0, Qt.AlignmentFlag.AlignLeft)
        side.addStretch(1)
        row.addLayout(side, 1)
        back.addLayout(row)
        back.addSpacing(6)
        back.addWidget(self.note_heading)
        back.addWidget(self.note)
        back.addSpacing(6)
        checks = QHBoxLayout()
        checks.addWidget(self.check_button)
        checks.addWidget(self.check_status, 1)
        back.addLayout(checks)
        back.addWidget(self.problem)
        back.addWidget(self.feedback_heading)
        back.addWidget(self.feedback)
        col.addWidget(self.back)
        col.addStretch(1)
        holder = QWidget(self)
        centred = QHBoxLayout(holder)  # the column takes the width up to CONTENT_WIDTH, centred beyond that
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addStretch(1)
        centred.addWidget(content, 20)
        centred.addStretch(1)
        content.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("cardScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(holder)
        self._check_into_view = False
        self._scroll.verticalScrollBar().rangeChanged.connect(lambda _low, _high: self._scroll_to_check())

    # -- what the learner asks for (buttons and keys) ------------------------------------------------
    def request_reveal(self) -> None:
        if self.stage == "front":
            self.reveal_requested.emit()

    def request_rate(self, rating: int) -> None:
        if self.stage == "back":
            self.clip.stop()
            self.rate_requested.emit(rating, self.typed.toPlainText())

    def request_check(self) -> None:
        if self.stage == "front":  # Ctrl+Return from the box shows the answer first
            self.request_reveal()
        elif self.stage == "back":
            self.problem.hide()
            self.check_requested.emit(self.typed.toPlainText())

    def play_passage(self) -> None:
        """Play clip, or stop it while it plays."""
        info = self.back_info
        if self.clip.is_playing():
            self.clip.stop()
        elif info is not None and info.media is not None:
            self.clip.play(info.media, info.start_ms, info.end_ms)

    def play_moment(self, start_ms: int, end_ms: int) -> None:
        info = self.back_info
        if info is not None and info.media is not None:
            self.clip.play(info.media, start_ms, end_ms)

    # -- what the controller shows --------------------------------------------------------------------
    def _set_stage(self, stage: str) -> None:
        self.stage = stage
        self.show_button.setVisible(stage == "front")
        for button in self.rating_buttons.values():
            button.setVisible(stage == "back")
        self.stage_changed.emit(stage)

    def clear(self) -> None:
        """No card on show."""
        self.clip.stop()
        self.back_info = None
        self.back.hide()
        self._set_stage("")

    def show_front(self, front) -> None:
        self.clip.stop()
        self.back_info = None
        where = f"{display_title(front.title, 90)} · {short_clock(front.start_ms)}"
        self.meta.setText(where)
        self.question.setText(front.question)
        self.typed.clear()
        self.typed.setReadOnly(False)
        self.back.hide()
        self.feedback.clear()
        self.feedback.hide()
        self.feedback_heading.hide()
        self.problem.hide()
        self.check_status.clear()
        self.citations = []
        for button in self.rating_buttons.values():
            button.setProperty("suggested", False)
            self._repolish(button)
        self._scroll.verticalScrollBar().setValue(0)
        self._check_into_view = False
        self._set_stage("front")
        self.typed.setFocus()

    def show_back(self, back) -> None:
        self.back_info = back
        self.answer.setText(back.answer or "No reference answer was written: compare with the passage below.")
        self.passage_heading.setText(f"From the video · {short_clock(back.start_ms)}–{short_clock(back.end_ms)}")
        self.passage.setText(f"“{back.passage}”")
        self.play_button.setVisible(back.media is not None)
        self.clip_stack.setVisible(back.media is not None)
        self.no_media.setText(back.no_media)
        self.no_media.setVisible(bool(back.no_media))
        if back.media is not None:  # the picture at the card's start, at once (paused, the player draws it)
            if self.player.source != back.media:
                self.clip_video.clear()
                self.clip_card.setText("Loading…")
                self.clip_stack.setCurrentWidget(self.clip_card)
            self.clip.show(back.media, back.start_ms)
        self.note.setText(back.note)
        self.note_heading.setVisible(bool(back.note))
        self.note.setVisible(bool(back.note))
        for number, button in self.rating_buttons.items():
            button.setText(f"{RATING_LABELS[number]}  ({key_hint(RATING_ACTIONS[number])})\n{back.previews[number]}")
        self.typed.setReadOnly(True)
        self.back.show()
        self._set_stage("back")
        self.setFocus()  # 1-4 rate from here; the box no longer takes keys

    def show_check(self, text: str, citations: list, status: str) -> None:
        """Claude's feedback as far as it has come, its [m:ss] marks linked to moments of the clip."""
        self.citations = citations
        if text and self.feedback.isHidden():  # the first words: bring the feedback into view on a short window
            self._check_into_view = True
            QTimer.singleShot(0, self._scroll_to_check)
        self.feedback.setText(render_markdown(text, citations) if text else "")
        self.feedback.setVisible(bool(text))
        self.feedback_heading.setVisible(bool(text))
        self.check_status.setText({"streaming": "Claude is reading your answer…", "incomplete": "The feedback stopped early.",
                                   "error": ""}.get(status, ""))

    def show_suggested(self, rating: str) -> None:
        number = RATINGS.get(rating)
        for n, button in self.rating_buttons.items():
            button.setProperty("suggested", n == number)
            self._repolish(button)
        if number is not None:
            self.check_status.setText(f"Claude suggests {RATING_LABELS[number]}; your rating is what schedules the card.")

    def show_problem(self, text: str, action: str) -> None:
        """A check that could not be made or finished, with what would help (Open Preferences, Retry)."""
        self.problem_action.setText({"settings": "Open Preferences", "retry": "Retry"}.get(action, ""))
        self.problem_action.setVisible(bool(action))
        self.problem_action.setProperty("action", action)
        self.problem.show_message(text, "info" if action in ("", "settings") else "error")
        self.check_status.clear()

    # -- inside ---------------------------------------------------------------------------------
    @staticmethod
    def _repolish(widget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def _scroll_to_check(self) -> None:
        """The check's row at the top, once the page has grown long enough to put it there (the range
        grows as the feedback is laid out; after that the reader scrolls as they like)."""
        if not self._check_into_view:
            return
        bar = self._scroll.verticalScrollBar()
        target = self.check_button.mapTo(self._scroll.widget(), QPoint(0, 0)).y() - 8
        bar.setValue(target)
        if bar.maximum() >= target:
            self._check_into_view = False

    def _on_problem_action(self) -> None:
        action = self.problem_action.property("action")
        self.problem.hide()
        (self.settings_requested if action == "settings" else self.retry_requested).emit()

    def _on_link(self, url: str) -> None:
        if url.startswith("cite:"):
            n = int(url[5:])
            if 1 <= n <= len(self.citations):
                c = self.citations[n - 1]
                self.play_moment(c["start_ms"], c["end_ms"])

    def _on_clip_loaded(self, has_video: bool) -> None:
        self.clip_has_video = has_video
        if has_video:
            self.clip_video.show_frames()
            self.clip_stack.setCurrentWidget(self.clip_video)
        else:
            self.clip_card.setText("♪\nAudio only")
            self.clip_stack.setCurrentWidget(self.clip_card)

    def _on_clip_playing(self, playing: bool) -> None:
        self.play_button.setText("■ Stop" if playing else "▶ Play clip")

    def _on_clip_failed(self, text: str) -> None:
        self.no_media.setText(text)
        self.no_media.show()
        self.clip_stack.hide()
        self.play_button.hide()

    def hideEvent(self, event) -> None:
        self.clip.stop()
        super().hideEvent(event)


def bind(view: CardView, controller, settings_slot) -> None:
    """The wires between a card view and the round that feeds it (a page and a dialog make the same ones)."""
    for signal, slot in (
        (view.reveal_requested, controller.reveal), (view.rate_requested, controller.rate),
        (view.check_requested, controller.check), (view.retry_requested, controller.checker.retry),
        (view.settings_requested, settings_slot), (controller.card_shown, view.show_front),
        (controller.revealed, view.show_back), (controller.checker.changed, view.show_check),
        (controller.checker.suggested, view.show_suggested), (controller.checker.problem, view.show_problem),
    ):
        signal.connect(slot)
