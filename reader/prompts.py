"""Prompt templates: the editable files in resources/prompts, or a user's copy in the config folder."""

from __future__ import annotations

from .paths import config_dir
from .resources import resource


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def template(name: str) -> str:
    """The text of prompts/NAME.md; a file of that name in the config folder's prompts/ wins."""
    for path in (config_dir() / "prompts" / f"{name}.md", resource("prompts", f"{name}.md")):
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            continue
    raise FileNotFoundError(f"prompt '{name}' is missing from {resource('prompts')}")


def fill(name: str, **values: str) -> str:
    """A template with its {placeholders} filled; unknown ones are left as they are."""
    return fill_text(template(name), **values)


def fill_text(text: str, **values: str) -> str:
    try:
        return text.format_map(_Blank(values))
    except (ValueError, IndexError):  # a stray brace in a user's prompt: send it as written
        return text
