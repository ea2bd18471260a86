"""All of Reader's SQL: the library database (videos, cues, chapters) over sqlite-utils, with migrations."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the migrations' annotations; imported for real by _import_sqlite_utils
    import sqlite_utils


def _import_sqlite_utils():
    """sqlite-utils, imported when a library is first opened: it (with dateutil, click and pluggy's search of
    every installed package's entry points) costs a tenth of a second or more, which the window's first
    frame does not wait for."""
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    # sqlite-utils imports numpy when it can, only to map numpy types we never use; that costs
    # a quarter of a second of every start-up. Hide numpy during that one import.
    hidden = "numpy" not in sys.modules
    if hidden:
        sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import sqlite_utils as module
    finally:
        if hidden:
            del sys.modules["numpy"]
    return module



class _Migrations:
    """sqlite-utils' Migrations("reader"), made on first use: `@migrations()` registers a migration as it
    would, and everything else (apply, pending, applied...) goes to the real one."""

    def __init__(self, name: str):
        self.name = name
        self._registered: list = []
        self._real = None

    def __call__(self, **options):
        def register(fn):
            self._registered.append((fn, options))
            return fn

        return register

    def __getattr__(self, attribute: str):
        if self._real is None:
            _import_sqlite_utils()
            from sqlite_utils.migrations import Migrations

            self._real = Migrations(self.name)
            for fn, options in self._registered:
                self._real(**options)(fn)
        return getattr(self._real, attribute)


from .citations import has_content
from .colours import DEFAULT_COLOUR
from .allowed_values import MAX_SYNC_OFFSET_MS
from .layouts import Layout, layout_from_text, layout_text
from .numbers import MAX_MS, clamped
from .paths import data_dir
from .rows import AnswerRow, HighlightListRow, HighlightRow
from .store_backup import BackupQueries
from .store_cards import CardQueries, fts_query
from .store_checks import refused_sentence
from .store_library import LibraryQueries, create_library_tables
from .store_downloads import DownloadQueries, add_download_columns, video_state_values
from .store_passages import PassageQueries, create_passage_tables
from .store_transcriptions import TranscriptionQueries
from .transcript.model import Chapter, Cue, Transcript, Word
from .uids import new_uid

migrations = _Migrations("reader")


@migrations()
def m001_library(db: sqlite_utils.Database) -> None:
    db["videos"].create(
        {
            "id": int, "site": str, "site_id": str, "source_url": str, "title": str, "channel": str,
            "description": str, "duration_ms": int, "upload_date": str, "thumbnail_path": str,
            "media_path": str, "transcript_path": str, "transcript_source": str, "transcript_language": str,
            "transcript_format": str, "cue_count": int, "last_position_ms": int, "added_at": str, "opened_at": str,
        },
        pk="id",
        not_null={"site", "site_id", "title", "added_at"},
        defaults={"cue_count": 0, "last_position_ms": 0, "duration_ms": 0},
    )
    db["videos"].create_index(["site", "site_id"], unique=True)
    db["cues"].create(
        {"id": int, "video_id": int, "seq": int, "start_ms": int, "end_ms": int, "speaker": str, "text": str, "words": str, "turn": int},
        pk="id",
        foreign_keys=[("video_id", "videos", "id")],
    )
    db["cues"].create_index(["video_id", "seq"], unique=True)
    db["chapters"].create(
        {"id": int, "video_id": int, "start_ms": int, "title": str}, pk="id", foreign_keys=[("video_id", "videos", "id")]
    )
    db["chapters"].create_index(["video_id", "start_ms"])
    db["cues"].enable_fts(["text"], create_triggers=True, tokenize="porter unicode61 remove_diacritics 2")


@migrations()
def m002_highlights_and_answers(db: sqlite_utils.Database) -> None:
    db["highlights"].create(
        {
            "id": int, "video_id": int, "start_cue": int, "start_offset": int, "end_cue": int, "end_offset": int,
            "start_ms": int, "end_ms": int, "text": str, "color": str, "note": str, "created_at": str, "edited_at": str,
        },
        pk="id",
        foreign_keys=[("video_id", "videos", "id")],
        not_null={"video_id", "start_ms", "end_ms", "text", "color", "created_at"},
        defaults={"note": ""},
    )
    db["highlights"].create_index(["video_id", "start_ms"])
    db["answers"].create(
        {
            "id": int, "video_id": int, "highlight_id": int, "thread_id": int, "kind": str, "question": str,
            "prompt": str, "answer": str, "citations": str, "model": str, "input_tokens": int, "output_tokens": int,
            "cache_read_tokens": int, "cache_creation_tokens": int, "status": str, "error": str,
            "created_at": str, "updated_at": str,
        },
        pk="id",
        foreign_keys=[("video_id", "videos", "id"), ("highlight_id", "highlights", "id")],
        defaults={"answer": "", "citations": "[]", "status": "streaming", "error": ""},
    )
    db["answers"].create_index(["video_id", "thread_id"])
    db["answers"].create_index(["highlight_id"])


@migrations()
def m003_notes_search(db: sqlite_utils.Database) -> None:
    db["highlights"].enable_fts(["text", "note"], create_triggers=True, tokenize="porter unicode61 remove_diacritics 2")
    db["answers"].enable_fts(["question", "answer"], create_triggers=True, tokenize="porter unicode61 remove_diacritics 2")


@migrations()
def m004_lost_anchors(db: sqlite_utils.Database) -> None:
    # when a replaced transcript left a highlight with no place in the new lines (kept, and listed)
    db["highlights"].add_column("anchor_lost_at", str)


@migrations()
def m005_sync_offset(db: sqlite_utils.Database) -> None:
    # how far the transcript is shifted against the video, as the user set it (Sync), per video
    db["videos"].add_column("sync_offset_ms", int, not_null_default=0)


@migrations()
def m006_layout(db: sqlite_utils.Database) -> None:
    # the pane layout chosen while the video was open (reader.layouts' JSON), so it stays with that video
    db["videos"].add_column("layout", str)


@migrations()
def m007_cards(db: sqlite_utils.Database) -> None:
    # recall cards (a question, its answer, the moments it rests on) and the log of every review
    db["cards"].create(
        {
            "id": int, "uid": str, "video_id": int, "highlight_id": int, "question": str, "answer": str,
            "start_ms": int, "end_ms": int, "passage": str, "evidence": str, "source": str, "status": str,
            "fsrs": str, "due": str, "created_at": str, "edited_at": str,
        },
        pk="id",
        foreign_keys=[("video_id", "videos", "id")],
        not_null={"uid", "video_id", "question", "start_ms", "end_ms", "source", "status", "fsrs", "due", "created_at"},
        defaults={"answer": "", "passage": "", "evidence": "[]"},
    )
    db["cards"].create_index(["uid"], unique=True)
    db["cards"].create_index(["status", "due"])
    db["cards"].create_index(["video_id", "start_ms"])
    db["reviews"].create(
        {
            "id": int, "card_id": int, "reviewed_at": str, "rating": int, "typed_answer": str, "feedback": str,
            "citations": str, "due_after": str, "fsrs_log": str,
        },
        pk="id",
        foreign_keys=[("card_id", "cards", "id")],
        not_null={"card_id", "reviewed_at", "rating", "due_after"},
        defaults={"typed_answer": "", "feedback": "", "citations": "[]", "fsrs_log": "{}"},
    )
    db["reviews"].create_index(["card_id", "reviewed_at"])
    db["checks"].create(  # Claude's feedback on a typed answer, before (or without) a rating
        {
            "id": int, "card_id": int, "typed_answer": str, "feedback": str, "citations": str, "status": str, "error": str,
            "model": str, "created_at": str, "review_id": int,
        },
        pk="id",
        foreign_keys=[("card_id", "cards", "id")],
        not_null={"card_id", "typed_answer", "created_at"},
        defaults={"feedback": "", "citations": "[]", "status": "streaming", "error": ""},
    )
    db["checks"].create_index(["card_id", "created_at"])
    db["cards"].enable_fts(["question", "answer"], create_triggers=True, tokenize="porter unicode61 remove_diacritics 2")


@migrations()
def m008_transcriptions(db: sqlite_utils.Database) -> None:
    # a local transcription's progress, so that one a closed or killed Reader left can resume (issue 14)
    db["transcriptions"].create(
        {
            "id": int, "video_id": int, "model": str, "model_path": str, "language": str, "from_ms": int, "to_ms": int,
            "done_ms": int, "status": str, "pid": int, "error": str, "started_at": str, "finished_at": str,
        },
        pk="id",
        foreign_keys=[("video_id", "videos", "id")],
        not_null={"video_id", "model", "from_ms", "done_ms", "status", "started_at"},
        defaults={"done_ms": 0, "status": "running", "error": "", "model_path": ""},
    )
    db["transcriptions"].create_index(["video_id"])


@migrations()
def m009_stable_identities(db: sqlite_utils.Database) -> None:
    # every highlight, answer, thread, review and check gets an identity of its own, as cards have (uid), so that
    # a backup restores each row once however alike two rows are (issue 20); rows already there get one now
    for table in ("highlights", "answers", "reviews", "checks"):
        db[table].add_column("uid", str)
        db.execute(f"update [{table}] set uid = lower(hex(randomblob(8))) where uid is null")
        db[table].create_index(["uid"], unique=True)
    # a thread's identity: its first answer's uid (the follow-ups of a thread whose first answer is gone share one)
    db["answers"].add_column("thread_uid", str)
    db.execute("update answers set thread_uid = (select r.uid from answers r where r.id = answers.thread_id)")
    db.execute("update answers set thread_uid = coalesce((select min(r.uid) from answers r where r.thread_id = answers.thread_id),"
               " uid) where thread_uid is null")
    db["answers"].create_index(["thread_uid"])


@migrations()
def m010_checks(db: sqlite_utils.Database) -> None:
    # the schema refuses what a backup would refuse (reader/allowed_values.py), so a library's own backup restores
    from .store_checks import add_checks, mend_statuses

    mend_statuses(db.conn)
    add_checks(db.conn)


@migrations()
def m011_passages(db: sqlite_utils.Database) -> None:
    # ranked search (issue 22): runs of lines indexed as passages, and one document per video to rank videos by
    create_passage_tables(db)
    for (video_id,) in db.execute("select distinct video_id from cues order by video_id").fetchall():
        _PassageIndexer(db)._index_passages(video_id)


class _PassageIndexer(PassageQueries):
    """The passages' writes over a bare database, for the migration (no Store is open yet)."""

    def __init__(self, db):
        self.db = db


@migrations()
def m012_video_downloads(db: sqlite_utils.Database) -> None:
    # a video's download state, so an entry can hold its transcript before its video (issue 24)
    from .store_checks import add_checks

    add_download_columns(db)
    add_checks(db.conn)  # the new columns' checks (reader/allowed_values.py)


@migrations()
def m014_library_threads_and_tags(db: sqlite_utils.Database) -> None:
    # asking the whole library (issue 23): its question threads, and tags on videos to scope a question by
    from .store_checks import add_checks

    create_library_tables(db)
    add_checks(db.conn)


def _private(path: Path) -> None:
    """The database (and its WAL files) readable by the user only."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if p.exists():
                p.chmod(0o600)
        except OSError:
            pass


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class VideoRecord:
    """What an import or an opened file knows about a video, before it is stored."""

    site: str
    site_id: str
    title: str
    source_url: str = ""
    channel: str = ""
    description: str = ""
    duration_ms: int = 0
    upload_date: str = ""
    thumbnail_path: str = ""
    media_path: str = ""
    transcript_path: str = ""
    transcript_source: str = "none"  # creator, automatic, file or none
    transcript_language: str = ""
    extra: dict = field(default_factory=dict)
    keep_title: bool = False  # importing it again leaves the title the entry has (a local file, whose title is its name)


@dataclass
class SearchHit:
    video_id: int
    title: str
    start_ms: int
    text: str
    snippet: str  # the line with the match between \x02 and \x03 markers


@dataclass
class TranscriptChange:
    """What storing a transcript did: kept the old one (the new had no lines), or replaced it and
    re-placed `placed` highlights, with `lost` (rows) kept but not found in the new lines."""

    kept: bool = False
    placed: int = 0
    lost: list[dict] = field(default_factory=list)


class LibraryError(Exception):
    """A library problem fit to show a user (the database cannot be opened, for instance)."""


class LibraryDamaged(LibraryError):
    """A library that failed its check at open; nothing was written to it."""


class ReadOnlyLibrary(LibraryError):
    """A write to a library opened read-only (the user made it, or its folder, read-only)."""


class WriteFailed(LibraryError):
    """A write the disk refused (an input/output error, the file changed under Reader); nothing of it was kept."""


class ValueRefused(LibraryError, ValueError):
    """A write the schema's checks refused (a status, colour, rating or time no Reader writes); nothing of it was kept."""


class DiskFull(WriteFailed):
    """A write that did not fit on the disk; nothing of it was kept, everything before it was."""


_KEPT = "what you just did was not saved; everything saved before it is kept"


class _NoRoomBeside(Exception):
    """Inside Store: the open failed for want of room on the disk (or of the -wal or -shm), not from damage."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


def damaged_message(path: Path, detail: str) -> str:
    """The sentence for a library that failed its check: what is wrong, that it was left alone, how to recover."""
    return (f"The library at {path} cannot be opened because it is damaged ({detail}), and Reader has not written "
            "to it; to recover, bring back a "
            "snapshot (`reader snapshots`, then `reader snapshots restore NAME`), or move the file aside and restore "
            "a JSON backup into a new library (`reader restore BACKUP`).")


def _sqlite_reason(exc: sqlite3.Error) -> str:
    """SQLite's complaint in words for a sentence (no error codes, no Python names)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    words = {
        sqlite3.SQLITE_NOTADB: "the file is not a Reader library",
        sqlite3.SQLITE_CORRUPT: "part of the file is corrupted",
        sqlite3.SQLITE_FULL: "the disk is full",
        sqlite3.SQLITE_IOERR: "the disk reported an input/output error",
        sqlite3.SQLITE_CANTOPEN: "the file cannot be opened",
        sqlite3.SQLITE_PERM: "permission denied",
        sqlite3.SQLITE_READONLY: "the file cannot be written",
    }
    return words.get(code) or str(exc).rstrip(".") or "an unknown database error"


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    reason = (exc.strerror or "an operating system error").rstrip(".")
    return reason[0].lower() + reason[1:]


