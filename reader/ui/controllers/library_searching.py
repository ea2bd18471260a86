"""Searching the library as the user types, on a thread of its own: the window never waits for a query, and the latest text wins."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal


class LibrarySearcher(QObject):
    """ask(text) searches the library at `path` on the searcher's thread (its own read-only connection, opened
    there) and announces found(text, results); a text asked while another is searched replaces any still waiting,
    so only the newest is searched next. failed(text) when the library cannot be read this way (the caller then
    searches as before, on its own connection)."""

    found = Signal(str, object)
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._lock = threading.Condition()
        self._wanted: tuple[Path, str] | None = None
        self._closed = False
        self._thread: threading.Thread | None = None

    def ask(self, path: Path, text: str) -> None:
        with self._lock:
            self._wanted = (Path(path), text)
            self._lock.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="library-search", daemon=True)
                self._thread.start()

    def close(self) -> None:
        """Stop the thread (after the query it is running, if any) and close its connection."""
        with self._lock:
            self._closed = True
            self._wanted = None
            self._lock.notify()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def _run(self) -> None:
        from reader.library.db.search_reader import SearchReader
        from reader.library.search import search_library

        reader = None
        try:
            while True:
                with self._lock:
                    while self._wanted is None and not self._closed:
                        self._lock.wait()
                    if self._closed:
                        return
                    path, text = self._wanted
                    self._wanted = None
                try:
                    if reader is None or reader.path != path:
                        if reader is not None:
                            reader.close()
                        reader = None
                        reader = SearchReader(path)
                    results = search_library(reader, text)
                except sqlite3.Error:
                    if reader is not None:
                        reader.close()
                        reader = None
                    self.failed.emit(text)
                    continue
                self.found.emit(text, results)
        finally:
            if reader is not None:
                reader.close()
