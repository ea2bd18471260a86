"""The library's SQL for recall cards and their review log (part of the Store, kept apart for size)."""

from __future__ import annotations

import json
import re

from reader.base.uids import new_uid
from reader.library.db.rows import CardRow, ReviewRow

_EDITABLE = ("question", "answer", "status", "start_ms", "end_ms", "passage")


_FTS_TOKEN = re.compile(r"\w[\w'’-]*", re.UNICODE)


def fts_query(text: str) -> str:
    """User words to an FTS5 query: every word must appear; the last may be a prefix; no syntax leaks in."""
    words = _FTS_TOKEN.findall(text)
    if not words:
        return ""
    quoted = ['"' + w.replace('"', "") + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class CardQueries:
    """Mixed into Store: `self.db` and `self.writing()` are the Store's."""

    def add_card(self, *, uid: str, video_id: int, question: str, answer: str, start_ms: int, end_ms: int,
                 passage: str, fsrs: str, due: str, created_at: str, highlight_id: int | None = None,
                 source: str = "mine", status: str = "active", evidence: list[str] | None = None) -> int:
        """Save a card; it is on disk when this returns."""
        with self.writing():
            return self.db["cards"].insert({
                "uid": uid, "video_id": video_id, "highlight_id": highlight_id, "question": question, "answer": answer,
                "start_ms": start_ms, "end_ms": end_ms, "passage": passage, "evidence": json.dumps(evidence or []),
                "source": source, "status": status, "fsrs": fsrs, "due": due, "created_at": created_at,
                "edited_at": created_at,
            }).last_pk

    def card(self, card_id: int) -> CardRow | None:
        rows = self._cards("where c.id = ?", [card_id])
        return rows[0] if rows else None

    def card_by_uid(self, uid: str) -> CardRow | None:
        rows = self._cards("where c.uid = ?", [uid])
        return rows[0] if rows else None

    def cards(self, video_id: int | None = None, status: str | None = None, query: str = "") -> list[CardRow]:
        """Cards in video then time order, each with its video's title; `query` searches question and answer."""
        where, args = [], []
        if video_id is not None:
            where.append("c.video_id = ?")
            args.append(video_id)
        if status is not None:
            where.append("c.status = ?")
            args.append(status)
        match = fts_query(query) if query.strip() else ""
        if query.strip() and not match:
            return []
        if match:
            where.append("c.id in (select rowid from cards_fts where cards_fts match ?)")
            args.append(match)
        return self._cards(("where " + " and ".join(where)) if where else "", args)

    def due_cards(self, now: str, limit: int = 20) -> list[CardRow]:
        """Active cards due by `now`, at most `limit`: the most overdue first, then grouped by video."""
        rows = self._cards("where c.status = 'active' and c.due <= ?", [now], order="c.due, c.id", limit=limit)
        first_due: dict[int, str] = {}
        for r in rows:
            first_due.setdefault(r["video_id"], r["due"])
        return sorted(rows, key=lambda r: (first_due[r["video_id"]], r["video_id"], r["start_ms"], r["id"]))

    def due_count(self, now: str) -> int:
        return self.db.execute("select count(*) from cards where status = 'active' and due <= ?", [now]).fetchone()[0]

    def next_due(self) -> str | None:
        """When the next active card falls due (ISO), if there is one."""
        return self.db.execute("select min(due) from cards where status = 'active'").fetchone()[0]

    def _cards(self, where: str, args: list, order: str = "c.video_id, c.start_ms, c.id", limit: int = -1) -> list[CardRow]:
        rows = list(self.db.query(
            "select c.*, v.title as title, (select count(*) from reviews r where r.card_id = c.id) as review_count"
            f" from cards c join videos v on v.id = c.video_id {where} order by {order} limit ?", [*args, limit]))
        for r in rows:
            r["evidence"] = json.loads(r["evidence"] or "[]")
        return rows

    def update_card(self, card_id: int, edited_at: str, **changes) -> None:
        """Edit a card's question, answer, status or moments; other keys are ignored."""
        allowed = {k: v for k, v in changes.items() if k in _EDITABLE}  # a status no Reader knows: m010 refuses it
        if allowed:
            with self.writing():
                self.db["cards"].update(card_id, {**allowed, "edited_at": edited_at})

    def delete_card(self, card_id: int) -> tuple[dict, list[dict]] | None:
        """Delete a card and its reviews; returns both raw, so the deletion can be undone (restore_card)."""
        with self.writing():  # read inside: a review another Reader adds meanwhile is in what undo puts back
            row = next(iter(self.db.query("select * from cards where id = ?", [card_id])), None)
            if row is None:
                return None
            reviews = list(self.db.query("select * from reviews where card_id = ? order by id", [card_id]))
            self.db.execute("delete from reviews where card_id = ?", [card_id])
            self.db.execute("delete from checks where card_id = ?", [card_id])  # feedback already copied into reviews
            self.db.execute("delete from cards where id = ?", [card_id])
        return row, reviews

    def restore_card(self, row: dict, reviews: list[dict]) -> int:
        """Put back a card (and its reviews) as delete_card returned it or a backup holds it."""
        with self.writing():
            card_id = self.db["cards"].insert(row).last_pk
            if reviews:
                self.db["reviews"].insert_all([{**r, "uid": r.get("uid") or new_uid(), "card_id": card_id} for r in reviews])
        return card_id

    def record_review(self, card_id: int, *, reviewed_at: str, rating: int, fsrs: str, due: str, fsrs_log: dict,
                      typed_answer: str = "", feedback: str = "", citations: list | None = None) -> int:
        """A review in one transaction: the card's new state and due time, and the log line."""
        with self.writing():
            self.db.execute("update cards set fsrs = ?, due = ? where id = ?", [fsrs, due, card_id])
            return self.db["reviews"].insert({
                "card_id": card_id, "reviewed_at": reviewed_at, "rating": rating, "typed_answer": typed_answer,
                "feedback": feedback, "citations": json.dumps(citations or []), "due_after": due,
                "fsrs_log": json.dumps(fsrs_log), "uid": new_uid(),
            }).last_pk

    def set_review_feedback(self, review_id: int, feedback: str, citations: list) -> None:
        """Claude's feedback on a typed answer, kept with the review it belongs to."""
        with self.writing():
            self.db.execute("update reviews set feedback = ?, citations = ? where id = ?",
                            [feedback, json.dumps(citations), review_id])

    def start_check(self, card_id: int, typed_answer: str, model: str, created_at: str) -> int:
        """Record a typed answer sent to Claude for checking, before any feedback arrives."""
        with self.writing():
            return self.db["checks"].insert({"card_id": card_id, "typed_answer": typed_answer, "model": model,
                                             "created_at": created_at, "status": "streaming",
                                             "uid": new_uid()}).last_pk

    def save_check(self, check_id: int, feedback: str, citations: list, status: str, error: str = "") -> None:
        """Claude's feedback as it stands (called as it streams, and at the end)."""
        from reader.base.redaction import redact

        with self.writing():
            self.db.execute("update checks set feedback = ?, citations = ?, status = ?, error = ? where id = ?",
                            [feedback, json.dumps(citations), status, redact(error), check_id])

    def check(self, check_id: int) -> dict | None:
        row = next(iter(self.db.query("select * from checks where id = ?", [check_id])), None)
        if row is not None:
            row["citations"] = json.loads(row["citations"] or "[]")
        return row

    def link_check(self, check_id: int, review_id: int) -> None:
        """A rating followed the check: its feedback joins the review's log line."""
        with self.writing():
            self.db.execute("update checks set review_id = ? where id = ?", [review_id, check_id])
            self.db.execute("update reviews set feedback = (select feedback from checks where id = ?),"
                            " citations = (select citations from checks where id = ?) where id = ?", [check_id, check_id, review_id])

    def reviews(self, card_id: int) -> list[ReviewRow]:
        rows = list(self.db.query("select * from reviews where card_id = ? order by reviewed_at, id", [card_id]))
        for r in rows:
            r["citations"] = json.loads(r["citations"] or "[]")
            r["fsrs_log"] = json.loads(r["fsrs_log"] or "{}")
        return rows

    def card_counts(self, video_id: int) -> dict[int, int]:
        """How many cards each of a video's highlights has (highlights with none are left out)."""
        return dict(self.db.execute("select highlight_id, count(*) from cards where video_id = ? and highlight_id is not null"
                                    " group by highlight_id", [video_id]).fetchall())

    def review_cards(self, video_id: int | None = None, since: str | None = None, query: str = "",
                     limit: int = 2000) -> list[dict]:
        """Cards as Review lists them (kind 'card'), newest first: the fields of Store.review's items, and the
        card's status, due time and source. `query` searches question and answer."""
        where, args = [], []
        if video_id is not None:
            where.append("c.video_id = ?")
            args.append(video_id)
        if since:
            where.append("c.created_at >= ?")
            args.append(since)
        match = fts_query(query) if query.strip() else ""  # no words in it: no search, as Store.review does
        if match:
            where.append("c.id in (select rowid from cards_fts where cards_fts match ?)")
            args.append(match)
        return list(self.db.query(
            "select 'card' as kind, c.id, c.video_id, v.title, c.start_ms, c.end_ms, c.passage as text, '' as note,"
            " '' as color, c.created_at, c.question, c.answer, null as thread_id, c.status, c.due, c.source, c.highlight_id"
            f" from cards c join videos v on v.id = c.video_id {'where ' + ' and '.join(where) if where else ''}"
            " order by c.id desc limit ?", [*args, limit]))

    def review_items(self, video_id: int | None = None, color: str | None = None, kind: str | None = None,
                     since: str | None = None, query: str = "", newest_first: bool = True, limit: int = 2000) -> list[dict]:
        """Review's whole list: Store.review's highlights, answers and study results, and the cards (kind 'card',
        which have no colour), in the same order."""
        items = [] if kind == "card" else self.review(video_id, color, kind, since, query, newest_first, limit)
        if kind in (None, "card") and color is None:
            items += self.review_cards(video_id, since, query, limit)
        items.sort(key=lambda r: (r["created_at"] or "", r["id"]), reverse=newest_first)
        if not newest_first:
            items.sort(key=lambda r: (r["video_id"], r["start_ms"], r["created_at"] or ""))
        return items[:limit]

    def cards_for_video(self, video_id: int) -> list[dict]:
        """Every card of a video, raw (as stored), for a backup."""
        return list(self.db.query("select * from cards where video_id = ? order by id", [video_id]))

    def reviews_for_video(self, video_id: int) -> list[dict]:
        """Every review of a video's cards, raw, with the card's uid, for a backup."""
        return list(self.db.query(
            "select r.*, c.uid as card_uid from reviews r join cards c on c.id = r.card_id where c.video_id = ?"
            " order by r.id", [video_id]))
