"""The JSON backup: everything the user made, written out, and read back by a merge that never overwrites."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from reader.base.colours import COLOUR_NAMES, DEFAULT_COLOUR
from reader.base.paths import data_dir
from reader.base.safe_io import FileProblem, read_limited
from reader.base.uids import is_uid
from reader.exchange.backup_library import MAX_THREADS, ThreadRecord, check_threads, thread_items
from reader.exchange.errors import ExportError
from reader.library.db.allowed_values import (ANSWER_STATUSES, CARD_SOURCES, CARD_STATUSES, LINE, LONG, MAX_MS,
                                              MAX_SYNC_OFFSET_MS, RATING_MAX, RATING_MIN, SHORT, VIDEO_STATES, in_words)
from reader.library.db.records import now
from reader.library.db.store import Store

BACKUP_FORMAT = "reader-backup"
BACKUP_VERSION = 4
# 2: recall cards and their reviews (a version 1 file has none, and reads as before)
# 3: every highlight, answer, thread, review and check carries its uid, and refers to the others by theirs; cards
#    carry their checks. A restore matches rows by uid (versions 1 and 2 still match as they did: by time and text).
# 4: each video's tags, and the library's question threads after the videos (reader/exchange/backup_library.py)

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
# MAX_MS, SHORT, LINE and LONG (times, short fields, lines, long text) are reader/library/db/allowed_values.py's: the library keeps to them too

Ms = Annotated[int, msgspec.Meta(ge=0, le=MAX_MS)]
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_MS)]
Id = Annotated[int, msgspec.Meta(ge=0, le=MAX_MS)]
Short = Annotated[str, msgspec.Meta(max_length=SHORT)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=SHORT)]
Line = Annotated[str, msgspec.Meta(max_length=LINE)]
Long = Annotated[str, msgspec.Meta(max_length=LONG)]
Colour = Literal[COLOUR_NAMES]  # the names reader/base/colours.py lists, no others
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
    # optional (issue 24): whether the entry's video was downloaded; an older backup has none, read as derived
    video_state: Literal[VIDEO_STATES] | None = None
    video_bytes: Count = 0
    video_total: Count = 0


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
    uid: Short | None = None  # version 3 on: required (checked below)


class Citation(msgspec.Struct):
    start_ms: Ms
    end_ms: Ms
    text: Long = ""


class AnswerRecord(msgspec.Struct):
    kind: Name
    question: Line
    created_at: Name
    id: Id | None = None  # versions 1 and 2: required (checked below)
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
    uid: Short | None = None  # version 3 on: these three in place of the ids (checked below)
    thread_uid: Short | None = None
    highlight_uid: Short | None = None


class ReviewRecord(msgspec.Struct):
    reviewed_at: Name
    rating: Annotated[int, msgspec.Meta(ge=RATING_MIN, le=RATING_MAX)]
    due_after: Name
    typed_answer: Long = ""
    feedback: Long = ""
    citations: Long = "[]"  # JSON text, as the library keeps it; checked on its own below
    fsrs_log: Long = "{}"
    uid: Short | None = None  # version 3 on: required (checked below)


class CheckRecord(msgspec.Struct):
    """Claude's feedback on a typed answer (version 3 on): `review_uid` the review it went into, if one did."""

    uid: Short
    typed_answer: Long
    created_at: Name
    feedback: Long = ""
    citations: Long = "[]"
    status: Status = "complete"
    error: Long | None = None
    model: Short | None = None
    review_uid: Short | None = None


class CardRecord(msgspec.Struct):
    uid: Name
    question: Line
    start_ms: Ms
    end_ms: Ms
    fsrs: Long  # the scheduler's state, JSON; checked by reader/cards/scheduling.py below
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
    checks: Annotated[list[CheckRecord], msgspec.Meta(max_length=MAX_REVIEWS)] = []
    highlight_uid: Short | None = None  # version 3 on, in place of highlight_id


class VideoItem(msgspec.Struct):
    video: VideoFields
    cues: Annotated[list[CueRecord], msgspec.Meta(max_length=MAX_CUES)] = []
    chapters: Annotated[list[ChapterRecord], msgspec.Meta(max_length=MAX_CHAPTERS)] = []
    highlights: Annotated[list[HighlightRecord], msgspec.Meta(max_length=MAX_HIGHLIGHTS)] = []
    answers: Annotated[list[AnswerRecord], msgspec.Meta(max_length=MAX_ANSWERS)] = []
    cards: Annotated[list[CardRecord], msgspec.Meta(max_length=MAX_CARDS)] = []
    tags: Annotated[list[Annotated[str, msgspec.Meta(min_length=1, max_length=60)]], msgspec.Meta(max_length=50)] = []


