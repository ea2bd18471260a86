"""Check my answer: Claude compares a typed answer with a card's reference and the transcript, in prose with citations.

The request carries the same cached, citable transcript document as every other question; the
feedback is stored (a `checks` row) as it streams, and ends with a line suggesting a rating, which
`suggested_rating` reads and `feedback_text` hides. The learner's own rating is what schedules.
"""

from __future__ import annotations

import re

from reader.asking import prompts
from reader.asking.llm import MAX_TOKENS, Answer, AskRequest, Turn
from reader.base.citations import strip_marks
from reader.base.settings import DEFAULT_MODEL
from reader.cards.making import MAX_ANSWER, CardProblem
from reader.cards.scheduling import iso, utc_now
from reader.library.db.store import Store
from reader.transcript.writers import short_clock

RATINGS = ("again", "hard", "good", "easy")
# The last line, as Claude may dress it: "Suggested rating: good", "**Suggested rating:** Good.", "- Suggested rating — hard"
_RATING_LINE = re.compile(r"[\s>*_#-]*suggested\s+rating\s*[*_]*\s*[:—–-]\s*[*_]*\s*(again|hard|good|easy)\s*[*_.!]*\s*", re.I)
_HEAD = "suggested rating"


def begin(store: Store, card_id: int, typed_answer: str, model: str = DEFAULT_MODEL) -> tuple[int, AskRequest]:
    """Record the typed answer as a check (before any feedback arrives) and build the request that asks for it.

    CardProblem (a sentence) for a card that is gone or an answer that is empty or too long; nothing is stored then.
    """
    card = store.card(card_id)
    if card is None:
        raise CardProblem(f"There is no card with id {card_id}.")
    typed = (typed_answer or "").replace("\x00", "").strip()
    if not typed:
        raise CardProblem("The answer is empty: type what you remember first.")
    if len(typed) > MAX_ANSWER:
        raise CardProblem(f"The answer is {len(typed):,} characters long; an answer to check holds at most {MAX_ANSWER:,}.")
    video = store.video(card["video_id"])
    prompt = prompts.fill("check", title=video["title"], question=card["question"],
                          reference=card["answer"] or "(none written; judge from the transcript)",
                          start=short_clock(card["start_ms"]), end=short_clock(card["end_ms"]),
                          passage=" ".join(card["passage"].split()), typed=_quoted(typed))
    check_id = store.start_check(card_id, typed, model, iso(utc_now()))
    request = AskRequest(video["title"], video["description"] or "", None, [Turn("Check my answer", prompt)], model,
                         MAX_TOKENS, store.transcript(card["video_id"]))
    return check_id, request


def _quoted(text: str) -> str:
    """Text inside a Markdown quote, every line of it (the prompt opens the first line's "> ")."""
    return "\n> ".join(line.rstrip() for line in text.splitlines())


def record(store: Store, check_id: int, answer: Answer) -> None:
    """Write the feedback that has arrived so far (called as it streams, and at the end)."""
    store.save_check(check_id, answer.text, answer.citations, answer.status, answer.error)


def _last_line(text: str) -> tuple[int, str]:
    """Where the text's last non-blank line begins, and that line without citation marks."""
    body = text.rstrip()
    start = body.rfind("\n") + 1
    return start, strip_marks(body[start:])


def suggested_rating(feedback_text: str) -> str | None:
    """The rating the feedback's last line suggests: "again", "hard", "good" or "easy"; None if it suggests none."""
    _, line = _last_line(feedback_text or "")
    m = _RATING_LINE.fullmatch(line)
    return m.group(1).lower() if m else None


def feedback_text(text: str, streaming: bool = False) -> str:
    """The feedback to show: without its "Suggested rating" line (citation marks kept in place).

    While it streams, a last line still arriving that may become that line ("Sugg…") is held back
    too, so what is shown only ever grows.
    """
    text = text or ""
    start, line = _last_line(text)
    if _RATING_LINE.fullmatch(line):
        return text[:start] if streaming else text[:start].rstrip()
    if streaming and "\n" not in text[start:] and _may_become(line):
        return text[:start]
    return text


def _may_become(line: str) -> bool:
    """Whether a line still arriving can yet become the rating line."""
    bare = re.sub(r"\s+", " ", re.sub(r"^[\s>*_#-]+", "", line)).lower()
    return _HEAD.startswith(bare) or (bare.startswith(_HEAD) and _could_finish(bare[len(_HEAD):]))


def _could_finish(rest: str) -> bool:
    """Whether what follows "suggested rating" so far can still become ": good" and the like."""
    rest = re.sub(r"[\s*_]", "", rest)
    if not rest:
        return True
    if rest[0] not in ":—–-":
        return False
    word = re.sub(r"[.!]+$", "", rest[1:]).lower()
    return any(r.startswith(word) for r in RATINGS)
