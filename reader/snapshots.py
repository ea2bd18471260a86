"""Automatic snapshots of the library (a day's, and before every restore or update), listed and brought back."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .paths import data_dir
from .store import (DiskFull, LibraryDamaged, LibraryError, Store, _os_reason, check_database_file, damaged_message,
                    is_disk_full, quick_check_file)

KEEP = 10  # the newest this many are kept, and the newest of each reason however old
DAILY = timedelta(days=1)
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
            from .open_state import mark_suspect

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


def snapshot_if_due(store: Store, now: datetime | None = None, stop=None) -> Path | None:
    """The daily snapshot: taken when the newest snapshot (of any reason) is a day old or there is none,
    and the library holds something. A failure is no reason to stop opening the library: None."""
    now = now or datetime.now(timezone.utc)
    if store.read_only or store.count() == 0:
        return None
    snaps = [s for s in list_snapshots(store.path) if s.usable]  # an empty or cut-short one is no day's snapshot
    if snaps and now - snaps[0].when < DAILY:
        return None
    try:
        return take_snapshot(store, "daily", now, stop=stop)
    except LibraryDamaged:
        raise  # the snapshot's check found the library damaged: that is news, not a snapshot missed
    except LibraryError:
        return None


def find_snapshot(name: str, library: Path | None = None) -> Snapshot:
    """The snapshot of that name, which must be one listed (a name, never a path)."""
    for s in list_snapshots(library):
        if s.name == name:
            return s
    raise LibraryError(f"There is no snapshot called “{name}”; `reader snapshots` lists the ones there are.")


def restore_snapshot(name: str, library: Path | None = None, now: datetime | None = None, progress=None) -> Path | None:
    """Bring back a snapshot as the library, after taking a snapshot of the library as it is; returns that
    one's path (None when the library was damaged: then its files are kept as a 'damaged' snapshot).

    The snapshot is checked in full first; a damaged one changes nothing. A sound library is replaced by
    SQLite's online backup into it, one write transaction: another Reader with it open waits for it and
    then reads the restored contents, and a Reader killed halfway leaves the library as it was. A damaged
    library is replaced as a file: the snapshot is copied beside it, synced, and renamed over it.
    """
    path = _library(library)
    snap = find_snapshot(name, path)
    problem = check_database_file(snap.path)
    if problem:
        raise LibraryError(f"The snapshot {name} is damaged ({problem}), so the library was not changed.")
    try:
        store = Store(path)
    except LibraryDamaged:
        _replace_damaged(path, snap, now)
        Store(path).close()
        return None
    try:
        if store.disk_full:
            raise DiskFull(f"The disk that holds the library ({path.parent}) is full, so the snapshot {name} was not "
                           "brought back; the library is as it was. Free some space and try again.")
        if store.read_only:
            raise LibraryError(f"The library is read-only ({path}); the snapshot was not brought back.")
        before = take_snapshot(store, "before-snapshot-restore", now, keep=(name,),
                               then=f"the snapshot {name} was not brought back")
        store.replace_with(snap.path, progress)
    finally:
        store.close()
    Store(path).close()  # a snapshot from before an update of the library is updated now
    return before


def _replace_damaged(path: Path, snap: Snapshot, now: datetime | None) -> None:
    """The damaged library's files kept as a 'damaged' snapshot, then the snapshot copied in over it.
    Every copy is made under a temporary name and renamed only when whole: a failure (a full disk)
    leaves no empty or partial snapshot behind, and the library as it was."""
    wal = path.with_name(path.name + "-wal")
    made: list[Path] = []  # temporary files, removed whatever happens
    kept = kept_wal = None
    touched = False  # whether the library's own files were changed (then the copies of them stay)
    existed: set[str] = set()
    try:
        folder = snapshot_folder(path)
        existed = {p.name for p in folder.iterdir()}
        kept = _free_name(folder, now or datetime.now(timezone.utc), "damaged")
        if wal.exists():
            kept_wal = kept.with_name(kept.name + "-wal")
            _copy_whole(wal, kept_wal, made)
        _copy_whole(path, kept, made)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".restoring", dir=path.parent)
        os.close(fd)
        incoming = Path(name)
        made.append(incoming)
        shutil.copyfile(snap.path, incoming)
        os.chmod(incoming, 0o600)
        _fsync(incoming)
        # the old file's -wal and -shm must not be read as the new one's
        touched = True
        for p in (wal, path.with_name(path.name + "-shm")):
            p.unlink(missing_ok=True)
        os.replace(incoming, path)
        _fsync(path.parent)
    except OSError as exc:
        if not touched:  # the library and its -wal are still in place: their 'damaged' copies are not wanted
            for p in (kept, kept_wal):
                if p is not None and p.name not in existed:
                    p.unlink(missing_ok=True)
        raise LibraryError(f"The snapshot {snap.name} could not be brought back: {_os_reason(exc)}; "
                           "the library was not changed.") from None
    finally:
        for p in made:
            p.unlink(missing_ok=True)


def _copy_whole(source: Path, target: Path, made: list[Path]) -> None:
    """source copied to target, under a temporary name in target's folder until it is whole and synced."""
    fd, name = tempfile.mkstemp(prefix=".taking-", suffix=".db", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    made.append(partial)
    os.chmod(partial, 0o600)
    shutil.copyfile(source, partial)
    _fsync(partial)
    os.replace(partial, target)
