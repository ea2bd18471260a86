"""Write a Transcript back out as JSON, SRT, WebVTT or plain text."""

from __future__ import annotations

import json
import re

from reader.transcript.model import Transcript

_LOOKS_LIKE_MARKUP = re.compile(r"</?(?:i|b|u|s|font|span|c|ruby|rt|v|lang)(?:[ .][^<>]*)?>|&[#a-zA-Z0-9]+;|\{\\", re.I)


def clock(ms: int, sep: str = ".", hours: bool = True) -> str:
    ms = max(0, ms)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}" if hours or h else f"{m:02d}:{s:02d}{sep}{milli:03d}"


def short_clock(ms: int) -> str:
    """The friendly form shown in the interface: 4:05 or 1:02:03."""
    total = max(0, ms) // 1000
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def to_json(t: Transcript) -> str:
    return json.dumps(t.to_json(), ensure_ascii=False, indent=1)


def _srt_safe(text: str) -> str:
    """SRT has no escaping; text that a reader would take for markup (<b>, &amp;) is written as entities."""
    if _LOOKS_LIKE_MARKUP.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def to_srt(t: Transcript) -> str:
    blocks = []
    for n, cue in enumerate(t.cues, 1):
        text = _srt_safe(f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text)
        blocks.append(f"{n}\n{clock(cue.start_ms, ',')} --> {clock(cue.end_ms, ',')}\n{text}\n")
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")


def to_vtt(t: Transcript) -> str:
    blocks = ["WEBVTT\n"]
    for cue in t.cues:
        body = _vtt_escape(cue.text).replace("\n\n", "\n")
        if cue.speaker:
            body = f"<v {_vtt_escape(cue.speaker)}>{body}"
        blocks.append(f"{clock(cue.start_ms)} --> {clock(cue.end_ms)}\n{body}\n")
    return "\n".join(blocks)


def to_txt(t: Transcript) -> str:
    lines = []
    speaker = None
    for cue in t.cues:
        prefix = ""
        if cue.speaker and cue.speaker != speaker:
            prefix = f"{cue.speaker}: "
        speaker = cue.speaker
        lines.append(f"[{short_clock(cue.start_ms)}] {prefix}{cue.text.replace(chr(10), ' ')}")
    return "\n".join(lines) + "\n"


WRITERS = {"json": to_json, "srt": to_srt, "vtt": to_vtt, "txt": to_txt}
