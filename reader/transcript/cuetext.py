"""Cue payload markup (WebVTT/SRT tags, inline word timestamps, entities) to plain text and word timings."""

from __future__ import annotations

import html
import re

from reader.transcript.model import Word
from reader.transcript.times import BadTime, clock_ms

_TAG = re.compile(r"<[^<>\n]*>")
_NON_TS_TAG = re.compile(r"<(?![0-9])[^<>\n]*>")
_TS_SPLIT = re.compile(r"<((?:[0-9]+:)?[0-9]{2}:[0-9]{2}\.[0-9]{3})>")
_VOICE = re.compile(r"<v(?:\.[^ \t\f>]*)?[ \t\f]+([^>]+)>")
_SPACES = re.compile(r"[ \t\f\u00a0]+")


_LONG_HOURS_TS = re.compile(r"<([0-9]{3,}:[0-9]{2}:[0-9]{2}\.[0-9]{3})>")


def inline_ms(tag: str) -> int:
    """'01:02:03.456' or '02:03.456' to milliseconds (the pattern has already been matched).
    Raises BadTime for hours past 2^53 ms."""
    if len(tag) == 12:
        return int(tag[0:2]) * 3_600_000 + int(tag[3:5]) * 60_000 + int(tag[6:8]) * 1000 + int(tag[9:12])
    parts = tag.split(":")
    seconds, frac = parts[-1].split(".")
    return clock_ms(parts[0] if len(parts) == 3 else None, parts[-2], seconds, frac, whole=tag)


def has_long_word_times(text: str) -> bool:
    """Whether any inline word timestamp in the text has three or more hour digits (only those can be
    impossible): one search over a whole file, so the usual file skips the per-cue check."""
    return "<" in text and _LONG_HOURS_TS.search(text) is not None


def impossible_word_times(text: str) -> int:
    """How many inline word timestamps in `text` are too far out to be times (they are ignored)."""
    if "<" not in text:
        return 0
    count = 0
    for m in _LONG_HOURS_TS.finditer(text):
        try:
            inline_ms(m.group(1))
        except BadTime:
            count += 1
    return count


def _tidy(text: str) -> str:
    """Finish a stripped word: entities decoded, inner runs of spaces collapsed."""
    if "&" in text:
        text = html.unescape(text).strip()
    if "  " in text or "\t" in text or "\xa0" in text or "\f" in text:
        text = _SPACES.sub(" ", text).strip()
    return text


def clean_line(text: str) -> str:
    """Collapse runs of spaces and trim, keeping the words as the author wrote them."""
    text = text.strip()
    if "  " in text or "\t" in text or "\xa0" in text or "\f" in text:
        text = _SPACES.sub(" ", text)
    return text


class Payload:
    """One cue's text split into plain lines; word timings are worked out only when asked for."""

    __slots__ = ("lines", "raw_lines", "speaker", "start_ms")

    def __init__(self, lines: list[str], raw_lines: list[str], speaker: str | None, start_ms: int):
        self.lines = lines
        self.raw_lines = raw_lines
        self.speaker = speaker
        self.start_ms = start_ms

    def words(self, first_line: int = 0) -> tuple[Word, ...]:
        """Word timings of lines[first_line:], from inline timestamps; () when the cue has none."""
        raws = self.raw_lines[first_line:]
        if not any("<" in r and _TS_SPLIT.search(r) for r in raws):
            return ()
        words: list[Word] = []
        append = words.append
        at = self.start_ms
        for raw in raws:
            parts = _TS_SPLIT.split(_NON_TS_TAG.sub("", raw) if _NON_TS_TAG.search(raw) else raw)
            # parts alternate text, timestamp, text, ...: text before the first stamp starts at `at`
            text = parts[0].strip()
            if text:
                append(Word(at, _tidy(text)))
            for i in range(1, len(parts), 2):
                ts = parts[i]
                if len(ts) == 12:
                    at = int(ts[0:2]) * 3_600_000 + int(ts[3:5]) * 60_000 + int(ts[6:8]) * 1000 + int(ts[9:12])
                else:
                    try:
                        at = inline_ms(ts)
                    except BadTime:
                        pass  # an impossible stamp (warned about when the file was read): the word keeps the time before
                text = parts[i + 1].strip()
                if text:
                    append(Word(at, _tidy(text)))
        return tuple(words)


def parse_payload(raw: str, start_ms: int) -> Payload:
    """Strip markup from a cue payload, keeping the speaker of a <v> voice tag."""
    lines: list[str] = []
    raw_lines: list[str] = []
    raws = raw.split("\n")
    plains = _TAG.sub("", raw).split("\n") if "<" in raw else raws
    unescape = "&" in raw
    for raw_line, text in zip(raws, plains):
        if unescape and "&" in text:
            text = html.unescape(text)
        text = clean_line(text)
        if text:
            lines.append(text)
            raw_lines.append(raw_line)
    speaker = None
    if "<v" in raw:
        m = _VOICE.search(raw)
        if m:
            speaker = clean_line(html.unescape(m.group(1))) or None
    return Payload(lines, raw_lines, speaker, start_ms)


_HTMLISH = re.compile(r"</?(?:i|b|u|s|font|span|c|ruby|rt|v|lang)(?:[ .][^<>]*)?>", re.I)
_ASS_OVERRIDE = re.compile(r"\{\\[^{}]*\}")


def strip_simple_markup(text: str) -> str:
    """For SRT-like formats: drop <i>/<b>/<font> tags and {\\an8}-style overrides, decode entities."""
    if "<" in text:
        text = _HTMLISH.sub("", text)
    if "{\\" in text:
        text = _ASS_OVERRIDE.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text
