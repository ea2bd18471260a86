"""The Anthropic API key: from ANTHROPIC_API_KEY, else the OS keyring. Never stored anywhere else."""

from __future__ import annotations

import os

SERVICE = "Reader"
ACCOUNT = "anthropic-api-key"


class KeyringUnavailable(Exception):
    """No OS keyring to keep the key in; the message says what to do instead."""


def get_key() -> str | None:
    key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if key:
        remember(key)
        return key
    try:
        import keyring

        key = (keyring.get_password(SERVICE, ACCOUNT) or "").strip() or None
        remember(key)
        return key
    except Exception:  # no keyring backend (a headless machine, say): there is simply no stored key
        return None


def key_from_environment() -> bool:
    return bool(os.environ.get("ANTHROPIC_API_KEY", "").strip())


def set_key(key: str) -> None:
    """Store the key in the OS keyring (or delete it, given "")."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        if key.strip():
            keyring.set_password(SERVICE, ACCOUNT, key.strip())
        else:
            try:
                keyring.delete_password(SERVICE, ACCOUNT)
            except PasswordDeleteError:
                pass
    except Exception as exc:
        raise KeyringUnavailable(
            "This system has no keyring to keep the key safe in. Set the ANTHROPIC_API_KEY environment variable instead."
        ) from exc


def keyring_available() -> bool:
    """Whether the OS has a keyring for Preferences to keep the key in (a headless machine often has none)."""
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return not isinstance(backend, chainer.ChainerBackend) or bool(backend.backends)


def no_key(purpose: str) -> tuple[str, str]:
    """What to say when Claude is asked with no key, and what helps ("preferences", or "" with no keyring, where
    only the ANTHROPIC_API_KEY environment variable can hold one): `purpose` as "to explain passages"."""
    if keyring_available():
        return (f"Claude needs an API key {purpose}: add one in Preferences, or set the ANTHROPIC_API_KEY environment "
                "variable. Everything else works without one.", "preferences")
    return (f"Claude needs an API key {purpose}: set the ANTHROPIC_API_KEY environment variable and open Reader again "
            "(this system has no keyring for Preferences to keep a key in). Everything else works without one.", "")


def mask(key: str | None) -> str:
    """What a screen may show of a key: its start and last four characters."""
    if not key:
        return ""
    return key[:7] + "…" + key[-4:] if len(key) > 14 else "…" + key[-2:]


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
