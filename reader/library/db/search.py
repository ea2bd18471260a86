"""The library's SQL for searching every transcript and note (SQLite FTS5)."""

from __future__ import annotations

import sqlite3

from reader.library.db.cards import fts_query
from reader.library.db.errors import LibraryError, _sqlite_reason
from reader.library.db.records import SearchHit


class SearchQueries:
    """The library's SQL for searching every transcript and note (SQLite FTS5)."""

    # -- search ---------------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 200, video_id: int | None = None) -> list[SearchHit]:
        """Lines of every transcript that contain all the words, in library and time order."""
        query = fts_query(text)
        if not query:
            return []
        sql = (
            "select cues.video_id, videos.title, cues.start_ms, cues.text,"
            " snippet(cues_fts, 0, char(2), char(3), '…', 24)"
            " from cues_fts join cues on cues.rowid = cues_fts.rowid join videos on videos.id = cues.video_id"
            " where cues_fts match ?"
        )
        params: list = [query]
        if video_id is not None:
            sql += " and cues.video_id = ?"
            params.append(video_id)
        sql += " order by cues_fts.rowid limit ?"
        params.append(limit)
        try:
            return [SearchHit(*row) for row in self.db.execute(sql, params)]
        except sqlite3.OperationalError as exc:  # fts_query makes every query safe, so this is the library itself
            raise LibraryError(f"The transcripts could not be searched: {_sqlite_reason(exc)}.") from None
