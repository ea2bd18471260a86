"""A backup's video merged into the library: rows matched by uid (version 3) or by time and text (versions 1 and 2), never overwritten."""

from __future__ import annotations

import os

import msgspec

from reader.base.paths import data_dir
from reader.exchange.backup import _CITATIONS, VideoItem, _refuse, _take, kept_path
from reader.library.db.records import VideoRecord, now
from reader.library.db.store import Store
from reader.transcript.model import Chapter, Cue, Transcript, Word

_THE_SAME = {  # what never changes in a row once it is made: a uid the library holds must name the same thing
    "highlights": ("created_at", "text"),
    "answers": ("created_at", "kind", "question"),
    "cards": ("created_at",),
}


def restore_video(store: Store, item: VideoItem, index: int, version: int, name: str, counts: dict, taken: set[str]) -> None:
    """Merge one video of a backup, inside the caller's transaction. A uid the library holds for something
    else (another video, another moment or text) is refused: ExportError, and the caller rolls back."""
    video_id = _video(store, item, counts, taken)
    for tag in item.tags:  # one the library cannot keep (no letter, or past a video's 50) is left out, never a failure
        try:
            store.add_tags(video_id, [tag])
        except ValueError:
            pass
    if version >= 3:
        _by_uid(store, item, video_id, index, name, counts)
    else:
        _by_key(store, item, video_id, counts)


def _video(store: Store, item: VideoItem, counts: dict, taken: set[str]) -> int:
    """The library's entry for the video (kept as it is), or a new one with the backup's transcript."""
    v = item.video
    video_id = store.find_video(v.site, v.site_id)
    if video_id is not None:
        return video_id
    paths = {"thumbnail_path": kept_path(v.thumbnail_path, "thumbnail", taken),
             "media_path": kept_path(v.media_path, "media", taken),
             "transcript_path": kept_path(v.transcript_path, "transcript", taken)}
    media = os.path.join(os.path.realpath(data_dir()), "media")
    for path in paths.values():  # what this entry takes, no entry restored after it may take too
        if path:
            _take(taken, path, media)
    record = VideoRecord(
        site=v.site, site_id=v.site_id, title=v.title, source_url=v.source_url or "", channel=v.channel or "",
        description=v.description or "", duration_ms=v.duration_ms or 0, upload_date=v.upload_date or "",
        transcript_source=v.transcript_source or "none", transcript_language=v.transcript_language or "", **paths,
    )
    cues = [Cue(c.start_ms, c.end_ms, c.text, c.speaker, tuple(Word(w.start_ms, w.text) for w in c.words), c.turn)
            for c in item.cues]
    chapters = [Chapter(c.start_ms, c.title) for c in item.chapters]
    transcript = Transcript(cues, chapters, [], v.transcript_format or "") if cues or chapters else None
    video_id = store.add_video(record, transcript)
    store.restore_video_fields(video_id, v.last_position_ms or 0, v.added_at or now(), v.sync_offset_ms)
    counts["videos"] += 1
    return video_id


def _highlight_row(video_id: int, h) -> dict:
    return {"video_id": video_id, "start_cue": h.start_cue, "start_offset": h.start_offset, "end_cue": h.end_cue,
            "end_offset": h.end_offset, "start_ms": h.start_ms, "end_ms": h.end_ms, "text": h.text, "color": h.color,
            "note": h.note or "", "created_at": h.created_at, "edited_at": h.edited_at or h.created_at,
            "anchor_lost_at": h.anchor_lost_at, "uid": h.uid}


def _answer_row(video_id: int, highlight_id: int | None, a) -> dict:
    return {"video_id": video_id, "highlight_id": highlight_id, "kind": a.kind, "question": a.question, "prompt": a.prompt,
            "answer": a.answer, "citations": msgspec.json.encode(_CITATIONS.decode(a.citations or "[]")).decode(),
            "model": a.model, "input_tokens": a.input_tokens, "output_tokens": a.output_tokens,
            "cache_read_tokens": a.cache_read_tokens, "cache_creation_tokens": a.cache_creation_tokens,
            "status": "incomplete" if a.status == "streaming" else a.status, "error": a.error or "",
            "created_at": a.created_at, "updated_at": a.updated_at or a.created_at, "uid": a.uid, "thread_uid": a.thread_uid}


def _card_row(video_id: int, highlight_id: int | None, c) -> dict:
    return {"uid": c.uid, "video_id": video_id, "question": c.question, "answer": c.answer, "start_ms": c.start_ms,
            "end_ms": c.end_ms, "passage": c.passage, "evidence": c.evidence, "source": c.source, "status": c.status,
            "highlight_id": highlight_id, "fsrs": c.fsrs, "due": c.due, "created_at": c.created_at,
            "edited_at": c.edited_at or c.created_at}


def _review_row(r) -> dict:
    return {"reviewed_at": r.reviewed_at, "rating": r.rating, "typed_answer": r.typed_answer, "feedback": r.feedback,
            "citations": r.citations, "due_after": r.due_after, "fsrs_log": r.fsrs_log, "uid": r.uid}


# -- version 3: by uid -------------------------------------------------------------------------------

