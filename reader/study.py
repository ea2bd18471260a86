"""Study tools: whole-video prompts (pre-read, central ideas, vocabulary…) found as files, one per tool."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import prompts
from .llm import DEFAULT_MODEL, AskRequest, Turn
from .paths import config_dir
from .resources import resource
from .store import Store


@dataclass(frozen=True)
class Tool:
    key: str  # the file name without number and suffix: "central-ideas"
    name: str  # the button: "Central ideas"
    prompt: str


def tools() -> list[Tool]:
    """Every tool in resources/prompts/tools and the config folder's prompts/tools (a user's file of
    the same name replaces the bundled one), ordered by file name."""
    files: dict[str, Path] = {}
    for folder in (resource("prompts", "tools"), config_dir() / "prompts" / "tools"):
        if folder.is_dir():
            for path in folder.glob("*.md"):
                files[path.name] = path
    found = []
    for name in sorted(files):
        try:
            text = files[name].read_text(encoding="utf-8")
        except OSError:
            continue
        first, _, rest = text.partition("\n")
        title = first.lstrip("#").strip() if first.startswith("#") else ""
        key = re.sub(r"^\d+[-_ ]*", "", Path(name).stem).lower()
        if title and rest.strip() and key:
            found.append(Tool(key, title, rest.strip()))
    return found


def find_tool(key: str) -> Tool | None:
    key = key.lower()
    return next((t for t in tools() if t.key == key or t.name.lower() == key), None)


def begin_study(store: Store, video_id: int, tool: Tool | None, question: str = "", thread_id: int | None = None,
                model: str = DEFAULT_MODEL, answer_id: int | None = None, transcript=None) -> tuple[int, AskRequest]:
    """Record a study request (a tool, or a chat question about the whole video) and build it.

    Stored as an answer with kind "study:KEY" (or "chat"), belonging to the video, not a highlight.
    """
    video = store.video(video_id)
    kind = f"study:{tool.key}" if tool else "chat"
    from .asking import earlier_turns

    turns = earlier_turns(store, thread_id, answer_id)
    if answer_id is not None:
        row = next(r for r in store.answers(thread_id) if r["id"] == answer_id)
        question, prompt = row["question"], row["prompt"]
        store.save_answer(answer_id, "", [], "streaming")
    else:
        if tool is not None:
            prompt, question = prompts.fill_text(tool.prompt, title=video["title"]), tool.name
        elif thread_id is not None:
            prompt = question
        else:
            prompt = prompts.fill("chat", title=video["title"], question=question)
        answer_id = store.start_answer(video_id, None, thread_id, kind, question, prompt, model)
    turns.append(Turn(question, prompt))
    if transcript is None:
        transcript = store.transcript(video_id)
    max_tokens = 8192 if tool is not None else 4096
    return answer_id, AskRequest(video["title"], video["description"] or "", None, turns, model, max_tokens, transcript)
