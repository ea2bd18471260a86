"""The JSON backup: everything the user made, written out, and read back by a merge that never overwrites."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from .allowed_values import (ANSWER_STATUSES, CARD_SOURCES, CARD_STATUSES, LINE, LONG, MAX_MS, RATING_MAX, RATING_MIN,
                             SHORT, in_words)
from .colours import COLOUR_NAMES, DEFAULT_COLOUR
from .export import ExportError, Progress
from .paths import data_dir
from .safe_io import FileProblem, read_limited
from .store import MAX_SYNC_OFFSET_MS, Store, VideoRecord, now
from .transcript.model import Chapter, Cue, Transcript, Word

BACKUP_FORMAT = "reader-backup"
BACKUP_VERSION = 2  # 2: recall cards and their reviews (a version 1 file has none, and reads as before)

# -- limits ------------------------------------------------------------------------------------------
# A backup is read whole into memory, then decoded into typed records (about four times its size in
# memory), so the file is capped at 1 GiB: a library of several hundred hours of word-timed
# transcripts fits, and a hostile file cannot take the machine's memory. Every list and string has a
# cap of its own, far above what Reader itself makes, so a malformed file fails on the first one
# instead of being written.
MAX_FILE_BYTES = 1 << 30
MAX_VIDEOS = 100_000
MAX_CUES = 1_000_000  # per video: a 72-hour recording at a line every quarter second
MAX_WORDS = 10_000  # per cue
MAX_CHAPTERS = 10_000
MAX_HIGHLIGHTS = 100_000  # per video
MAX_ANSWERS = 100_000  # per video
MAX_CITATIONS = 10_000  # per answer
MAX_CARDS = 100_000  # per video
MAX_REVIEWS = 100_000  # per card
MAX_EVIDENCE = 100  # quotes per card
# MAX_MS, SHORT, LINE and LONG (times, short fields, lines, long text) are reader/allowed_values.py's: the library keeps to them too

Ms = Annotated[int, msgspec.Meta(ge=0, le=MAX_MS)]
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_MS)]
Id = Annotated[int, msgspec.Meta(ge=0, le=MAX_MS)]
Short = Annotated[str, msgspec.Meta(max_length=SHORT)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=SHORT)]
Line = Annotated[str, msgspec.Meta(max_length=LINE)]
Long = Annotated[str, msgspec.Meta(max_length=LONG)]
Colour = Literal[COLOUR_NAMES]  # the names reader/colours.py lists, no others
Status = Literal[ANSWER_STATUSES]


class _Head(msgspec.Struct):
    """What is read first, so a file from a newer Reader is told apart from a broken one."""

    format: object = None
    version: object = None


class WordRecord(msgspec.Struct):
    start_ms: Ms
    text: Line


class CueRecord(msgspec.Struct):
    start_ms: Ms
    end_ms: Ms
    text: Line
    speaker: Line | None = None
    words: Annotated[list[WordRecord], msgspec.Meta(max_length=MAX_WORDS)] = []
    turn: bool = False


class ChapterRecord(msgspec.Struct):
    start_ms: Ms
    title: Line


class VideoFields(msgspec.Struct):
    site: Name
    site_id: Name
    title: Line
    source_url: Line | None = None
    channel: Line | None = None
    description: Long | None = None
    duration_ms: Ms | None = None
    upload_date: Short | None = None
    thumbnail_path: Line | None = None
    media_path: Line | None = None
    transcript_path: Line | None = None
    transcript_source: Short | None = None
    transcript_language: Short | None = None
    transcript_format: Short | None = None
    last_position_ms: Ms | None = None
    sync_offset_ms: Annotated[int, msgspec.Meta(ge=-MAX_SYNC_OFFSET_MS, le=MAX_SYNC_OFFSET_MS)] = 0
    added_at: Short | None = None


class HighlightRecord(msgspec.Struct):
    start_ms: Ms
    end_ms: Ms
    text: Long
    created_at: Name
    id: Id | None = None
    start_cue: Count = 0
    start_offset: Count = 0
    end_cue: Count = 0
    end_offset: Count = 0
    color: Colour = DEFAULT_COLOUR
    note: Long | None = None
    edited_at: Short | None = None
    anchor_lost_at: Short | None = None  # the highlight's words were not found in a newer transcript


class Citation(msgspec.Struct):
    start_ms: Ms
    end_ms: Ms
    text: Long = ""


class AnswerRecord(msgspec.Struct):
    id: Id
    kind: Name
    question: Line
    created_at: Name
    highlight_id: Id | None = None
    thread_id: Id | None = None
    prompt: Long | None = None
    answer: Long = ""
    citations: Long = "[]"  # JSON text, as the library keeps it; checked on its own below
    model: Short | None = None
    input_tokens: Count | None = None
    output_tokens: Count | None = None
    cache_read_tokens: Count | None = None
    cache_creation_tokens: Count | None = None
    status: Status = "complete"
    error: Long | None = None
    updated_at: Short | None = None


class ReviewRecord(msgspec.Struct):
    reviewed_at: Name
    rating: Annotated[int, msgspec.Meta(ge=RATING_MIN, le=RATING_MAX)]
    due_after: Name
    typed_answer: Long = ""
    feedback: Long = ""
    citations: Long = "[]"  # JSON text, as the library keeps it; checked on its own below
    fsrs_log: Long = "{}"


class CardRecord(msgspec.Struct):
    uid: Name
    question: Line
    start_ms: Ms
    end_ms: Ms
    fsrs: Long  # the scheduler's state, JSON; checked by reader/scheduling.py below
    due: Name
    created_at: Name
    answer: Long = ""
    passage: Long = ""
    evidence: Long = "[]"  # JSON list of quotes, as the library keeps it
    source: Literal[CARD_SOURCES] = "mine"
    status: Literal[CARD_STATUSES] = "active"
    highlight_id: Id | None = None
    edited_at: Short | None = None
    reviews: Annotated[list[ReviewRecord], msgspec.Meta(max_length=MAX_REVIEWS)] = []


class VideoItem(msgspec.Struct):
    video: VideoFields
    cues: Annotated[list[CueRecord], msgspec.Meta(max_length=MAX_CUES)] = []
    chapters: Annotated[list[ChapterRecord], msgspec.Meta(max_length=MAX_CHAPTERS)] = []
    highlights: Annotated[list[HighlightRecord], msgspec.Meta(max_length=MAX_HIGHLIGHTS)] = []
    answers: Annotated[list[AnswerRecord], msgspec.Meta(max_length=MAX_ANSWERS)] = []
    cards: Annotated[list[CardRecord], msgspec.Meta(max_length=MAX_CARDS)] = []


class Backup(msgspec.Struct):
    format: Literal["reader-backup"]
    version: Annotated[int, msgspec.Meta(ge=1, le=BACKUP_VERSION)]
    videos: Annotated[list[VideoItem], msgspec.Meta(max_length=MAX_VIDEOS)] = []
    exported_at: Short | None = None


_CITATIONS = msgspec.json.Decoder(Annotated[list[Citation], msgspec.Meta(max_length=MAX_CITATIONS)])
_EVIDENCE = msgspec.json.Decoder(Annotated[list[Line], msgspec.Meta(max_length=MAX_EVIDENCE)])
_LOG = msgspec.json.Decoder(dict)


# -- writing -----------------------------------------------------------------------------------------

def backup(store: Store) -> dict:
    """Everything in the library but the media files themselves."""
    videos = []
    for v in store.videos():
        video = store.video(v["id"])
        t = store.transcript(v["id"])
        videos.append({
            "video": {k: video[k] for k in video if k not in ("id",)},
            "cues": [c.to_json() | {"turn": c.turn} for c in t.cues],
            "chapters": [{"start_ms": c.start_ms, "title": c.title} for c in t.chapters],
            "highlights": store.highlights(v["id"]),
            "answers": store.answers_for_video(v["id"]),
            "cards": _cards(store, v["id"]),
        })
    return {"format": BACKUP_FORMAT, "version": BACKUP_VERSION, "exported_at": now(), "videos": videos}


def _cards(store: Store, video_id: int) -> list[dict]:
    """A video's cards as stored, each with its reviews (the card's own id and the review's left out)."""
    reviews: dict[str, list[dict]] = {}
    for r in store.reviews_for_video(video_id):
        reviews.setdefault(r["card_uid"], []).append({k: r[k] for k in r if k not in ("id", "card_id", "card_uid")})
    return [{**{k: c[k] for k in c if k not in ("id", "video_id")}, "reviews": reviews.get(c["uid"], [])}
            for c in store.cards_for_video(video_id)]


