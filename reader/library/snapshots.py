"""Automatic snapshots of the library (a day's, and before every restore or update), listed and brought back."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from reader.library.db.errors import DiskFull, LibraryDamaged, LibraryError, _os_reason, check_database_file
from reader.library.db.snapshots import _free_name, _fsync, _library, list_snapshots, snapshot_folder, take_snapshot
from reader.library.db.store import Store

if TYPE_CHECKING:
    from reader.library.db.snapshots import Snapshot


DAILY = timedelta(days=1)


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
