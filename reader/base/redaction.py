"""API keys kept out of every text Reader shows, logs, stores or exports (no keyring needed)."""

from __future__ import annotations

import os

_seen: set[str] = set()  # keys this process has used, so text echoing any of them can be cleaned


_KEY_SHAPE = None


def remember(key: str | None) -> None:
    """Note a key in use (get_key and the client do), so redact() finds it even if it changes shape."""
    if key and len(key.strip()) >= 8:
        _seen.add(key.strip())


def _known() -> set[str]:
    keys = set(_seen)
    env = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if len(env) >= 8:
        keys.add(env)
    return keys


_SHAPE_START = "sk-ant-"


_SHAPE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def open_key_tail(text: str) -> int:
    """How many characters at the end of a growing text may be the start of a key that the next
    piece completes: a streaming text holds them back until it knows (redact() cannot tell yet)."""
    longest = 0
    for key in _known():
        for n in range(min(len(key) - 1, len(text)), longest, -1):
            if key.startswith(text[-n:]):
                longest = n
                break
    start = text.rfind(_SHAPE_START[0], max(0, len(text) - 200))
    while start != -1:
        run = text[start:]
        if (_SHAPE_START.startswith(run) or run.startswith(_SHAPE_START)) and all(c in _SHAPE_CHARS for c in run):
            return max(longest, len(run))
        start = text.rfind(_SHAPE_START[0], max(0, len(text) - 200), start)
    return longest


def redact(text: str) -> str:
    """The text without any API key in it: the one in use, any this process has seen, and anything shaped like one.

    Applied to every text from outside (a server's, or a proxy's, error message) before it is shown,
    logged, stored or exported.
    """
    global _KEY_SHAPE
    if not text:
        return text
    import re

    if _KEY_SHAPE is None:
        _KEY_SHAPE = re.compile(r"sk-ant-[A-Za-z0-9_\-]{6,}")
    for key in sorted(_known(), key=len, reverse=True):
        text = text.replace(key, "[API key removed]")
    return _KEY_SHAPE.sub("[API key removed]", text)
