"""Checked times: turn the numbers a transcript file gives into integer ms, or say why they are not a time."""

from __future__ import annotations

import math

# Past 2^53 ms a time is not even exact as a JavaScript or JSON number; no recording comes near it.
MAX_MS = 2**53
# Enough digits for any field of a time up to MAX_MS; longer runs are refused before int() sees them
# (Python refuses to convert strings of more than 4,300 digits, and slowly converts long ones).
_MAX_DIGITS = 17


class BadTime(ValueError):
    """A number that cannot be a time; `shown` is the offending text, shortened to fit in a sentence."""

    def __init__(self, value: object):
        self.shown = shorten(value)
        super().__init__(f"{self.shown} is not a time")


def shorten(value: object, limit: int = 24) -> str:
    text = str(value).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _digits(part: str | None, whole: object) -> int:
    if not part:
        return 0
    part = part.strip()
    if len(part) > _MAX_DIGITS or not part.isascii() or not part.isdigit():
        raise BadTime(whole)
    return int(part)


def checked(ms: int, whole: object, negative_ok: bool = False) -> int:
    """`ms` itself when it is a usable time: an integer within ±2^53 (negative only where allowed)."""
    if not -MAX_MS <= ms <= MAX_MS or (ms < 0 and not negative_ok):
        raise BadTime(whole)
    return ms


def clock_ms(h: str | None, m: str | None, s: str | None, frac: str | None = None, whole: object = None) -> int:
    """Hours, minutes, seconds and a decimal fraction of a second, each a run of digits, to ms.

    The fraction is read as decimals ('5' is 500 ms); only its first three digits count."""
    whole = whole if whole is not None else ":".join(p for p in (h, m, s) if p) + (f".{frac}" if frac else "")
    frac = (frac or "").strip()
    if frac and not (frac.isascii() and frac.isdigit()):
        raise BadTime(whole)
    frac_ms = int(frac[:3].ljust(3, "0")) if frac else 0
    ms = ((_digits(h, whole) * 60 + _digits(m, whole)) * 60 + _digits(s, whole)) * 1000 + frac_ms
    return checked(ms, whole)


def text_clock_ms(text: str) -> int:
    """'1:02:03.5', '02:03,250' or '75' (seconds) to ms; anything else raises BadTime."""
    parts = text.strip().replace(",", ".").split(":")
    if len(parts) > 3:
        raise BadTime(text)
    seconds, _, frac = parts[-1].partition(".")
    rest = parts[:-1]
    h = rest[-2] if len(rest) == 2 else None
    m = rest[-1] if rest else None
    if any(p == "" for p in rest) or seconds == "":
        raise BadTime(text)
    return clock_ms(h, m, seconds, frac or None, whole=text)


def number_ms(value: object, scale: int = 1, negative_ok: bool = False) -> int:
    """A number of ms (scale 1) or seconds (scale 1000), given as int, float or text, rounded to ms.

    NaN, infinities, booleans, non-numbers and anything beyond ±2^53 ms raise BadTime."""
    if isinstance(value, bool) or value is None:
        raise BadTime(value)
    if isinstance(value, int):
        return checked(value * scale, value, negative_ok)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40:  # a real time is never this long; float() would accept 5,000 digits
            raise BadTime(value)
        if text.lstrip("+-").isdigit() and text.isascii():
            return checked(int(text) * scale, value, negative_ok)
        try:
            value_f = float(text)
        except ValueError:
            raise BadTime(value) from None
    elif isinstance(value, float):
        value_f = value
    else:
        raise BadTime(value)
    if not math.isfinite(value_f) or abs(value_f * scale) > MAX_MS:
        raise BadTime(value)
    return checked(round(value_f * scale), value, negative_ok)


class Skipped:
    """Counts cues left out because their times are impossible, and where the first one was."""

    def __init__(self) -> None:
        self.count = 0
        self.first: str | None = None

    def add(self, where) -> None:
        """Count one; `where` ('line 12') may be a function, called only for the first (finding a line costs a scan)."""
        self.count += 1
        if self.first is None:
            self.first = where() if callable(where) else where

    def warn(self, warnings: list[str], what: str = "cue") -> None:
        if not self.count:
            return
        if self.count == 1:
            warnings.append(f"1 {what} with an impossible time was skipped (at {self.first}).")
        else:
            warnings.append(f"{self.count} {what}s with impossible times were skipped (the first at {self.first}).")


def line_of(text: str, pos: int) -> int:
    """The 1-based line number of character `pos` in `text`."""
    return text.count("\n", 0, pos) + 1
