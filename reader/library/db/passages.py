"""The library's SQL for ranked search: passages (runs of lines), their index, and one document per video.

A passage is a run of a video's lines about PASSAGE_WORDS words long, with its first and last line and
its start and end moments. Two FTS5 indexes rank them: `passages_fts` (one row per passage, its text in
`passages`) and `video_words_fts` (one row per video, rowid the video's id: all its passages, contentless,
so that ranking the videos of a large library reads one row per video, never every matching line). The
Store keeps both in step inside the transaction that sets, replaces or removes a transcript. Part of the
Store, kept apart for size; `self.db` and `self.writing()` are the Store's.
"""

from __future__ import annotations

import re
import unicodedata

PASSAGE_WORDS = 200  # a passage closes at the line that brings it to this many words
TOKENIZE = "porter unicode61 remove_diacritics 2"
_WORD = re.compile(r"\w[\w'’]*", re.UNICODE)  # a word for FTS5: letters and digits (a '-' splits, as unicode61 does)
_QUOTED = re.compile(r'"([^"]*)"')
MAX_QUERY_WORDS = 16  # beyond this a query is cut: a pasted page is not a search
EXPANSION = 12  # a prefix stands for at most this many whole words inside one video
STEM_CUT = 4  # a prefix longer than every stem it could be is cut by at most this many letters


def create_passage_tables(db) -> None:
    """The passages table and both indexes (migration m011), empty."""
    db.execute("create table passages (id integer primary key, video_id integer not null references videos(id),"
               " seq integer not null, start_ms integer not null, end_ms integer not null,"
               " first_cue integer not null, last_cue integer not null, text text not null)")
    db.execute("create index passages_video on passages(video_id, seq)")
    db.execute(f"create virtual table passages_fts using fts5(text, content='passages', content_rowid='id', tokenize='{TOKENIZE}')")
    db.execute(f"create virtual table video_words_fts using fts5(text, content='', tokenize='{TOKENIZE}')")
    db.execute("create virtual table video_words_vocab using fts5vocab(video_words_fts, row)")  # for prefixes


def group_lines(lines: list[tuple]) -> list[tuple]:
    """Lines (cue id, start_ms, end_ms, text) in time order -> passages (start_ms, end_ms, first id, last id,
    text): each closes at the line that brings it to PASSAGE_WORDS words, the last takes what is left."""
    out, run, words = [], [], 0
    for line in lines:
        run.append(line)
        words += len(line[3].split())
        if words >= PASSAGE_WORDS:
            out.append(_passage(run))
            run, words = [], 0
    if run:
        out.append(_passage(run))
    return out


def _passage(run: list[tuple]) -> tuple:
    return (run[0][1], max(r[2] for r in run), run[0][0], run[-1][0], " ".join(r[3] for r in run if r[3]))


def query_terms(text: str) -> tuple[list[str], str]:
    """What the user typed -> (FTS5 terms that must all match, the last word when it may be the start of
    a word, else ''). Words in double quotes are a phrase; every other word must appear (any of its
    forms, through the porter stemmer); the last word, when the text does not end with a space or a
    closing quote, may be the start of a word (search as you type). Nothing the user types is FTS5
    syntax: NEAR, AND, OR, NOT, '-', '*', '^', 'column:' and unbalanced quotes are searched as the
    words they hold. The prefix word is also the last term, as a whole word."""
    text = (text or "")[:2000]
    parts: list[tuple[str, list[str]]] = []  # ("word", [w]) or ("phrase", [w, ...])
    if text.count('"') % 2:  # an unbalanced quote is not a phrase: every quote is dropped
        text = text.replace('"', " ")
    pos = 0
    for m in _QUOTED.finditer(text):
        parts += [("word", [w]) for w in _WORD.findall(text[pos:m.start()])]
        words = _WORD.findall(m.group(1))
        if words:
            parts.append(("phrase", words))
        pos = m.end()
    parts += [("word", [w]) for w in _WORD.findall(text[pos:])]
    parts = parts[:MAX_QUERY_WORDS]
    terms = ['"' + " ".join(ws) + '"' for _kind, ws in parts]
    typing = bool(parts) and parts[-1][0] == "word" and text.rstrip() == text and text[-1:].isalnum()
    return terms, parts[-1][1][0] if typing else ""