# -- reading -----------------------------------------------------------------------------------------

_TYPES = {
    "int": "a whole number", "str": "text", "float": "a number with a fraction", "bool": "true or false",
    "null": "nothing (null)", "array": "a list", "object": "a record in braces", "bytes": "binary data",
}
_ALLOWED = {
    "color": in_words(COLOUR_NAMES),
    "status": in_words(ANSWER_STATUSES),
    "cards.status": in_words(CARD_STATUSES),
    "cards.source": in_words(CARD_SOURCES),
    "format": "reader-backup",
}


def _type_words(names: str) -> str:
    words = [_TYPES.get(n.strip().strip("`"), "another kind of value") for n in names.split("|")]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _short(text: str, limit: int = 60) -> str:
    """A value from the file, echoed in a message: cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _allowed(where: str) -> str:
    """The values a field may hold, in brackets, for a message about one it may not: " (yellow, green…)"."""
    field = where.rsplit(".", 1)[-1]
    key = f"cards.{field}" if re.search(r"\.cards\[\d+\]\.\w+$", where) else field
    return f" ({_ALLOWED[key]})" if key in _ALLOWED else ""


def _what_went_wrong(message: str) -> tuple[str, str]:
    """msgspec's message as (where, what was wrong), in plain words."""
    where = ""
    m = re.search(r" - at `\$(.*)`$", message)
    if m:
        where = m.group(1).lstrip(".")
        message = message[: m.start()]
    patterns = (
        (r"Expected `(.+?)`, got `(.+?)`", lambda g: f"expected {_type_words(g[0])}, got {_type_words(g[1])}"),
        (r"Expected `(.+?)` >= (-?\d+)", lambda g: f"expected {_type_words(g[0])} of at least {g[1]}"),
        (r"Expected `(.+?)` <= (-?\d+)", lambda g: f"expected {_type_words(g[0])} of at most {g[1]}"),
        (r"Expected `str` of length >= 1", lambda g: "expected text that is not empty"),
        (r"Expected `str` of length <= (\d+)", lambda g: f"expected text of at most {g[0]} characters"),
        (r"Expected `array` of length <= (\d+)", lambda g: f"expected a list of at most {g[0]} items"),
        (r"Number out of range", lambda g: "the number is far too large"),
        (r"Object missing required field `(.+?)`", lambda g: f"the field {g[0]} is missing"),
        (r"Invalid enum value (.*)", lambda g: f"{_short(g[0])} is not one of the values Reader knows" + _allowed(where)),
    )
    for pattern, say in patterns:
        m = re.fullmatch(pattern, message)
        if m:
            return where, say(m.groups())
    return where, "a value is not what Reader expects there"


