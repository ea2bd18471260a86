"""The library's SQL for backups: a video's rows read out with their uids, and a restore's rows found by uid and written in (part of the Store)."""

from __future__ import annotations

from contextlib import contextmanager

from reader.base.uids import new_uid

# the columns a restore may write, by table (the names are Reader's own, never a file's)
_COLUMNS = {
    "highlights": ("video_id", "start_cue", "start_offset", "end_cue", "end_offset", "start_ms", "end_ms", "text", "color",
                   "note", "created_at", "edited_at", "anchor_lost_at", "uid"),
    "answers": ("video_id", "highlight_id", "thread_id", "kind", "question", "prompt", "answer", "citations", "model",
                "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens", "status", "error",
                "created_at", "updated_at", "uid", "thread_uid"),
    "checks": ("card_id", "typed_answer", "feedback", "citations", "status", "error", "model", "created_at", "review_id", "uid"),
}
# what a restore compares when the library already has a uid: the row's video and what never changes in it
_KNOWN = {
    "highlights": "uid, id, video_id, created_at, text",
    "answers": "uid, id, video_id, created_at, kind, question, thread_id, thread_uid",
    "cards": "uid, id, video_id, created_at",
    "reviews": "uid, id, card_id",
    "checks": "uid, id, card_id",
}
_BATCH = 500  # uids to a query (SQLite's limit on parameters is far above it)


def _without(row: dict, *names: str) -> dict:
    return {k: v for k, v in row.items() if k not in names}


class BackupQueries:
    """Mixed into Store: `self.db` and `self.writing()` are the Store's."""

    @contextmanager
    def reading(self):
        """One read transaction: every read inside it sees the library as it was at the first, whatever another
        Reader commits meanwhile (a backup that agrees with itself). Inside a transaction already, that one."""
        if self.db.conn.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")  # nothing was written: ending it is all

    def video_ids(self) -> list[int]:
        """Every video's id, in the library's order (newest first)."""
        return [r[0] for r in self.db.execute("select id from videos order by added_at desc, id desc")]

    def backup_rows(self, video_id: int) -> dict[str, list[dict]]:
        """A video's highlights, answers, cards, reviews and checks as a backup holds them: every column but the
        library's own ids, rows referring to each other by uid (highlight_uid, card_uid, review_uid)."""
        q = self.db.query
        return {
            "highlights": [_without(r, "id", "video_id") for r in q(
                "select * from highlights where video_id = ? order by start_ms, id", [video_id])],
            "answers": [_without(r, "id", "video_id", "highlight_id", "thread_id") for r in q(
                "select a.*, h.uid as highlight_uid from answers a left join highlights h on h.id = a.highlight_id"
                " where a.video_id = ? order by a.id", [video_id])],
            "cards": [_without(r, "id", "video_id", "highlight_id") for r in q(
                "select c.*, h.uid as highlight_uid from cards c left join highlights h on h.id = c.highlight_id"
                " where c.video_id = ? order by c.id", [video_id])],
            "reviews": [_without(r, "id", "card_id") for r in q(
                "select r.*, c.uid as card_uid from reviews r join cards c on c.id = r.card_id where c.video_id = ?"
                " order by r.id", [video_id])],
            "checks": [_without(r, "id", "card_id", "review_id") for r in q(
                "select k.*, c.uid as card_uid, r.uid as review_uid from checks k join cards c on c.id = k.card_id"
                " left join reviews r on r.id = k.review_id where c.video_id = ? order by k.id", [video_id])],
        }

    def rows_by_uid(self, table: str, uids: list[str]) -> dict[str, dict]:
        """The rows of `table` the library holds under these uids (what a restore compares), by uid."""
        columns = _KNOWN[table]
        found: dict[str, dict] = {}
        wanted = [u for u in uids if u is not None]
        for start in range(0, len(wanted), _BATCH):
            part = wanted[start:start + _BATCH]
            found.update((r["uid"], r) for r in self.db.query(
                f"select {columns} from [{table}] where uid in ({', '.join('?' * len(part))})", part))
        return found

    def threads_by_uid(self, thread_uids) -> dict[str, dict]:
        """The threads the library holds under these uids: their id (the first answer's), video and highlight."""
        wanted = [u for u in thread_uids if u is not None]
        found: dict[str, dict] = {}
        for start in range(0, len(wanted), _BATCH):
            part = wanted[start:start + _BATCH]
            found.update((r["thread_uid"], r) for r in self.db.query(
                "select thread_uid, min(thread_id) as thread_id from answers"
                f" where thread_uid in ({', '.join('?' * len(part))}) group by thread_uid", part))
        return found

    def thread_on(self, thread_id: int, video_id: int) -> tuple[bool, int | None]:
        """(whether the thread is on this video, the highlight it is on): where a restored follow-up must be to
        join it. By video and thread, so the answers' (video_id, thread_id) index finds it."""
        row = self.db.execute("select highlight_id from answers where video_id = ? and thread_id = ? order by id limit 1",
                              [video_id, thread_id]).fetchone()
        return (row is not None, row[0] if row else None)

    def insert_restored(self, table: str, rows: list[dict]) -> list[int]:
        """Write a restore's highlights, answers or checks; their ids, in order. A row with no uid (from a backup
        older than version 3) gets a new one; an answer with no thread starts one, and joins its thread's uid."""
        columns = _COLUMNS[table]
        sql = f"insert into [{table}] ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"
        ids = []
        with self.writing():
            for row in rows:
                values = {**row, "uid": row.get("uid") or new_uid()}
                ids.append(self.db.execute(sql, [values.get(c) for c in columns]).lastrowid)
            if table == "answers" and ids:
                self.db.execute(
                    f"update answers set thread_id = coalesce(thread_id, id) where id in ({', '.join('?' * len(ids))})", ids)
                self.db.execute(
                    "update answers set thread_uid = coalesce((select t.thread_uid from answers t where t.id = answers.thread_id"
                    f" and t.id != answers.id), uid) where thread_uid is null and id in ({', '.join('?' * len(ids))})", ids)
        return ids
