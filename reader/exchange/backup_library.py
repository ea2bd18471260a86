"""The library's question threads in a backup (version 4): written with videos named by site and id, restored by uid, never overwritten."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import msgspec

from reader.library.db.allowed_values import ANSWER_STATUSES, LINE, LONG, MAX_MS, SHORT

if TYPE_CHECKING:
    from reader.library.db.store import Store

MAX_THREADS = 100_000
MAX_TURNS = 10_000  # answers in one thread
MAX_SOURCES = 200  # passages sent with one question
MAX_SOURCE_LINES = 10_000
MAX_LIBRARY_CITATIONS = 10_000

Ms = Annotated[int, msgspec.Meta(ge=0, le=MAX_MS)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=SHORT)]
Short = Annotated[str, msgspec.Meta(max_length=SHORT)]
Line = Annotated[str, msgspec.Meta(max_length=LINE)]
Long = Annotated[str, msgspec.Meta(max_length=LONG)]


class VideoRef(msgspec.Struct):
    """A video as every library knows it: its site and its id there (a library's own ids differ)."""

    site: Name
    site_id: Name


class SourceRecord(msgspec.Struct):
    video: VideoRef
    title: Line
    start_ms: Ms
    end_ms: Ms
    lines: Annotated[list[tuple[Ms, Ms, Line]], msgspec.Meta(max_length=MAX_SOURCE_LINES)]
    kind: Literal["transcript", "note"] = "transcript"
    score: float = 0.0


class CitationRecord(msgspec.Struct):
    video: VideoRef | None
    start_ms: Ms
    end_ms: Ms
    title: Line = ""
    text: Long = ""


class LibraryAnswerRecord(msgspec.Struct):
    uid: Name
    question: Line
    created_at: Name
    prompt: Long = ""
    scope: Line = ""
    sources: Annotated[list[SourceRecord], msgspec.Meta(max_length=MAX_SOURCES)] = []
    answer: Long = ""
    citations: Annotated[list[CitationRecord], msgspec.Meta(max_length=MAX_LIBRARY_CITATIONS)] = []
    status: Literal[ANSWER_STATUSES] = "complete"
    error: Long = ""
    model: Short | None = None
    updated_at: Short | None = None
    input_tokens: Ms | None = None
    output_tokens: Ms | None = None
    cache_read_tokens: Ms | None = None
    cache_creation_tokens: Ms | None = None


class ThreadRecord(msgspec.Struct):
    uid: Name
    answers: Annotated[list[LibraryAnswerRecord], msgspec.Meta(min_length=1, max_length=MAX_TURNS)]


_COPIED = ("uid", "question", "created_at", "prompt", "answer", "status", "error", "model", "updated_at",
           "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens")


# -- writing -----------------------------------------------------------------------------------------

def thread_items(store: Store) -> list[dict]:
    """Every library thread as a backup holds it, oldest first; a video is named by its site and id."""
    refs = {video_id: {"site": site, "site_id": site_id} for (site, site_id), video_id in store.video_keys().items()}
    out: list[dict] = []
    for t in reversed(store.library_threads(limit=MAX_THREADS)):
        rows = store.library_thread(t["thread_id"])
        answers = []
        for r in rows:
            a = {k: r[k] for k in _COPIED}
            a["scope"] = r["scope"] if not r["scope"].startswith("videos:") else ""  # another library's ids mean nothing
            a["sources"] = [{k: s[k] for k in ("title", "start_ms", "end_ms", "lines", "kind", "score")} | {"video": refs[s["video_id"]]}
                            for s in r["sources"] if isinstance(s, dict) and s.get("video_id") in refs]
            a["citations"] = [{"video": refs.get(c.get("video_id")), "start_ms": int(c.get("start_ms") or 0),
                               "end_ms": int(c.get("end_ms") or 0), "title": str(c.get("title") or ""),
                               "text": str(c.get("text") or "")} for c in r["citations"] if isinstance(c, dict)]
            answers.append(a)
        out.append({"uid": rows[0]["thread_uid"], "answers": answers})
    return out


# -- checking and restoring ----------------------------------------------------------------------------

def check_threads(threads: list[ThreadRecord], name: str) -> str:
    """What is wrong with the threads, in one sentence ("" when nothing is): each thread and answer once in the backup."""
    seen_threads: set[str] = set()
    seen: set[str] = set()
    for i, t in enumerate(threads):
        if t.uid in seen_threads:
            return f"{name} is not a Reader backup Reader can use: at library_threads[{i}].uid, thread {t.uid!r} is in it twice."
        seen_threads.add(t.uid)
        for j, a in enumerate(t.answers):
            if a.uid in seen:
                return (f"{name} is not a Reader backup Reader can use: at library_threads[{i}].answers[{j}].uid, "
                        f"answer {a.uid!r} is in it twice.")
            seen.add(a.uid)
    return ""


def restore_threads(store: Store, threads: list[ThreadRecord], counts: dict) -> None:
    """Add the threads' answers the library lacks (by uid), inside the caller's transaction; a thread the
    library has gains only its missing turns. A cited video the library does not hold is kept as a
    citation of a removed video (said, never linked)."""
    import json

    ids = store.video_keys()
    have = store.library_answer_uids()
    for t in threads:
        thread_id = store.library_thread_of(t.uid)
        for a in t.answers:
            if a.uid in have:
                continue
            sources = [{"kind": s.kind, "video_id": ids[(s.video.site, s.video.site_id)], "title": s.title,
                        "start_ms": s.start_ms, "end_ms": s.end_ms, "lines": [list(x) for x in s.lines], "score": s.score}
                       for s in a.sources if (s.video.site, s.video.site_id) in ids]
            citations = [{"video_id": ids.get((c.video.site, c.video.site_id)) if c.video else None, "title": c.title,
                          "start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text} for c in a.citations]
            values = {k: getattr(a, k) for k in _COPIED} | {
                "status": "incomplete" if a.status == "streaming" else a.status, "thread_id": thread_id, "thread_uid": t.uid,
                "scope": a.scope if not a.scope.startswith("videos:") else "", "sources": json.dumps(sources),
                "citations": json.dumps(citations)}
            thread_id = store.insert_library_answer(values)
            have.add(a.uid)
            counts["library answers"] = counts.get("library answers", 0) + 1