def _refuse(name: str, where: str, what: str) -> ExportError:
    at = f"at {where}, " if where else ""
    return ExportError(f"{name} is not a Reader backup Reader can use: {at}{what}.")


def _decode_failure(name: str, exc: Exception) -> ExportError:
    if isinstance(exc, RecursionError):
        return ExportError(f"{name} is not a readable backup: its JSON is nested too deeply.")
    if isinstance(exc, UnicodeDecodeError):
        return ExportError(f"{name} is not a readable backup: its text is not UTF-8.")
    if isinstance(exc, msgspec.ValidationError):
        return _refuse(name, *_what_went_wrong(str(exc)))
    message = str(exc)
    m = re.search(r"\(byte (\d+)\)", message)
    if "truncated" in message:
        return ExportError(f"{name} is not a readable backup: it ends before its JSON does.")
    at = f" (the first fault is at byte {m.group(1)})" if m else ""
    return ExportError(f"{name} is not a readable backup: it is not valid JSON{at}.")


def read_backup(path: Path | str) -> Backup:
    """A backup file, checked whole against the schema; ExportError with one sentence if it is not one."""
    path = Path(path)
    name = path.name or str(path)
    try:
        raw = read_limited(path, MAX_FILE_BYTES, "Reader backup")
    except FileProblem as exc:
        raise ExportError(str(exc)) from None
    if raw.startswith(b"\xef\xbb\xbf"):  # a byte order mark, as Notepad saves UTF-8
        raw = raw[3:]
    if not raw.strip():
        raise ExportError(f"{name} is not a readable backup: it is empty.")
    try:
        head = msgspec.json.decode(raw, type=_Head)
    except msgspec.ValidationError as exc:  # (a kind of DecodeError, so first)
        if str(exc).endswith("at `$.version`"):  # a whole number of thousands of digits
            raise ExportError(f"{name} was made by a newer Reader (a backup version far beyond this Reader's); "
                              "update Reader to restore it.") from None
        raise ExportError(f"{name} is not a Reader backup: it does not hold a record in braces.") from None
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise _decode_failure(name, exc) from None
    if head.format != BACKUP_FORMAT:
        raise ExportError(f"{name} is not a Reader backup: it does not say \"format\": \"{BACKUP_FORMAT}\".")
    version = head.version
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refuse(name, "version", "expected a whole number of at least 1")
    if version > BACKUP_VERSION:
        said = f"backup version {version}" if version < 10**9 else "a backup version far beyond this Reader's"
        raise ExportError(f"{name} was made by a newer Reader ({said}); update Reader to restore it.")
    try:
        data = msgspec.json.decode(raw, type=Backup)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise _decode_failure(name, exc) from None
    del raw
    _check_relations(data, name)
    return data


