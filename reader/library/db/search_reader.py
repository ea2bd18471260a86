"""A read-only connection of its own to the library, for ranked search on a thread that is not the window's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.library.db.connection import Connection
from reader.library.db.passages import PassageQueries
from reader.library.db.store import BUSY_TIMEOUT_MS


class SearchReader(PassageQueries):
    """What reader.library.search.search_library asks of a Store (the passages' and notes' ranked queries), over a
    connection that can only read: whatever the thread searching it does, nothing of the library is written. Opened
    in the thread that uses it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise sqlite3.OperationalError(f"no library at {self.path}")
        conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        self.db = Connection(conn)

    def close(self) -> None:
        self.db.close()
