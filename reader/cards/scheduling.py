"""When a card is next due: FSRS (the `fsrs` package) over a card's stored state, with the learner's rating."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}
RATING_NAMES = {number: name for name, number in RATINGS.items()}
DEFAULT_RETENTION = 0.9
MIN_RETENTION, MAX_RETENTION = 0.7, 0.99  # outside this FSRS schedules absurdly (years apart, or every day)


@dataclass(frozen=True)
class Scheduled:
    """What a rating did: the card's new FSRS state (JSON), when it is next due (ISO, UTC), FSRS's log of it."""

    state: str
    due: str
    log: dict


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """A moment as the store keeps it: ISO 8601 in UTC, to the second (so text order is time order)."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def clamp_retention(value) -> float:
    """Desired retention as a setting may hold it, brought inside what FSRS schedules sensibly."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return DEFAULT_RETENTION
    if value != value:  # NaN
        return DEFAULT_RETENTION
    return min(MAX_RETENTION, max(MIN_RETENTION, value))


def load() -> None:
    """Import FSRS now (a write transaction that schedules a card should not wait on an import)."""
    import fsrs  # noqa: F401


def new_state(card_id: int, now: datetime | None = None) -> tuple[str, str]:
    """A new card's FSRS state (JSON) and due time: due at once, in its first learning step."""
    from fsrs import Card

    card = Card(card_id=card_id, due=(now or utc_now()).astimezone(timezone.utc))
    return json.dumps(card.to_dict()), iso(card.due)


def rate(state: str, rating: int, now: datetime | None = None, retention: float = DEFAULT_RETENTION,
         fuzz: bool = True) -> Scheduled:
    """Schedule a card after a review rated 1 (again) to 4 (easy). `fuzz` spreads due dates a little, as
    FSRS does by default, so cards learnt together do not all come back on one day; tests turn it off."""
    from fsrs import Card, Rating, Scheduler

    if rating not in RATING_NAMES:
        raise ValueError(f"a rating is 1 (again), 2 (hard), 3 (good) or 4 (easy), not {rating!r}")
    scheduler = Scheduler(desired_retention=clamp_retention(retention), enable_fuzzing=fuzz)
    card, log = scheduler.review_card(Card.from_dict(json.loads(state)), Rating(rating), (now or utc_now()).astimezone(timezone.utc))
    return Scheduled(json.dumps(card.to_dict()), iso(card.due), log.to_dict())


def state_problem(state: str) -> str:
    """Why a stored FSRS state (from a backup, say) cannot be used; empty when it can."""
    from fsrs import Card

    try:
        data = json.loads(state)
        if not isinstance(data, dict):
            return "it is not an object"
        card = Card.from_dict(data)
    except Exception as exc:  # noqa: BLE001 - whatever fsrs refuses, said as a reason
        return "FSRS cannot read it (a field it needs is missing, or not of the right kind)"
    if card.stability is not None and not (0 < card.stability < 1e7):
        return "its stability is out of range"
    if card.difficulty is not None and not (1 <= card.difficulty <= 10):
        return "its difficulty is out of range"
    return ""
