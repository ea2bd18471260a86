"""Reviewing cards: a round of cards (the question, then the answer, then a rating that schedules), and the due count."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from reader.cards import making as cards, scheduling
from reader.ui.controllers.checking import AnswerChecker
from reader.ui.settings import settings
from reader.ui.worker import message

COUNT_EVERY_MS = 2 * 60_000  # the due count is read again this often (cards fall due while Reader is open)
RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass(frozen=True)
class Front:
    """What the front of a card shows: the question, its video and time, and where the round is."""

    card_id: int
    question: str
    title: str
    start_ms: int
    end_ms: int
    position: int  # counted from 1
    total: int
    video_position: int  # which of the round's videos this card belongs to, from 1
    videos: int


@dataclass(frozen=True)
class Back:
    """What the back adds: the reference, the passage and its media, the note, and what each rating would do."""

    card_id: int
    answer: str
    passage: str
    note: str
    title: str
    start_ms: int
    end_ms: int
    media: Path | None
    no_media: str  # why there is no clip to play, when there is none
    previews: dict[int, str]  # rating -> when the card would come back ("in 10 minutes")


@dataclass(frozen=True)
class Summary:
    """How a round went."""

    reviewed: int
    ratings: dict[int, int] = field(default_factory=dict)  # rating -> how many
    next_due: str = ""  # "in 10 minutes"; "" when there are no active cards
    due_now: int = 0  # still due (cards rated Again come back within minutes)
    cards: int = 0  # active cards in the library


class ReviewingController(QObject):
    """One round of review for one view (the session page, or a checkpoint's dialog). Owns the cards of the
    round and where it is; rates through cards.rate_card with the typed answer and the check that came
    with it. Announces; touches no widget."""

    card_shown = Signal(object)  # Front
    revealed = Signal(object)  # Back
    rated = Signal(int, int)  # card id, rating
    finished = Signal(object)  # Summary
    problem = Signal(str)  # a review that could not be saved

    def __init__(self, store_getter, model_getter=lambda: settings().get("claude/model"), parent=None):
        super().__init__(parent)
        self.store_getter = store_getter
        self.clock = scheduling.utc_now  # tests fix the time
        self.fuzz = True  # FSRS spreads due dates a little; tests turn it off
        self.checker = AnswerChecker(store_getter, model_getter, self)
        self.cards: list[dict] = []
        self.index = 0
        self.is_revealed = False
        self.results: list[tuple[int, int]] = []  # (card id, rating)

    # -- the round ---------------------------------------------------------------------------------
    def start_due(self, limit: int = cards.SESSION_SIZE) -> int:
        """A round of the cards due now (at most `limit`, grouped by video); returns how many."""
        store = self.store_getter()
        return self.start(cards.due_now(store, self.clock(), limit) if store is not None else [])

    def start_card(self, card_id: int) -> int:
        """A round of one card (a checkpoint's question), whether or not it is due."""
        store = self.store_getter()
        row = store.card(card_id) if store is not None else None
        return self.start([row] if row is not None and row["status"] == "active" else [])

    def start(self, rows: list[dict]) -> int:
        self.checker.reset()
        self.cards, self.index, self.results = list(rows), 0, []
        if self.cards:
            self._show()
        else:
            self.finished.emit(self.summary())
        return len(self.cards)

    def current(self) -> dict | None:
        return self.cards[self.index] if 0 <= self.index < len(self.cards) else None

    def _show(self) -> None:
        self.is_revealed = False
        self.checker.reset()
        self._skip_gone()
        if self.current() is None:
            self.finished.emit(self.summary())
            return
        card = self.cards[self.index]
        videos = list(dict.fromkeys(c["video_id"] for c in self.cards))
        self.card_shown.emit(Front(card["id"], card["question"], card["title"], card["start_ms"], card["end_ms"],
                                   self.index + 1, len(self.cards), videos.index(card["video_id"]) + 1, len(videos)))

    def _gone(self, card: dict) -> bool:
        """The card was deleted (or its video removed) in another window or by the command line meanwhile."""
        store = self.store_getter()
        return store is not None and store.card(card["id"]) is None

    def _skip_gone(self) -> None:
        """Leave out of the round, saying so once, the cards still to come that are no longer in the library."""
        left = self.cards[self.index:]
        kept = [c for c in left if not self._gone(c)]
        if len(kept) < len(left):
            gone = len(left) - len(kept)
            self.cards[self.index:] = kept
            self.problem.emit(f"{gone} card{'s were' if gone > 1 else ' was'} deleted in another window (or {'their' if gone > 1 else 'its'} "
                              f"video removed) and {'are' if gone > 1 else 'is'} left out of this round.")

    def reveal(self) -> None:
        card = self.current()
        if card is None or self.is_revealed:
            return
        self.is_revealed = True
        self.revealed.emit(self.back(card))

    def back(self, card: dict) -> Back:
        store = self.store_getter()
        highlight = store.highlight(card["highlight_id"]) if card.get("highlight_id") is not None else None
        video = store.video(card["video_id"]) or {}
        media = Path(video["media_path"]) if video.get("media_path") else None
        no_media = ""
        if self._gone(card):
            no_media, media = ("This card was deleted in another window (or its video removed), so its clip cannot be "
                               "played and a rating of it is not saved."), None
        elif media is None:
            no_media = "This entry has no video or audio (a transcript only), so there is no clip to play."
        elif not media.is_file():
            no_media, media = f"The media file is missing ({media.name}), so the clip cannot be played.", None
        return Back(card["id"], card["answer"], card["passage"], (highlight or {}).get("note") or "", card["title"],
                    card["start_ms"], card["end_ms"], media, no_media, self.previews(card))

    def previews(self, card: dict) -> dict[int, str]:
        """When the card would come back after each rating, as Anki shows on its buttons (FSRS on a copy of
        the card's state, without the fuzz a real rating adds)."""
        now = self.clock().replace(microsecond=0)  # as due times are kept: 1 minute shows as that, not "now"
        retention = settings().get("review/retention")
        return {n: cards.when(scheduling.rate(card["fsrs"], n, now, retention, fuzz=False).due, now)
                for n in RATING_LABELS}

    def rate(self, rating: int, typed: str = "") -> None:
        """The learner's rating (1 again … 4 easy) of the card on show, once its answer is revealed; then the
        next card, or the summary."""
        card = self.current()
        if card is None or not self.is_revealed:
            return
        self.checker.stop()  # a check cut short by the rating is kept, marked incomplete, with the review
        check_id = self.checker.check_id if self.checker.card_id == card["id"] else None
        try:
            reviewed = cards.rate_card(self.store_getter(), card["id"], rating, typed, self.clock(),
                                       settings().get("review/retention"), self.fuzz, check_id)
        except Exception as exc:  # a card deleted meanwhile, a library that cannot be written: said, then on
            self.problem.emit(f"This review could not be saved: {message(exc)}")
        else:
            self.results.append((card["id"], reviewed.rating))
            self.rated.emit(card["id"], reviewed.rating)
        self.index += 1
        if self.current() is not None:
            self._show()
        else:
            self.checker.reset()
            self.finished.emit(self.summary())

    def check(self, typed: str) -> None:
        """Send the typed answer to Claude for feedback on the card on show (after it is revealed)."""
        card = self.current()
        if card is not None and self.is_revealed:
            self.checker.check(card["id"], typed)

    def summary(self) -> Summary:
        store = self.store_getter()
        if store is None:
            return Summary(len(self.results))
        now = self.clock().replace(microsecond=0)  # as due times are kept
        upcoming = store.next_due()
        return Summary(len(self.results), dict(Counter(r for _card, r in self.results)),
                       cards.when(upcoming, now) if upcoming else "", store.due_count(scheduling.iso(now)),
                       len(store.cards(status="active")))

    def stop(self) -> None:
        """Leave the round where it is (the page was left): a running check ends."""
        self.checker.stop()


class DueCount(QObject):
    """How many cards are due now: read again after reviews, imports and restores, and every few minutes."""

    changed = Signal(int)

    def __init__(self, store_getter, parent=None):
        super().__init__(parent)
        self.store_getter = store_getter
        self.clock = scheduling.utc_now
        self.count = 0
        self._timer = QTimer(self)
        self._timer.setInterval(COUNT_EVERY_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        first = QTimer(self)  # once the window has wired it (a child timer: it goes if the window does)
        first.setSingleShot(True)
        first.timeout.connect(self.refresh)
        first.start(0)

    def refresh(self, *_why) -> int:
        store = self.store_getter()
        try:
            count = store.due_count(scheduling.iso(self.clock())) if store is not None else 0
        except Exception:  # a library being restored or closed: the count waits for the next reading
            return self.count
        self.count = count
        self.changed.emit(count)
        return count
