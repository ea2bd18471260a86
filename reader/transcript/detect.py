"""Recognise a transcript format from the text itself; the file name is only a tie-breaker."""

from __future__ import annotations

import re

from reader.transcript.model import TranscriptError
from reader.transcript.other import SBV_TIMING
from reader.transcript.plain import looks_plain
from reader.transcript.srt import TIMING as SRT_TIMING

_LRC_STAMP = r"\[[0-9]+:[0-9]{1,2}(?:[.:][0-9]{1,3})?\]"  # [mm:ss], [mm:ss.xx] or [mm:ss:xx]
_LRC = re.compile(r"^\s*(?:" + _LRC_STAMP + r"|\[(?:ar|ti|al|au|by|offset|length|re|ve|id|la):)", re.M | re.I)
_LRC_ANY_STAMP = re.compile(r"^\s*" + _LRC_STAMP, re.M)
_MICRODVD = re.compile(r"^\s*\{[0-9]+\}\{[0-9]*\}", re.M)


def detect(text: str, suffix: str = "") -> str:
    """Return a format name: webvtt, srt, ass, ssa, json3, srv3, srv1, sami, sbv, lrc, json, microdvd or plain."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    first_lines = [line.strip() for line in head.splitlines()[:6] if line.strip()]
    if text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\r\n"):
        return "webvtt"
    before_timing = []  # a cue whose text is "WEBVTT" does not make a file a broken WebVTT file
    for line in first_lines:
        if "-->" in line:
            break
        before_timing.append(line)
    if any(line.startswith("WEBVTT") for line in before_timing) or (suffix == ".vtt" and "-->" not in text):
        raise TranscriptError("not a valid WebVTT file: it must start with the line WEBVTT")
    if _MICRODVD.match(head):
        return "microdvd"
    if head.startswith("{"):
        return "json3" if '"events"' in text[:20000] or '"wireMagic"' in head else "json"
    if suffix == ".lrc" and _LRC_ANY_STAMP.search(head):  # lyrics, whatever tags or lines come before the first time
        return "lrc"
    if head.startswith("[") and not _LRC.match(head) and not head.startswith("[Script Info]"):
        return "json"
    if head.startswith("<"):
        low = head[:2000].lower()
        if "<timedtext" in low or re.search(r"<p\s+t=", low):
            return "srv3"
        if "<transcript" in low:
            return "srv1"
        if "<sami" in low or "<sync" in low:
            return "sami"
        if "<tt" in low:
            raise TranscriptError("TTML captions are not supported yet; convert them to SRT or WebVTT first")
    if "[script info]" in head[:1000].lower() or re.search(r"^\s*\[events\]", text, re.M | re.I):
        return "ass" if re.search(r"ScriptType:\s*v4\.00\+", text[:4000], re.I) or suffix == ".ass" else "ssa"
    if _LRC.match(head):
        return "lrc"
    if SBV_TIMING.search(text[:4096]):
        return "sbv"
    if SRT_TIMING.search(text):
        return "srt"
    if looks_plain(text):
        return "plain"
    raise TranscriptError("not a transcript or subtitle file Reader knows (no timed lines found)")
