"""Claude's recall questions for a video, a chapter or a stretch: asked for, read, checked against the transcript, kept as cards.

Claude is sent the same cached, citable transcript document as every other question (so the prompt
cache is shared) and asked for a JSON list. Nothing it says is trusted: the list is decoded with
bounds on every field, each question's stretch must be in the transcript and in the part asked
about, and at least one of its quotes must really be there (a fuzzy match with rapidfuzz). What
fails is dropped with a sentence saying why; what passes is shown, and what is kept is stored as is.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated

import msgspec
from rapidfuzz import fuzz

from reader.asking import prompts
from reader.asking.llm import Answer, AskRequest, Block, DoneEvent, ErrorEvent, TextEvent, Turn, UsageEvent, stream_answer
from reader.base.redaction import redact
from reader.base.settings import DEFAULT_MODEL
from reader.cards.making import CardProblem, check_moments, make_card
from reader.library.db.allowed_values import CARD_STATUSES
from reader.library.db.store import Store
from reader.transcript.model import Cue
from reader.transcript.writers import short_clock

MAX_COUNT = 20  # questions in one request
MAX_QUESTION = 500  # characters (a card holds more; a recall question is a sentence or two)
MAX_ANSWER = 2_000
MAX_QUOTE = 600  # a quote is a sentence or two of the transcript
MAX_QUOTES = 3
MIN_QUOTE_WORDS = 4  # shorter quotes ("the idea") occur almost anywhere, so they prove nothing
MATCH = 90  # rapidfuzz partial_ratio, 0-100, of a quote against its stretch
SAME_QUESTION = 90  # two questions ask the same thing: this alike in their words (token_sort_ratio), or this alike
# in the words they share (token_set_ratio) when their stretches overlap
MAX_REPLY_CHARS = 200_000  # far more than MAX_COUNT questions need
MAX_REPLY_ITEMS = 100


class SuggestionProblem(Exception):
    """Why no suggestions came back (a failed request, or a reply that cannot be used), as a sentence."""


@dataclass(frozen=True)
class Suggestion:
    question: str
    answer: str
    start_ms: int
    end_ms: int
    evidence: tuple[str, ...]  # the quotes found in the stretch (those that were not are left out)


@dataclass(frozen=True)
class Suggestions:
    kept: list[Suggestion]
    dropped: list[str]  # one sentence per dropped suggestion, saying why
    usage: UsageEvent | None = None  # what the request used (tokens in, from cache, out)


@dataclass
class Plan:
    """A request for suggestions, made from the library (on the thread that owns the Store) before it is sent."""

    request: AskRequest
    cues: list[Cue]
    start_ms: int  # the part asked about
    end_ms: int
    count: int
    existing: list[tuple[str, int, int]]  # the video's cards already there (question, start, end), so none is suggested twice


class _Raw(msgspec.Struct):
    """One suggestion as the reply must spell it; unknown fields are ignored, wrong types are not."""

    question: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_QUESTION)]
    answer: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ANSWER)]
    start: Annotated[str, msgspec.Meta(max_length=16)]
    end: Annotated[str, msgspec.Meta(max_length=16)]
    evidence: Annotated[list[Annotated[str, msgspec.Meta(max_length=MAX_QUOTE)]],
                        msgspec.Meta(min_length=1, max_length=MAX_QUOTES)]


# -- the request ---------------------------------------------------------------------------------

def plan(store: Store, video_id: int, start_ms: int | None = None, end_ms: int | None = None, count: int = 5,
         model: str = DEFAULT_MODEL) -> Plan:
    """Check what is asked for and build the request; SuggestionProblem says what is wrong, before anything is sent."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise SuggestionProblem(f"Ask for 1 to {MAX_COUNT} questions at a time, not {str(count)[:20]}.")
    video = store.video(video_id)
    if video is None:
        raise SuggestionProblem(f"There is no video with id {video_id} in the library.")
    transcript = store.transcript(video_id)
    cues = transcript.cues
    last = max((c.end_ms for c in cues if c.text.strip()), default=0)
    if not last:
        raise SuggestionProblem("This video has no transcript, so there is nothing to ask about.")
    whole = start_ms is None and end_ms is None
    start = 0 if start_ms is None else start_ms
    end = last if end_ms is None else end_ms
    length = max(last, int(video["duration_ms"] or 0))
    past = start if start >= length else end_ms if end_ms is not None and end_ms > length + 1000 else None
    if past is not None:
        raise SuggestionProblem(f"{short_clock(past)} is past the end of the video, which is {short_clock(length)} long.")
    try:
        check_moments(store, video_id, start, end)
    except CardProblem as exc:
        raise SuggestionProblem(str(exc)) from None
    end = min(end, last)
    request = AskRequest(video["title"], video["description"] or "", None, [], model,
                         min(8192, 1024 + 400 * count), transcript)
    blocks = request.ensure_blocks()
    inside = [b for b in blocks if b.start_ms < end and b.end_ms > start] or blocks[-1:]
    prompt = prompts.fill("cards", title=video["title"], count=str(count), scope=_scope(transcript.chapters, start, end, last, whole),
                          first=short_clock(inside[0].start_ms), last=short_clock(inside[-1].start_ms))
    request.turns = [Turn(f"{count} recall questions", prompt)]
    existing = [(c["question"], c["start_ms"], c["end_ms"]) for c in store.cards(video_id)]
    return Plan(request, cues, start, end, count, existing)


