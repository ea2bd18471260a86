"""Questions to Claude and their stored answers, about a passage or a whole video: one path for the window and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.asking import prompts
from reader.asking.llm import MAX_TOKENS, RATE_LIMITED, STOPPED, Answer, AskRequest, Turn, error_action, passage_prompt
from reader.base.citations import has_content
from reader.base.colours import DEFAULT_COLOUR
from reader.base.redaction import redact
from reader.base.settings import DEFAULT_MODEL
from reader.library.db.rows import Span
from reader.library.db.store import Store
from reader.transcript.typed_times import between

if TYPE_CHECKING:
    from reader.asking.study import Tool

PASSAGE_KINDS = ("explain", "ask", "followup")  # about a highlight
VIDEO_KINDS = ("study", "chat")  # about a whole video
STUDY_MAX_TOKENS = 8192  # a study tool's answer covers the whole video


def passage_between(store: Store, video_id: int, from_ms: int, to_ms: int) -> Span | None:
    """The whole lines spoken between two times: the line starting at `from_ms` (else the one spoken then) to the
    last that starts before `to_ms` (reader.transcript.typed_times, the rule every --from/--to follows)."""
    cues = store.transcript(video_id).cues
    taken = between(cues, from_ms, to_ms)
    return None if taken is None else span_of_lines(cues, *taken)


def span_of_lines(cues, first: int, last: int) -> Span:
    """The span over whole lines first..last."""
    text = " ".join(cues[i].text.replace("\n", " ") for i in range(first, last + 1))
    return Span(start_cue=first, start_offset=0, end_cue=last, end_offset=len(cues[last].text),
                start_ms=cues[first].start_ms, end_ms=cues[last].end_ms, text=text)


def save_highlight(store: Store, video_id: int, span: Span, color: str = DEFAULT_COLOUR, note: str = "") -> int:
    """The highlight over this span: the one already there (whatever its colour), else a new one."""
    return store.find_or_add_highlight(video_id, color=color, note=note, **span)[0]


def earlier_turns(store: Store, thread_id: int | None, answer_id: int | None = None) -> list[Turn]:
    """The turns of a thread before `answer_id` (all of them without one), as the next request sends them."""
    turns: list[Turn] = []
    if thread_id is not None:
        for row in store.answers(thread_id):
            if row["id"] == answer_id:
                break
            turns.append(Turn(row["question"], row["prompt"], Answer(row["answer"]).plain_text() or "(no answer)"))
    return turns


def begin(store: Store, highlight_id: int | None, kind: str, question: str = "", thread_id: int | None = None,
          model: str = DEFAULT_MODEL, answer_id: int | None = None, transcript=None, *,
          video_id: int | None = None, tool: Tool | None = None) -> tuple[int, AskRequest]:
    """Record a question (before any token arrives) and build the request that asks it.

    About a passage: `highlight_id`, and kind "explain", "ask", or "followup" within its thread.
    About a whole video: `video_id`, and kind "study" with a `tool` (stored as "study:KEY"), or "chat"
    with a question (a follow-up when `thread_id` is given); these belong to the video, not a highlight.
    With answer_id, that answer is asked again (Regenerate, Retry) in place. A transcript already in
    memory (the window's) saves reading it again; the request's blocks are made when it is sent.
    """
    if kind in PASSAGE_KINDS:
        hl = store.highlight(highlight_id) if highlight_id is not None else None
        if hl is None:
            raise ValueError(f"There is no highlight {highlight_id} to ask about.")
        video_id = hl["video_id"]
        stored_kind = kind
    elif kind in VIDEO_KINDS:
        hl, highlight_id = None, None
        if video_id is None or (kind == "study" and tool is None):
            raise ValueError(f"A {kind} question needs a video{' and a study tool' if kind == 'study' else ''}.")
        stored_kind = f"study:{tool.key}" if kind == "study" else "chat"
    else:
        raise ValueError(f"{kind!r} is not a kind of question; it is one of {', '.join(PASSAGE_KINDS + VIDEO_KINDS)}.")
    if answer_id is not None and store.answer(answer_id) is not None:
        return again(store, answer_id, model, transcript)
    video = store.video(video_id)
    turns = earlier_turns(store, thread_id)
    if kind == "study":
        prompt, question = prompts.fill_text(tool.prompt, title=video["title"]), tool.name
    elif kind == "followup" or (kind == "chat" and thread_id is not None):
        prompt = question
    elif kind == "chat":
        prompt = prompts.fill("chat", title=video["title"], question=question)
    else:
        prompt = passage_prompt(kind, video["title"], hl["text"], hl["start_ms"], hl["end_ms"], question)
        question = question or "Explain this passage"
    answer_id = store.start_answer(video_id, highlight_id, thread_id, stored_kind, question, prompt, model)
    turns.append(Turn(question, prompt))
    if transcript is None:
        transcript = store.transcript(video_id)
    max_tokens = STUDY_MAX_TOKENS if kind == "study" else MAX_TOKENS
    return answer_id, AskRequest(video["title"], video["description"] or "", None, turns, model, max_tokens, transcript)


def again(store: Store, answer_id: int, model: str = DEFAULT_MODEL, transcript=None) -> tuple[int, AskRequest]:
    """Ask a stored question again, in its place (Regenerate, Retry): the same prompt after the same
    earlier turns of its thread; what it held is cleared as the new answer starts."""
    row = store.answer(answer_id)
    if row is None:
        raise ValueError(f"There is no answer {answer_id} to ask again.")
    video = store.video(row["video_id"])
    turns = earlier_turns(store, row["thread_id"], answer_id)
    turns.append(Turn(row["question"], row["prompt"]))
    store.save_answer(answer_id, "", [], "streaming")
    if transcript is None:
        transcript = store.transcript(row["video_id"])
    max_tokens = STUDY_MAX_TOKENS if row["kind"].startswith("study:") else MAX_TOKENS
    return answer_id, AskRequest(video["title"], video["description"] or "", None, turns, model, max_tokens, transcript)


@dataclass
class Problem:
    """What went wrong with the last answer of a thread, and what the user can do about it."""

    message: str
    action: str  # "preferences", "retry", "wait" (seconds left in `seconds`, then it is retried) or ""
    seconds: int = 0
    level: str = "error"  # or "info": the user stopped it


def problem(rows: list[dict], streaming: bool, wait_left: int = 0) -> Problem | None:
    """The problem of a thread's last answer (None while it streams, or when it arrived whole). A rate
    limit is a wait while `wait_left` counts down, then a Retry like any other failure."""
    if not rows or streaming:
        return None
    row = rows[-1]
    if row["status"] not in ("error", "incomplete", "streaming"):
        return None
    if row["error"] == STOPPED:
        kept = " What arrived is kept." if has_content(row["answer"]) else ""
        return Problem(f"You stopped this answer.{kept}", "retry", level="info")
    if row["error"]:
        message = redact(row["error"])
        action = error_action(row["error"])
    else:
        message, action = "The answer stopped before it was finished.", "retry"
        if not has_content(row["answer"]):
            message = "No answer arrived."
    if action == "wait":
        if wait_left > 0:
            return Problem(f"{RATE_LIMITED} Trying again in {wait_left} s.", "wait", wait_left)
        action = "retry"
    return Problem(message, action)


def record(store: Store, answer_id: int, answer: Answer) -> None:
    """Write what has arrived so far (called as it streams, and at the end). A study tool's result that
    has arrived whole replaces the tool's earlier results and failed runs."""
    u = answer.usage
    store.save_answer(answer_id, answer.text, answer.citations, answer.status, answer.error, {
        "model": u.model or None, "input_tokens": u.input_tokens, "output_tokens": u.output_tokens,
        "cache_read_tokens": u.cache_read_tokens, "cache_creation_tokens": u.cache_creation_tokens,
    } if u.model or u.input_tokens else None)
    if answer.status == "complete" and has_content(answer.text):
        row = store.answer(answer_id)
        if row is not None and row["highlight_id"] is None and row["kind"].startswith("study:"):
            store.keep_study_result(row["video_id"], row["kind"], row["thread_id"])
