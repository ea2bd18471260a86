"""Smaller caption formats people still meet: YouTube SBV, LRC lyrics, SAMI and JSON caption lists."""

from __future__ import annotations

import html
import json
import re

from .cuetext import clean_line, strip_simple_markup
from .model import Cue, Transcript, TranscriptError, finish
from .srt import split_speaker, to_ms

SBV_TIMING = re.compile(
    r"^[ \t]*([0-9]+):([0-9]{1,2}):([0-9]{1,2})\.([0-9]{1,3})[ \t]*,[ \t]*([0-9]+):([0-9]{1,2}):([0-9]{1,2})\.([0-9]{1,3})[ \t]*$",
    re.M,
)
_LRC_TIME = re.compile(r"\[([0-9]+):([0-9]{1,2})(?:[.:]([0-9]{1,3}))?\]")
_LRC_OFFSET = re.compile(r"^\[offset:\s*([+-]?[0-9]+)\s*\]", re.M | re.I)
_SAMI_SYNC = re.compile(r"<sync\b[^>]*?\bstart\s*=\s*\"?([0-9]+)[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")


def parse_sbv(text: str) -> Transcript:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    matches = list(SBV_TIMING.finditer(text))
    cues: list[Cue] = []
    for i, m in enumerate(matches):
        g = m.groups()
        body_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[m.end():body_end].replace("[br]", "\n")
        lines = [clean_line(strip_simple_markup(line)) for line in body.split("\n")]
        speaker, body_text, turn = split_speaker("\n".join(line for line in lines if line))
        cues.append(Cue(to_ms(*g[0:4]), to_ms(*g[4:8]), body_text, speaker, (), turn))
    return finish(cues, "sbv", [])


def parse_lrc(text: str) -> Transcript:
    offset = 0
    m = _LRC_OFFSET.search(text)
    if m:
        offset = int(m.group(1))
    timed: list[tuple[int, str]] = []
    for line in text.splitlines():
        stamps = []
        pos = 0
        while True:
            t = _LRC_TIME.match(line, pos)
            if not t:
                break
            stamps.append(to_ms(None, t.group(1), t.group(2), t.group(3)) - offset)
            pos = t.end()
        body = clean_line(line[pos:])
        for ms in stamps:
            timed.append((ms, body))
    timed.sort(key=lambda item: item[0])
    cues = []
    for i, (ms, body) in enumerate(timed):
        end = timed[i + 1][0] if i + 1 < len(timed) else ms + 5000
        speaker, body, _ = split_speaker(body)
        cues.append(Cue(ms, end, body, speaker))
    return finish(cues, "lrc", [])


def parse_sami(text: str) -> Transcript:
    syncs = list(_SAMI_SYNC.finditer(text))
    cues: list[Cue] = []
    for i, m in enumerate(syncs):
        end_pos = syncs[i + 1].start() if i + 1 < len(syncs) else len(text)
        chunk = text[m.end():end_pos]
        chunk = re.split(r"</body>", chunk, flags=re.I)[0]
        chunk = re.sub(r"<br\s*/?>", "\n", chunk, flags=re.I)
        body = html.unescape(_TAGS.sub("", chunk))
        lines = [clean_line(line) for line in body.split("\n")]
        start = int(m.group(1))
        end = int(syncs[i + 1].group(1)) if i + 1 < len(syncs) else start + 5000
        # An empty (&nbsp;) SYNC clears the screen: it only ends the cue before it.
        cues.append(Cue(start, end, "\n".join(line for line in lines if line)))
    return finish(cues, "sami", [])


def parse_json_list(text: str) -> Transcript:
    """A JSON array of captions with start/end in ms (or seconds) and text/content, or Reader's own JSON."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise TranscriptError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    chapters = []
    if isinstance(data, dict) and isinstance(data.get("cues"), list):
        from .model import Chapter

        chapters = [Chapter(int(c["start_ms"]), str(c["title"])) for c in data.get("chapters") or [] if isinstance(c, dict) and "start_ms" in c and "title" in c]
        data = data["cues"]
    if not isinstance(data, list):
        raise TranscriptError("JSON, but not a list of captions")
    cues = []
    for item in data:
        if not isinstance(item, dict):
            continue
        try:
            if "start_ms" in item:
                start, end = int(item["start_ms"]), int(item.get("end_ms", item["start_ms"]))
            elif "start" in item:
                start, end = _json_time(item["start"]), _json_time(item.get("end", item["start"]))
                if "duration" in item and "end" not in item:
                    end = start + _json_time(item["duration"])
            else:
                continue
        except (TypeError, ValueError):
            continue
        body = item.get("text") if isinstance(item.get("text"), str) else item.get("content")
        if not isinstance(body, str):
            continue
        speaker = item.get("speaker") if isinstance(item.get("speaker"), str) else None
        lines = [clean_line(strip_simple_markup(line)) for line in body.split("\n")]
        cues.append(Cue(start, end, "\n".join(line for line in lines if line), speaker))
    if not cues and data:
        raise TranscriptError("JSON, but no item has a start time and text")
    return finish(cues, "json", [], chapters)


def _json_time(value) -> int:
    if isinstance(value, str):
        parts = value.replace(",", ".").split(":")
        seconds = 0.0
        for part in parts:
            seconds = seconds * 60 + float(part)
        return round(seconds * 1000)
    if isinstance(value, float):
        return round(value * 1000)  # floats are seconds (YouTube transcript API style)
    return int(value)