def _scope(chapters, start: int, end: int, last: int, whole: bool) -> str:
    """The part asked about, in words: the whole video, a chapter by its title, or a stretch."""
    if whole or (start == 0 and end >= last):
        return "the whole video"
    chapters = sorted(chapters, key=lambda c: c.start_ms)
    for n, ch in enumerate(chapters):
        ch_end = chapters[n + 1].start_ms if n + 1 < len(chapters) else last
        if abs(ch.start_ms - start) <= 1000 and abs(ch_end - end) <= 1000 and ch.title.strip():
            return f"the chapter “{' '.join(ch.title.split())[:200]}” ({short_clock(start)} to {short_clock(end)})"
    return f"the stretch from {short_clock(start)} to {short_clock(end)}"


def suggest(store: Store, video_id: int, key: str, start_ms: int | None = None, end_ms: int | None = None, count: int = 5,
            model: str = DEFAULT_MODEL, cancelled=lambda: False, client=None) -> Suggestions:
    """Claude's recall questions about a video (or the stretch from start_ms to end_ms), each checked.

    Blocking: run it on a worker thread with a Store of that thread's own, or call plan() on the
    Store's thread and ask() on the worker. SuggestionProblem (a sentence) when the request fails or
    the reply cannot be used at all; suggestions that fail the check are in `dropped`, not raised.
    """
    return ask(plan(store, video_id, start_ms, end_ms, count, model), key, cancelled, client)


def ask(plan: Plan, key: str, cancelled=lambda: False, client=None) -> Suggestions:
    """Send a plan's request and check what comes back (needs no Store: safe on a worker thread)."""
    if not key or not key.strip():
        raise SuggestionProblem("There is no Anthropic API key: add one in Preferences (Ctrl+,) or set ANTHROPIC_API_KEY.")
    text, usage = _reply(plan.request, key, cancelled, client)
    items = _items(text)
    return check(items, plan.request.ensure_blocks(), plan.cues, plan.start_ms, plan.end_ms, plan.count, plan.existing, usage)


