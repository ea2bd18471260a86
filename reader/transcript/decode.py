"""Turn a transcript file's bytes into text: BOMs, UTF-8, UTF-16/32 and legacy code pages."""

from __future__ import annotations

import codecs

from reader.transcript.model import TranscriptError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, name: str = "file") -> tuple[str, str]:
    """Return (text, encoding). Text has its BOM removed and line endings left as they were."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError:
                unicode_name = encoding.upper().rsplit("-", 1)[0] if encoding != "utf-8" else "UTF-8"
                raise TranscriptError(f"{name}: starts with a {unicode_name} marker, but the text after it is damaged or cut short.") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _utf16_without_bom(data)
    if guess:
        return data.decode(guess, errors="replace"), guess
    from charset_normalizer import from_bytes  # only files that are not UTF-8 pay for the import

    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is None or best.encoding is None:
        raise TranscriptError(f"{name}: is not text in any encoding Reader recognises (is it a video or an archive?).")
    encoding = best.encoding
    near = {m.encoding for m in matches if m.chaos <= best.chaos + 0.1}
    if encoding != "cp1252" and "cp1252" in near and _reads_as_western(data):
        encoding = "cp1252"  # short Western European files are often mistaken for Baltic or Central code pages
    return data.decode(encoding, errors="replace"), encoding


def _reads_as_western(data: bytes) -> bool:
    """True when cp1252 turns every non-ASCII letter into a Western European one (é, ñ, ß...)."""
    try:
        text = data[:200_000].decode("cp1252")
    except UnicodeDecodeError:
        return False
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    return bool(letters) and sum("\u00c0" <= c <= "\u00ff" for c in letters) >= 0.9 * len(letters)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as every other byte zero in ASCII-heavy text."""
    sample = data[:4000]
    if len(sample) < 8:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zero > 0.4 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.4 and odd_zero < 0.05:
        return "utf-16-be"
    return None
