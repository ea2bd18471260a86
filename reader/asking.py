"""One path from a passage to a stored answer, used by the window and by `reader explain` alike."""

from __future__ import annotations

from dataclasses import dataclass

from .colours import DEFAULT_COLOUR
from .llm import DEFAULT_MODEL, Answer, AskRequest, Turn, passage_prompt
from .store import Store


@dataclass
class Passage:
    video_id: int
    start_cue: int
    start_offset: int
    end_cue: int
    end_offset: int
    start_ms: int
    end_ms: int
    text: str


def passage_between(store: Store, video_id: int, from_ms: int, to_ms: int) -> Passage | None:
    """The whole lines spoken between two times (a line counts if it starts before `to_ms` and ends after `from_ms`)."""
    cues = store.transcript(video_id).cues
    chosen = [i for i, c in enumerate(cues) if c.start_ms < max(to_ms, from_ms + 1) and max(c.end_ms, c.start_ms + 1) > from_ms]
    if not chosen:
        return None
    first, last = chosen[0], chosen[-1]
    text = " ".join(cues[i].text.replace("\n", " ") for i in chosen)
    return Passage(video_id, first, 0, last, len(cues[last].text), cues[first].start_ms, cues[last].end_ms, text)


def save_highlight(store: Store, passage: Passage, color: str = DEFAULT_COLOUR, note: str = "") -> int:
    """The highlight over this passage: the one already there (as the window reuses it), else a new one."""
    existing = store.find_highlight(passage.video_id, passage.start_cue, passage.start_offset, passage.end_cue, passage.end_offset)
    if existing is not None:
        return existing
    return store.add_highlight(passage.video_id, passage.start_cue, passage.start_offset, passage.end_cue, passage.end_offset,
                               passage.start_ms, passage.end_ms, passage.text, color, note)


def earlier_turns(store: Store, thread_id: int | None, answer_id: int | None = None) -> list[Turn]:
    """The turns of a thread before `answer_id` (all of them without one), as the next request sends them."""
    turns: list[Turn] = []
    if thread_id is not None:
        for row in store.answers(thread_id):
            if row["id"] == answer_id:
                break
            turns.append(Turn(row["question"], row["prompt"], Answer(row["answer"]).plain_text() or "(no answer)"))
    return turns


def begin(store: Store, highlight_id: int, kind: str, question: str = "", thread_id: int | None = None,
          model: str = DEFAULT_MODEL, answer_id: int | None = None, transcript=None) -> tuple[int, AskRequest]:
    """Record the question (before any token arrives) and build the request that asks it.

    kind is "explain" or "ask" for a passage, "followup" within a thread. With answer_id, that
    answer is asked again (Regenerate, Retry) in place. A transcript already in memory (the
    window's) saves reading it again; the request's blocks are made when it is sent.
    """
    hl = store.highlight(highlight_id)
    video = store.video(hl["video_id"])
    turns = earlier_turns(store, thread_id, answer_id)
    if answer_id is not None:
        row = next(r for r in store.answers(thread_id) if r["id"] == answer_id) if thread_id is not None else None
        prompt = row["prompt"] if row else question
        question = row["question"] if row else question
        store.save_answer(answer_id, "", [], "streaming")
    else:
        if kind == "followup":
            prompt = question
        else:
            prompt = passage_prompt(kind, video["title"], hl["text"], hl["start_ms"], hl["end_ms"], question)
            question = question or "Explain this passage"
        answer_id = store.start_answer(hl["video_id"], highlight_id, thread_id, kind, question, prompt, model)
    turns.append(Turn(question, prompt))
    if transcript is None:
        transcript = store.transcript(hl["video_id"])
    request = AskRequest(video["title"], video["description"] or "", None, turns, model, transcript=transcript)
    return answer_id, request


def record(store: Store, answer_id: int, answer: Answer) -> None:
    """Write what has arrived so far (called as it streams, and at the end)."""
    u = answer.usage
    store.save_answer(answer_id, answer.text, answer.citations, answer.status, answer.error, {
        "model": u.model or None, "input_tokens": u.input_tokens, "output_tokens": u.output_tokens,
        "cache_read_tokens": u.cache_read_tokens, "cache_creation_tokens": u.cache_creation_tokens,
    } if u.model or u.input_tokens else None)