def _reply(request: AskRequest, key: str, cancelled, client) -> tuple[str, UsageEvent]:
    """The reply's text (citations ignored) and what it used; SuggestionProblem if it did not all arrive."""
    pieces: list[str] = []
    size = 0
    answer = Answer()  # keeps the usage
    stop = ""
    for event in stream_answer(request, key, cancelled, client):
        answer.add(event)
        if isinstance(event, TextEvent):
            pieces.append(event.text)
            size += len(event.text)
            if size > MAX_REPLY_CHARS:
                raise SuggestionProblem("Claude's reply ran far longer than the questions asked for, so it was not used; retry.")
        elif isinstance(event, DoneEvent):
            stop = event.stop_reason
        elif isinstance(event, ErrorEvent):
            if event.message == "Stopped.":
                raise SuggestionProblem("Stopped; no suggestions were kept.")
            # (a reply cut short is not kept in part: a half list of questions is no use)
            said = event.message.replace(" What arrived is kept; retry for the rest.", " Retry.")
            raise SuggestionProblem(f"{said} No suggestions were kept.")
    text = "".join(pieces)
    if redact(text) != text:
        raise SuggestionProblem("The reply held an API key, so it was thrown away unread: check the endpoint "
                                "(ANTHROPIC_BASE_URL) Reader is talking to.")
    if stop == "refusal":
        raise SuggestionProblem("Claude declined to write questions about this video.")
    if stop == "max_tokens":
        raise SuggestionProblem("Claude's reply was cut off before its list of questions ended; ask for fewer questions.")
    if not text.strip():
        raise SuggestionProblem("Claude sent back nothing; retry.")
    return text, answer.usage


_START = re.compile(r"\[\s*[{\]]")  # where a JSON list of objects (or an empty one) may begin
_FENCE = re.compile(r"```[A-Za-z]*[ \t]*\n(.*?)```", re.S)


def _items(text: str) -> list:
    """The JSON list in a reply (bare, in a ```json fence, or with prose around it); SuggestionProblem if there is none."""
    fenced = [m.group(1) for m in _FENCE.finditer(text) if _START.search(m.group(1))]
    where = fenced[0] if fenced else text
    start = _START.search(where)
    if start is None:
        said = " ".join(text.split())
        said = said[:100] + "…" if len(said) > 100 else said
        raise SuggestionProblem(f"Claude answered in words, not with the list of questions asked for (“{said}”); retry.")
    try:
        items, _ = json.JSONDecoder().raw_decode(where, start.start())
    except RecursionError:
        raise SuggestionProblem("Claude's reply was not the list of questions asked for (it nests too deep); retry.") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(where.rstrip()) - 1 or "Unterminated" in exc.msg:
            raise SuggestionProblem("Claude's reply broke off before its list of questions ended; retry.") from None
        raise SuggestionProblem(f"Claude's reply was not valid JSON ({exc.msg.lower()} at character {exc.pos}); retry.") from None
    if not items:
        raise SuggestionProblem("Claude suggested no questions for this part of the video.")
    if len(items) > MAX_REPLY_ITEMS:
        raise SuggestionProblem(f"Claude's reply held {len(items):,} suggestions, far more than asked for, so none was used; retry.")
    return items


# -- the check -----------------------------------------------------------------------------------

_LABEL = re.compile(r"\[?\s*(?:(\d{1,2}):)?(\d{1,3}):(\d{2})\s*\]?")
_LEADING_LABEL = re.compile(r"^\s*\[\d{1,2}(?::\d{2}){1,2}\]\s*")
_WORD = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def _ms(label: str) -> int | None:
    """A [m:ss] or [h:mm:ss] label as milliseconds; None for anything else."""
    m = _LABEL.fullmatch(label.strip())
    if m is None:
        return None
    hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if seconds > 59 or (m.group(1) is not None and minutes > 59):
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000


def _block(blocks: list[Block], label: str, first: bool) -> int | None:
    """The index of the block a label names: the block it labels, else the one its time falls in."""
    ms = _ms(label)
    if ms is None:
        return None
    if ms > blocks[-1].end_ms:
        return None
    named = [i for i, b in enumerate(blocks) if short_clock(b.start_ms) == short_clock(ms)]
    if named:
        return named[0] if first else named[-1]
    return max((i for i, b in enumerate(blocks) if b.start_ms <= ms), default=0)  # (a time between two passages: the earlier)


def normalise(text: str) -> str:
    """Text as quotes are compared: a leading [m:ss] label dropped, case, punctuation and spacing ignored."""
    text = _LEADING_LABEL.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(_WORD.findall(text.replace("’", "'")))