def _check_relations(data: Backup, name: str) -> None:
    """What a schema cannot say: times that run forwards, citations that are JSON, answers that point
    at highlights the backup holds."""
    for i, item in enumerate(data.videos):
        at = f"videos[{i}]"
        for j, cue in enumerate(item.cues):
            if cue.end_ms < cue.start_ms:
                raise _refuse(name, f"{at}.cues[{j}]", "the line ends before it starts")
        ids = set()
        for j, h in enumerate(item.highlights):
            if h.end_ms < h.start_ms:
                raise _refuse(name, f"{at}.highlights[{j}]", "the highlight ends before it starts")
            if h.id is not None:
                ids.add(h.id)
        _check_cards(item, ids, name, at)
        for j, a in enumerate(item.answers):
            if a.highlight_id is not None and a.highlight_id not in ids:
                raise _refuse(name, f"{at}.answers[{j}].highlight_id", f"it names highlight {a.highlight_id}, which the backup does not hold")
            try:
                _CITATIONS.decode(a.citations or "[]")
            except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as exc:
                where, what = _what_went_wrong(str(exc)) if isinstance(exc, msgspec.ValidationError) else ("", "it is not a list of citations")
                raise _refuse(name, f"{at}.answers[{j}].citations{('.' + where) if where and not where.startswith('[') else where}",
                              what) from None


def _json_field(decoder, text: str, name: str, where: str, what: str) -> None:
    try:
        decoder.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        raise _refuse(name, where, what) from None


def _moment_field(text: str, name: str, where: str) -> None:
    from .scheduling import parse_iso

    try:
        parse_iso(text)
    except (ValueError, TypeError, OverflowError):
        raise _refuse(name, where, f"{_short(text)!r} is not a date and time (ISO 8601)") from None