def _is_write_error(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CORRUPT)


def _write_error(exc: sqlite3.Error, path: Path) -> LibraryError:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return DiskFull(f"The disk that holds the library ({path.parent}) is full, so {_KEPT}. Free some space and try again.")
    return WriteFailed(f"The library at {path} could not be written ({_sqlite_reason(exc)}), so {_KEPT}.")


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.rollback()
    except sqlite3.Error:
        pass  # SQLite has already rolled the transaction back


def _user_made_read_only(path: Path) -> bool:
    """The library or its folder is read-only: by its permissions (honoured even when running as root), or
    because this user cannot write there (the -wal and -shm files are made beside the library)."""
    try:
        for p in (path, path.parent):
            if not os.stat(p).st_mode & stat.S_IWUSR or not os.access(p, os.W_OK):
                return True
    except OSError:
        return True
    return False


def _quick_check(conn: sqlite3.Connection, full: bool = False) -> str:
    """'' for a sound database, else what SQLite found wrong, in words."""
    try:
        rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return _sqlite_reason(exc)
    if rows == [("ok",)]:
        return ""
    return "SQLite's check found " + (f"{len(rows)} problems" if len(rows) > 1 else "a problem")


def quick_check_file(path: Path) -> str:
    """'' when SQLite's quick check finds the database file sound (a snapshot just taken, say), else what is wrong."""
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        return _sqlite_reason(exc)
    try:
        return _quick_check(conn)
    finally:
        conn.close()