def match_query(text: str) -> str:
    """What the user typed as one safe FTS5 query (see query_terms): the last word a prefix while typing."""
    terms, prefix = query_terms(text)
    if prefix:
        terms[-1] += "*"
    return " ".join(terms)


def vocabulary_key(word: str) -> str:
    """A word as the index keeps it before stemming: folded case, no diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class PassageQueries:
    """Mixed into Store: the passages index kept in step, and the ranked queries over it."""

    def _unindex_passages(self, video_id: int) -> None:
        """Take a video's passages out of both indexes and the table (inside the caller's transaction)."""
        rows = self.db.execute("select id, text from passages where video_id = ? order by seq", [video_id]).fetchall()
        if not rows:
            return
        self.db.conn.executemany("insert into passages_fts(passages_fts, rowid, text) values ('delete', ?, ?)", rows)
        # a contentless index forgets a row only when given the very text it was given: the same join
        self.db.execute("insert into video_words_fts(video_words_fts, rowid, text) values ('delete', ?, ?)",
                        [video_id, "\n".join(r[1] for r in rows)])
        self.db.execute("delete from passages where video_id = ?", [video_id])

    def _index_passages(self, video_id: int) -> int:
        """Make a video's passages from its lines as they now stand (inside the caller's transaction);
        returns how many."""
        self._unindex_passages(video_id)
        lines = [(r[0], r[1] or 0, r[2] or 0, r[3] if isinstance(r[3], str) else str(r[3] or "")) for r in self.db.execute(
            "select id, start_ms, end_ms, text from cues where video_id = ? order by seq", [video_id])]
        groups = group_lines(lines)
        if not groups:
            return 0
        cur = self.db.conn.cursor()
        for seq, (start, end, first, last, text) in enumerate(groups):
            cur.execute("insert into passages (video_id, seq, start_ms, end_ms, first_cue, last_cue, text)"
                        " values (?, ?, ?, ?, ?, ?, ?)", [video_id, seq, start, end, first, last, text])
            cur.execute("insert into passages_fts(rowid, text) values (?, ?)", [cur.lastrowid, text])
        cur.execute("insert into video_words_fts(rowid, text) values (?, ?)", [video_id, "\n".join(g[4] for g in groups)])
        return len(groups)

    # -- ranked queries (the query is match_query's) ----------------------------------------------------
    def rank_videos(self, match: str, limit: int, scope: list[int] | None = None) -> list[tuple[int, float]]:
        """(video id, score) of the videos whose transcripts hold the query, best first (score: bm25, lower is better)."""
        sql, args = "select rowid, bm25(video_words_fts) from video_words_fts where video_words_fts match ?", [match]
        if scope is not None:
            sql += f" and rowid in ({','.join('?' * len(scope))})"
            args += list(scope)
        return self.db.execute(sql + " order by rank limit ?", [*args, int(limit)]).fetchall()

    def count_videos(self, match: str) -> int:
        return self.db.execute("select count(*) from video_words_fts where video_words_fts match ?", [match]).fetchone()[0]

    def video_span(self, video_id: int, table: str = "passages") -> tuple[int, int] | None:
        """The lowest and highest row id of a video's passages (or cues): an FTS5 rowid range reads only them."""
        table = "cues" if table == "cues" else "passages"
        row = self.db.execute(f"select min(id), max(id) from {table} where video_id = ?", [video_id]).fetchone()
        return (row[0], row[1]) if row and row[0] is not None else None

    def expand_prefix(self, word: str, limit: int = EXPANSION) -> list[str]:
        """The indexed words (stems) that start with `word`, the most widespread first, at most `limit`:
        a prefix as a few whole words, which FTS5 looks up within a rowid range, where a prefix query
        reads every match in the library. The index keeps stems ('learn' for 'learning'), so a word typed
        past its stem ('learni') finds none: it is then cut a letter at a time (STEM_CUT at most, never
        under three letters) until some stem starts with what is left."""
        key = vocabulary_key(word)
        for cut in range(STEM_CUT + 1):
            part = key[:len(key) - cut]
            if len(part) < 3 and cut:
                break
            found = [r[0] for r in self.db.execute(
                "select term from video_words_vocab where term >= ? and term < ? order by doc desc limit ?",
                [part, part + "\U0010ffff", int(limit)])] if part else []
            if found:
                return found
        return []

    def best_passages(self, match: str, limit: int, video_id: int | None = None,
                      scope: list[int] | None = None) -> list[dict]:
        """Passages that hold the query, best first: in one video (read through its rowid range, ranked
        here: FTS5's own ranking would read every match in the library), or across the library (within
        a scope of videos); each with its video's title and its score (bm25, lower is better)."""
        sql = ("select p.id, p.video_id, v.title, p.start_ms, p.end_ms, p.first_cue, p.last_cue, p.text,"
               " bm25(passages_fts) as score from passages_fts cross join passages p on p.id = passages_fts.rowid"
               " cross join videos v on v.id = p.video_id where passages_fts match ?")
        args: list = [match]
        if video_id is not None:
            span = self.video_span(video_id)
            if span is None:
                return []
            rows = list(self.db.query(sql + " and passages_fts.rowid between ? and ? and p.video_id = ?",
                                      [match, span[0], span[1], video_id]))
            return sorted(rows, key=lambda r: (r["score"], r["start_ms"]))[:limit]
        if scope is not None:
            sql += f" and p.video_id in ({','.join('?' * len(scope))})"
            args += list(scope)
        return list(self.db.query(sql + " order by passages_fts.rank limit ?", [*args, int(limit)]))

    def matching_lines(self, match: str, video_id: int, first_cue: int | None = None, last_cue: int | None = None) -> list[int]:
        """The cue ids of a video's lines that hold the query (from cue id first_cue to last_cue, or all), in
        time order: read through the video's rowid range, no ranking function (bm25 counts every match in
        the library each time it is asked)."""
        if first_cue is None or last_cue is None:
            span = self.video_span(video_id, "cues")
            if span is None:
                return []
            first_cue, last_cue = span
        return [r[0] for r in self.db.execute(
            "select c.id from cues_fts cross join cues c on c.id = cues_fts.rowid where cues_fts match ?"
            " and cues_fts.rowid between ? and ? and c.video_id = ? order by c.seq", [match, first_cue, last_cue, video_id])]

    def video_passages_ranked(self, match: str, limit: int, video_id: int) -> list[tuple]:
        """(video id, start_ms, end_ms, first cue, last cue, score) of one video's best passages for the query,
        best first (bm25, lower is better), read through its rowid range only and without their text."""
        span = self.video_span(video_id)
        if span is None:
            return []
        return self.db.execute(
            "select p.video_id, p.start_ms, p.end_ms, p.first_cue, p.last_cue, bm25(passages_fts) as score from passages_fts"
            " cross join passages p on p.id = passages_fts.rowid where passages_fts match ? and passages_fts.rowid between ? and ?"
            " and p.video_id = ? order by score, p.start_ms limit ?", [match, span[0], span[1], video_id, int(limit)]).fetchall()

    def lines_between(self, video_id: int, first_cue: int, last_cue: int) -> list[tuple[int, int, str]]:
        """(start_ms, end_ms, text) of a video's lines from cue id first_cue to last_cue, in time order."""
        return [(r[0] or 0, r[1] or 0, " ".join(str(r[2] or "").split())) for r in self.db.execute(
            "select start_ms, end_ms, text from cues where video_id = ? and id between ? and ? order by seq",
            [video_id, first_cue, last_cue])]

    def passage_starts(self, video_id: int) -> list[int]:
        """The first cue id of each of a video's passages, in time order."""
        return [r[0] for r in self.db.execute("select first_cue from passages where video_id = ? order by seq", [video_id])]

    def first_passage(self, match: str, video_id: int) -> tuple[int, int] | None:
        """(first cue id, last cue id) of the earliest of a video's passages that holds the query."""
        span = self.video_span(video_id)
        if span is None:
            return None
        return self.db.execute(
            "select p.first_cue, p.last_cue from passages_fts cross join passages p on p.id = passages_fts.rowid"
            " where passages_fts match ? and passages_fts.rowid between ? and ? and p.video_id = ? order by p.seq limit 1",
            [match, span[0], span[1], video_id]).fetchone()

    def marked_lines(self, match: str, cue_ids: list[int]) -> list[tuple]:
        """(start_ms, end_ms, text, snippet) of these lines, in time order: the snippet has the query's matches
        between \\x02 and \\x03 (read within the ids' rowid range, as FTS5 reads a range and not a list)."""
        if not cue_ids:
            return []
        return self.db.execute(
            "select c.start_ms, c.end_ms, c.text, snippet(cues_fts, 0, char(2), char(3), '…', 24) from cues_fts"
            " cross join cues c on c.id = cues_fts.rowid where cues_fts match ? and cues_fts.rowid between ? and ?"
            f" and c.id in ({','.join('?' * len(cue_ids))}) order by c.seq", [match, min(cue_ids), max(cue_ids), *cue_ids]).fetchall()

    def highlight_hits(self, match: str, limit: int, videos: list[int] | None = None) -> list[dict]:
        """The highlights whose words or notes hold the query, best first (of the given videos, or all), at most `limit`."""
        only = f" and h.video_id in ({','.join('?' * len(videos))})" if videos is not None else ""
        return list(self.db.query(
            "select h.id, h.video_id, h.start_ms, h.text, h.note as detail, bm25(highlights_fts) as score"
            " from highlights_fts join highlights h on h.id = highlights_fts.rowid where highlights_fts match ?"
            + only + " order by highlights_fts.rank limit ?", [match, *(videos or []), int(limit)]))

    def note_hits(self, match: str, limit: int, videos: list[int] | None = None) -> list[dict]:
        """Highlights and their notes, answers and cards that hold the query, each with its video and
        moment: of the given videos (all of them, unranked), or of the library (best first within each
        kind, at most `limit` of each)."""
        only = f" and {{}}.video_id in ({','.join('?' * len(videos))})" if videos is not None else ""
        tail = "" if videos is not None else " order by {}.rank limit ?"
        extra = list(videos) if videos is not None else []
        limit_arg = [] if videos is not None else [int(limit)]
        out = list(self.db.query(
            "select 'highlight' as kind, h.id, h.video_id, h.start_ms, h.text, h.note as detail, bm25(highlights_fts) as score"
            " from highlights_fts join highlights h on h.id = highlights_fts.rowid where highlights_fts match ?"
            + only.format("h") + tail.format("highlights_fts"), [match, *extra, *limit_arg]))
        out += self.db.query(
            "select 'answer' as kind, a.id, a.video_id, coalesce(h.start_ms, 0) as start_ms, a.question as text,"
            " a.answer as detail, bm25(answers_fts) as score from answers_fts join answers a on a.id = answers_fts.rowid"
            " left join highlights h on h.id = a.highlight_id where answers_fts match ? and trim(coalesce(a.answer, '')) != ''"
            + only.format("a") + tail.format("answers_fts"), [match, *extra, *limit_arg])
        out += self.db.query(
            "select 'card' as kind, c.id, c.video_id, c.start_ms, c.question as text, c.answer as detail,"
            " bm25(cards_fts) as score from cards_fts join cards c on c.id = cards_fts.rowid where cards_fts match ?"
            + only.format("c") + tail.format("cards_fts"), [match, *extra, *limit_arg])
        return out

    def titles(self, video_ids: list[int]) -> dict[int, str]:
        if not video_ids:
            return {}
        return {r[0]: r[1] for r in self.db.execute(
            f"select id, title from videos where id in ({','.join('?' * len(video_ids))})", list(video_ids))}
