"""Prompt templates: the editable files in resources/prompts, or a user's copy in the config folder."""

from __future__ import annotations

import os
import string
import sys
from pathlib import Path

from reader.base.paths import config_dir
from reader.base.resources import resource
from reader.base.safe_io import FileProblem, read_limited

MAX_PROMPT_BYTES = 256 * 1024  # the bundled prompts are a few KB; a prompt is sent with every request
_said: set[str] = set()


def read_prompt(path: Path) -> str:
    """A prompt file's text, or FileProblem with a sentence: a FIFO or device is refused before it is read,
    a huge file by its size, and a binary one or one whose {braces} do not pair up by its content."""
    data = read_limited(path, MAX_PROMPT_BYTES, "prompt")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileProblem(f"{path.name} is not text (it is not UTF-8), so it cannot be a prompt.") from None
    if any(c < " " and c not in "\n\t\r" or "\x7f" <= c <= "\x9f" for c in text):
        raise FileProblem(f"{path.name} holds control characters, so it is not a prompt file.")
    try:
        list(string.Formatter().parse(text))
    except ValueError:
        raise FileProblem(f"{path.name} has a {{ or }} that does not pair up (write {{{{ and }}}} for a brace itself).") from None
    return text


def say_once(message: str) -> None:
    """One `reader: ...` line on stderr for a prompt file Reader will not use, once a run (not once a request)."""
    if message not in _said:
        _said.add(message)
        print(f"reader: {message}", file=sys.stderr)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def template(name: str) -> str:
    """The text of prompts/NAME.md; a file of that name in the config folder's prompts/ wins, unless it cannot
    be a prompt (binary, huge, a FIFO, unpaired braces): then the bundled one is used, and that is said once."""
    mine = config_dir() / "prompts" / f"{name}.md"
    if os.path.lexists(mine):
        try:
            return read_prompt(mine)
        except FileProblem as exc:
            say_once(f"{str(exc).rstrip('.')}; Reader uses its own {name} prompt instead.")
    try:
        return resource("prompts", f"{name}.md").read_text(encoding="utf-8")
    except OSError:
        pass
    raise FileNotFoundError(f"prompt '{name}' is missing from {resource('prompts')}")


def fill(name: str, **values: str) -> str:
    """A template with its {placeholders} filled; unknown ones are left as they are."""
    return fill_text(template(name), **values)


def fill_text(text: str, **values: str) -> str:
    try:
        return text.format_map(_Blank(values))
    except (ValueError, IndexError):  # a stray brace in a user's prompt: send it as written
        return text
