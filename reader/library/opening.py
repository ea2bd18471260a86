"""Opening the library as the window and the command line do: interrupted answers marked, the day's snapshot taken."""

from __future__ import annotations

from pathlib import Path

from reader.base.paths import data_dir
from reader.library.db.store import Store


def library_exists(path: Path | None = None) -> bool:
    """Whether there is a library to open (without opening it): on a first run there is none yet."""
    return (Path(path) if path else data_dir() / "library.db").exists()


def open_library(path: Path | None = None, snapshot: bool = True, any_thread: bool = False) -> Store:
    """The library as the window and the command line open it: answers a killed Reader left 'streaming'
    are marked incomplete, and (with snapshot) a snapshot is taken if the last is a day old. The window
    opens it in a thread (any_thread) and takes the snapshot there, on a connection of its own."""
    from reader.library.snapshots import snapshot_if_due

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
