"""What can go wrong with the library file (damaged, read-only, a full disk), each said as a sentence."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path

from reader.library.db.migrations import migrations


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
    known = set(migrations.names())
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
