"""The library's connection, read and written with plain sqlite3; sqlite-utils' Database is made only when a table verb needs it."""

from __future__ import annotations

import sqlite3
from typing import Any, Iterator

_READS = {"SELECT", "WITH", "PRAGMA", "VALUES", "EXPLAIN"}
_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def _first_word(sql: str) -> str:
    return sql.lstrip(" \t\r\n(").split(None, 1)[0].upper() if sql.strip() else ""


def _unique(keys: list[str]) -> list[str]:
    """Column names made unique as sqlite-utils makes them: a later `id` beside an `id` reads `id_2`."""
    if len(set(keys)) == len(keys):
        return keys
    taken, seen, out = set(keys), set(), []
    for key in keys:
        if key in seen:
            n = 2
            while f"{key}_{n}" in taken:
                n += 1
            key = f"{key}_{n}"
            taken.add(key)
        seen.add(key)
        out.append(key)
    return out


class Connection:
    """What the Store's queries use of sqlite-utils' Database (execute, query, conn, close), without importing it:
    sqlite-utils with its plugins costs some 60 ms, which a command that only reads (`reader search`, `reader
    library`) should not pay. Table verbs (db["videos"].insert, atomic, ...) make the real Database over the same
    connection on first use. execute() behaves as sqlite-utils' does: a statement that opened an implicit
    transaction is committed at once, and one that failed leaves no transaction behind."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._real = None
        # as sqlite-utils' Database sets it: a row that INSERT OR REPLACE removes fires its delete triggers (the
        # search index's among them)
        conn.execute("PRAGMA recursive_triggers=on")

    @property
    def real(self):
        """sqlite-utils' Database over this connection (made once; its plugins are not loaded)."""
        if self._real is None:
            from reader.library.db.migrations import _import_sqlite_utils

            self._real = _import_sqlite_utils().Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._real

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if (not was_in_transaction and conn.in_transaction and cursor.description is None
                and _first_word(sql) not in _CONTROL):
            conn.execute("COMMIT")
        return cursor

    def query(self, sql: str, params=None) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT (or a PRAGMA that returns rows) as dicts; any other statement is refused unrun."""
        if _first_word(sql) not in _READS:
            raise ValueError("query() is for statements that read rows; use execute() for the others")
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() is for statements that read rows; use execute() for the others")
        keys = _unique([d[0] for d in cursor.description])
        return (dict(zip(keys, row)) for row in cursor)

    def close(self) -> None:
        self.conn.close()

    def __getitem__(self, table: str):
        return self.real[table]

    def __getattr__(self, attribute: str):  # atomic, table_names, ...: sqlite-utils' own
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(self.real, attribute)
