"""The Store: the library's one connection, its transactions and the checks before writing; the queries of each
domain are composed into it from the modules beside this one (videos, notes, cards, transcriptions, search...)."""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from reader.base.paths import data_dir
from reader.library.db.backups import BackupQueries
from reader.library.db.cards import CardQueries
from reader.library.db.checks import refused_sentence
from reader.library.db.connection import Connection
from reader.library.db.downloads import DownloadQueries
from reader.library.db.errors import (DiskFull, LibraryDamaged, LibraryError, ReadOnlyLibrary, ValueRefused, _KEPT,
                                      _NoRoomBeside, _cannot_work_beside, _is_write_error, _os_reason, _quick_check,
                                      _rollback, _sqlite_reason, _user_made_read_only, _write_error, damaged_message,
                                      disk_full_message, is_disk_full)
from reader.library.db.library import LibraryQueries
from reader.library.db.migrations import migrations
from reader.library.db.notes import NoteQueries
from reader.library.db.passages import PassageQueries
from reader.library.db.records import _ms, _private
from reader.library.db.search import SearchQueries
from reader.library.db.transcriptions import TranscriptionQueries
from reader.library.db.videos import VideoQueries

BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another Reader's before giving up


class Store(VideoQueries, NoteQueries, SearchQueries, CardQueries, TranscriptionQueries, BackupQueries, PassageQueries, LibraryQueries, DownloadQueries):
    """The library on disk. One per thread: a SQLite connection belongs to the thread that opened it."""

    def __init__(self, path: Path | None = None, any_thread: bool = False):
        """Open (or create) the library. Nothing is written to an existing one until it has been checked:
        a library from a newer Reader, or a damaged one, is refused untouched; one the user made read-only
        is opened read-only (`read_only`), and every write then says it was not saved. SQLite's check of the
        whole file runs only when the last Reader did not close it cleanly, or the file changed since
        (reader.library.db.open_state). any_thread: opened in one thread to be used by another (one at a time)."""
        self.path = Path(path) if path else data_dir() / "library.db"
        self.read_only = False
        self._any_thread = any_thread
        self._mark = None
        self._replaced = 0  # restores into this connection (change_mark)
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
            from reader.library.db.open_state import OpenMark

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
            self.db = Connection(self._connect())
        except sqlite3.DatabaseError as exc:
            if not self.read_only and _cannot_work_beside(exc, self.path.parent):
                raise _NoRoomBeside(exc) from None
            raise LibraryError(f"The library at {self.path} cannot be opened: {_sqlite_reason(exc)}.") from None
        try:
            self._check_before_writing()
            if self.read_only:
                self.db.execute("PRAGMA foreign_keys=ON")
                if migrations.pending_names(self.db.conn):
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
        self.db = Connection(conn)
        try:
            self._check_version()
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:  # read, and damaged after all
                raise LibraryDamaged(damaged_message(self.path, "SQLite's check found " + (
                    f"{len(rows)} problems" if len(rows) > 1 else "a problem")))
            if migrations.pending_names(conn):
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
        if migrations.pending_names(self.db.conn):
            if migrations.applied_names(self.db.conn):
                from reader.library.db.snapshots import take_snapshot

                take_snapshot(self, "migration")  # an update of the library can be undone
            # Two Readers opening an old library at once: one migrates, the other waits and finds it done.
            with self.writing():
                self._check_version()
                migrations.apply(self.db.real)

    def _create(self) -> None:
        """A new library, made whole beside its place and then linked in, so that a Reader killed while
        making it never leaves a half-made (or empty) file where the library belongs."""
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".new", dir=self.path.parent)
        os.close(fd)
        made = Path(name)
        try:
            conn = sqlite3.connect(name)
            try:
                db = Connection(conn).real
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
        known = set(migrations.names())
        unknown = [name for name in migrations.applied_names(self.db.conn) if name not in known]
        if unknown:
            raise LibraryError(
                f"The library at {self.path} was made by a newer version of Reader ({unknown[-1]}). "
                "Update Reader to open it; it has not been changed."
            )

    def change_mark(self) -> tuple[int, int, int]:
        """Differs from the last one asked once anything in the library has changed: a commit by another
        connection (PRAGMA data_version), a change made through this one (total_changes), or a restore into it
        (whose pages are copied in without a row written)."""
        return self.db.execute("PRAGMA data_version").fetchone()[0], self.db.conn.total_changes, self._replaced

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
        self._replaced += 1
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
        from reader.library.db.open_state import mark_suspect

        mark_suspect(self.path)
        return damaged_message(self.path, problem)

    def close(self) -> None:
        self.db.close()
        self._release_mark(clean=True)

    def _release_mark(self, clean: bool) -> None:
        if self._mark is not None:
            self._mark.release(clean)
            self._mark = None


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
