"""The library's schema: every migration, in the one order they run, each in its own transaction."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from reader.library.db.downloads import add_download_columns, add_sound_column
from reader.library.db.library import create_library_tables
from reader.library.db.passages import PassageQueries, create_passage_tables

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

    migrations_table = "_sqlite_migrations"  # sqlite-utils' record of what has been applied

    def names(self) -> list[str]:
        """Every migration this Reader knows, in order (without importing sqlite-utils)."""
        return [options.get("name") or fn.__name__ for fn, options in self._registered]

    def applied_names(self, conn) -> list[str]:
        """The migrations recorded in the library, in the order they ran: plain SQL, read-only."""
        if conn.execute("select 1 from sqlite_master where type = 'table' and name = ?", [self.migrations_table]).fetchone() is None:
            return []
        return [r[0] for r in conn.execute(
            f"select name from [{self.migrations_table}] where migration_set = ? order by rowid", [self.name])]

    def pending_names(self, conn) -> list[str]:
        applied = set(self.applied_names(conn))
        return [name for name in self.names() if name not in applied]

    def __getattr__(self, attribute: str):
        if self._real is None:
            _import_sqlite_utils()
            from sqlite_utils.migrations import Migrations

            self._real = Migrations(self.name)
            for fn, options in self._registered:
                self._real(**options)(fn)
        return getattr(self._real, attribute)


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
    # the pane layout chosen while the video was open (reader.base.layouts' JSON), so it stays with that video
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
    # the schema refuses what a backup would refuse (reader/library/db/allowed_values.py), so a library's own backup restores
    from reader.library.db.checks import add_checks, mend_statuses

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
    from reader.library.db.checks import add_checks

    add_download_columns(db)
    add_checks(db.conn)  # the new columns' checks (reader/library/db/allowed_values.py)


@migrations()
def m014_library_threads_and_tags(db: sqlite_utils.Database) -> None:
    # asking the whole library (issue 23): its question threads, and tags on videos to scope a question by
    from reader.library.db.checks import add_checks

    create_library_tables(db)
    add_checks(db.conn)


@migrations()
def m015_sound_first(db: sqlite_utils.Database) -> None:
    # a link without subtitles fetches its sound before its video, to transcribe at once (issue 24): the checked
    # sound file's path, apart from media_path (never taken for the video)
    from reader.library.db.checks import add_checks

    add_sound_column(db)
    add_checks(db.conn)


@migrations()
def m016_open_and_list_indexes(db: sqlite_utils.Database) -> None:
    # read at every open and every listing of the library (issue 22), without reading every answer or note: the
    # answers and checks a killed Reader left streaming, and how many of each video's highlights have a note
    db.execute("create index if not exists answers_streaming on answers (id) where status = 'streaming'")
    db.execute("create index if not exists checks_streaming on checks (id) where status = 'streaming'")
    db.execute("create index if not exists highlights_noted on highlights (video_id, (trim(coalesce(note, '')) != ''))")