class Backup(msgspec.Struct):
    format: Literal["reader-backup"]
    version: Annotated[int, msgspec.Meta(ge=1, le=BACKUP_VERSION)]
    videos: Annotated[list[VideoItem], msgspec.Meta(max_length=MAX_VIDEOS)] = []
    exported_at: Short | None = None
    library_threads: Annotated[list[ThreadRecord], msgspec.Meta(max_length=MAX_THREADS)] = []


_CITATIONS = msgspec.json.Decoder(Annotated[list[Citation], msgspec.Meta(max_length=MAX_CITATIONS)])
_EVIDENCE = msgspec.json.Decoder(Annotated[list[Line], msgspec.Meta(max_length=MAX_EVIDENCE)])
_LOG = msgspec.json.Decoder(dict)


# -- writing -----------------------------------------------------------------------------------------

def backup_head() -> dict:
    """What a backup file says before its videos."""
    return {"format": BACKUP_FORMAT, "version": BACKUP_VERSION, "exported_at": now()}


def backup_item(store: Store, video_id: int) -> dict:
    """One video and everything the user made on it, as the backup holds it: rows refer to each other by uid."""
    video = store.video(video_id)
    rows = store.backup_rows(video_id)
    reviews: dict[str, list[dict]] = {}
    checks: dict[str, list[dict]] = {}
    for r in rows["reviews"]:
        reviews.setdefault(r.pop("card_uid"), []).append(r)
    for k in rows["checks"]:
        checks.setdefault(k.pop("card_uid"), []).append(k)
    t = store.transcript(video_id)
    return {
        "video": {k: video[k] for k in video if k not in ("id", "sound_path")},  # the sound is media: not in a backup
        "cues": [c.to_json() | {"turn": c.turn} for c in t.cues],
        "chapters": [{"start_ms": c.start_ms, "title": c.title} for c in t.chapters],
        "highlights": rows["highlights"],
        "answers": rows["answers"],
        "cards": [{**c, "reviews": reviews.get(c["uid"], []), "checks": checks.get(c["uid"], [])} for c in rows["cards"]],
        "tags": store.tags(video_id),
    }


def backup(store: Store) -> dict:
    """Everything in the library but the media files themselves, in memory (export writes it a video at a time)."""
    return {**backup_head(), "videos": [backup_item(store, v["id"]) for v in store.videos()],
            "library_threads": thread_items(store)}


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
    "video_state": in_words(VIDEO_STATES),
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
        (r"Expected `array` of length >= (\d+)", lambda g: f"expected a list of at least {g[0]} item{'s' if g[0] != '1' else ''}"),
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
    seen = Seen()
    for i, item in enumerate(data.videos):
        check_item(item, i, data.version, name, seen)
    problem = check_threads(data.library_threads, name)
    if problem:
        raise ExportError(problem)


class Seen:
    """The uids a version 3 backup has shown so far, by kind: each may be in it once (threads: on one highlight)."""

    def __init__(self):
        self.uids: dict[str, set[str]] = {"highlight": set(), "answer": set(), "card": set(), "review": set(), "check": set()}
        self.threads: dict[str, tuple[int, str | None]] = {}  # thread uid -> (video, highlight uid)


def _uid(value: str | None, kind: str, seen: Seen, name: str, where: str) -> None:
    if value is None:
        raise _refuse(name, where, "the field uid is missing")
    if not is_uid(value):
        raise _refuse(name, f"{where}.uid", f"{_short(value)!r} is not an identity Reader makes (16 to 64 lowercase hex digits)")
    if value in seen.uids[kind]:
        raise _refuse(name, f"{where}.uid", f"{kind} {value!r} is in the backup twice")
    seen.uids[kind].add(value)


