"""Ranked search across the library: the videos that speak of a query best first, each with its best lines and notes."""

from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.library.passages import local_terms

if TYPE_CHECKING:
    from reader.library.db.store import Store

VIDEOS = 20  # videos on the first page of results
LINES = 3  # best lines shown for each video
NOTES = 60  # notes, answers and cards looked at, of each kind


@dataclass(frozen=True)
class LineHit:
    start_ms: int
    end_ms: int
    text: str
    snippet: str  # the line with the matches between \x02 and \x03


@dataclass(frozen=True)
class NoteHit:
    kind: str  # 'highlight' (with its note), 'answer' or 'card'
    item_id: int
    start_ms: int
    text: str  # the highlighted words, the question, the card's question
    detail: str  # the note, the answer, the card's answer


@dataclass
class VideoResult:
    """One video in the results: `line_count` of its lines hold the query; `lines`, its best, in time order."""

    video_id: int
    title: str
    score: float  # higher is better
    line_count: int = 0
    lines: list[LineHit] = field(default_factory=list)
    notes: list[NoteHit] = field(default_factory=list)

    def found_in(self) -> str:
        """What the results say of the video: '6 lines', '1 line', 'over several lines' (no one line holds
        all of the query) or 'in your notes' (only its notes, answers or cards hold it)."""
        if self.line_count:
            return f"{self.line_count} line{'s' if self.line_count != 1 else ''}"
        return "over several lines" if self.lines else "in your notes"

    def to_json(self) -> dict:
        return {"video_id": self.video_id, "title": self.title, "score": round(self.score, 4), "line_count": self.line_count,
                "lines": [{"start_ms": h.start_ms, "end_ms": h.end_ms, "text": h.text} for h in self.lines],
                "notes": [{"kind": n.kind, "id": n.item_id, "start_ms": n.start_ms, "text": n.text, "detail": n.detail}
                          for n in self.notes]}


@dataclass
class Results:
    query: str
    videos: list[VideoResult]
    video_count: int  # how many videos' transcripts hold the query (the page shows the best VIDEOS)


def search_library(store: Store, query: str, videos: int = VIDEOS, lines: int = LINES) -> Results:
    """The videos whose transcripts hold `query` (see reader.library.passages.passages for what a query is), best
    first by bm25 over each whole transcript; inside each, how many of its lines hold it and the best
    `lines` of them in time order (those in the passages that hold the most; when no one line holds it
    all, the lines of its first passage that hold some of it). Highlights, notes,
    answers and cards that hold it are found beside the lines of their video; a video found only in them
    comes after the transcript results."""
    terms = local_terms(store, query)
    match = " AND ".join(terms)
    if not match:
        return Results(query, [], 0)
    results: dict[int, VideoResult] = {}
    ranked = store.rank_videos(match, videos)
    titles = store.titles([v for v, _ in ranked])
    for video_id, score in ranked:
        result = results[video_id] = VideoResult(video_id, titles.get(video_id, ""), -score)
        rows = store.matching_lines(match, video_id)
        result.line_count = len(rows)
        if not rows:  # the words (or a phrase) spread over lines: the lines of its first passage that hold any
            where = store.first_passage(match, video_id)
            match_any = " OR ".join(_words(terms))
            rows = store.matching_lines(match_any, video_id, *where) if where else []
            result.lines = _best_lines(store, match_any, video_id, rows, lines)
        else:
            result.lines = _best_lines(store, match, video_id, rows, lines)
    video_count = store.count_videos(match) if len(ranked) >= videos else len(ranked)
    rows = store.note_hits(match, NOTES, list(results)) if results else []
    if video_count < videos:  # every video whose transcript holds it is listed: look for the others' notes
        rows += [r for r in store.note_hits(match, NOTES) if r["video_id"] not in results]
    extra: dict[int, VideoResult] = {}
    for row in rows:
        hit = NoteHit(row["kind"], row["id"], row["start_ms"] or 0, row["text"] or "", row["detail"] or "")
        target = results.get(row["video_id"]) or extra.get(row["video_id"])
        if target is None:
            if len(extra) >= videos:
                continue
            target = extra[row["video_id"]] = VideoResult(row["video_id"], "", -row["score"])
        if len(target.notes) < lines * 2:
            target.notes.append(hit)
    names = store.titles(list(extra))
    for result in extra.values():
        result.title = names.get(result.video_id, "")
    for result in (*results.values(), *extra.values()):
        result.notes.sort(key=lambda n: (n.start_ms, n.kind))
    ordered = list(results.values()) + sorted(extra.values(), key=lambda r: -r.score)
    return Results(query, ordered, video_count)


def _best_lines(store: Store, match: str, video_id: int, ids: list[int], lines: int) -> list[LineHit]:
    """The best `lines` of a video's matching lines (cue ids in time order), in time order: those of the
    passages (runs of ~200 words) that hold the most of them first, the earlier first among equals."""
    if len(ids) > lines:
        starts = store.passage_starts(video_id)
        where = [bisect_right(starts, cue) for cue in ids]
        density: dict[int, int] = {}
        for p in where:
            density[p] = density.get(p, 0) + 1
        ids = [ids[i] for i in heapq.nsmallest(lines, range(len(ids)), key=lambda i: (-density[where[i]], where[i], i))]
    return [LineHit(*row) for row in store.marked_lines(match, ids)]


def _words(terms: list[str]) -> list[str]:
    """The terms with each phrase split into its words (a prefix group stays whole)."""
    out = []
    for term in terms:
        if term.startswith('"') and term.endswith('"') and " " in term:
            out += [f'"{w}"' for w in term[1:-1].split(" ") if w]
        else:
            out.append(term)
    return out
