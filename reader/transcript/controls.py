"""Terminal escape sequences and C0/C1 control characters taken out of transcript text (line breaks kept)."""

from __future__ import annotations

import re

# Any C0 or C1 control except the line break, DEL, and the Unicode line/paragraph separators.
CONTROLS = _ANY = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# A whole escape sequence goes, not just its ESC: OSC (title, OSC 52 clipboard) and DCS/SOS/PM/APC strings up
# to their terminator (BEL or ST) or the end of the line; CSI (ESC [ 2J, colours); then two-character escapes.
_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[!-/]*[0-~]?"  # (not ESC SP: a stray ESC before a space must not eat the next word's letter)
)
_BLANKS = re.compile(r"[\t\x0b\x0c\u2028\u2029]")
_SPACES = re.compile(r"[ ]{2,}")


def has_controls(text: str) -> bool:
    """Whether the text holds a control character other than a line break (one regex search: cheap)."""
    return _ANY.search(text) is not None


def without_controls(text: str, newlines: bool = True) -> str:
    """The text with escape sequences removed whole, tabs and separators made spaces, other controls dropped;
    line breaks kept (or made spaces, with newlines=False). Text without controls comes back as it is."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not newlines and "\n" in text:
        text = text.replace("\n", " ")
    if _ANY.search(text) is None:
        return text
    text = _SEQUENCE.sub("", text)
    text = _BLANKS.sub(" ", text)
    text = _ANY.sub("", text)
    if "  " in text:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return text