def _clean(text: str, newlines: bool = False) -> str:
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    if newlines:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(" ".join(line.split()) for line in text.replace("\r", "").split("\n"))).strip()
    return " ".join(text.split())


def _spoken(cues: list[Cue], first: int, last: int) -> tuple[str, list[int]]:
    """The normalised words of cues first..last (a speaker's name where the speaker changes, as the
    document shows it), and where each cue's words begin in that text."""
    parts, starts, size, speaker = [], [], 0, None
    for cue in cues[first:last + 1]:
        said = normalise(f"{cue.speaker} {cue.text}" if cue.speaker and cue.speaker != speaker else cue.text)
        speaker = cue.speaker or speaker
        starts.append(size)
        if said:
            parts.append(said)
            size += len(said) + 1
    return " ".join(parts), starts


_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.+|\[…\]|\[\.\.\.\])\s*")


def found_in(quote: str, text: str) -> bool:
    """A quote of a few words occurs in a (normalised) text, allowing for small differences; a quote with
    words left out ("a … b") counts when each of its pieces does."""
    pieces = [normalise(p) for p in _ELLIPSIS.split(quote)]
    pieces = [p for p in pieces if p]
    if sum(len(p.split()) for p in pieces) < MIN_QUOTE_WORDS or sum(map(len, pieces)) > len(text) + 2:
        return False
    return all(fuzz.partial_ratio(p, text, score_cutoff=MATCH) >= MATCH for p in pieces)


def _where(quote: str, cues: list[Cue]) -> int | None:
    """Where in the transcript a quote is found (the start of the cue its match begins in), if anywhere."""
    q = normalise(quote)
    text, starts = _spoken(cues, 0, len(cues) - 1)
    if len(q.split()) < MIN_QUOTE_WORDS or len(q) > len(text):
        return None
    hit = fuzz.partial_ratio_alignment(q, text, score_cutoff=MATCH)
    if hit is None:
        return None
    n = max(i for i, s in enumerate(starts) if s <= hit.dest_start)
    return cues[n].start_ms


def _short(question: str) -> str:
    return f"“{question[:70]}…”" if len(question) > 70 else f"“{question}”"


def _sentence(error: msgspec.ValidationError) -> str:
    said = str(error).replace("`", "")
    return said[0].lower() + said[1:] if said else "it does not fit"


def check(items: list, blocks: list[Block], cues: list[Cue], start_ms: int, end_ms: int, count: int,
          existing: list[tuple[str, int, int]] = (), usage: UsageEvent | None = None) -> Suggestions:
    """Each suggestion decoded and checked against the transcript: kept (at most `count`), or dropped with why."""
    kept: list[Suggestion] = []
    dropped: list[str] = []
    if not blocks:
        return Suggestions([], [f"Suggestion {n} rests on a transcript that has no words." for n in range(1, len(items) + 1)], usage)
    inside = [i for i, b in enumerate(blocks) if b.start_ms < end_ms and b.end_ms > start_ms] or [len(blocks) - 1]
    lowest, highest = max(0, inside[0] - 1), min(len(blocks) - 1, inside[-1] + 1)  # a passage either side is near enough
    asked = [(normalise(q), start, end) for q, start, end in existing]
    for n, item in enumerate(items, 1):
        try:
            raw = msgspec.convert(item, _Raw, strict=True)
        except msgspec.ValidationError as exc:
            dropped.append(f"Suggestion {n} was not in the form asked for: {_sentence(exc)}.")
            continue
        question, answer = _clean(raw.question), _clean(raw.answer, newlines=True)
        if not question or not answer:
            dropped.append(f"Suggestion {n} has an empty {'question' if not question else 'answer'}.")
            continue
        reason = _drop_reason(raw, question, blocks, cues, lowest, highest, inside)
        if isinstance(reason, str):
            dropped.append(reason)
            continue
        first, last, quotes = reason
        start, end = blocks[first].start_ms, blocks[last].end_ms
        words = normalise(question)
        same = next((k for k in kept if _same(words, start, end, normalise(k.question), k.start_ms, k.end_ms)), None)
        if same is not None:
            dropped.append(f"{_short(question)} asks the same as {_short(same.question)}.")
            continue
        if any(_same(words, start, end, *card) for card in asked):
            dropped.append(f"{_short(question)} is already a card of this video.")
            continue
        if len(kept) >= count:
            dropped.append(f"{_short(question)} is more than the {count} asked for.")
            continue
        kept.append(Suggestion(question, answer, start, end, quotes))
    return Suggestions(kept, dropped, usage)


