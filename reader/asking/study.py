"""Study tools: whole-video prompts (pre-read, central ideas, vocabulary…) found as files, one per tool."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reader.asking.prompts import read_prompt, say_once
from reader.base.paths import config_dir
from reader.base.resources import resource
from reader.base.safe_io import FileProblem


@dataclass(frozen=True)
class Tool:
    key: str  # the file name without number and suffix: "central-ideas"
    name: str  # the button: "Central ideas"
    prompt: str
    description: str = ""  # what it gives you, in words (its tooltip)


def _describe(prompt: str) -> str:
    """A tool without a description line is described by its prompt's first sentence, about "this video"."""
    first = re.split(r"(?<=[.!?:])\s", " ".join(prompt.split()), maxsplit=1)[0]
    first = re.sub(r"[“\"']?\{title\}[”\"']?", "this video", first)
    return "Asks Claude: " + re.sub(r"\{\w+\}", "…", first).rstrip(":") + ("" if first.endswith((".", "!", "?")) else ".")


def tools() -> list[Tool]:
    """Every tool in resources/prompts/tools and the config folder's prompts/tools (a user's file of
    the same name replaces the bundled one), ordered by file name. A file is `# Name`, then optionally
    `> what the tool gives you` (the description, never sent to Claude), then the prompt."""
    files: dict[str, list[Path]] = {}
    for folder in (resource("prompts", "tools"), config_dir() / "prompts" / "tools"):
        if folder.is_dir():
            for path in folder.glob("*.md"):
                files.setdefault(path.name, []).insert(0, path)  # the user's copy first, the bundled one after it
    found = []
    for name in sorted(files):
        text = None
        for path in files[name]:
            try:
                text = read_prompt(path)
                break
            except FileProblem as exc:  # a tool file that cannot be a prompt: the bundled one of its name, else none
                say_once(f"{str(exc).rstrip('.')}; " + ("Reader uses its own tool of that name instead." if path != files[name][-1]
                                                         else "the study tool in it is left out."))
        if text is None:
            continue
        first, _, rest = text.partition("\n")
        title = first.lstrip("#").strip() if first.startswith("#") else ""
        key = re.sub(r"^\d+[-_ ]*", "", Path(name).stem).lower()
        described = re.match(r"[ \t]*>[ \t]?(.*)\n?", rest)
        description = described.group(1).strip() if described else ""
        prompt = rest[described.end():].strip() if described else rest.strip()
        if title and prompt and key:
            found.append(Tool(key, title, prompt, description or _describe(prompt)))
    return found


def find_tool(key: str) -> Tool | None:
    key = key.lower()
    return next((t for t in tools() if t.key == key or t.name.lower() == key), None)
