"""What asking the library sends: a question's words, the scope searched, and the passages and notes found, best first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.library.db.passages import _QUOTED, _WORD, MAX_QUERY_WORDS
from reader.library.passages import PER_VIDEO

if TYPE_CHECKING:
    from reader.library.db.store import Store

PASSAGES = 12  # passages sent with a question (each about 200 words)
NOTES = 4  # the user's own notes sent beside them
MAX_PASSAGES = 100
FUSION_K = 10  # reciprocal rank fusion of a passage's rank and its video's: 1/(K + rank) each

# Words a question is made of that say nothing of its subject: a passage is not found for holding them.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any anyone anything are aren't as at be because been before
being below between both but by can can't could couldn't did didn't do does doesn't doing don't down during each
else ever every few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's her
here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its
itself just let's like me mention mentioned more most much mustn't my myself no nor not of off on once one only or
other others ought our ours ourselves out over own part really said same say says shan't she she'd she'll she's
should shouldn't so some someone something such talk talked talks tell than that that's the their theirs them
themselves then there there's these they they'd they'll they're they've thing things think this those through to
too under until up us very video videos want was wasn't way we we'd we'll we're we've were weren't what what's when
when's where where's whether which while who who's whom why why's will with won't would wouldn't you you'd you'll
you're you've your yours yourself yourselves explain explained explains describe described anybody somebody
""".split())


@dataclass(frozen=True)
class Scope:
    """The part of the library a question searches: all of it, a channel, chosen videos, or a tag."""

    kind: str = "all"  # all, channel, videos, tag
    value: str = ""  # the channel, the tag, or the videos' ids joined by commas

    @staticmethod
    def parse(text: str) -> Scope:
        """A stored scope ("", "channel:NAME", "tag:NAME", "videos:1,2") back as a Scope."""
        kind, _, value = (text or "").partition(":")
        return Scope(kind, value) if kind in ("channel", "tag", "videos") and value else Scope()

    @staticmethod
    def of_videos(ids) -> Scope:
        return Scope("videos", ",".join(str(int(v)) for v in sorted(set(ids))))

    def text(self) -> str:
        return "" if self.kind == "all" else f"{self.kind}:{self.value}"

    def video_ids(self, store: Store) -> list[int] | None:
        """The ids of the videos searched (None: the whole library)."""
        if self.kind == "channel":
            return store.channel_videos(self.value)
        if self.kind == "tag":
            return store.tagged(self.value)
        if self.kind == "videos":
            ids = {int(v) for v in self.value.split(",") if v.strip().isdigit()}
            return sorted(v for v in ids if store.video(v) is not None)
        return None

    def words(self) -> str:
        """The scope as the prompt and the page say it: '' for the whole library."""
        if self.kind == "channel":
            return f" (the videos of the channel “{self.value}”)"
        if self.kind == "tag":
            return f" (the videos tagged “{self.value}”)"
        if self.kind == "videos":
            n = len(self.value.split(","))
            return f" (the {n} video{'s' if n != 1 else ''} I chose)"
        return ""


@dataclass(frozen=True)
class Found:
    """A passage of a video, or a note of the user's, as it is sent: `lines` (start_ms, end_ms, text), each a
    citable block, so that a citation is a moment."""

    kind: str  # "transcript" or "note"
    video_id: int
    title: str
    start_ms: int
    end_ms: int
    lines: tuple[tuple[int, int, str], ...]
    score: float

    @property
    def text(self) -> str:
        return " ".join(t for _s, _e, t in self.lines)

    def to_json(self) -> dict:
        """As `reader ask --library --passages --json` prints it."""
        return {"video_id": self.video_id, "title": self.title, "start_ms": self.start_ms, "end_ms": self.end_ms,
                "text": self.text, "score": round(self.score, 4), "kind": self.kind}

    def stored(self) -> dict:
        """As the answer keeps what was sent with it."""
        return {"kind": self.kind, "video_id": self.video_id, "title": self.title, "start_ms": self.start_ms,
                "end_ms": self.end_ms, "lines": [list(line) for line in self.lines], "score": round(self.score, 4)}

    @staticmethod
    def from_stored(row: dict) -> Found | None:
        """What an answer kept, back as a Found; None when it is not one (a damaged row is skipped, never sent)."""
        try:
            lines = tuple((int(s), int(e), str(t)) for s, e, t in row["lines"])
            return Found(str(row.get("kind") or "transcript"), int(row["video_id"]), str(row.get("title") or ""),
                         int(row["start_ms"]), int(row["end_ms"]), lines, float(row.get("score") or 0))
        except (KeyError, TypeError, ValueError):
            return None