def _check_cards(item: VideoItem, highlight_ids: set[int], name: str, at: str) -> None:
    """Cards run forwards, point at highlights the backup holds, carry a state FSRS can read, and
    have uids of their own; their reviews' times and JSON are readable."""
    from .scheduling import state_problem

    uids = set()
    for j, c in enumerate(item.cards):
        where = f"{at}.cards[{j}]"
        if c.end_ms <= c.start_ms:
            raise _refuse(name, where, "the card's moments end before they start")
        if c.uid in uids:
            raise _refuse(name, f"{where}.uid", f"card {_short(c.uid)!r} is in the backup twice")
        uids.add(c.uid)
        if c.highlight_id is not None and c.highlight_id not in highlight_ids:
            raise _refuse(name, f"{where}.highlight_id", f"it names highlight {c.highlight_id}, which the backup does not hold")
        problem = state_problem(c.fsrs)
        if problem:
            raise _refuse(name, f"{where}.fsrs", f"the card's schedule is unusable: {problem}")
        _moment_field(c.due, name, f"{where}.due")
        _json_field(_EVIDENCE, c.evidence, name, f"{where}.evidence", "it is not a list of quotes")
        for k, r in enumerate(c.reviews):
            _moment_field(r.reviewed_at, name, f"{where}.reviews[{k}].reviewed_at")
            _moment_field(r.due_after, name, f"{where}.reviews[{k}].due_after")
            _json_field(_CITATIONS, r.citations, name, f"{where}.reviews[{k}].citations", "it is not a list of citations")
            _json_field(_LOG, r.fsrs_log, name, f"{where}.reviews[{k}].fsrs_log", "it is not a record in braces")


def kept_path(value: str | None, kind: str = "media", taken: set[str] | frozenset = frozenset()) -> str:
    """A media, thumbnail or transcript path from a backup, if it names a regular file where Reader keeps
    such files (resolved, links followed); otherwise ''. A backup may come from anywhere, or be edited
    by hand: its paths are never trusted to point at the user's other files, a device or a pipe, the
    library database or its snapshots, or the files of another entry (removing this one would delete them).

    Media and transcripts must lie in the data folder's media/ tree; a thumbnail in media/ or
    thumbnails/. Nothing in a hidden folder (an import's staging folder). `taken` holds the resolved
    paths other entries refer to, and the folders of media/ they lie in: those are refused too."""
    if not value:
        return ""
    try:
        base = os.path.realpath(data_dir())
        real = os.path.realpath(os.path.join(base, value))  # an absolute value stands alone
        roots = ("media", "thumbnails") if kind == "thumbnail" else ("media",)
        root = next((r for r in (os.path.join(base, name) for name in roots)
                     if os.path.commonpath([real, r]) == r and real != r), None)
        if root is None:
            return ""
        parts = Path(os.path.relpath(real, root)).parts
        if any(part.startswith(".") or ".old-" in part for part in parts):  # staging and old copies are swept away
            return ""
        if not stat.S_ISREG(os.stat(real).st_mode):
            return ""
        if real in taken or (len(parts) > 1 and os.path.join(root, parts[0]) in taken):
            return ""  # another entry's file, or a file in another entry's folder
        return real
    except (OSError, ValueError):
        return ""


def _taken_paths(store: Store) -> set[str]:
    """What entries in the library refer to, resolved: their files, and the media/ folders those lie in."""
    media = os.path.join(os.path.realpath(data_dir()), "media")
    taken: set[str] = set()
    for path in store.entry_paths():
        _take(taken, path, media)
    return taken


def _take(taken: set[str], path: str, media: str) -> None:
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return
    taken.add(real)
    try:
        if os.path.commonpath([real, media]) == media and real != media:
            parts = Path(os.path.relpath(real, media)).parts
            if len(parts) > 1:
                taken.add(os.path.join(media, parts[0]))
    except ValueError:
        pass


# -- restoring ---------------------------------------------------------------------------------------

