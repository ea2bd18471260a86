"""Opening the library off the GUI thread: the open (and any check) and the start-up sweep in a thread, then the
day's snapshot there, on a connection of its own, in steps; the window learns of each by a signal."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader.library.db.errors import LibraryDamaged, LibraryError
from reader.library.db.store import Store
from reader.library.opening import open_library


class LibraryOpening(QObject):
    """start() opens the library in a thread. `opened` (the Store, handed to the GUI thread and never used by
    the thread again, or None; and why not) comes first; then `swept` (what the sweep freed, a sentence) and
    `snapshot_failed` (the snapshot found the library damaged, a sentence), if there is anything to say."""

    opened = Signal(object, str)
    swept = Signal(str)
    snapshot_failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, path: Path | None = None) -> None:
        self.thread = threading.Thread(target=self._run, args=(path,), name="library-opening", daemon=True)
        self.thread.start()

    def stop(self, wait_s: float = 5.0) -> None:
        """Closing: a snapshot under way is given up between two steps (no partial copy is kept)."""
        self._stopping.set()
        if self.thread is not None:
            self.thread.join(wait_s)

    def _run(self, path: Path | None) -> None:
        from reader.library.importing import clean_library, sweep_sentence

        try:
            store = open_library(path, snapshot=False, any_thread=True)
        except (LibraryError, OSError) as exc:
            self.opened.emit(None, str(exc))
            return
        except Exception:  # never a window left waiting for a library that will not come
            self.opened.emit(None, "The library could not be opened.")
            raise
        try:
            sweep = clean_library(store) if not store.read_only else None
        except Exception:  # the sweep is tidying: a failure of it is no reason not to open
            sweep = None
        writable = not store.read_only
        self.opened.emit(store, "")  # from here on the store is the GUI thread's
        if sweep:
            self.swept.emit(sweep_sentence(sweep))
        if writable and not self._stopping.is_set():
            self._snapshot(path or store.path)

    def _snapshot(self, path: Path) -> None:
        from reader.library.snapshots import snapshot_if_due

        try:
            own = Store(path)  # a connection of this thread's own
        except LibraryError:
            return
        try:
            snapshot_if_due(own, stop=self._stopping.is_set)
        except LibraryDamaged as exc:
            self.snapshot_failed.emit(str(exc))
        except (LibraryError, OSError):
            pass
        finally:
            own.close()
