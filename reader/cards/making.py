"""Recall cards: make one over a stretch of a video, rate a review, list what is due (window and CLI alike)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from reader.cards import scheduling
from reader.library.db.allowed_values import CARD_STATUSES
from reader.library.db.rows import CardRow
from reader.library.db.store import Store
from reader.transcript.typed_times import between
from reader.transcript.writers import short_clock

MAX_QUESTION = 1_000  # characters: a question is a sentence or two
MAX_ANSWER = 5_000
MAX_EVIDENCE = 10  # quotes per card
MAX_PASSAGE = 20_000  # characters of transcript kept with a card (a long chapter's worth)
SESSION_SIZE = 20  # cards in one review session


class CardProblem(ValueError):
    """Why a card cannot be made, rated or changed, as a sentence for the user."""


@dataclass(frozen=True)
class Reviewed:
    review_id: int
    due: str  # ISO, UTC: when the card comes back
    rating: int


def passage_text(store: Store, video_id: int, start_ms: int, end_ms: int) -> str:
    """The words spoken between two times (whole lines, as reader.transcript.typed_times takes them), one space between lines."""
    cues = store.transcript(video_id).cues
    taken = between(cues, start_ms, end_ms)
    text = " ".join(c.text.replace("\n", " ") for c in cues[taken[0]:taken[1] + 1]) if taken else ""
    return text[:MAX_PASSAGE]


def _clean(text, name: str, limit: int, required: bool) -> str:
    text = "" if text is None else str(text).replace("\x00", "").strip()
    if required and not text:
        raise CardProblem(f"The {name} is empty: write one.")
    if len(text) > limit:
        raise CardProblem(f"The {name} is {len(text):,} characters long; a card's {name} holds at most {limit:,}.")
    return text


def _video_end(store: Store, video_id: int) -> int:
    row = store.video(video_id) or {}
    cues = store.transcript(video_id).cues
    return max(int(row.get("duration_ms") or 0), max((c.end_ms for c in cues), default=0))


def check_moments(store: Store, video_id: int, start_ms: int, end_ms: int) -> str:
    """The passage between two times of a video, or CardProblem saying why there is none."""
    if store.video(video_id) is None:
        raise CardProblem(f"There is no video with id {video_id} in the library.")
    if not (isinstance(start_ms, int) and isinstance(end_ms, int)) or start_ms < 0 or end_ms <= start_ms:
        raise CardProblem("A card's moments run forward: the end must come after the start.")
    length = _video_end(store, video_id)
    if length and start_ms >= length:
        raise CardProblem(f"{short_clock(start_ms)} is past the end of the video, which is {short_clock(length)} long.")
    passage = passage_text(store, video_id, start_ms, end_ms)
    if not passage.strip():
        raise CardProblem(f"Nothing is said between {short_clock(start_ms)} and {short_clock(end_ms)}, so there is nothing to recall.")
    return passage


def make_card(store: Store, video_id: int, question: str, answer: str, start_ms: int, end_ms: int, *,
              highlight_id: int | None = None, source: str = "mine", status: str = "active",
              evidence: list[str] | tuple = (), now: datetime | None = None) -> int:
    """Check and save a card; returns its id. Due at once (a new card is learnt in the next session)."""
    question = _clean(question, "question", MAX_QUESTION, True)
    answer = _clean(answer, "answer", MAX_ANSWER, False)
    passage = check_moments(store, video_id, start_ms, end_ms)
    quotes = [_clean(q, "quote", MAX_ANSWER, False) for q in list(evidence)[:MAX_EVIDENCE]]
    uid = secrets.token_hex(8)
    state, due = scheduling.new_state(int(uid[:12], 16), now)
    created = scheduling.iso(now or scheduling.utc_now())
    return store.add_card(uid=uid, video_id=video_id, question=question, answer=answer, start_ms=start_ms, end_ms=end_ms,
                          passage=passage, fsrs=state, due=due, created_at=created, highlight_id=highlight_id,
                          source=source, status=status, evidence=[q for q in quotes if q])


def card_from_highlight(store: Store, highlight_id: int, question: str, answer: str = "", now: datetime | None = None) -> int:
    """A card over a highlight's moments; its answer defaults to the highlight's note."""
    row = store.highlight(highlight_id)
    if row is None:
        raise CardProblem("That highlight is gone.")
    end = max(row["end_ms"], row["start_ms"] + 1)
    return make_card(store, row["video_id"], question, answer or row["note"], row["start_ms"], end,
                     highlight_id=highlight_id, now=now)


def edit_card(store: Store, card_id: int, now: datetime | None = None, **changes) -> None:
    """Change a card's question, answer, status (suspend with status="suspended", accept with "active") or
    moments (start_ms and end_ms together: the passage is taken again). Read and written in one transaction,
    so a card deleted meanwhile by another Reader is said to be gone rather than edited into nothing."""
    clean = {}
    if "question" in changes:
        clean["question"] = _clean(changes["question"], "question", MAX_QUESTION, True)
    if "answer" in changes:
        clean["answer"] = _clean(changes["answer"], "answer", MAX_ANSWER, False)
    if "status" in changes:
        if changes["status"] not in CARD_STATUSES:
            raise CardProblem("A card is active, suspended or suggested.")
        clean["status"] = changes["status"]
    with store.writing():
        moment = now or scheduling.utc_now()  # taken under the lock, so the log's order is the order of the moments
        row = store.card(card_id)
        if row is None:
            raise CardProblem(f"There is no card with id {card_id}; it may have been deleted in another window.")
        if "start_ms" in changes or "end_ms" in changes:
            start_ms, end_ms = changes.get("start_ms", row["start_ms"]), changes.get("end_ms", row["end_ms"])
            if (start_ms, end_ms) != (row["start_ms"], row["end_ms"]):
                clean["passage"] = check_moments(store, row["video_id"], start_ms, end_ms)
                clean.update(start_ms=start_ms, end_ms=end_ms)
        store.update_card(card_id, scheduling.iso(now or scheduling.utc_now()), **clean)


def rating_number(rating: int | str) -> int:
    """1-4 or again/hard/good/easy, as a number; CardProblem for anything else."""
    if isinstance(rating, str):
        number = scheduling.RATINGS.get(rating.strip().lower())
        if number is None and rating.strip() in ("1", "2", "3", "4"):
            number = int(rating.strip())
    else:
        number = rating if rating in scheduling.RATING_NAMES else None
    if number is None:
        raise CardProblem(f"A rating is again, hard, good or easy (1 to 4), not {str(rating)[:40]!r}.")
    return number


def rate_card(store: Store, card_id: int, rating: int | str, typed_answer: str = "", now: datetime | None = None,
              retention: float | None = None, fuzz: bool = True, check_id: int | None = None) -> Reviewed:
    """Record a review: FSRS schedules the card from its state and the rating; the review is logged, with
    Claude's feedback when the typed answer was checked first (`check_id`, from Store.start_check)."""
    number = rating_number(rating)
    if retention is None:
        from reader.base.settings import read_setting

        retention = read_setting("review/retention")
    typed = _clean(typed_answer, "typed answer", MAX_ANSWER, False)
    scheduling.load()  # FSRS imported before the write lock is taken, not while it is held
    # The card is read, scheduled and written in one write transaction: two Readers rating it at once
    # each schedule from the state the other left, never both from the same one.
    with store.writing():
        moment = now or scheduling.utc_now()  # taken under the lock, so the log's order is the order of the moments
        row = store.card(card_id)
        if row is None:
            raise CardProblem(f"There is no card with id {card_id}; it may have been deleted in another window.")
        if row["status"] != "active":
            raise CardProblem(f"Card {card_id} is {row['status']}; only active cards are reviewed.")
        result = scheduling.rate(row["fsrs"], number, moment, retention, fuzz)
        review_id = store.record_review(card_id, reviewed_at=scheduling.iso(moment), rating=number, fsrs=result.state,
                                        due=result.due, fsrs_log=result.log, typed_answer=typed)
        if check_id is not None and (store.check(check_id) or {}).get("card_id") == card_id:
            store.link_check(check_id, review_id)
    return Reviewed(review_id, result.due, number)


def due_now(store: Store, now: datetime | None = None, limit: int = SESSION_SIZE) -> list[CardRow]:
    """The cards to review now: at most `limit`, grouped by video (the most overdue video first)."""
    return store.due_cards(scheduling.iso(now or scheduling.utc_now()), max(0, limit))


def when(due: str, now: datetime | None = None) -> str:
    """When a card comes back, in words: "in 10 minutes", "in 3 hours", "tomorrow", "in 12 days", "now"."""
    seconds = (scheduling.parse_iso(due) - (now or scheduling.utc_now())).total_seconds()
    if seconds < 60:
        return "now"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"in {minutes} minute{'s' * (minutes != 1)}"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"in {hours} hour{'s' * (hours != 1)}"
    days = round(seconds / 86400)
    if days == 1:
        return "tomorrow"
    if days < 60:
        return f"in {days} days"
    months = round(days / 30.4)
    if months < 24:
        return f"in {months} months"
    return f"in {round(days / 365.25)} years"