def restore(store: Store, path: Path, progress: Progress | None = None) -> dict:
    """Merge a backup into the library, in one transaction: all of it or none of it.

    The whole file is checked first. A video already in the library (same site and id there) keeps
    its transcript, title, files, position and dates; a new one is added with its transcript.
    Highlights (matched by creation time, start and text) and answers (by creation time, kind and
    question) are added once, so restoring twice changes nothing the second time.
    """
    data = read_backup(path)
    if store.read_only:
        raise store.refuse_write(f"{Path(path).name} was not restored; the library is as it was")
    if store.count():  # a way back, whatever the backup turns out to add
        from .snapshots import take_snapshot

        take_snapshot(store, "restore")
    counts = {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}
    items = data.videos
    try:
        with store.writing():
            taken = _taken_paths(store)  # read inside the transaction: no other Reader changes it meanwhile
            for done, item in enumerate(items):
                if progress is not None:
                    progress(done, len(items))
                _restore_video(store, item, counts, taken)
            if progress is not None:
                progress(len(items), len(items))
    except sqlite3.Error as exc:
        reason = str(exc).rstrip(".") or "an error"
        raise ExportError(f"{Path(path).name} could not be restored, so the library is as it was: the library database "
                          f"reported {reason}.") from None
    return counts


def _restore_video(store: Store, item: VideoItem, counts: dict, taken: set[str]) -> None:
    v = item.video
    video_id = store.find_video(v.site, v.site_id)
    if video_id is None:
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

    have = {(h["created_at"], h["start_ms"], h["text"]): h["id"] for h in store.highlights(video_id)}
    highlight_ids: dict[int, int] = {}
    for h in item.highlights:
        key = (h.created_at, h.start_ms, h.text)
        if key not in have:
            have[key] = store.insert_highlight_row({
                "video_id": video_id, "start_cue": h.start_cue, "start_offset": h.start_offset, "end_cue": h.end_cue,
                "end_offset": h.end_offset, "start_ms": h.start_ms, "end_ms": h.end_ms, "text": h.text, "color": h.color,
                "note": h.note or "", "created_at": h.created_at, "edited_at": h.edited_at or h.created_at,
                "anchor_lost_at": h.anchor_lost_at,
            })
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
        row = {
            "video_id": video_id, "highlight_id": highlight_ids.get(a.highlight_id) if a.highlight_id is not None else None,
            "kind": a.kind, "question": a.question, "prompt": a.prompt, "answer": a.answer,
            "citations": msgspec.json.encode(_CITATIONS.decode(a.citations or "[]")).decode(),
            "model": a.model, "input_tokens": a.input_tokens, "output_tokens": a.output_tokens,
            "cache_read_tokens": a.cache_read_tokens, "cache_creation_tokens": a.cache_creation_tokens,
            "status": "incomplete" if a.status == "streaming" else a.status, "error": a.error or "",
            "created_at": a.created_at, "updated_at": a.updated_at or a.created_at,
        }
        new_id = store.insert_answer_row(row, threads.get(old_thread))
        threads.setdefault(old_thread, new_id)
        known[key] = (new_id, threads[old_thread])
        counts["answers"] += 1

    for c in item.cards:  # a card the library has (the same uid) keeps its own schedule and history
        if store.card_by_uid(c.uid) is not None:
            continue
        store.restore_card({
            "uid": c.uid, "video_id": video_id, "question": c.question, "answer": c.answer, "start_ms": c.start_ms,
            "end_ms": c.end_ms, "passage": c.passage, "evidence": c.evidence, "source": c.source, "status": c.status,
            "highlight_id": highlight_ids.get(c.highlight_id) if c.highlight_id is not None else None,
            "fsrs": c.fsrs, "due": c.due, "created_at": c.created_at, "edited_at": c.edited_at or c.created_at,
        }, [{"reviewed_at": r.reviewed_at, "rating": r.rating, "typed_answer": r.typed_answer, "feedback": r.feedback,
             "citations": r.citations, "due_after": r.due_after, "fsrs_log": r.fsrs_log} for r in c.reviews])
        counts["cards"] += 1


def restore_summary(counts: dict, name: str) -> str:
    """What a restore did, in a sentence: "Restored 1 video and 2 highlights from backup.json."."""
    parts = [f"{n} {what[:-1] if n == 1 else what}" for what, n in counts.items() if n]
    if not parts:
        return f"Nothing new in {name}: everything in it is already in the library."
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Restored {listed} from {name}."