def check_database_file(path: Path) -> str:
    """'' when the file is a Reader library fit to bring back (a snapshot, say), else what is wrong, in words.

    Not just a sound SQLite database: SQLite takes an empty file for an empty database, and any other
    program's database is sound too. It must be a regular file that is not empty, pass SQLite's full
    integrity check, and hold Reader's record of updates (only updates this Reader knows) and the videos
    table. Opened read-only and immutable: nothing is written to it or beside it."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return _os_reason(exc)
    if not stat.S_ISREG(info.st_mode):
        return "it is not a file"
    if info.st_size == 0:
        return "it is empty"
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        return _sqlite_reason(exc)
    try:
        problem = _quick_check(conn, full=True)
        if problem:
            return problem
        return _reader_tables_problem(conn)
    except sqlite3.DatabaseError as exc:
        return _sqlite_reason(exc)
    finally:
        conn.close()


def _reader_tables_problem(conn: sqlite3.Connection) -> str:
    """'' when the database holds Reader's tables, else why it is not a Reader library."""
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    if migrations.migrations_table not in tables:
        return "it is not a Reader library: it has no record of Reader's updates"
    applied = [r[0] for r in conn.execute(
        f"select name from [{migrations.migrations_table}] where migration_set = ? order by rowid", [migrations.name])]
    known = {m.name for m in migrations._migrations}
    if not applied:
        return "it is not a Reader library: it has no record of Reader's updates"
    unknown = [name for name in applied if name not in known]
    if unknown:
        return "it was made by a newer version of Reader"
    if "videos" not in tables:
        return "it is not a Reader library: it has no videos table"
    return ""


def free_bytes(folder: Path) -> int | None:
    """The space left for this user on the disk that holds `folder` (None when it cannot be told)."""
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        try:
            import shutil

            return shutil.disk_usage(folder).free
        except OSError:
            return None
    return st.f_bavail * st.f_frsize


LOW_SPACE = 1 << 20  # less than this left, and an input/output error at open is taken for a full disk
# SQLITE_IOERR_SHMOPEN, _SHMSIZE, _SHMLOCK, _SHMMAP: the -shm file beside the library could not be made
_SHM_ERRORS = {4618, 4874, 5130, 5386}