def question_terms(question: str) -> list[str]:
    """The words of a question that say what it is about, as FTS5 terms: phrases in double quotes kept
    whole, words that every question holds ("what", "did", "anyone") left out, each word once."""
    text = (question or "")[:2000]
    if text.count('"') % 2:
        text = text.replace('"', " ")
    terms: list[str] = []
    pos = 0
    pieces: list[tuple[str, list[str]]] = []
    for m in _QUOTED.finditer(text):
        pieces += [("word", [w]) for w in _WORD.findall(text[pos:m.start()])]
        pieces.append(("phrase", _WORD.findall(m.group(1))))
        pos = m.end()
    pieces += [("word", [w]) for w in _WORD.findall(text[pos:])]
    for kind, words in pieces:
        if kind == "word" and (words[0].casefold() in STOP_WORDS or len(words[0]) < 2):
            continue
        if words:
            term = '"' + " ".join(words) + '"'
            if term.casefold() not in (t.casefold() for t in terms):
                terms.append(term)
    return terms[:MAX_QUERY_WORDS]


def focus_line(found: Found, question: str) -> int:
    """The index of the passage's line that holds the most of the question's words (by their first five
    letters, as a stem would), the first among equals: where its excerpt starts and where it plays from."""
    stems = {w.casefold()[:5] for t in question_terms(question) for w in _WORD.findall(t)}
    best, index = 0, 0
    for i, (_s, _e, text) in enumerate(found.lines):
        words = {w.casefold()[:5] for w in _WORD.findall(text)}
        hits = len(stems & words)
        if hits > best:
            best, index = hits, i
    return index


def find(store: Store, question: str, scope: Scope = Scope(), limit: int = PASSAGES, notes: int = NOTES) -> list[Found]:
    """The passages of the scope's transcripts that bear on the question, best first (at most `limit`, at
    most PER_VIDEO from one video), then the user's notes that do (at most `notes`). A passage holds some
    of the question's words, ranked by bm25 over them all, so one that holds more, and rarer, comes first.
    [] when nothing bears on it, or the scope holds no video."""
    terms = question_terms(question)
    if not terms:
        return []
    match = " OR ".join(terms)
    ids = scope.video_ids(store)
    if ids is not None and not ids:
        return []
    limit = max(0, min(int(limit), MAX_PASSAGES))
    # the videos whose whole transcripts bear on it most, then each one's best passages (read through its own
    # rows, so the cost grows with the videos that match, not with every line); a passage's place is its
    # rank among them fused with its video's (reciprocal ranks), so a talk about the subject outranks a
    # passage that happens to hold its words in a talk about something else
    candidates: list[tuple[tuple, int]] = []
    for video_rank, (video_id, _score) in enumerate(store.rank_videos(match, max(limit, 8), ids)):
        candidates += [(r, video_rank) for r in store.video_passages_ranked(match, PER_VIDEO, video_id)]
    candidates.sort(key=lambda c: (c[0][5], c[0][0], c[0][1]))  # by the passage's own score
    fused = sorted(((1 / (FUSION_K + p) + 1 / (FUSION_K + v), r) for p, (r, v) in enumerate(candidates)),
                   key=lambda f: (-f[0], f[1][0], f[1][1]))
    rows = [r for _f, r in fused[:limit]]
    titles = store.titles(sorted({r[0] for r in rows}))
    found = [Found("transcript", video_id, titles.get(video_id, ""), start, end,
                   tuple(store.lines_between(video_id, first, last)), -score)
             for video_id, start, end, first, last, score in rows]
    if notes > 0:
        hits = store.highlight_hits(match, notes, ids)
        titles = store.titles(sorted({h["video_id"] for h in hits}))
        for h in hits[:notes]:
            said = (h["text"] or "").strip()
            note = (h["detail"] or "").strip()
            text = f"I highlighted: “{said}”" + (f" and noted: {note}" if note else "")
            start = int(h["start_ms"] or 0)
            found.append(Found("note", h["video_id"], titles.get(h["video_id"], ""), start, start, ((start, start, text),),
                               -h["score"]))
    return found
