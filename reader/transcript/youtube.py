"""YouTube's own caption files: json3 and srv3 (with word timings) and the srv1 timedtext XML."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET

from .cuetext import clean_line, strip_simple_markup
from .model import Cue, Transcript, TranscriptError, Word, finish


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
        data = json.loads(text)
        events = data["events"]
    except (ValueError, KeyError, TypeError):
        events = None
    if not isinstance(events, list):
        raise TranscriptError("not a YouTube json3 caption file (no events list)")
    cues: list[Cue] = []
    for event in events:
        if not isinstance(event, dict) or not event.get("segs") or event.get("aAppend"):
            continue
        try:
            start = int(event.get("tStartMs", 0))
            end = start + int(event.get("dDurationMs", 0))
            pieces = [(start + int(seg.get("tOffsetMs", 0)), str(seg.get("utf8", ""))) for seg in event["segs"]]
        except (TypeError, ValueError, AttributeError):
            continue
        cue = _cue_from_pieces(start, end, pieces)
        if cue:
            cues.append(cue)
    return finish(_trim_overlaps(cues), "youtube-json3", [])


def _trim_overlaps(cues: list[Cue]) -> list[Cue]:
    """YouTube keeps an ASR line on screen until the next-but-one starts; end each where the next begins."""
    for a, b in zip(cues, cues[1:]):
        if b.start_ms > a.start_ms and a.end_ms > b.start_ms:
            a.end_ms = b.start_ms
    return cues


def _parse_xml(text: str) -> ET.Element:
    try:
        return ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise TranscriptError(f"not well-formed XML ({exc})") from None


def parse_srv3(text: str) -> Transcript:
    root = _parse_xml(text)
    cues: list[Cue] = []
    for p in root.iter("p"):
        if p.get("a") == "1":
            continue
        try:
            start = int(p.get("t", "0"))
            end = start + int(p.get("d", "0"))
        except ValueError:
            continue
        segs = list(p.iter("s"))
        if segs:
            pieces = [(start + int(s.get("t", "0") or 0), s.text or "") for s in segs]
        else:
            pieces = [(start, "".join(p.itertext()))]
        cue = _cue_from_pieces(start, end, pieces)
        if cue:
            cues.append(cue)
    return finish(_trim_overlaps(cues), "youtube-srv3", [])


def parse_srv1(text: str) -> Transcript:
    root = _parse_xml(text)
    cues: list[Cue] = []
    for node in root.iter("text"):
        try:
            start = round(float(node.get("start", "0")) * 1000)
            end = start + round(float(node.get("dur", "0")) * 1000)
        except ValueError:
            continue
        # The text is HTML escaped once more inside the XML; markup in it is shown as text, minus tags.
        body = clean_line(strip_simple_markup(html.unescape(node.text or "")).replace("\n", " "))
        if body:
            cues.append(Cue(start, end, body))
    return finish(cues, "youtube-srv1", [])
