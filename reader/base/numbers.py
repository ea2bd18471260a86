"""Numbers from a link, a file or a server made safe for SQL: whole, finite and within a range, or a default."""

from __future__ import annotations

import math
import re

MAX_MS = 2**53  # past this a time is not exact as a JSON number; no recording comes near it
MAX_ID = 2**63 - 1  # SQLite's largest INTEGER
MAX_COUNT = 2**53  # views, sizes, counts
_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,19}(?:\.[0-9]{0,9})?|\.[0-9]{1,9})")


def whole(value, low: int = 0, high: int = MAX_COUNT, default=None):
    """`value` as an int when it is a whole number in [low, high] (an int, a float with no fraction, or
    decimal digits); otherwise `default`. True/False, NaN, infinities and 5,000-digit strings are defaults."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return default
        value = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _WHOLE.fullmatch(text):
            return default
        value = int(text)
    elif not isinstance(value, int):
        return default
    return value if low <= value <= high else default


def amount(value, high: int = MAX_COUNT, default=None):
    """A size, count or number of seconds a server reports (an int, or a float such as an estimate) as a whole
    number in [0, high]; `default` for anything else."""
    if isinstance(value, float) and math.isfinite(value) and 0 <= value <= high:
        return int(round(value))
    return whole(value, 0, high, default)


def seconds_ms(value, default=0, high: int = MAX_MS):
    """A number of seconds (int, float or decimal text, as yt-dlp and ffprobe give them) as whole ms in
    [0, high]; `default` for anything else (negative, NaN, infinite, too large, not a number)."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            return default
        value = float(text)
    if isinstance(value, int):
        ms = value * 1000 if abs(value) <= high else None
    elif isinstance(value, float) and math.isfinite(value) and abs(value) <= high:
        ms = int(round(value * 1000))
    else:
        return default
    return ms if ms is not None and 0 <= ms <= high else default


def clamped(value, low: int, high: int, default: int) -> int:
    """A whole number held within [low, high] (for bookkeeping such as a position); `default` when not a number."""
    if type(value) is int and low <= value <= high:  # the usual case, first and fast
        return value
    number = whole(value, -MAX_ID - 1, MAX_ID, None)
    if number is None:
        if isinstance(value, float) and math.isfinite(value):
            number = int(value) if abs(value) < 2**63 else (MAX_ID if value > 0 else -MAX_ID)
        elif isinstance(value, float) and math.isinf(value):
            number = high if value > 0 else low
        elif isinstance(value, int) and not isinstance(value, bool):
            number = high if value > 0 else low
        else:
            return default
    return max(low, min(high, number))