def _known(store: Store, table: str, records, video_id: int, what: str, name: str, where: str) -> dict[str, dict]:
    """The rows the library already holds under these records' uids; refused when one of them is not the
    same thing (another video, or another creation time or text)."""
    known = store.rows_by_uid(table, [r.uid for r in records])
    for j, r in enumerate(records):
        row = known.get(r.uid)
        if row is not None and (row["video_id"] != video_id or any(row[k] != getattr(r, k) for k in _THE_SAME[table])):
            raise _refuse(name, f"{where}[{j}].uid", f"{what} {r.uid!r} is already in the library as a different {what}")
    return known


def _by_uid(store: Store, item: VideoItem, video_id: int, i: int, name: str, counts: dict) -> None:
    at = f"videos[{i}]"
    known = _known(store, "highlights", item.highlights, video_id, "highlight", name, f"{at}.highlights")
    fresh = [h for h in item.highlights if h.uid not in known]
    highlight_ids = {uid: row["id"] for uid, row in known.items()}
    highlight_ids.update(zip((h.uid for h in fresh), store.insert_restored("highlights", [_highlight_row(video_id, h) for h in fresh])))
    counts["highlights"] += len(fresh)

    known = _known(store, "answers", item.answers, video_id, "answer", name, f"{at}.answers")
    threads = {uid: row["thread_id"] for uid, row in store.threads_by_uid({a.thread_uid for a in item.answers}).items()}
    for uid, row in known.items():
        threads.setdefault(row["thread_uid"], row["thread_id"])
    for j, a in enumerate(item.answers):
        if a.uid in known:
            continue
        highlight_id = highlight_ids.get(a.highlight_uid) if a.highlight_uid is not None else None
        thread_id = threads.get(a.thread_uid)
        if thread_id is not None and store.thread_on(thread_id, video_id) != (True, highlight_id):
            raise _refuse(name, f"{at}.answers[{j}].thread_uid",
                          f"thread {a.thread_uid!r} is already in the library on another highlight or video")
        [answer_id] = store.insert_restored("answers", [_answer_row(video_id, highlight_id, a) | {"thread_id": thread_id}])
        threads.setdefault(a.thread_uid, answer_id)
        counts["answers"] += 1

    known = _known(store, "cards", item.cards, video_id, "card", name, f"{at}.cards")
    for j, c in enumerate(item.cards):  # a card the library has keeps its own schedule, history and checks
        if c.uid in known:
            continue
        where = f"{at}.cards[{j}]"
        if store.rows_by_uid("reviews", [r.uid for r in c.reviews]) or store.rows_by_uid("checks", [k.uid for k in c.checks]):
            raise _refuse(name, where, f"the reviews of card {c.uid!r} are already in the library under another card")
        highlight_id = highlight_ids.get(c.highlight_uid) if c.highlight_uid is not None else None
        card_id = store.restore_card(_card_row(video_id, highlight_id, c), [_review_row(r) for r in c.reviews])
        reviews = {uid: row["id"] for uid, row in store.rows_by_uid("reviews", [r.uid for r in c.reviews]).items()}
        store.insert_restored("checks", [{
            "card_id": card_id, "typed_answer": k.typed_answer, "feedback": k.feedback, "citations": k.citations,
            "status": "incomplete" if k.status == "streaming" else k.status, "error": k.error or "", "model": k.model,
            "created_at": k.created_at, "review_id": reviews.get(k.review_uid), "uid": k.uid} for k in c.checks])
        counts["cards"] += 1


# -- versions 1 and 2: by creation time and text -----------------------------------------------------

def _by_key(store: Store, item: VideoItem, video_id: int, counts: dict) -> None:
    have = {(h["created_at"], h["start_ms"], h["text"]): h["id"] for h in store.highlights(video_id)}
    highlight_ids: dict[int, int] = {}
    for h in item.highlights:
        key = (h.created_at, h.start_ms, h.text)
        if key not in have:
            [have[key]] = store.insert_restored("highlights", [_highlight_row(video_id, h)])
            counts["highlights"] += 1
        if h.id is not None:
            highlight_ids.setdefault(h.id, have[key])

    known = store.answer_ids_by_key(video_id)  # (created_at, kind, question) -> (id, thread id)
    threads: dict[int, int] = {}  # a thread in the backup -> the same thread in the library
    for a in sorted(item.answers, key=lambda r: r.id):
        key = (a.created_at, a.kind, a.question)
        old_thread = a.thread_id if a.thread_id is not None else a.id
        if key in known:
            threads.setdefault(old_thread, known[key][1])
            continue
        highlight_id = highlight_ids.get(a.highlight_id) if a.highlight_id is not None else None
        [new_id] = store.insert_restored("answers", [_answer_row(video_id, highlight_id, a) | {"thread_id": threads.get(old_thread)}])
        threads.setdefault(old_thread, new_id)
        known[key] = (new_id, threads[old_thread])
        counts["answers"] += 1

    for c in item.cards:  # a card the library has (the same uid) keeps its own schedule and history
        if store.card_by_uid(c.uid) is not None:
            continue
        highlight_id = highlight_ids.get(c.highlight_id) if c.highlight_id is not None else None
        store.restore_card(_card_row(video_id, highlight_id, c), [_review_row(r) for r in c.reviews])
        counts["cards"] += 1