def is_disk_full(exc: BaseException, folder: Path) -> bool:
    """The error is a full disk (or SQLite's working files beside the library could not be made on a
    disk with next to no room left), not damage: the library itself may well be sound."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if not isinstance(exc, sqlite3.Error):
        return False
    full_code = getattr(exc, "sqlite_errorcode", 0) or 0
    code = full_code & 0xFF
    if code == sqlite3.SQLITE_FULL or "disk is full" in str(exc).lower():
        return True
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        free = free_bytes(folder)
        return free is not None and free < LOW_SPACE
    return False


def _cannot_work_beside(exc: BaseException, folder: Path) -> bool:
    """A full disk, or the -wal or -shm beside the library could not be made: a read-only open may still work."""
    return is_disk_full(exc, folder) or (getattr(exc, "sqlite_errorcode", 0) or 0) in _SHM_ERRORS


def disk_full_message(path: Path) -> str:
    return (f"The library at {path} cannot be opened because the disk that holds it ({path.parent}) is full: SQLite "
            "needs a little room beside the library to open it. Reader has not changed the library; free some space "
            "and try again.")


BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another Reader's before giving up
_USAGE_COLUMNS = ("model", "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens")


class Store(CardQueries, TranscriptionQueries, BackupQueries, PassageQueries, LibraryQueries, DownloadQueries):
    """The library on disk. One per thread: a SQLite connection belongs to the thread that opened it."""

    def __init__(self, path: Path | None = None, any_thread: bool = False):
        """Open (or create) the library. Nothing is written to an existing one until it has been checked:
        a library from a newer Reader, or a damaged one, is refused untouched; one the user made read-only
        is opened read-only (`read_only`), and every write then says it was not saved. SQLite's check of the
        whole file runs only when the last Reader did not close it cleanly, or the file changed since
        (reader.open_state). any_thread: opened in one thread to be used by another (one at a time)."""
        self.path = Path(path) if path else data_dir() / "library.db"
        self.read_only = False
        self._any_thread = any_thread
        self._mark = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            info = os.stat(self.path)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise LibraryError(f"The library at {self.path} cannot be opened: {_os_reason(exc)}.") from None
        if info is None:
            self._create()
            info = os.stat(self.path)
        if not stat.S_ISREG(info.st_mode):
            raise LibraryError(
                f"The library at {self.path} is not a file (a folder, a pipe or a device stands in its place), "
                "so Reader has not touched it; move it aside and Reader starts a new library there."
            )
        if info.st_size == 0:
            raise LibraryDamaged(damaged_message(self.path, "it is empty"))
        self.read_only = _user_made_read_only(self.path)
        self.disk_full = False  # opened read-only because the disk is full
        self.read_only_reason = ""  # why, when it was not the user's doing: a sentence
        if not self.read_only:
            from .open_state import OpenMark

            self._mark = OpenMark(self.path)
        try:
            self._open()
        except _NoRoomBeside as no_room:
            # A full disk (or no -wal/-shm beside the library) is not damage: read what can be read, write nothing.
            self._release_mark(clean=False)
            self._open_without_room(no_room.error)
        except BaseException:
            self._release_mark(clean=False)
            raise
        if self._mark is not None:
            self._mark.checked()
        if not self.read_only:
            _private(self.path)

    def _open(self) -> None:
        try:
            self.db = _import_sqlite_utils().Database(self._connect())
        except sqlite3.DatabaseError as exc:
            if not self.read_only and _cannot_work_beside(exc, self.path.parent):
                raise _NoRoomBeside(exc) from None
            raise LibraryError(f"The library at {self.path} cannot be opened: {_sqlite_reason(exc)}.") from None
        try:
            self._check_before_writing()
            if self.read_only:
                self.db.execute("PRAGMA foreign_keys=ON")
                if migrations.pending(self.db):
                    raise LibraryError(
                        f"The library at {self.path} is read-only and was made by an older Reader, which needs "
                        "updating it; make it writable and open it again."
                    )
            else:
                self._prepare_for_writing()
        except (LibraryError, _NoRoomBeside):
            self.db.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if not self.read_only and _cannot_work_beside(exc, self.path.parent):
                raise _NoRoomBeside(exc) from None
            raise _write_error(exc, self.path) if _is_write_error(exc) else LibraryError(
                f"The library at {self.path} cannot be opened: {_sqlite_reason(exc)}.") from None

    def _open_without_room(self, error: BaseException) -> None:
        """The library opened read-only when the disk is full, or SQLite could not make its -wal or -shm
        beside it. With no write-ahead log waiting (none, or an empty one) the file is read as immutable:
        nothing is made beside it. With one, it is read in exclusive locking mode, which keeps SQLite's index
        of the log in memory instead of a -shm file. Nothing of the user's is ever written; a library that
        cannot be read even so is refused with a sentence that says the disk is full, never that it is damaged."""
        full = is_disk_full(error, self.path.parent)
        self.read_only, self.disk_full = True, full
        if full:
            cannot = disk_full_message(self.path)
            self.read_only_reason = (f"The disk that holds the library ({self.path.parent}) is full and Reader opened "
                                     "the library read-only")
        else:
            cannot = (f"The library at {self.path} cannot be opened because SQLite could not make its working files "
                      f"beside it ({self.path.name}-wal and {self.path.name}-shm: {_sqlite_reason(error)}). Reader "
                      "has not changed the library; check the folder and the disk, and try again.")
            self.read_only_reason = (f"SQLite could not make its working files beside the library ({self.path.parent}), "
                                     "and Reader opened the library read-only")
        wal = self.path.with_name(self.path.name + "-wal")
        try:
            waiting = wal.exists() and wal.stat().st_size > 0
        except OSError:
            waiting = True
        try:
            if not waiting:
                conn = sqlite3.connect(self.path.resolve().as_uri() + "?immutable=1", uri=True)
            else:
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
                conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        except sqlite3.Error:
            raise (DiskFull if full else LibraryError)(cannot) from None
        self.db = _import_sqlite_utils().Database(conn)
        try:
            self._check_version()
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:  # read, and damaged after all
                raise LibraryDamaged(damaged_message(self.path, "SQLite's check found " + (
                    f"{len(rows)} problems" if len(rows) > 1 else "a problem")))
            if migrations.pending(self.db):
                why = "the disk that holds it is full" if full else "SQLite could not make its working files beside it"
                raise (DiskFull if full else LibraryError)(
                    f"The library at {self.path} was made by an older Reader and needs updating, but {why}. "
                    "Reader has not changed the library; free some space and try again.")
            conn.execute("PRAGMA foreign_keys=ON")
        except LibraryError:
            self.db.close()
            raise
        except sqlite3.Error:
            self.db.close()
            raise (DiskFull if full else LibraryError)(cannot) from None

    def refuse_write(self, what: str = f"{_KEPT}") -> LibraryError:
        """Why a write to a library opened read-only was refused, as the error to raise."""
        if self.disk_full:
            return DiskFull(f"{self.read_only_reason}, so {what}. Free some space and open it again.")
        if self.read_only_reason:
            return ReadOnlyLibrary(f"{self.read_only_reason}, so {what}.")
        return ReadOnlyLibrary(f"The library is read-only ({self.path}); what you just did was not saved.")

    def _connect(self) -> sqlite3.Connection:
        if not self.read_only:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=not self._any_thread)
        else:
            # Read-only: with no -wal beside it, no Reader has it open, so it is read as immutable and no
            # -wal or -shm is made beside it (the folder may be read-only too); else read alongside them.
            wal = self.path.with_name(self.path.name + "-wal")
            flags = "immutable=1" if not wal.exists() else "mode=ro"
            uri = self.path.resolve().as_uri() + "?" + flags
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=not self._any_thread)
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")  # another Reader writing: wait, don't fail
        return conn

    def _check_before_writing(self) -> None:
        """Refuse a library from a newer Reader or a damaged one, before anything is written to it."""
        try:
            self._check_version()
            if self._mark is not None and not self._mark.needs_check:
                return  # the last Reader closed it cleanly and nothing has changed it since
            rows = self.db.conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            if not self.read_only and _cannot_work_beside(exc, self.path.parent):
                raise _NoRoomBeside(exc) from None  # a full disk, not damage
            raise LibraryDamaged(damaged_message(self.path, _sqlite_reason(exc))) from None
        if rows != [("ok",)]:
            raise LibraryDamaged(damaged_message(self.path, "SQLite's check found " + (
                f"{len(rows)} problems" if len(rows) > 1 else "a problem")))

    def _prepare_for_writing(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        # In WAL mode this still survives the app being killed at any point; only a power cut can
        # lose the last commits. It keeps each write (a streaming answer's, say) off the disk's fsync.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        if migrations.pending(self.db):
            if migrations.applied(self.db):
                from .snapshots import take_snapshot

                take_snapshot(self, "migration")  # an update of the library can be undone
            # Two Readers opening an old library at once: one migrates, the other waits and finds it done.
            with self.writing():
                self._check_version()
                migrations.apply(self.db)

    def _create(self) -> None:
        """A new library, made whole beside its place and then linked in, so that a Reader killed while
        making it never leaves a half-made (or empty) file where the library belongs."""
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".new", dir=self.path.parent)
        os.close(fd)
        made = Path(name)
        try:
            conn = sqlite3.connect(name)
            try:
                db = _import_sqlite_utils().Database(conn)
                # made in rollback mode, so that all of it is in this one file when it is linked in (WAL comes
                # with the first open); and synchronous, so that it is on the disk before it is
                db.execute("PRAGMA journal_mode=DELETE")
                db.execute("PRAGMA synchronous=FULL")
                migrations.apply(db)
            finally:
                conn.close()
            made.chmod(0o600)
            try:
                os.link(made, self.path)  # fails if another Reader made it first: then theirs is used
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not self.path.exists():
                    os.replace(made, self.path)
        except sqlite3.DatabaseError as exc:
            raise _write_error(exc, self.path) if _is_write_error(exc) else LibraryError(
                f"A new library could not be made at {self.path}: {_sqlite_reason(exc)}.") from None
        except OSError as exc:
            raise LibraryError(f"A new library could not be made at {self.path}: {_os_reason(exc)}.") from None
        finally:
            made.unlink(missing_ok=True)

    def _check_version(self) -> None:
        known = {m.name for m in migrations._migrations}
        unknown = [m.name for m in migrations.applied(self.db) if m.name not in known]
        if unknown:
            raise LibraryError(
                f"The library at {self.path} was made by a newer version of Reader ({unknown[-1]}). "
                "Update Reader to open it; it has not been changed."
            )

    @contextmanager
    def writing(self):
        """A write transaction that takes the write lock first (BEGIN IMMEDIATE).

        A plain BEGIN reads first and asks for the write lock later; if another Reader has committed in
        between, SQLite answers "database is locked" at once instead of waiting out the busy timeout.
        Nested uses become savepoints. A full disk or a failing one becomes a DiskFull or WriteFailed
        whose sentence says that this write was lost and everything before it kept; a read-only
        library refuses every write the same way.
        """
        if self.read_only:
            raise self.refuse_write()
        try:
            if self.db.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                _rollback(self.db.conn)
                raise
            try:
                self.db.execute("COMMIT")
            except BaseException:
                _rollback(self.db.conn)
                raise
        except sqlite3.DatabaseError as exc:
            if _is_write_error(exc):
                raise _write_error(exc, self.path) from None
            refused = refused_sentence(exc)
            if refused:
                raise ValueRefused(refused) from None
            raise

    def backup_to(self, target: Path, stop=None) -> None:
        """A consistent copy of the whole library in a new file (sqlite3's online backup, a few hundred pages a
        step, so that other Readers write between steps), in rollback mode so that it can be checked and read
        without -wal or -shm files beside it. stop(): asked between steps; True gives up (LibraryError)."""

        def progress(_status, _remaining, _total):
            if stop is not None and stop():
                raise LibraryError("A snapshot of the library was given up: Reader is closing.")

        try:
            conn = sqlite3.connect(str(target))
            try:
                self.db.conn.backup(conn, pages=256, progress=progress)
                conn.execute("PRAGMA journal_mode=DELETE")
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            error = DiskFull if is_disk_full(exc, target.parent) else LibraryError
            raise error(f"A snapshot of the library could not be written: {_sqlite_reason(exc)}.") from None

    def replace_with(self, source: Path, progress=None) -> None:
        """Make the library's contents those of the database file `source`, as one write transaction
        (the online backup into the open library): other Readers wait for it and then see the new
        contents; a Reader killed halfway leaves the library as it was."""
        if self.read_only:
            if self.read_only_reason:
                raise self.refuse_write("it was not changed")
            raise ReadOnlyLibrary(f"The library is read-only ({self.path}); it was not changed.")
        conn = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            # one write transaction however many steps: the library changes when the last step commits
            conn.backup(self.db.conn, pages=32 if progress else -1, progress=progress)
        except sqlite3.DatabaseError as exc:
            if _is_write_error(exc):
                raise _write_error(exc, self.path) from None
            raise LibraryError(f"The library could not be replaced: {_sqlite_reason(exc)}.") from None
        finally:
            conn.close()

    def check_whole(self) -> str:
        """SQLite's quick check of the whole library now: '' when sound, else the damaged-library sentence (and
        every open from now on checks it, and refuses it)."""
        problem = _quick_check(self.db.conn)
        if not problem:
            return ""
        from .open_state import mark_suspect

        mark_suspect(self.path)
        return damaged_message(self.path, problem)

    def close(self) -> None:
        self.db.close()
        self._release_mark(clean=True)

    def _release_mark(self, clean: bool) -> None:
        if self._mark is not None:
            self._mark.release(clean)
            self._mark = None

    # -- videos ------------------------------------------------------------------------------------
    def find_video(self, site: str, site_id: str) -> int | None:
        row = self.db.execute("select id from videos where site = ? and site_id = ?", [site, site_id]).fetchone()
        return row[0] if row else None

    def add_video(self, record: VideoRecord, transcript: Transcript | None) -> int:
        """Insert or update a video with its transcript, in one transaction; returns its id.

        Importing the same video again updates it (and replaces its transcript, re-placing the notes on
        the new lines); where it was watched to and when it was added are kept. A transcript with no
        lines never replaces one that has lines: the entry keeps the one it had.
        """
        return self.put_video(record, transcript)[0]

    def put_video(self, record: VideoRecord, transcript: Transcript | None) -> tuple[int, TranscriptChange]:
        """add_video, also saying what became of the transcript and the highlights on it."""
        values = {
            "site": record.site, "site_id": record.site_id, "source_url": record.source_url, "title": _clamp(record.title, 2000),
            "channel": _clamp(record.channel, 500), "description": _clamp(record.description, 100_000), "duration_ms": clamped(record.duration_ms, 0, MAX_MS, 0),
            "upload_date": record.upload_date, "thumbnail_path": record.thumbnail_path, "media_path": record.media_path,
            "transcript_path": record.transcript_path, "transcript_source": record.transcript_source,
            "transcript_language": record.transcript_language,
            "transcript_format": transcript.format if transcript else "",
            "cue_count": len(transcript.cues) if transcript else 0,
        }
        with self.writing():
            existing = self.find_video(record.site, record.site_id)
            values.update(video_state_values(record.media_path, record.source_url, self.video(existing) if existing else None))
            if existing is None:
                values["added_at"] = now()
                video_id = self.db["videos"].insert(values).last_pk
                change = self._replace_transcript(video_id, transcript)
            else:
                video_id = existing
                change = self._replace_transcript(video_id, transcript)
                if change.kept:  # the entry's transcript stays, and so do the columns that describe it
                    for name in ("transcript_path", "transcript_source", "transcript_language", "transcript_format", "cue_count"):
                        del values[name]
                if record.keep_title:
                    del values["title"]
                self.db["videos"].update(video_id, values)
        return video_id, change

    def _replace_transcript(self, video_id: int, transcript: Transcript | None) -> TranscriptChange:
        """Swap a video's lines and chapters for the transcript's, inside the caller's transaction, and
        re-place its highlights on the new lines. No lines never replace some."""
        from .anchors import reanchor

        had = self.db.execute("select count(*) from cues where video_id = ?", [video_id]).fetchone()[0]
        if transcript is None or not transcript.cues:
            if had:
                return TranscriptChange(kept=True)
            self.db.execute("delete from chapters where video_id = ?", [video_id])
            if transcript is not None:
                self.db["chapters"].insert_all({"video_id": video_id, "start_ms": clamped(ch.start_ms, 0, MAX_MS, 0), "title": ch.title} for ch in transcript.chapters)
            return TranscriptChange()
        self.db.execute("delete from cues where video_id = ?", [video_id])
        self.db.execute("delete from chapters where video_id = ?", [video_id])
        # A statement inserts 2,000 lines at once (from a JSON list): the search index's trigger then indexes them
        # in one go, where a statement a line makes it write its pending terms out after every line (3x slower).
        rows = [(video_id, i, clamped(c.start_ms, 0, MAX_MS, 0), clamped(c.end_ms, 0, MAX_MS, 0), c.speaker, c.text,
                 json.dumps([[w.start_ms, w.text] for w in c.words], ensure_ascii=False) if c.words else None, 1 if c.turn else 0)
                for i, c in enumerate(transcript.cues)]
        for start in range(0, len(rows), 2000):
            chunk = rows[start:start + 2000]
            if any("\x00" in r[5] or "\x00" in (r[4] or "") for r in chunk):  # SQLite's JSON would cut text at a NUL
                self.db.conn.executemany("insert into cues (video_id, seq, start_ms, end_ms, speaker, text, words, turn)"
                                         " values (?, ?, ?, ?, ?, ?, ?, ?)", chunk)
                continue
            self.db.execute(
                "insert into cues (video_id, seq, start_ms, end_ms, speaker, text, words, turn) select"
                " json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),"
                " json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]'), json_extract(value, '$[7]')"
                " from json_each(?) order by key", [json.dumps(chunk, ensure_ascii=False)])
        self._index_passages(video_id)
        self.db.conn.executemany("insert into chapters (video_id, start_ms, title) values (?, ?, ?)",
                                 ((video_id, clamped(ch.start_ms, 0, MAX_MS, 0), ch.title) for ch in transcript.chapters))
        highlights = list(self.db.query("select * from highlights where video_id = ? order by start_ms, id", [video_id]))
        if not highlights:  # a new entry: nothing to re-place (indexing the new lines for it is most of the cost)
            return TranscriptChange()
        placed, lost = reanchor(highlights, transcript.cues)
        for highlight_id, a in placed.items():
            self.db.execute(
                "update highlights set start_cue = ?, start_offset = ?, end_cue = ?, end_offset = ?, start_ms = ?,"
                " end_ms = ?, anchor_lost_at = null where id = ?",
                [a.start_cue, a.start_offset, a.end_cue, a.end_offset, a.start_ms, a.end_ms, highlight_id])
        stamp = now()
        for row in lost:  # kept as they were, times and all; marked so nothing draws them on lines they are not on
            self.db.execute("update highlights set anchor_lost_at = coalesce(anchor_lost_at, ?) where id = ?", [stamp, row["id"]])
        return TranscriptChange(placed=len(placed), lost=lost)

    def set_transcript(self, video_id: int, transcript: Transcript, path: str = "", source: str = "file") -> TranscriptChange:
        """Give a video a new transcript (its notes re-placed on it); one with no lines is refused and
        the entry keeps what it had (the result says kept)."""
        with self.writing():
            change = self._replace_transcript(video_id, transcript)
            if not change.kept:
                self.db["videos"].update(video_id, {
                    "transcript_path": path, "transcript_source": source, "transcript_format": transcript.format,
                    "cue_count": len(transcript.cues),
                })
        return change

    def set_transcript_file(self, video_id: int, path: str) -> None:
        """Where the file of a video's current transcript is now (its lines are unchanged)."""
        with self.writing():
            self.db.execute("update videos set transcript_path = ? where id = ?", [path, video_id])

    def lost_highlights(self, video_id: int) -> list[dict]:
        """Highlights kept from a transcript that was replaced, whose words the new one does not have."""
        return list(self.db.query(
            "select * from highlights where video_id = ? and anchor_lost_at is not null order by start_ms, id", [video_id]))

    def entry_paths(self) -> set[str]:
        """Every file path a library entry refers to (media, thumbnail, transcript)."""
        found: set[str] = set()
        for row in self.db.execute("select media_path, thumbnail_path, transcript_path, video_folder from videos"):
            found.update(p for p in row[:3] if p)
            if row[3]:  # the folder a video is downloading into belongs to its entry
                found.add(str(Path(row[3]) / "media"))
        return found

    def video(self, video_id: int) -> dict | None:
        rows = list(self.db.query("select * from videos where id = ?", [video_id]))
        return rows[0] if rows else None

    def videos(self) -> list[dict]:
        """Every video, newest first, with what the library view shows."""
        return list(self.db.query(
            "select id, site, site_id, source_url, title, channel, duration_ms, upload_date, thumbnail_path, media_path,"
            " transcript_source, cue_count, last_position_ms, added_at, opened_at, video_state, video_bytes, video_total, video_error,"
            " video_folder, video_wanted,"
            " (select count(*) from highlights h where h.video_id = videos.id) as note_count,"  # highlights, each a note or none
            " (select count(*) from highlights h where h.video_id = videos.id and trim(coalesce(h.note, '')) != '') as noted_count,"
            " (select group_concat(t.name, ', ') from tags t where t.video_id = videos.id) as tags_text"
            " from videos order by added_at desc, id desc"
        ))

    def transcript(self, video_id: int) -> Transcript:
        cues, last = [], 0
        for r in self.db.execute(
            "select start_ms, end_ms, text, speaker, words, turn from cues where video_id = ? order by seq", [video_id]
        ):  # a damaged row (a NULL text, a time that is not a number) still reads, as an empty or untimed line
            start, end = _ms(r[0], last), _ms(r[1], last)
            last = max(start, end)
            cues.append(Cue(start, max(start, end), r[2] if isinstance(r[2], str) else str(r[2] or ""),
                            r[3] if isinstance(r[3], str) and r[3] else None,
                            _words_loader(r[4]) if isinstance(r[4], str) and r[4] else (), bool(r[5])))
        chapters = [Chapter(_ms(r[0], 0), str(r[1] or "")) for r in self.db.execute(
            "select start_ms, title from chapters where video_id = ? order by start_ms", [video_id]
        )]
        fmt = self.db.execute("select transcript_format from videos where id = ?", [video_id]).fetchone()
        return Transcript(cues, chapters, [], (fmt[0] if fmt else "") or "")

    def set_position(self, video_id: int, ms: int) -> None:
        """Where the video was left. Bookkeeping, not the user's work: a read-only library skips it."""
        if self.read_only:
            return
        with self.writing():
            self.db.execute("update videos set last_position_ms = ? where id = ?", [clamped(ms, 0, MAX_MS, 0), video_id])

    def learn_duration(self, video_id: int, ms: int) -> None:
        """Record a video's length when the player finds it and the library did not know it."""
        ms = clamped(ms, 0, MAX_MS, 0)  # a player can report a length of 10^300 ms or NaN; SQLite takes 2^63
        if ms > 0 and not self.read_only:
            with self.writing():
                self.db.execute("update videos set duration_ms = ? where id = ? and coalesce(duration_ms, 0) = 0", [ms, video_id])

    def mark_opened(self, video_id: int) -> None:
        """When the video was last opened (bookkeeping: a read-only library skips it)."""
        if self.read_only:
            return
        with self.writing():
            # to the microsecond, so that of two videos opened within one second the later is the last opened
            opened = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            self.db.execute("update videos set opened_at = ? where id = ?", [opened, video_id])

    def last_opened(self) -> int | None:
        row = self.db.execute("select id from videos where opened_at is not null order by opened_at desc, id desc limit 1").fetchone()
        return row[0] if row else None

    def remove_video(self, video_id: int) -> dict | None:
        """Delete a video and everything that belongs to it; returns its row so files can be removed."""
        with self.writing():
            row = self.video(video_id)
            if row is None:
                return None
            for table in ("reviews", "checks"):
                self.db.execute(f"delete from {table} where card_id in (select id from cards where video_id = ?)", [video_id])
            self._unindex_passages(video_id)
            for table in ("cards", "answers", "highlights", "cues", "chapters", "transcriptions", "tags"):
                self.db.execute(f"delete from {table} where video_id = ?", [video_id])
            self.db.execute("delete from videos where id = ?", [video_id])
        return row

    def count(self) -> int:
        return self.db.execute("select count(*) from videos").fetchone()[0]

    # -- highlights and answers ---------------------------------------------------------------------
    def add_highlight(self, video_id: int, start_cue: int, start_offset: int, end_cue: int, end_offset: int,
                      start_ms: int, end_ms: int, text: str, color: str = DEFAULT_COLOUR, note: str = "") -> int:
        """Save a highlight; it is on disk when this returns. A selection (reader.rows.Span) is passed as
        `add_highlight(video_id, color=..., **span)`."""
        with self.writing():
            return self.db["highlights"].insert({
                "video_id": video_id, "start_cue": start_cue, "start_offset": start_offset, "end_cue": end_cue,
                "end_offset": end_offset, "start_ms": start_ms, "end_ms": end_ms, "text": text, "color": color,
                "note": note, "created_at": now(), "edited_at": now(), "uid": new_uid(),
            }).last_pk

    def find_or_add_highlight(self, video_id: int, color: str = DEFAULT_COLOUR, note: str = "", replacing: int | None = None,
                              **span) -> tuple[int, bool]:
        """The highlight over exactly this span (the one there, whatever its colour), else a new one: (id, new).
        Looked for and made in one transaction, so two Readers saving one span make one highlight. With
        `replacing`, that highlight (one the new one grows over) goes in the same transaction, unless it has
        a note or answers, or is the one found."""
        with self.writing():
            existing = self.find_highlight(video_id, span["start_cue"], span["start_offset"], span["end_cue"], span["end_offset"])
            if replacing is not None and replacing != existing:
                self.delete_bare_highlight(replacing)
            if existing is not None:
                return existing, False
            return self.add_highlight(video_id, color=color, note=note, **span), True

    def delete_bare_highlight(self, highlight_id: int) -> bool:
        """Delete a highlight that has no note and no answers (checked inside the transaction, so a note another
        Reader adds meanwhile keeps it); whether it was deleted."""
        with self.writing():
            row = self.db.execute("select note from highlights where id = ?", [highlight_id]).fetchone()
            if row is None or row[0] or self.db.execute("select 1 from answers where highlight_id = ? limit 1",
                                                        [highlight_id]).fetchone():
                return False
            self.db.execute("update cards set highlight_id = null where highlight_id = ?", [highlight_id])
            self.db.execute("delete from highlights where id = ?", [highlight_id])
            return True

    def highlights(self, video_id: int) -> list[HighlightListRow]:
        """A video's highlights in time order, each with how many answers it has (only those with words)
        and how many attempts failed before any words arrived."""
        rows = list(self.db.query("select * from highlights where video_id = ? order by start_ms, id", [video_id]))
        counts = self._answer_counts("video_id = ? and highlight_id is not null", [video_id])
        for row in rows:
            row["answer_count"], row["failed_count"] = counts.get(row["id"], (0, 0))
        return rows

    def answer_counts(self, highlight_id: int) -> tuple[int, int]:
        """(answers with words, attempts that failed with none) for one highlight."""
        return self._answer_counts("highlight_id = ?", [highlight_id]).get(highlight_id, (0, 0))

    def _answer_counts(self, where: str, args: list) -> dict[int, tuple[int, int]]:
        # "words" as a reader sees them: an answer holding only citation marks or spaces is a failed attempt
        counts: dict[int, tuple[int, int]] = {}
        for highlight_id, answer, status in self.db.execute(f"select highlight_id, answer, status from answers where {where}", args):
            made, failed = counts.get(highlight_id, (0, 0))
            if has_content(answer):
                made += 1
            elif status in ("error", "incomplete"):
                failed += 1
            counts[highlight_id] = (made, failed)
        return counts

    def find_highlight(self, video_id: int, start_cue: int, start_offset: int, end_cue: int, end_offset: int) -> int | None:
        """The id of the highlight over exactly this span, if there is one (the oldest, should there be several)."""
        row = self.db.execute(
            "select id from highlights where video_id = ? and start_cue = ? and start_offset = ? and end_cue = ?"
            " and end_offset = ? order by id limit 1", [video_id, start_cue, start_offset, end_cue, end_offset]).fetchone()
        return row[0] if row else None

    def highlight(self, highlight_id: int) -> HighlightRow | None:
        rows = list(self.db.query("select * from highlights where id = ?", [highlight_id]))
        return rows[0] if rows else None

    def update_highlight(self, highlight_id: int, **changes) -> None:
        allowed = {k: v for k, v in changes.items() if k in ("color", "note")}
        if allowed:
            with self.writing():
                self.db["highlights"].update(highlight_id, {**allowed, "edited_at": now()})

    def delete_highlight(self, highlight_id: int) -> tuple[HighlightRow, list[dict]] | None:
        """Delete a highlight and its answers; returns both, so the deletion can be undone."""
        with self.writing():  # read inside: an answer another Reader adds meanwhile is in what undo puts back
            row = self.highlight(highlight_id)
            if row is None:
                return None
            answers = list(self.db.query("select * from answers where highlight_id = ? order by id", [highlight_id]))
            self.db.execute("delete from answers where highlight_id = ?", [highlight_id])
            # a card made from the highlight stays (it carries its own moments); it only loses the link
            self.db.execute("update cards set highlight_id = null where highlight_id = ?", [highlight_id])
            self.db.execute("delete from highlights where id = ?", [highlight_id])
        return row, answers

    def restore_highlight(self, row: dict, answers: list[dict]) -> None:
        """Put back what delete_highlight took away, with the same ids."""
        with self.writing():
            self.db["highlights"].insert(row)
            if answers:
                self.db["answers"].insert_all(answers)

    def start_answer(self, video_id: int, highlight_id: int | None, thread_id: int | None, kind: str,
                     question: str, prompt: str, model: str) -> int:
        """Record a question before the first token arrives; the answer is filled in as it streams. A follow-up
        joins its thread only if the thread (and the highlight) are still there, checked in the same transaction:
        ValueError, with a sentence, when another Reader deleted them meanwhile."""
        with self.writing():
            if highlight_id is not None and self.db.execute("select 1 from highlights where id = ?", [highlight_id]).fetchone() is None:
                raise ValueError("The highlight this question is about was deleted (in another window, perhaps), so it was not asked.")
            if thread_id is not None and self.db.execute("select 1 from answers where thread_id = ? limit 1", [thread_id]).fetchone() is None:
                raise ValueError("The conversation this question follows was deleted (in another window, perhaps), so it was not asked.")
            uid = new_uid()
            thread_uid = uid  # a new thread's identity is its first answer's; a follow-up joins its thread's
            if thread_id is not None:
                row = self.db.execute("select thread_uid from answers where id = ?", [thread_id]).fetchone()
                thread_uid = row[0] if row and row[0] else uid
            answer_id = self.db["answers"].insert({
                "video_id": video_id, "highlight_id": highlight_id, "thread_id": thread_id, "kind": kind,
                "question": question, "prompt": prompt, "model": model, "status": "streaming",
                "created_at": now(), "updated_at": now(), "uid": uid, "thread_uid": thread_uid,
            }).last_pk
            if thread_id is None:
                self.db["answers"].update(answer_id, {"thread_id": answer_id})
        return answer_id

    def save_answer(self, answer_id: int, text: str, citations: list[dict], status: str, error: str = "",
                    usage: dict | None = None) -> None:
        """Write a streaming answer as it stands. Called every few hundred milliseconds on the GUI thread
        while tokens arrive, so it is one plain UPDATE (sqlite-utils' update() reads the schema first)."""
        from .keys import redact

        values = {"answer": text, "citations": json.dumps(citations), "status": status, "error": redact(error), "updated_at": now()}
        values.update({k: v for k, v in (usage or {}).items() if v is not None and k in _USAGE_COLUMNS})
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self.writing():
            self.db.execute(f"update answers set {assignments} where id = ?", [*values.values(), answer_id])

    def answer(self, answer_id: int) -> AnswerRow | None:
        rows = list(self.db.query("select * from answers where id = ?", [answer_id]))
        for r in rows:
            r["citations"] = json.loads(r["citations"] or "[]")
        return rows[0] if rows else None

    def answers_thread(self, answer_id: int) -> int:
        return self.db.execute("select thread_id from answers where id = ?", [answer_id]).fetchone()[0]

    def answers(self, thread_id: int) -> list[AnswerRow]:
        rows = list(self.db.query("select * from answers where thread_id = ? order by id", [thread_id]))
        for r in rows:
            r["citations"] = json.loads(r["citations"] or "[]")
        return rows

    def threads(self, video_id: int, highlight_id: int | None = None) -> list[int]:
        """Thread ids for a highlight (or for the whole video), oldest first."""
        if highlight_id is None:
            sql, args = "select distinct thread_id from answers where video_id = ? order by thread_id", [video_id]
        else:
            sql, args = "select distinct thread_id from answers where highlight_id = ? order by thread_id", [highlight_id]
        return [r[0] for r in self.db.execute(sql, args)]

    def study_threads(self, video_id: int) -> list[dict]:
        """Each study tool's result and the chat of a video, by kind: `thread_id` the thread to show (a
        tool's latest complete result, else its latest with words, else its latest attempt; the chat's
        latest thread), `made_at` when that result was made ("" when it has no words), and
        `attempt_id` a newer attempt that failed (None if there is none)."""
        chosen: dict[str, dict] = {}
        for row in self.db.query(
                "select kind, thread_id, answer, status, updated_at from answers where video_id = ? and highlight_id is null"
                " and id = thread_id order by thread_id", [video_id]):
            words = has_content(row["answer"])
            rank = (2 if words and row["status"] == "complete" else 1 if words else 0) if row["kind"] != "chat" else 2
            best = chosen.get(row["kind"])
            if best is None or rank >= best["rank"]:
                chosen[row["kind"]] = {"kind": row["kind"], "thread_id": row["thread_id"], "rank": rank,
                                       "made_at": row["updated_at"] if words else "", "attempt_id": None}
            else:
                best["attempt_id"] = row["thread_id"]
        return [{k: v for k, v in c.items() if k != "rank"} for _, c in sorted(chosen.items())]

    def keep_study_result(self, video_id: int, kind: str, thread_id: int) -> None:
        """A tool's new result replaces its earlier ones (and the attempts that failed): only this thread is kept."""
        with self.writing():
            self.db.execute("delete from answers where video_id = ? and highlight_id is null and kind = ? and thread_id != ?",
                            [video_id, kind, thread_id])

    def answers_for_video(self, video_id: int) -> list[dict]:
        """Every question and answer of a video, raw (citations as stored JSON), for a backup."""
        return list(self.db.query("select * from answers where video_id = ? order by id", [video_id]))

    def restore_video_fields(self, video_id: int, last_position_ms: int, added_at: str, sync_offset_ms: int = 0) -> None:
        with self.writing():
            self.db["videos"].update(video_id, {"last_position_ms": last_position_ms, "added_at": added_at,
                                                "sync_offset_ms": sync_offset_ms})

    def set_sync_offset(self, video_id: int, ms: int) -> None:
        """How far the video's transcript is shifted (Sync), kept for the next time it opens. A read-only
        library skips it, as it does the position."""
        if self.read_only:
            return
        ms = max(-MAX_SYNC_OFFSET_MS, min(MAX_SYNC_OFFSET_MS, int(ms)))
        with self.writing():
            self.db.execute("update videos set sync_offset_ms = ? where id = ?", [ms, video_id])

    def video_layout(self, video_id: int) -> Layout | None:
        """The pane layout kept with a video; None when it has none, or the one kept cannot be used."""
        row = self.db.execute("select layout from videos where id = ?", [video_id]).fetchone()
        return layout_from_text(row[0]) if row and isinstance(row[0], str) else None

    def set_video_layout(self, video_id: int, layout: Layout) -> None:
        """Keep a layout with a video (bookkeeping, as the position: a read-only library skips it)."""
        if self.read_only:
            return
        with self.writing():
            self.db.execute("update videos set layout = ? where id = ?", [layout_text(layout), video_id])

    def answer_ids_by_key(self, video_id: int) -> dict[tuple, tuple[int, int]]:
        """(created_at, kind, question) of a video's answers -> (id, thread id): how a restore finds an
        answer it already has, and the thread that a restored follow-up joins."""
        return {(r[0], r[1], r[2]): (r[3], r[4]) for r in self.db.execute(
            "select created_at, kind, question, id, thread_id from answers where video_id = ? order by id desc", [video_id])}

    def review(self, video_id: int | None = None, color: str | None = None, kind: str | None = None,
               since: str | None = None, query: str = "", newest_first: bool = True, limit: int = 2000) -> list[dict]:
        """Every highlight (with its note) and every answer or study result across the library, as one
        list of items: kind ('highlight', 'answer' or 'study'), video, time, text, note, colour. Attempts
        that failed before any words arrived are not answers and are left out.

        With a query, only items whose text, note, question or answer contain all its words.
        """
        fts = fts_query(query) if query.strip() else ""
        self._review_limit = limit  # each kind is cut to the newest `limit` before they are merged
        items: list[dict] = []
        if kind in (None, "highlight"):
            columns = ("select 'highlight' as kind, h.id, h.video_id, v.title, h.start_ms, h.end_ms, h.text, h.note, h.color,"
                       " h.created_at, null as question, null as answer, null as thread_id")
            where, args = [], []
            if fts:
                # walk the index newest first and stop at the limit, rather than sorting every match
                sql = columns + (" from highlights_fts join highlights h on h.id = highlights_fts.rowid"
                                 " join videos v on v.id = h.video_id")
                where.append("highlights_fts match ?")
                args.append(fts)
                items += self._review_rows(sql, where, args, video_id, color, since, "h", order="highlights_fts.rowid desc")
            else:
                sql = columns + " from highlights h join videos v on v.id = h.video_id"
                items += self._review_rows(sql, where, args, video_id, color, since, "h", order="h.id desc")
        if kind in (None, "answer", "study") and color is None:
            sql = ("select case when a.highlight_id is null then 'study' else 'answer' end as kind, a.id, a.video_id, v.title,"
                   " coalesce(h.start_ms, 0) as start_ms, coalesce(h.end_ms, 0) as end_ms, coalesce(h.text, '') as text,"
                   " '' as note, coalesce(h.color, '') as color, a.created_at, a.question, a.answer, a.thread_id"
                   " from answers a join videos v on v.id = a.video_id left join highlights h on h.id = a.highlight_id")
            where, args = ["trim(coalesce(a.answer, '')) != ''"], []  # failed attempts are not answers
            if kind == "answer":
                where.append("a.highlight_id is not null")
            elif kind == "study":
                where.append("a.highlight_id is null")
            if fts:
                where.append("(a.rowid in (select rowid from answers_fts where answers_fts match ?)"
                             " or a.highlight_id in (select rowid from highlights_fts where highlights_fts match ?))")
                args += [fts, fts]
            items += [r for r in self._review_rows(sql, where, args, video_id, None, since, "a") if has_content(r["answer"])]
        items.sort(key=lambda r: (r["created_at"] or "", r["id"]), reverse=newest_first)
        if not newest_first:
            items.sort(key=lambda r: (r["video_id"], r["start_ms"], r["created_at"] or ""))
        return items[:limit]

    def _review_rows(self, sql: str, where: list, args: list, video_id, color, since, alias: str, order: str = "") -> list[dict]:
        if video_id is not None:
            where.append(f"{alias}.video_id = ?")
            args.append(video_id)
        if color:
            where.append("h.color = ?")
            args.append(color)
        if since:
            where.append(f"{alias}.created_at >= ?")
            args.append(since)
        if where:
            sql += " where " + " and ".join(where)
        sql += f" order by {order or alias + '.id desc'} limit {int(self._review_limit)}"
        try:
            return list(self.db.query(sql, args))
        except sqlite3.OperationalError as exc:  # fts_query makes every query safe, so this is the library itself
            raise LibraryError(f"Your notes could not be searched: {_sqlite_reason(exc)}.") from None

    def mark_interrupted(self) -> int:
        """Answers and answer checks left 'streaming' by a run that ended (killed, crashed) become 'incomplete'."""
        with self.writing():
            self.db.execute("update checks set status = 'incomplete' where status = 'streaming'")
            return self.db.execute("update answers set status = 'incomplete' where status = 'streaming'").rowcount

    # -- search ---------------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 200, video_id: int | None = None) -> list[SearchHit]:
        """Lines of every transcript that contain all the words, in library and time order."""
        query = fts_query(text)
        if not query:
            return []
        sql = (
            "select cues.video_id, videos.title, cues.start_ms, cues.text,"
            " snippet(cues_fts, 0, char(2), char(3), '…', 24)"
            " from cues_fts join cues on cues.rowid = cues_fts.rowid join videos on videos.id = cues.video_id"
            " where cues_fts match ?"
        )
        params: list = [query]
        if video_id is not None:
            sql += " and cues.video_id = ?"
            params.append(video_id)
        sql += " order by cues_fts.rowid limit ?"
        params.append(limit)
        try:
            return [SearchHit(*row) for row in self.db.execute(sql, params)]
        except sqlite3.OperationalError as exc:  # fts_query makes every query safe, so this is the library itself
            raise LibraryError(f"The transcripts could not be searched: {_sqlite_reason(exc)}.") from None


