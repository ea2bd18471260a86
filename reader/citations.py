"""The invisible citation mark an answer's text holds where a link to the transcript goes: made and read here only."""

from __future__ import annotations

import re
from typing import Callable

SEPARATOR = "\u2063"  # INVISIBLE SEPARATOR: shows as nothing if a mark is ever left in
MARK = re.compile(SEPARATOR + r"(\d+)" + SEPARATOR)


def mark(n: int) -> str:
    """The mark for the answer's n-th citation (counted from 1)."""
    return f"{SEPARATOR}{int(n)}{SEPARATOR}"


def strip_marks(text: str | None) -> str:
    """The text without its marks (for Copy, and for the next turn of a thread)."""
    return MARK.sub("", text or "")


def replace_marks(text: str | None, fn: Callable[[int], str]) -> str:
    """The text with each mark replaced by fn(n), n the citation's number (counted from 1)."""
    return MARK.sub(lambda m: fn(int(m.group(1))), text or "")
