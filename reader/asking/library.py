"""Ask the whole library: the request of search results Claude cites, its citations as moments, and its stored threads.

Each turn of a thread carries the passages found for it as `search_result` content blocks (one per
passage, one text block per line, citations on), the first turn's marked for caching; a citation names
a search result and a run of its lines, which is mapped back to a video and a moment here. One that
points outside what was sent is dropped: an answer never links to a place it was not given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.asking import prompts
from reader.asking.llm import MAX_TOKENS, Answer, CitationEvent
from reader.base.citations import link_marks
from reader.base.settings import DEFAULT_MODEL
from reader.library.question_passages import Found, Scope, find
from reader.transcript.writers import short_clock

if TYPE_CHECKING:
    from reader.library.db.store import Store

TITLE_CHARS = 200  # of a video's title, in a search result's title
MAX_QUESTION = 10_000  # characters: a question, not a pasted page


class NothingFound(ValueError):
    """No passage of the scope bears on the question: Claude is not asked."""


@dataclass
class LibraryTurn:
    question: str  # as the user typed it (shown)
    prompt: str  # as it was sent
    sources: list[Found]  # the passages found for it, sent before the prompt
    answer: str = ""


@dataclass
class LibraryRequest:
    turns: list[LibraryTurn]
    model: str = DEFAULT_MODEL
    max_tokens: int = MAX_TOKENS
    _sent: list[Found] = field(default_factory=list, repr=False)

    def ensure_blocks(self) -> list:
        return []  # no document: the passages go as search results (see locate)

    def params(self) -> dict:
        """The Messages API request body (without stream)."""
        self._sent = []
        messages: list[dict] = []
        for n, turn in enumerate(self.turns):
            content: list[dict] = []
            for found in turn.sources:
                content.append(_search_result(found, len(self._sent)))
                self._sent.append(found)
            if n == 0 and content:
                content[-1]["cache_control"] = {"type": "ephemeral"}  # the stable part: every follow-up starts with it
            content.append({"type": "text", "text": turn.prompt})
            messages.append({"role": "user", "content": content})
            if turn.answer:
                messages.append({"role": "assistant", "content": [{"type": "text", "text": turn.answer}]})
        return {"model": self.model, "max_tokens": self.max_tokens, "system": prompts.template("library_system"),
                "messages": messages}

    def locate(self, citation) -> CitationEvent | None:
        """A citation of the answer as a video and a moment; None when it points at nothing that was sent."""
        if getattr(citation, "type", "") != "search_result_location":
            return None
        index = getattr(citation, "search_result_index", None)
        first = getattr(citation, "start_block_index", None)
        last = getattr(citation, "end_block_index", None)
        if not isinstance(index, int) or not isinstance(first, int) or not 0 <= index < len(self._sent):
            return None
        found = self._sent[index]
        if not 0 <= first < len(found.lines):
            return None
        last = min(max(first, (last if isinstance(last, int) else first + 1) - 1), len(found.lines) - 1)
        lines = found.lines[first:last + 1]
        return CitationEvent(lines[0][0], max(e for _s, e, _t in lines), getattr(citation, "cited_text", "") or "",
                             video_id=found.video_id, title=found.title)


def _search_result(found: Found, n: int) -> dict:
    title = (found.title or "Untitled")[:TITLE_CHARS]
    if found.kind == "note":
        label = f"My note on “{title}” at {short_clock(found.start_ms)}"
    else:
        label = f"“{title}”, {short_clock(found.start_ms)}–{short_clock(found.end_ms)}"
    return {"type": "search_result", "source": f"reader://video/{found.video_id}?t={found.start_ms // 1000}",
            "title": label, "citations": {"enabled": True},
            "content": [{"type": "text", "text": f"[{short_clock(s)}] {t}" if found.kind != "note" else t}
                        for s, _e, t in found.lines]}


def begin(store: Store, question: str, scope: Scope = Scope(), thread_id: int | None = None,
          model: str = DEFAULT_MODEL, found: list[Found] | None = None) -> tuple[int, LibraryRequest]:
    """Record a question to the library (before any token arrives) and build the request that asks it.

    The passages that bear on it are found in the scope (or given: `found`). A new question with none
    raises NothingFound, and nothing is stored or sent; a follow-up with none is asked of what its thread
    was already given."""
    question = " ".join((question or "").split())
    if not question:
        raise ValueError("Write a question to ask the library.")
    if len(question) > MAX_QUESTION:
        raise ValueError(f"A question to the library is at most {MAX_QUESTION:,} characters; this one is {len(question):,}.")
    if thread_id is not None:
        earlier = store.library_thread(thread_id)
        if not earlier:
            raise ValueError("The conversation this question follows was deleted (in another window, perhaps), so it was not asked.")
        scope = Scope.parse(earlier[0]["scope"])
    else:
        earlier = []
    if found is None:
        found = find(store, question, scope)
    sent = {(f.video_id, f.start_ms, f.kind) for row in earlier for f in _sources(row)}
    found = [f for f in found if (f.video_id, f.start_ms, f.kind) not in sent]
    if not found and not earlier:
        raise NothingFound(f"Nothing in {'the library' if scope.kind == 'all' else 'the videos searched'} speaks of "
                           f"“{question[:80]}”, so Claude was not asked. Try other words, or a wider scope.")
    prompt = question if earlier else prompts.fill("library", question=question, scope=scope.words())
    answer_id = store.start_library_answer(thread_id, question, prompt, scope.text(), [f.stored() for f in found], model)
    turns = [LibraryTurn(r["question"], r["prompt"], _sources(r), Answer(r["answer"]).plain_text() or "(no answer)")
             for r in earlier]
    turns.append(LibraryTurn(question, prompt, found))
    return answer_id, LibraryRequest(turns, model)


def again(store: Store, answer_id: int, model: str | None = None) -> tuple[int, LibraryRequest]:
    """Ask a stored library question again, in its place (Regenerate, Retry): the same passages after the
    same earlier turns; what it held is cleared as the new answer starts."""
    row = store.library_answer(answer_id)
    if row is None:
        raise ValueError(f"There is no library answer {answer_id} to ask again.")
    turns = []
    for r in store.library_thread(row["thread_id"]):
        if r["id"] == answer_id:
            break
        turns.append(LibraryTurn(r["question"], r["prompt"], _sources(r), Answer(r["answer"]).plain_text() or "(no answer)"))
    turns.append(LibraryTurn(row["question"], row["prompt"], _sources(row)))
    store.save_library_answer(answer_id, "", [], "streaming")
    return answer_id, LibraryRequest(turns, model or row["model"] or DEFAULT_MODEL)


def record(store: Store, answer_id: int, answer: Answer) -> None:
    """Write what has arrived so far (called as it streams, and at the end)."""
    u = answer.usage
    store.save_library_answer(answer_id, answer.text, answer.citations, answer.status, answer.error, {
        "model": u.model or None, "input_tokens": u.input_tokens, "output_tokens": u.output_tokens,
        "cache_read_tokens": u.cache_read_tokens, "cache_creation_tokens": u.cache_creation_tokens,
    } if u.model or u.input_tokens else None)


def _sources(row: dict) -> list[Found]:
    return [f for f in (Found.from_stored(s) for s in row.get("sources") or [] if isinstance(s, dict)) if f is not None]


# -- citations as the reader sees them -------------------------------------------------------------------

def citation_label(citation: dict, present: set[int] | None = None) -> str:
    """A citation as the answer shows it: "[Talk title 12:34]"; a video no longer in the library (not in
    `present`) says so: "[Talk title 12:34, removed from the library]"."""
    title = " ".join(str(citation.get("title") or "Untitled").split())
    if len(title) > 48:
        title = title[:47] + "…"
    gone = present is not None and citation.get("video_id") not in present
    return f"[{title} {short_clock(int(citation.get('start_ms') or 0))}{', removed from the library' if gone else ''}]"


def linked_text(text: str, citations: list[dict], link, present: set[int] | None = None) -> str:
    """An answer's text with each citation mark as link(n, citation, label): a missing citation leaves
    nothing, a removed video's only its label (no link)."""
    def one(n: int) -> str:
        if not 1 <= n <= len(citations):
            return ""
        c = citations[n - 1]
        label = citation_label(c, present)
        if present is not None and c.get("video_id") not in present:
            return label
        return link(n, c, label)

    return link_marks(text, one)


def present_videos(store: Store, citations: list[dict]) -> set[int]:
    ids = sorted({int(c["video_id"]) for c in citations if isinstance(c.get("video_id"), int)})
    return set(store.titles(ids))