def library_exists(path: Path | None = None) -> bool:
    """Whether there is a library to open (without opening it): on a first run there is none yet."""
    return (Path(path) if path else data_dir() / "library.db").exists()


def peek_last_opened(path: Path | None = None) -> tuple[Path, int] | None:
    """The media file and place of the video opened last, read without opening the library (no sqlite-utils,
    no checks, no migrations, nothing written), so that its picture can load while the library opens; None
    when there is none or the library cannot be read this way. The library's own open still decides."""
    path = Path(path) if path else data_dir() / "library.db"
    try:
        # immutable when no other Reader has it open (no -wal beside it), so that no -wal or -shm is made
        if not path.is_file():
            return None
        flags = "mode=ro" if path.with_name(path.name + "-wal").exists() else "mode=ro&immutable=1"
        conn = sqlite3.connect(path.resolve().as_uri() + "?" + flags, uri=True, timeout=1)
        try:
            row = conn.execute("select media_path, last_position_ms from videos where opened_at is not null"
                               " order by opened_at desc, id desc limit 1").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        return None
    if not row or not isinstance(row[0], str) or not row[0]:
        return None
    return Path(row[0]), _ms(row[1], 0)


def open_library(path: Path | None = None, snapshot: bool = True, any_thread: bool = False) -> Store:
    """The library as the window and the command line open it: answers a killed Reader left 'streaming'
    are marked incomplete, and (with snapshot) a snapshot is taken if the last is a day old. The window
    opens it in a thread (any_thread) and takes the snapshot there, on a connection of its own."""
    from .snapshots import snapshot_if_due

    store = Store(path, any_thread=any_thread)
    try:
        if not store.read_only:
            store.mark_interrupted()
            if snapshot:
                snapshot_if_due(store)
    except BaseException:
        store.close()
        raise
    return store


def _ms(value, fallback: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return fallback


def _clamp(text, limit: int) -> str:
    """A title, name or description stored within limits (a page can hand over megabytes)."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _words_loader(raw: str):
    """Word timings are decoded from JSON only when the line is drawn."""

    def load() -> tuple[Word, ...]:
        try:
            return tuple(Word(int(ms), str(t)) for ms, t in json.loads(raw))
        except (ValueError, TypeError, OverflowError, RecursionError):
            return ()

    return load
