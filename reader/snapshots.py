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
from .store import (LibraryDamaged, LibraryError, Store, _os_reason, check_database_file)

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


def list_snapshots(library: Path | None = None) -> list[Snapshot]:
    """The snapshots kept for a library, newest first. Only files named as Reader names them count."""
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
        when = datetime.strptime(m.group(1), _STAMP).replace(tzinfo=timezone.utc)
        found.append(Snapshot(entry.name, Path(entry.path), when, m.group(3), entry.stat(follow_symlinks=False).st_size))
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


def take_snapshot(store: Store, reason: str, now: datetime | None = None, keep: tuple[str, ...] = ()) -> Path:
    """A consistent copy of the library as it is now, in the snapshots folder; returns its path.

    Called before every restore (reason 'restore'), before an update of the library ('migration'),
    and once a day ('daily'). Older snapshots are pruned (see prune). Raises LibraryError with a
    sentence when the copy cannot be written; then nothing is left half-written.
    """
    if not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", reason):
        raise ValueError(f"a snapshot reason is lower-case words joined by hyphens, not {reason!r}")
    try:
        folder = snapshot_folder(store.path)
        fd, name = tempfile.mkstemp(prefix=".taking-", suffix=".db", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise LibraryError(f"A snapshot of the library could not be taken: {_os_reason(exc)}.") from None
    partial = Path(name)
    try:
        os.chmod(partial, 0o600)
        store.backup_to(partial)
        _fsync(partial)
        target = _free_name(folder, now or datetime.now(timezone.utc), reason)
        os.replace(partial, target)
        _fsync(folder)
    except OSError as exc:
        raise LibraryError(f"A snapshot of the library could not be taken: {_os_reason(exc)}.") from None
    finally:
        partial.unlink(missing_ok=True)
    prune(store.path, keep=(target.name, *keep))
    return target


def prune(library: Path | None = None, keep: tuple[str, ...] = ()) -> list[str]:
    """Delete all but the newest KEEP snapshots, the newest of each reason, and those named in keep;
    returns the names deleted."""
    snaps = list_snapshots(library)
    kept = {s.name for s in snaps[:KEEP]} | set(keep)
    for reason in {s.reason for s in snaps}:
        kept.add(next(s.name for s in snaps if s.reason == reason))
    gone = []
    for s in snaps:
        if s.name not in kept:
            s.path.unlink(missing_ok=True)
            gone.append(s.name)
    return gone


def snapshot_if_due(store: Store, now: datetime | None = None) -> Path | None:
    """The daily snapshot: taken when the newest snapshot (of any reason) is a day old or there is none,
    and the library holds something. A failure is no reason to stop opening the library: None."""
    now = now or datetime.now(timezone.utc)
    if store.read_only or store.count() == 0:
        return None
    snaps = list_snapshots(store.path)
    if snaps and now - snaps[0].when < DAILY:
        return None
    try:
        return take_snapshot(store, "daily", now)
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
        if store.read_only:
            raise LibraryError(f"The library is read-only ({path}); the snapshot was not brought back.")
        before = take_snapshot(store, "before-snapshot-restore", now, keep=(name,))
        store.replace_with(snap.path, progress)
    finally:
        store.close()
    Store(path).close()  # a snapshot from before an update of the library is updated now
    return before


def _replace_damaged(path: Path, snap: Snapshot, now: datetime | None) -> None:
    folder = snapshot_folder(path)
    try:
        kept = _free_name(folder, now or datetime.now(timezone.utc), "damaged")
        shutil.copyfile(path, kept)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
        os.chmod(kept, 0o600)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".restoring", dir=path.parent)
        os.close(fd)
        incoming = Path(name)
        try:
            shutil.copyfile(snap.path, incoming)
            os.chmod(incoming, 0o600)
            _fsync(incoming)
            # the old file's -wal and -shm must not be read as the new one's
            for p in (wal, path.with_name(path.name + "-shm")):
                p.unlink(missing_ok=True)
            os.replace(incoming, path)
            _fsync(path.parent)
        finally:
            incoming.unlink(missing_ok=True)
    except OSError as exc:
        raise LibraryError(f"The snapshot {snap.name} could not be brought back: {_os_reason(exc)}.") from None
