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


def has_content(answer: str | None) -> bool:
    """Whether an answer holds any words (a failed attempt holds none, or only citation marks)."""
    return bool(strip_marks(answer).strip())


def replace_marks(text: str | None, fn: Callable[[int], str]) -> str:
    """The text with each mark replaced by fn(n), n the citation's number (counted from 1)."""
    return MARK.sub(lambda m: fn(int(m.group(1))), text or "")


_OPEN_AFTER = re.compile(r"[\w(\[*_`“‘\"]|<(?!/)", re.UNICODE)  # what a link must be spaced from: a word, an opening bracket or tag


def link_marks(text: str | None, fn: Callable[[int], str]) -> str:
    """The text with each mark replaced by fn(n) (a link such as "[0:06]"), spaced as a word is: after the
    words it follows ("memories fade [0:06]"), before punctuation ("fade [0:06]."), one space between
    marks that follow each other ("[0:06] [0:09]"), and one before a word that comes straight after it.
    A mark fn turns into "" leaves nothing, not even a space. Works on HTML as well as on plain text."""
    text = text or ""
    out: list[str] = []
    pos = 0
    last = ""  # the last character put out
    pending_space = False  # the last link wants a space before whatever visible thing comes next
    for m in MARK.finditer(text):
        between = text[pos:m.start()]
        if between:
            if pending_space and _OPEN_AFTER.match(between):
                out.append(" ")
            out.append(between)
            last, pending_space = between[-1], False
        label = fn(int(m.group(1)))
        if label:
            if last and not last.isspace():
                out.append(" ")
            out.append(label)
            last, pending_space = label[-1], True
        pos = m.end()
    rest = text[pos:]
    if rest and pending_space and _OPEN_AFTER.match(rest):
        out.append(" ")
    out.append(rest)
    return "".join(out)
