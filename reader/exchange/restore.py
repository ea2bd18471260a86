"""Restoring a backup: the whole file checked first, then merged a video at a time inside one transaction (all of it
or none of it), saying how far it got."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from reader.exchange.backup import _taken_paths
from reader.exchange.backup_library import restore_threads
from reader.exchange.backup_merge import restore_video
from reader.exchange.backup_stream import BackupFile
from reader.exchange.errors import ExportError
from reader.library.db.store import Store

Progress = Callable[..., None]  # progress(done, total, stage): "checking" counts bytes, "restoring" videos


def restore(store: Store, path: Path | str, progress: Progress | None = None) -> dict:
    """Merge a backup into the library: what it holds that the library lacks is added, nothing the library
    has is changed.

    The whole file is read and checked first (a file this Reader wrote, a video at a time), and nothing is
    written unless all of it passes. Then, in ONE write transaction, each video is merged in turn and
    progress says how many are in: a failure anywhere (a uid the library holds for something else, the
    disk, the file changed since it was checked, the window closed) rolls all of it back, and the library
    is as it was. Other Readers can read meanwhile; their writes wait for it (ten seconds at most).

    A video already in the library (same site and id) keeps its transcript, title, files, position and
    dates; a new one is added with its transcript. From backup version 3, highlights, answers, threads,
    cards, reviews and checks are matched by uid: a restore into an empty library gives back exactly the
    rows the backup holds. Versions 1 and 2 match as they did (highlights by creation time, start and
    text; answers by creation time, kind and question). Restoring twice changes nothing the second time.
    """
    name = Path(path).name or str(path)
    source = BackupFile(path)
    source.check(progress)
    if store.read_only:
        raise store.refuse_write(f"{name} was not restored; the library is as it was")
    if store.count():  # a way back, whatever the backup turns out to add
        from reader.library.db.snapshots import take_snapshot

        take_snapshot(store, "restore", then=f"{name} was not restored")
    counts = {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}
    total = source.count
    try:
        with store.writing():
            taken = _taken_paths(store)  # read inside the transaction: no other Reader changes it meanwhile
            for done, item in enumerate(source.items()):
                if progress is not None:
                    progress(done, total, "restoring")
                restore_video(store, item, done, source.version, name, counts, taken)
            restore_threads(store, source.threads, counts)  # read with the last video (the second pass), checked first
            if progress is not None:
                progress(total, total, "restoring")
    except sqlite3.Error as exc:
        reason = str(exc).rstrip(".") or "an error"
        raise ExportError(f"{name} could not be restored, so the library is as it was: the library database "
                          f"reported {reason}.") from None
    return counts