def _same(words: str, start: int, end: int, other: str, other_start: int, other_end: int) -> bool:
    """Whether two (normalised) questions ask the same thing: nearly the same words, or nearly all of one's
    words in the other about the same moments."""
    if fuzz.token_sort_ratio(words, other) >= SAME_QUESTION:
        return True
    return start < other_end and other_start < end and fuzz.token_set_ratio(words, other) >= SAME_QUESTION


def _drop_reason(raw: _Raw, question: str, blocks: list[Block], cues: list[Cue], lowest: int, highest: int,
                 inside: list[int]) -> str | tuple[int, int, tuple[str, ...]]:
    """Why a suggestion is dropped (a sentence), or the blocks it rests on and the quotes found there."""
    q = _short(question)
    first, last = _block(blocks, raw.start, True), _block(blocks, raw.end, False)
    for label, index in ((raw.start, first), (raw.end, last)):
        if index is None:
            ms = _ms(label)
            if ms is None:
                return f"{q} rests on {json.dumps(label[:16], ensure_ascii=False)}, which is not a time in the transcript."
            return f"{q} rests on {short_clock(ms)}, past the end of the transcript ({short_clock(blocks[-1].end_ms)})."
    if last < first:
        return f"{q} ends ({short_clock(blocks[last].start_ms)}) before it starts ({short_clock(blocks[first].start_ms)})."
    stretch = f"{short_clock(blocks[first].start_ms)}–{short_clock(blocks[last].end_ms)}"
    if first < lowest or last > highest:
        return (f"{q} rests on {stretch}, outside the part asked about "
                f"({short_clock(blocks[inside[0]].start_ms)}–{short_clock(blocks[inside[-1]].end_ms)}).")
    lines = [i for i, c in enumerate(cues) if c.start_ms < blocks[last].end_ms and c.end_ms > blocks[first].start_ms]
    if not lines:
        return f"{q} rests on {stretch}, where nothing is said."
    text, _ = _spoken(cues, max(0, lines[0] - 1), min(len(cues) - 1, lines[-1] + 1))  # and a line either side
    if not text:
        return f"{q} rests on {stretch}, where nothing is said."
    quotes = tuple(dict.fromkeys(_clean(e) for e in raw.evidence if found_in(e, text)))
    if quotes:
        return first, last, quotes
    if not any(len(normalise(e).split()) >= MIN_QUOTE_WORDS for e in raw.evidence):
        return f"{q} quotes too few words to show where its answer is ({MIN_QUOTE_WORDS} at least)."
    elsewhere = next((ms for ms in (_where(e, cues) for e in raw.evidence) if ms is not None), None)
    where = f" (its quote is from {short_clock(elsewhere)})" if elsewhere is not None else " (nor anywhere else in the transcript)"
    return f"{q} quotes words that are not in {stretch}, where it says it rests{where}."


# -- keeping them --------------------------------------------------------------------------------

def keep(store: Store, video_id: int, chosen: list[Suggestion], status: str = "active", highlight_id: int | None = None) -> list[int]:
    """Store chosen suggestions as Claude's cards, all or none (CardProblem says why none); returns their ids."""
    if status not in CARD_STATUSES:
        raise CardProblem(f"A card is {', '.join(CARD_STATUSES[:-1])} or {CARD_STATUSES[-1]}, not {str(status)[:20]!r}.")
    with store.writing():
        return [make_card(store, video_id, s.question, s.answer, s.start_ms, s.end_ms, highlight_id=highlight_id,
                          source="claude", status=status, evidence=list(s.evidence)) for s in chosen]
