"""The Anthropic API key: from ANTHROPIC_API_KEY, else the OS keyring. Never stored anywhere else."""

from __future__ import annotations

import os

from reader.base.redaction import remember

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
