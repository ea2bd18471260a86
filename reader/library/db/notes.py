"""The library's SQL for highlights, notes and Claude's answers and their threads."""

from __future__ import annotations

import json
import sqlite3

from reader.base.citations import has_content
from reader.base.colours import DEFAULT_COLOUR
from reader.base.uids import new_uid
from reader.library.db.cards import fts_query
from reader.library.db.errors import LibraryError, _sqlite_reason
from reader.library.db.records import _USAGE_COLUMNS, now
from reader.library.db.rows import AnswerRow, HighlightListRow, HighlightRow


class NoteQueries:
    """The library's SQL for highlights, notes and Claude's answers and their threads."""

    # -- highlights and answers ---------------------------------------------------------------------
    def add_highlight(self, video_id: int, start_cue: int, start_offset: int, end_cue: int, end_offset: int,
                      start_ms: int, end_ms: int, text: str, color: str = DEFAULT_COLOUR, note: str = "") -> int:
        """Save a highlight; it is on disk when this returns. A selection (reader.library.db.rows.Span) is passed as
        `add_highlight(video_id, color=..., **span)`."""
        with self.writing():
            return self.db["highlights"].insert({
                "video_id": video_id, "start_cue": start_cue, "start_offset": start_offset, "end_cue": end_cue,
                "end_offset": end_offset, "start_ms": start_ms, "end_ms": end_ms, "text": text, "color": color,
                "note": note, "created_at": now(), "edited_at": now(), "uid": new_uid(),
            }).last_pk

    def find_or_add_highlight(self, video_id: int, color: str = DEFAULT_COLOUR, note: str = "", replacing: int | None = None,
                              **span) -> tuple[int, bool]:
        """The highlight over exactly this span (the one there, whatever its colour), else a new one: (id, new).
        Looked for and made in one transaction, so two Readers saving one span make one highlight. With
        `replacing`, that highlight (one the new one grows over) goes in the same transaction, unless it has
        a note or answers, or is the one found."""
        with self.writing():
            existing = self.find_highlight(video_id, span["start_cue"], span["start_offset"], span["end_cue"], span["end_offset"])
            if replacing is not None and replacing != existing:
                self.delete_bare_highlight(replacing)
            if existing is not None:
                return existing, False
            return self.add_highlight(video_id, color=color, note=note, **span), True

    def delete_bare_highlight(self, highlight_id: int) -> bool:
        """Delete a highlight that has no note and no answers (checked inside the transaction, so a note another
        Reader adds meanwhile keeps it); whether it was deleted."""
        with self.writing():
            row = self.db.execute("select note from highlights where id = ?", [highlight_id]).fetchone()
            if row is None or row[0] or self.db.execute("select 1 from answers where highlight_id = ? limit 1",
                                                        [highlight_id]).fetchone():
                return False
            self.db.execute("update cards set highlight_id = null where highlight_id = ?", [highlight_id])
            self.db.execute("delete from highlights where id = ?", [highlight_id])
            return True

    def highlights(self, video_id: int) -> list[HighlightListRow]:
        """A video's highlights in time order, each with how many answers it has (only those with words)
        and how many attempts failed before any words arrived."""
        rows = list(self.db.query("select * from highlights where video_id = ? order by start_ms, id", [video_id]))
        counts = self._answer_counts("video_id = ? and highlight_id is not null", [video_id])
        for row in rows:
            row["answer_count"], row["failed_count"] = counts.get(row["id"], (0, 0))
        return rows

    def answer_counts(self, highlight_id: int) -> tuple[int, int]:
        """(answers with words, attempts that failed with none) for one highlight."""
        return self._answer_counts("highlight_id = ?", [highlight_id]).get(highlight_id, (0, 0))

    def _answer_counts(self, where: str, args: list) -> dict[int, tuple[int, int]]:
        # "words" as a reader sees them: an answer holding only citation marks or spaces is a failed attempt
        counts: dict[int, tuple[int, int]] = {}
        for highlight_id, answer, status in self.db.execute(f"select highlight_id, answer, status from answers where {where}", args):
            made, failed = counts.get(highlight_id, (0, 0))
            if has_content(answer):
                made += 1
            elif status in ("error", "incomplete"):
                failed += 1
            counts[highlight_id] = (made, failed)
        return counts

    def find_highlight(self, video_id: int, start_cue: int, start_offset: int, end_cue: int, end_offset: int) -> int | None:
        """The id of the highlight over exactly this span, if there is one (the oldest, should there be several)."""
        row = self.db.execute(
            "select id from highlights where video_id = ? and start_cue = ? and start_offset = ? and end_cue = ?"
            " and end_offset = ? order by id limit 1", [video_id, start_cue, start_offset, end_cue, end_offset]).fetchone()
        return row[0] if row else None

    def highlight(self, highlight_id: int) -> HighlightRow | None:
        rows = list(self.db.query("select * from highlights where id = ?", [highlight_id]))
        return rows[0] if rows else None

    def update_highlight(self, highlight_id: int, **changes) -> None:
        allowed = {k: v for k, v in changes.items() if k in ("color", "note")}
        if allowed:
            with self.writing():
                self.db["highlights"].update(highlight_id, {**allowed, "edited_at": now()})

    def delete_highlight(self, highlight_id: int) -> tuple[HighlightRow, list[dict]] | None:
        """Delete a highlight and its answers; returns both, so the deletion can be undone."""
        with self.writing():  # read inside: an answer another Reader adds meanwhile is in what undo puts back
            row = self.highlight(highlight_id)
            if row is None:
                return None
            answers = list(self.db.query("select * from answers where highlight_id = ? order by id", [highlight_id]))
            self.db.execute("delete from answers where highlight_id = ?", [highlight_id])
            # a card made from the highlight stays (it carries its own moments); it only loses the link
            self.db.execute("update cards set highlight_id = null where highlight_id = ?", [highlight_id])
            self.db.execute("delete from highlights where id = ?", [highlight_id])
        return row, answers

    def restore_highlight(self, row: dict, answers: list[dict]) -> None:
        """Put back what delete_highlight took away, with the same ids."""
        with self.writing():
            self.db["highlights"].insert(row)
            if answers:
                self.db["answers"].insert_all(answers)

    def start_answer(self, video_id: int, highlight_id: int | None, thread_id: int | None, kind: str,
                     question: str, prompt: str, model: str) -> int:
        """Record a question before the first token arrives; the answer is filled in as it streams. A follow-up
        joins its thread only if the thread (and the highlight) are still there, checked in the same transaction:
        ValueError, with a sentence, when another Reader deleted them meanwhile."""
        with self.writing():
            if highlight_id is not None and self.db.execute("select 1 from highlights where id = ?", [highlight_id]).fetchone() is None:
                raise ValueError("The highlight this question is about was deleted (in another window, perhaps), so it was not asked.")
            if thread_id is not None and self.db.execute("select 1 from answers where thread_id = ? limit 1", [thread_id]).fetchone() is None:
                raise ValueError("The conversation this question follows was deleted (in another window, perhaps), so it was not asked.")
            uid = new_uid()
            thread_uid = uid  # a new thread's identity is its first answer's; a follow-up joins its thread's
            if thread_id is not None:
                row = self.db.execute("select thread_uid from answers where id = ?", [thread_id]).fetchone()
                thread_uid = row[0] if row and row[0] else uid
            answer_id = self.db["answers"].insert({
                "video_id": video_id, "highlight_id": highlight_id, "thread_id": thread_id, "kind": kind,
                "question": question, "prompt": prompt, "model": model, "status": "streaming",
                "created_at": now(), "updated_at": now(), "uid": uid, "thread_uid": thread_uid,
            }).last_pk
            if thread_id is None:
                self.db["answers"].update(answer_id, {"thread_id": answer_id})
        return answer_id

    def save_answer(self, answer_id: int, text: str, citations: list[dict], status: str, error: str = "",
                    usage: dict | None = None) -> None:
        """Write a streaming answer as it stands. Called every few hundred milliseconds on the GUI thread
        while tokens arrive, so it is one plain UPDATE (sqlite-utils' update() reads the schema first)."""
        from reader.base.redaction import redact

        values = {"answer": text, "citations": json.dumps(citations), "status": status, "error": redact(error), "updated_at": now()}
        values.update({k: v for k, v in (usage or {}).items() if v is not None and k in _USAGE_COLUMNS})
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self.writing():
            self.db.execute(f"update answers set {assignments} where id = ?", [*values.values(), answer_id])

    def answer(self, answer_id: int) -> AnswerRow | None:
        rows = list(self.db.query("select * from answers where id = ?", [answer_id]))
        for r in rows:
            r["citations"] = json.loads(r["citations"] or "[]")
        return rows[0] if rows else None

    def answers_thread(self, answer_id: int) -> int:
        return self.db.execute("select thread_id from answers where id = ?", [answer_id]).fetchone()[0]

    def answers(self, thread_id: int) -> list[AnswerRow]:
        rows = list(self.db.query("select * from answers where thread_id = ? order by id", [thread_id]))
        for r in rows:
            r["citations"] = json.loads(r["citations"] or "[]")
        return rows

    def threads(self, video_id: int, highlight_id: int | None = None) -> list[int]:
        """Thread ids for a highlight (or for the whole video), oldest first."""
        if highlight_id is None:
            sql, args = "select distinct thread_id from answers where video_id = ? order by thread_id", [video_id]
        else:
            sql, args = "select distinct thread_id from answers where highlight_id = ? order by thread_id", [highlight_id]
        return [r[0] for r in self.db.execute(sql, args)]

    def study_threads(self, video_id: int) -> list[dict]:
        """Each study tool's result and the chat of a video, by kind: `thread_id` the thread to show (a
        tool's latest complete result, else its latest with words, else its latest attempt; the chat's
        latest thread), `made_at` when that result was made ("" when it has no words), and
        `attempt_id` a newer attempt that failed (None if there is none)."""
        chosen: dict[str, dict] = {}
        for row in self.db.query(
                "select kind, thread_id, answer, status, updated_at from answers where video_id = ? and highlight_id is null"
                " and id = thread_id order by thread_id", [video_id]):
            words = has_content(row["answer"])
            rank = (2 if words and row["status"] == "complete" else 1 if words else 0) if row["kind"] != "chat" else 2
            best = chosen.get(row["kind"])
            if best is None or rank >= best["rank"]:
                chosen[row["kind"]] = {"kind": row["kind"], "thread_id": row["thread_id"], "rank": rank,
                                       "made_at": row["updated_at"] if words else "", "attempt_id": None}
            else:
                best["attempt_id"] = row["thread_id"]
        return [{k: v for k, v in c.items() if k != "rank"} for _, c in sorted(chosen.items())]

    def keep_study_result(self, video_id: int, kind: str, thread_id: int) -> None:
        """A tool's new result replaces its earlier ones (and the attempts that failed): only this thread is kept."""
        with self.writing():
            self.db.execute("delete from answers where video_id = ? and highlight_id is null and kind = ? and thread_id != ?",
                            [video_id, kind, thread_id])

    def answers_for_video(self, video_id: int) -> list[dict]:
        """Every question and answer of a video, raw (citations as stored JSON), for a backup."""
        return list(self.db.query("select * from answers where video_id = ? order by id", [video_id]))

    def answer_ids_by_key(self, video_id: int) -> dict[tuple, tuple[int, int]]:
        """(created_at, kind, question) of a video's answers -> (id, thread id): how a restore finds an
        answer it already has, and the thread that a restored follow-up joins."""
        return {(r[0], r[1], r[2]): (r[3], r[4]) for r in self.db.execute(
            "select created_at, kind, question, id, thread_id from answers where video_id = ? order by id desc", [video_id])}

    def review(self, video_id: int | None = None, color: str | None = None, kind: str | None = None,
               since: str | None = None, query: str = "", newest_first: bool = True, limit: int = 2000) -> list[dict]:
        """Every highlight (with its note) and every answer or study result across the library, as one
        list of items: kind ('highlight', 'answer' or 'study'), video, time, text, note, colour. Attempts
        that failed before any words arrived are not answers and are left out.

        With a query, only items whose text, note, question or answer contain all its words.
        """
        fts = fts_query(query) if query.strip() else ""
        self._review_limit = limit  # each kind is cut to the newest `limit` before they are merged
        items: list[dict] = []
        if kind in (None, "highlight"):
            columns = ("select 'highlight' as kind, h.id, h.video_id, v.title, h.start_ms, h.end_ms, h.text, h.note, h.color,"
                       " h.created_at, null as question, null as answer, null as thread_id")
            where, args = [], []
            if fts:
                # walk the index newest first and stop at the limit, rather than sorting every match
                sql = columns + (" from highlights_fts join highlights h on h.id = highlights_fts.rowid"
                                 " join videos v on v.id = h.video_id")
                where.append("highlights_fts match ?")
                args.append(fts)
                items += self._review_rows(sql, where, args, video_id, color, since, "h", order="highlights_fts.rowid desc")
            else:
                sql = columns + " from highlights h join videos v on v.id = h.video_id"
                items += self._review_rows(sql, where, args, video_id, color, since, "h", order="h.id desc")
        if kind in (None, "answer", "study") and color is None:
            sql = ("select case when a.highlight_id is null then 'study' else 'answer' end as kind, a.id, a.video_id, v.title,"
                   " coalesce(h.start_ms, 0) as start_ms, coalesce(h.end_ms, 0) as end_ms, coalesce(h.text, '') as text,"
                   " '' as note, coalesce(h.color, '') as color, a.created_at, a.question, a.answer, a.thread_id"
                   " from answers a join videos v on v.id = a.video_id left join highlights h on h.id = a.highlight_id")
            where, args = ["trim(coalesce(a.answer, '')) != ''"], []  # failed attempts are not answers
            if kind == "answer":
                where.append("a.highlight_id is not null")
            elif kind == "study":
                where.append("a.highlight_id is null")
            if fts:
                where.append("(a.rowid in (select rowid from answers_fts where answers_fts match ?)"
                             " or a.highlight_id in (select rowid from highlights_fts where highlights_fts match ?))")
                args += [fts, fts]
            items += [r for r in self._review_rows(sql, where, args, video_id, None, since, "a") if has_content(r["answer"])]
        items.sort(key=lambda r: (r["created_at"] or "", r["id"]), reverse=newest_first)
        if not newest_first:
            items.sort(key=lambda r: (r["video_id"], r["start_ms"], r["created_at"] or ""))
        return items[:limit]

    def _review_rows(self, sql: str, where: list, args: list, video_id, color, since, alias: str, order: str = "") -> list[dict]:
        if video_id is not None:
            where.append(f"{alias}.video_id = ?")
            args.append(video_id)
        if color:
            where.append("h.color = ?")
            args.append(color)
        if since:
            where.append(f"{alias}.created_at >= ?")
            args.append(since)
        if where:
            sql += " where " + " and ".join(where)
        sql += f" order by {order or alias + '.id desc'} limit {int(self._review_limit)}"
        try:
            return list(self.db.query(sql, args))
        except sqlite3.OperationalError as exc:  # fts_query makes every query safe, so this is the library itself
            raise LibraryError(f"Your notes could not be searched: {_sqlite_reason(exc)}.") from None

    def mark_interrupted(self) -> int:
        """Answers and answer checks left 'streaming' by a run that ended (killed, crashed) become 'incomplete'.
        Looked for first: with none (nearly always) nothing is written, and a command that only reads never writes."""
        if self.db.execute("select exists(select 1 from checks where status = 'streaming')"
                           " or exists(select 1 from answers where status = 'streaming')").fetchone() == (0,):
            return 0
        with self.writing():
            self.db.execute("update checks set status = 'incomplete' where status = 'streaming'")
            return self.db.execute("update answers set status = 'incomplete' where status = 'streaming'").rowcount
