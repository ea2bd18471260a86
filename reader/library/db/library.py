"""The library's SQL for asking the whole library: its question threads, and the tags that scope a question.

A library answer is like a video's answer but belongs to no video: it keeps the passages that were sent
with it (`sources`, JSON), so a follow-up or Regenerate sends the very same request, and its citations
name the video and moment each claim rests on. Tags are short names on videos (a video has each once,
whatever its case). Part of the Store, kept apart for size; `self.db` and `self.writing()` are the Store's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timezone

from reader.base.uids import new_uid

TAG_CHARS = 60  # a tag's length
MAX_TAGS = 50  # per video
_SPACE = re.compile(r"\s+")
_USAGE = ("model", "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens")


def create_library_tables(db) -> None:
    """Library threads and tags (migration m014), empty."""
    db.execute(
        "create table library_answers (id integer primary key, uid text not null unique, thread_id integer,"
        " thread_uid text not null, question text not null, prompt text not null default '', scope text not null default '',"
        " sources text not null default '[]', answer text not null default '', citations text not null default '[]',"
        " model text, input_tokens integer, output_tokens integer, cache_read_tokens integer, cache_creation_tokens integer,"
        " status text not null default 'streaming', error text not null default '', created_at text not null, updated_at text)")
    db.execute("create index library_answers_thread on library_answers(thread_id)")
    db.execute("create index library_answers_thread_uid on library_answers(thread_uid)")
    db["library_answers"].enable_fts(["question", "answer"], create_triggers=True, tokenize="porter unicode61 remove_diacritics 2")
    db.execute("create table tags (id integer primary key, video_id integer not null references videos(id),"
               " name text not null, created_at text not null)")
    db.execute("create unique index tags_video_name on tags(video_id, name collate nocase)")
    db.execute("create index tags_name on tags(name collate nocase)")


def tag_name(text: str) -> str:
    """A tag as the library keeps it: spaces joined, no control characters, at most TAG_CHARS characters.
    ValueError, in one sentence, when nothing is left."""
    clean = "".join(ch for ch in str(text or "") if unicodedata.category(ch)[0] != "C")
    clean = _SPACE.sub(" ", clean).strip().strip(",")
    if not any(ch.isalnum() for ch in clean):
        raise ValueError("A tag needs a letter or a digit.")
    if len(clean) > TAG_CHARS:
        raise ValueError(f"A tag is at most {TAG_CHARS} characters; {clean[:20]}… is {len(clean)}.")
    return clean


class LibraryQueries:
    """Mixed into Store: library threads and tags."""

    # -- tags -----------------------------------------------------------------------------------------
    def add_tags(self, video_id: int, names: list[str]) -> list[str]:
        """Put these tags on a video (those it has already are left as they are); returns those added."""
        clean = list(dict.fromkeys(tag_name(n) for n in names))
        added = []
        with self.writing():
            if self.db.execute("select 1 from videos where id = ?", [video_id]).fetchone() is None:
                raise ValueError(f"There is no video {video_id} in the library.")
            have = {r[0].casefold() for r in self.db.execute("select name from tags where video_id = ?", [video_id])}
            for name in clean:
                if name.casefold() in have:
                    continue
                if len(have) >= MAX_TAGS:
                    raise ValueError(f"A video has at most {MAX_TAGS} tags; take one off first.")
                self.db.execute("insert into tags (video_id, name, created_at) values (?, ?, ?)", [video_id, name, now()])
                have.add(name.casefold())
                added.append(name)
        return added

    def remove_tags(self, video_id: int, names: list[str]) -> list[str]:
        """Take these tags off a video; returns those it had."""
        removed = []
        with self.writing():
            for name in dict.fromkeys(tag_name(n) for n in names):
                cur = self.db.execute("delete from tags where video_id = ? and name = ? collate nocase", [video_id, name])
                if cur.rowcount:
                    removed.append(name)
        return removed

    def tags(self, video_id: int) -> list[str]:
        return [r[0] for r in self.db.execute("select name from tags where video_id = ? order by name collate nocase", [video_id])]

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag in the library with how many videos have it, by name."""
        return self.db.execute("select min(name), count(*) from tags group by name collate nocase"
                               " order by name collate nocase").fetchall()

    def tagged(self, name: str) -> list[int]:
        """The ids of the videos with this tag (any case)."""
        return [r[0] for r in self.db.execute("select video_id from tags where name = ? collate nocase order by video_id", [name])]

    def tags_by_video(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for video_id, name in self.db.execute("select video_id, name from tags order by name collate nocase"):
            out.setdefault(video_id, []).append(name)
        return out

    def channel_videos(self, channel: str) -> list[int]:
        return [r[0] for r in self.db.execute("select id from videos where channel = ? collate nocase order by id", [channel])]

    # -- library threads --------------------------------------------------------------------------------
    def start_library_answer(self, thread_id: int | None, question: str, prompt: str, scope: str, sources: list[dict],
                             model: str) -> int:
        """Record a question to the library before any token arrives (a follow-up joins its thread, checked in
        the same transaction: ValueError when another Reader deleted it meanwhile)."""
        with self.writing():
            uid = new_uid()
            thread_uid = uid
            if thread_id is not None:
                row = self.db.execute("select thread_uid from library_answers where thread_id = ? limit 1", [thread_id]).fetchone()
                if row is None:
                    raise ValueError("The conversation this question follows was deleted (in another window, perhaps), so it was not asked.")
                thread_uid = row[0]
            cur = self.db.execute(
                "insert into library_answers (uid, thread_id, thread_uid, question, prompt, scope, sources, model, status,"
                " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'streaming', ?, ?)",
                [uid, thread_id, thread_uid, question, prompt, scope, json.dumps(sources), model, now(), now()])
            answer_id = cur.lastrowid
            if thread_id is None:
                self.db.execute("update library_answers set thread_id = ? where id = ?", [answer_id, answer_id])
        return answer_id

    def save_library_answer(self, answer_id: int, text: str, citations: list[dict], status: str, error: str = "",
                            usage: dict | None = None) -> None:
        """Write a streaming library answer as it stands (one plain UPDATE, as save_answer)."""
        from reader.base.redaction import redact
        values = {"answer": text, "citations": json.dumps(citations), "status": status, "error": redact(error), "updated_at": now()}
        values.update({k: v for k, v in (usage or {}).items() if v is not None and k in _USAGE})
        with self.writing():
            self.db.execute(f"update library_answers set {', '.join(f'{k} = ?' for k in values)} where id = ?",
                            [*values.values(), answer_id])

    def library_answer(self, answer_id: int) -> dict | None:
        rows = [_decoded(r) for r in self.db.query("select * from library_answers where id = ?", [answer_id])]
        return rows[0] if rows else None

    def library_thread(self, thread_id: int) -> list[dict]:
        """A library thread's answers, oldest first."""
        return [_decoded(r) for r in self.db.query("select * from library_answers where thread_id = ? order by id", [thread_id])]

    def library_threads(self, query: str = "", limit: int = 200) -> list[dict]:
        """The library's threads, newest first: each its first question, when it was asked, how many turns it
        has; with `query`, only the threads whose questions or answers hold it (see store_passages.match_query)."""
        from reader.library.db.passages import match_query

        sql = ("select t.thread_id, f.question, f.created_at, max(t.updated_at) as updated_at, count(*) as turns"
               " from library_answers t join library_answers f on f.id = t.thread_id")
        args: list = []
        match = match_query(query) if query.strip() else ""
        if query.strip() and not match:
            return []
        if match:
            sql += (" where t.thread_id in (select a.thread_id from library_answers_fts join library_answers a"
                    " on a.id = library_answers_fts.rowid where library_answers_fts match ?)")
            args.append(match)
        return list(self.db.query(sql + " group by t.thread_id order by t.thread_id desc limit ?", [*args, int(limit)]))

    # -- what a backup's restore asks (inside its transaction) ---------------------------------------------
    def video_keys(self) -> dict[tuple[str, str], int]:
        """Every video's (site, site id) -> its id here."""
        return {(r[1], r[2]): r[0] for r in self.db.execute("select id, site, site_id from videos")}

    def library_answer_uids(self) -> set[str]:
        return {r[0] for r in self.db.execute("select uid from library_answers")}

    def library_thread_of(self, thread_uid: str) -> int | None:
        row = self.db.execute("select thread_id from library_answers where thread_uid = ? limit 1", [thread_uid]).fetchone()
        return row[0] if row else None

    def insert_library_answer(self, values: dict) -> int:
        """Insert a restored library answer (its columns in `values`, thread_id None for a thread's first);
        returns its thread's id."""
        with self.writing():
            cur = self.db.execute(f"insert into library_answers ({', '.join(values)}) values ({', '.join('?' * len(values))})",
                                  list(values.values()))
            if values.get("thread_id") is None:
                self.db.execute("update library_answers set thread_id = ? where id = ?", [cur.lastrowid, cur.lastrowid])
                return cur.lastrowid
        return values["thread_id"]

    def delete_library_thread(self, thread_id: int) -> int:
        with self.writing():
            return self.db.execute("delete from library_answers where thread_id = ?", [thread_id]).rowcount


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _decoded(row: dict) -> dict:
    for key in ("sources", "citations"):
        try:
            row[key] = json.loads(row[key] or "[]")
        except ValueError:
            row[key] = []
    return row
