"""The shapes of rows at the Store boundary: a highlight, an answer, a span of transcript (plain dicts, typed)."""

from __future__ import annotations

from typing import TypedDict


class Place(TypedDict):
    """Where a stretch of transcript falls: from a character in one line (cue index, UTF-16 offset) to a
    character in another, with its times (a highlight placed again on a new transcript is one)."""

    start_cue: int
    start_offset: int
    end_cue: int
    end_offset: int
    start_ms: int
    end_ms: int


class Span(Place):
    """A selection in a transcript: a Place and its words. A dict, so `store.add_highlight(video_id,
    color=..., **span)` takes it as it is."""

    text: str


class HighlightRow(Span):
    """A row of the highlights table (Store.highlight, Store.delete_highlight)."""

    id: int
    uid: str  # stable across backups and restores (reader/base/uids.py)
    video_id: int
    color: str  # a name in reader/base/colours.py
    note: str
    created_at: str
    edited_at: str | None
    anchor_lost_at: str | None  # when a newer transcript no longer had its words


class HighlightListRow(HighlightRow):
    """A highlight as Store.highlights lists it: with its answers counted."""

    answer_count: int  # answers with text
    failed_count: int  # attempts that failed before any text arrived


class CitationRow(TypedDict):
    start_ms: int
    end_ms: int
    text: str


class AnswerRow(TypedDict):
    """A row of the answers table as Store.answers returns it (citations decoded from JSON)."""

    id: int
    video_id: int
    highlight_id: int | None  # None: a study result or a chat about the whole video
    thread_id: int
    uid: str  # stable across backups and restores
    thread_uid: str  # the thread's, the same for every answer in it
    kind: str  # "explain", "ask", "followup", "chat" or "study:KEY"
    question: str
    prompt: str
    answer: str
    citations: list[CitationRow]
    model: str
    input_tokens: int | None
    output_tokens: int | None
    cache_read_tokens: int | None
    cache_creation_tokens: int | None
    status: str  # "streaming", "complete", "incomplete" or "error"
    error: str
    created_at: str
    updated_at: str


def span_key(span: Span) -> tuple[int, int, int, int]:
    """Where a span is, as find_highlight matches it: (start_cue, start_offset, end_cue, end_offset)."""
    return span["start_cue"], span["start_offset"], span["end_cue"], span["end_offset"]


class CardRow(TypedDict):
    """A recall card as Store.cards returns it: with its video's title and how often it was reviewed."""

    id: int
    uid: str  # stable across backups and Anki exports
    video_id: int
    highlight_id: int | None
    question: str
    answer: str
    start_ms: int
    end_ms: int
    passage: str  # the transcript's words between start_ms and end_ms when the card was made
    evidence: list[str]  # quotes Claude said the answer rests on (checked against the passage)
    source: str  # "mine" or "claude"
    status: str  # "suggested", "active" or "suspended"
    fsrs: str  # the scheduler's state of the card, JSON
    due: str  # ISO 8601, UTC
    created_at: str
    edited_at: str | None
    title: str
    review_count: int


class ReviewRow(TypedDict):
    """One review of a card: when, the rating (1 again … 4 easy), what was typed, Claude's feedback."""

    id: int
    card_id: int
    reviewed_at: str
    rating: int
    typed_answer: str
    feedback: str
    citations: list[CitationRow]
    due_after: str
    fsrs_log: dict
