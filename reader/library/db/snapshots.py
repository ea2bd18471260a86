"""Snapshots of the library taken, listed and pruned (a day's, and before every restore or update)."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from reader.base.paths import data_dir
from reader.library.db.errors import (DiskFull, LibraryDamaged, LibraryError, _os_reason, damaged_message, is_disk_full,
                                      quick_check_file)

if TYPE_CHECKING:
    from reader.library.db.store import Store

KEEP = 10  # the newest this many are kept, and the newest of each reason however old


_NAME = re.compile(r"^(\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d)(?:\.(\d+))?-([a-z]+(?:-[a-z]+)*)\.db$")


_STAMP = "%Y-%m-%d_%H-%M-%S"


@dataclass(frozen=True)
class Snapshot:
    name: str
    path: Path
    when: datetime  # UTC
    reason: str
    size: int
    problem: str = ""  # why it cannot be brought back, from a quick look ('' when it looks whole)

    @property
    def usable(self) -> bool:
        return not self.problem

    def order(self) -> tuple:
        m = _NAME.match(self.name)
        return (self.when, int(m.group(2) or 0) if m else 0)


def _library(path: Path | None) -> Path:
    return Path(path) if path else data_dir() / "library.db"


def snapshot_folder(library: Path | None = None) -> Path:
    """Beside the library (data_dir()/snapshots for the usual one), readable by the user only."""
    folder = _library(library).parent / "snapshots"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    return folder


_HEADER = b"SQLite format 3\x00"


def quick_problem(path: Path, size: int | None = None) -> str:
    """What makes a file plainly no snapshot, from its size and its first 100 bytes ('' when it looks
    whole): empty, not a SQLite database, or shorter than its header says. The full check
    (store.check_database_file) is made before one is brought back."""
    try:
        size = os.stat(path).st_size if size is None else size
        if size == 0:
            return "it is empty"
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as exc:
        return _os_reason(exc)
    if len(head) < 100 or not head.startswith(_HEADER):
        return "it is not a SQLite database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] == head[92:96] and pages and pages * page_size > size:  # the header's page count is current
        return "it is cut short"
    return ""


def list_snapshots(library: Path | None = None) -> list[Snapshot]:
    """The snapshots kept for a library, newest first. Only files named as Reader names them count;
    each says (`problem`) whether a quick look finds it plainly unusable (empty, cut short)."""
    folder = _library(library).parent / "snapshots"
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        m = _NAME.match(entry.name)
        if not m or not entry.is_file(follow_symlinks=False):
            continue
        try:
            when = datetime.strptime(m.group(1), _STAMP).replace(tzinfo=timezone.utc)
            size = entry.stat(follow_symlinks=False).st_size
        except (ValueError, OSError):  # a name like a date that is none (month 13), or a file gone meanwhile
            continue
        found.append(Snapshot(entry.name, Path(entry.path), when, m.group(3), size, quick_problem(Path(entry.path), size)))
    return sorted(found, key=Snapshot.order, reverse=True)


def _free_name(folder: Path, when: datetime, reason: str) -> Path:
    stamp = when.astimezone(timezone.utc).strftime(_STAMP)
    target = folder / f"{stamp}-{reason}.db"
    n = 1
    while target.exists():
        target = folder / f"{stamp}.{n}-{reason}.db"
        n += 1
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def take_snapshot(store: Store, reason: str, now: datetime | None = None, keep: tuple[str, ...] = (), stop=None,
                  then: str = "") -> Path:
    """A consistent copy of the library as it is now, in the snapshots folder; returns its path.

    Called before every restore (reason 'restore'), before an update of the library ('migration'),
    and once a day ('daily'). Older snapshots are pruned (see prune). Raises LibraryError with a
    sentence when the copy cannot be written (DiskFull when it did not fit), saying what was therefore
    not done (`then`: "the snapshot … was not brought back"); then nothing is left half-written.
    """
    if not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", reason):
        raise ValueError(f"a snapshot reason is lower-case words joined by hyphens, not {reason!r}")
    try:
        folder = snapshot_folder(store.path)
        fd, name = tempfile.mkstemp(prefix=".taking-", suffix=".db", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise _not_taken(store, exc, then) from None
    partial = Path(name)
    try:
        os.chmod(partial, 0o600)
        store.backup_to(partial, stop)
        _fsync(partial)
        problem = quick_problem(partial)
        if problem:  # never a snapshot that could not be brought back
            raise LibraryError(f"A snapshot of the library could not be taken: the copy came out unusable ({problem}).")
        damage = quick_check_file(partial)  # the check of the whole library, here rather than at every open
        if damage:
            from reader.library.db.open_state import mark_suspect

            mark_suspect(store.path)  # every open from now on checks it, and refuses it
            raise LibraryDamaged(damaged_message(store.path, damage))
        target = _free_name(folder, now or datetime.now(timezone.utc), reason)
        os.replace(partial, target)
        _fsync(folder)
    except (OSError, DiskFull) as exc:
        raise _not_taken(store, exc, then) from None
    except LibraryDamaged:
        raise
    except LibraryError as exc:
        if not then:
            raise
        raise LibraryError(f"{str(exc).rstrip('.')}, so {then}; the library is as it was.") from None
    finally:
        partial.unlink(missing_ok=True)
    prune(store.path, keep=(target.name, *keep))
    return target


def _not_taken(store: Store, exc: BaseException, then: str) -> LibraryError:
    """The sentence for a snapshot that could not be written (a full disk, or what the system said)."""
    if isinstance(exc, DiskFull) or is_disk_full(exc, store.path.parent):
        done = (f"{then} (Reader first keeps a snapshot of the library as it is, and there is no room for one)" if then
                else "no snapshot of the library could be taken")
        return DiskFull(f"The disk that holds the library ({store.path.parent}) is full, so {done}; the library is as "
                        "it was. Free some space and try again.")
    reason = _os_reason(exc) if isinstance(exc, OSError) else str(exc).rstrip(".")
    return LibraryError(f"A snapshot of the library could not be taken: {reason}" + (f", so {then}" if then else "")
                        + ("; the library is as it was." if then else "."))


def prune(library: Path | None = None, keep: tuple[str, ...] = ()) -> list[str]:
    """Delete all but the newest KEEP snapshots, the newest of each reason, and those named in keep;
    returns the names deleted."""
    listed = list_snapshots(library)
    snaps = [s for s in listed if s.size > 0]  # an empty file is no snapshot, and holds nothing to keep
    kept = {s.name for s in snaps[:KEEP]} | set(keep)
    for reason in {s.reason for s in snaps}:
        kept.add(next(s.name for s in snaps if s.reason == reason))
    gone = []
    for s in listed:
        if s.name not in kept:
            s.path.unlink(missing_ok=True)
            gone.append(s.name)
    return gone