def check_item(item: VideoItem, i: int, version: int, name: str, seen: Seen) -> None:
    """What a schema cannot say, for one video: times that run forwards, citations that are JSON, rows that point
    at rows the backup holds; from version 3, a uid on every row, each once in the whole backup."""
    at = f"videos[{i}]"
    for j, cue in enumerate(item.cues):
        if cue.end_ms < cue.start_ms:
            raise _refuse(name, f"{at}.cues[{j}]", "the line ends before it starts")
    ids: set = set()
    for j, h in enumerate(item.highlights):
        if h.end_ms < h.start_ms:
            raise _refuse(name, f"{at}.highlights[{j}]", "the highlight ends before it starts")
        if version >= 3:
            _uid(h.uid, "highlight", seen, name, f"{at}.highlights[{j}]")
            ids.add(h.uid)
        elif h.id is not None:
            ids.add(h.id)
    _check_cards(item, ids, name, at, version, seen)
    for j, a in enumerate(item.answers):
        where = f"{at}.answers[{j}]"
        if version >= 3:
            _uid(a.uid, "answer", seen, name, where)
            if a.thread_uid is None or not is_uid(a.thread_uid):
                raise _refuse(name, f"{where}.thread_uid", "the answer's thread has no identity Reader makes")
            if seen.threads.setdefault(a.thread_uid, (i, a.highlight_uid)) != (i, a.highlight_uid):
                raise _refuse(name, f"{where}.thread_uid", "the answer's thread is on another highlight or video")
        elif a.id is None:
            raise _refuse(name, where, "the field id is missing")
        target = a.highlight_uid if version >= 3 else a.highlight_id
        if target is not None and target not in ids:
            raise _refuse(name, f"{where}.highlight_{'uid' if version >= 3 else 'id'}",
                          f"it names highlight {_short(str(target))}, which the backup does not hold")
        try:
            _CITATIONS.decode(a.citations or "[]")
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as exc:
            place, what = _what_went_wrong(str(exc)) if isinstance(exc, msgspec.ValidationError) else ("", "it is not a list of citations")
            raise _refuse(name, f"{where}.citations{('.' + place) if place and not place.startswith('[') else place}",
                          what) from None


def _json_field(decoder, text: str, name: str, where: str, what: str) -> None:
    try:
        decoder.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        raise _refuse(name, where, what) from None


def _moment_field(text: str, name: str, where: str) -> None:
    from reader.cards.scheduling import parse_iso

    try:
        parse_iso(text)
    except (ValueError, TypeError, OverflowError):
        raise _refuse(name, where, f"{_short(text)!r} is not a date and time (ISO 8601)") from None


def _check_cards(item: VideoItem, highlight_ids: set, name: str, at: str, version: int, seen: Seen) -> None:
    """Cards run forwards, point at highlights the backup holds, carry a state FSRS can read, and
    have uids of their own; their reviews' and checks' times and JSON are readable."""
    from reader.cards.scheduling import state_problem

    uids = seen.uids["card"] if version >= 3 else set()  # before version 3, once in each video
    for j, c in enumerate(item.cards):
        where = f"{at}.cards[{j}]"
        if c.end_ms <= c.start_ms:
            raise _refuse(name, where, "the card's moments end before they start")
        if c.uid in uids:
            raise _refuse(name, f"{where}.uid", f"card {_short(c.uid)!r} is in the backup twice")
        uids.add(c.uid)
        target = c.highlight_uid if version >= 3 else c.highlight_id
        if target is not None and target not in highlight_ids:
            raise _refuse(name, f"{where}.highlight_{'uid' if version >= 3 else 'id'}",
                          f"it names highlight {_short(str(target))}, which the backup does not hold")
        problem = state_problem(c.fsrs)
        if problem:
            raise _refuse(name, f"{where}.fsrs", f"the card's schedule is unusable: {problem}")
        _moment_field(c.due, name, f"{where}.due")
        _json_field(_EVIDENCE, c.evidence, name, f"{where}.evidence", "it is not a list of quotes")
        reviews = set()
        for k, r in enumerate(c.reviews):
            if version >= 3:
                _uid(r.uid, "review", seen, name, f"{where}.reviews[{k}]")
                reviews.add(r.uid)
            _moment_field(r.reviewed_at, name, f"{where}.reviews[{k}].reviewed_at")
            _moment_field(r.due_after, name, f"{where}.reviews[{k}].due_after")
            _json_field(_CITATIONS, r.citations, name, f"{where}.reviews[{k}].citations", "it is not a list of citations")
            _json_field(_LOG, r.fsrs_log, name, f"{where}.reviews[{k}].fsrs_log", "it is not a record in braces")
        for k, check in enumerate(c.checks if version >= 3 else ()):
            _uid(check.uid, "check", seen, name, f"{where}.checks[{k}]")
            _moment_field(check.created_at, name, f"{where}.checks[{k}].created_at")
            _json_field(_CITATIONS, check.citations, name, f"{where}.checks[{k}].citations", "it is not a list of citations")
            if check.review_uid is not None and check.review_uid not in reviews:
                raise _refuse(name, f"{where}.checks[{k}].review_uid", "it names a review the card does not hold")


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


# -- restoring (reader.exchange.restore does it) --------------------------------------------------------

def restore_summary(counts: dict, name: str) -> str:
    """What a restore did, in a sentence: "Restored 1 video and 2 highlights from backup.json."."""
    parts = [f"{n} {what[:-1] if n == 1 else what}" for what, n in counts.items() if n]
    if not parts:
        return f"Nothing new in {name}: everything in it is already in the library."
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Restored {listed} from {name}."
