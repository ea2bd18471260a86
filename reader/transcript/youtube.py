"""YouTube's own caption files: json3 and srv3 (with word timings) and the srv1 timedtext XML."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET

from reader.transcript.cuetext import clean_line, strip_simple_markup
from reader.transcript.model import Cue, Transcript, TranscriptError, Word, finish
from reader.transcript.times import BadTime, Skipped, checked, number_ms


def _json_int(digits: str) -> int | float:
    # Python refuses to turn more than 4,300 digits into an int; no time has more than 20 anyway.
    return int(digits) if len(digits) <= 20 else float(digits)


def load_json(text: str):
    """json.loads that reads absurdly long integers as (infinite) floats instead of failing, so
    they reach the time checks; raises ValueError for text that is not JSON."""
    return json.loads(text, parse_int=_json_int)


def _warn_words(bad_words: int, warnings: list[str]) -> None:
    if bad_words:
        warnings.append(f"{bad_words} word timing(s) were impossible; those words take their line's time.")


def _cue_from_pieces(start_ms: int, end_ms: int, pieces: list[tuple[int, str]]) -> Cue | None:
    text = clean_line("".join(p for _, p in pieces).replace("\n", " "))
    if not text:
        return None
    turn = text.startswith(">>")
    if turn:
        text = text[2:].lstrip()
    words = tuple(Word(ms, clean_line(p)) for ms, p in pieces if clean_line(p) and clean_line(p) != ">>")
    return Cue(start_ms, end_ms, text, None, words if len(words) > 1 else (), turn)


def parse_json3(text: str) -> Transcript:
    try:
        data = load_json(text)
        events = data["events"]
    except (ValueError, KeyError, TypeError):
        events = None
    if not isinstance(events, list):
        raise TranscriptError("not a YouTube json3 caption file (no events list)")
    cues: list[Cue] = []
    skipped, malformed = Skipped(), Skipped()
    bad_words = 0
    for number, event in enumerate(events, 1):
        if not isinstance(event, dict) or not event.get("segs") or event.get("aAppend"):
            continue
        segs = event["segs"]
        if not isinstance(segs, list) or not all(isinstance(seg, dict) for seg in segs):
            malformed.add(f"event {number}")
            continue
        try:
            start = number_ms(event.get("tStartMs", 0), negative_ok=True)
            end = checked(start + number_ms(event.get("dDurationMs", 0), negative_ok=True), "end", True)
        except BadTime:
            skipped.add(f"event {number}")
            continue
        pieces = []
        for seg in segs:
            try:
                at = checked(start + number_ms(seg.get("tOffsetMs", 0), negative_ok=True), "offset", True)
            except BadTime:
                bad_words += 1
                at = start
            pieces.append((at, str(seg.get("utf8", ""))))
        cue = _cue_from_pieces(start, end, pieces)
        if cue:
            cues.append(cue)
    warnings: list[str] = []
    skipped.warn(warnings)
    if malformed.count:
        warnings.append(f"{malformed.count} event(s) had text in a shape Reader does not know and were left out (the first is {malformed.first}).")
    _warn_words(bad_words, warnings)
    return finish(_trim_overlaps(cues), "youtube-json3", warnings)


def _trim_overlaps(cues: list[Cue]) -> list[Cue]:
    """YouTube keeps an ASR line on screen until the next-but-one starts; end each where the next begins."""
    for a, b in zip(cues, cues[1:]):
        if b.start_ms > a.start_ms and a.end_ms > b.start_ms:
            a.end_ms = b.start_ms
    return cues


def _parse_xml(text: str) -> ET.Element:
    try:
        return ET.fromstring(text.encode("utf-8", errors="replace"))
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise TranscriptError(f"not well-formed XML: it breaks off or is damaged on line {line}, "
                              f"{column + 1} character{'s' if column else ''} in") from None


def parse_srv3(text: str) -> Transcript:
    root = _parse_xml(text)
    cues: list[Cue] = []
    skipped = Skipped()
    bad_words = 0
    for number, p in enumerate(root.iter("p"), 1):
        if p.get("a") == "1":
            continue
        try:
            start = number_ms(p.get("t") or "0", negative_ok=True)
            end = checked(start + number_ms(p.get("d") or "0", negative_ok=True), "end", True)
        except BadTime:
            if "".join(p.itertext()).strip():
                skipped.add(f"paragraph {number}")
            continue
        segs = list(p.iter("s"))
        if segs:
            pieces = []
            for s in segs:
                try:
                    at = checked(start + number_ms(s.get("t") or "0", negative_ok=True), "offset", True)
                except BadTime:
                    bad_words += 1
                    at = start
                pieces.append((at, s.text or ""))
        else:
            pieces = [(start, "".join(p.itertext()))]
        cue = _cue_from_pieces(start, end, pieces)
        if cue:
            cues.append(cue)
    warnings: list[str] = []
    skipped.warn(warnings)
    _warn_words(bad_words, warnings)
    return finish(_trim_overlaps(cues), "youtube-srv3", warnings)


def parse_srv1(text: str) -> Transcript:
    root = _parse_xml(text)
    cues: list[Cue] = []
    skipped = Skipped()
    for number, node in enumerate(root.iter("text"), 1):
        # The text is HTML escaped once more inside the XML; markup in it is shown as text, minus tags.
        body = clean_line(strip_simple_markup(html.unescape(node.text or "")).replace("\n", " "))
        if not body:
            continue
        try:
            start = number_ms(node.get("start") or "0", 1000, negative_ok=True)
            end = checked(start + number_ms(node.get("dur") or "0", 1000, negative_ok=True), "end", True)
        except BadTime:
            skipped.add(f"text element {number}")
            continue
        cues.append(Cue(start, end, body))
    warnings: list[str] = []
    skipped.warn(warnings)
    return finish(cues, "youtube-srv1", warnings)
