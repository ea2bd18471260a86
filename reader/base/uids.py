"""Stable identities for the rows a user makes (highlights, answers, threads, cards, reviews, checks): made once, kept in backups."""

from __future__ import annotations

import re
import secrets

_UID = re.compile(r"[0-9a-f]{16,64}")


def new_uid() -> str:
    """A fresh identity: 16 lowercase hex digits (64 random bits), as cards have had since they came."""
    return secrets.token_hex(8)


def is_uid(value: object) -> bool:
    """Whether a value from a file is an identity Reader could have made (16 to 64 lowercase hex digits)."""
    return isinstance(value, str) and _UID.fullmatch(value) is not None
