"""The passages of the library that bear on a query, best first: what asking the whole library sends to Claude."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from reader.library.db.passages import query_terms

if TYPE_CHECKING:
    from reader.library.db.store import Store

PER_VIDEO = 3  # a video gives at most this many passages to one list, so one talk does not fill it
MAX_LIMIT = 200


@dataclass(frozen=True)
class Passage:
    """A run of one video's lines (a few hundred words) and how well it matches: `score` is higher for a
    better match (SQLite's bm25, negated), comparable between the passages of one call."""

    video_id: int
    title: str
    start_ms: int
    end_ms: int
    text: str
    score: float

    def to_json(self) -> dict:
        return {"video_id": self.video_id, "title": self.title, "start_ms": self.start_ms, "end_ms": self.end_ms,
                "text": self.text, "score": round(self.score, 4)}


def passages(store: Store, query: str, scope: Iterable[int] | None = None, limit: int = 20) -> list[Passage]:
    """The passages that hold every word of `query` (a phrase in double quotes, any form of a word, the
    last word as a prefix while typing; FTS5 syntax is searched as words), best first, at most `limit`.

    `scope` is a set of video ids to search within (None: the whole library; empty: nothing). Videos are
    ranked first on their whole transcripts, and the best passages of the best videos are then ranked
    together (at most PER_VIDEO from one video), so the cost grows with the number of videos that
    match, not with the number of lines. Nothing is written. A query with no word gives []."""
    match = local_query(store, query)
    limit = max(0, min(int(limit), MAX_LIMIT))
    if not match or limit == 0:
        return []
    ids = None if scope is None else sorted({int(v) for v in scope})
    if ids is not None and not ids:
        return []
    found: list[Passage] = []
    for video_id, _score in store.rank_videos(match, limit, ids):
        for row in store.best_passages(match, PER_VIDEO, video_id=video_id):
            found.append(Passage(row["video_id"], row["title"], row["start_ms"], row["end_ms"], row["text"], -row["score"]))
    found.sort(key=lambda p: (-p.score, p.video_id, p.start_ms))
    return found[:limit]


def local_query(store: Store, query: str) -> str:
    """The query as FTS5 is given it: every term (see local_terms) must match. '' when there is no word."""
    return " AND ".join(local_terms(store, query))  # FTS5 does not join a bracketed group to the rest by a space


def local_terms(store: Store, query: str) -> list[str]:
    """The query's terms as FTS5 is given them: a last word being typed stands for itself or the few
    indexed words it begins, the most widespread first (a prefix query makes FTS5 read every match of
    every word it begins in the whole library, even within a rowid range)."""
    terms, prefix = query_terms(query)
    if prefix:
        words = [t for t in store.expand_prefix(prefix) if t]
        terms[-1] = "(" + " OR ".join([terms[-1]] + ['"' + t.replace('"', '""') + '"' for t in words]) + ")"
    return terms
