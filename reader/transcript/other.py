"""Smaller caption formats people still meet: YouTube SBV, LRC lyrics, SAMI and JSON caption lists."""

from __future__ import annotations

import html
import json
import re

from reader.transcript.cuetext import clean_line, strip_simple_markup
from reader.transcript.model import Cue, Transcript, TranscriptError, finish
from reader.transcript.srt import split_speaker, to_ms
from reader.transcript.times import BadTime, Skipped, checked, line_of, number_ms, text_clock_ms
from reader.transcript.youtube import load_json

SBV_TIMING = re.compile(
    r"^[ \t]*([0-9]+):([0-9]{1,2}):([0-9]{1,2})\.([0-9]{1,3})[ \t]*,[ \t]*([0-9]+):([0-9]{1,2}):([0-9]{1,2})\.([0-9]{1,3})[ \t]*$",
    re.M,
)
_SBV_ONE = re.compile(r"[ \t]*[0-9]+:[0-9]{1,2}:[0-9]{1,2}\.[0-9]{1,3}[ \t]*")
_LRC_TIME = re.compile(r"\[([0-9]+):([0-9]{1,2})(?:[.:]([0-9]{1,3}))?\]")
_LRC_TAG = re.compile(r"^\[[A-Za-z#]+:[^\]]*\]$")  # [ti:Title], [ar:Artist]: not lyrics
_LRC_OFFSET = re.compile(r"^\[offset:\s*([+-]?[0-9]+)\s*\]", re.M | re.I)
_SAMI_SYNC = re.compile(r"<sync\b[^>]*?\bstart\s*=\s*\"?([0-9]+)[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")


def parse_sbv(text: str) -> Transcript:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    matches = list(SBV_TIMING.finditer(text))
    cues: list[Cue] = []
    skipped, broken = Skipped(), Skipped()
    for i, m in enumerate(matches):
        g = m.groups()
        try:
            start, end = to_ms(*g[0:4]), to_ms(*g[4:8])
        except BadTime:
            skipped.add(lambda: f"line {line_of(text, m.start())}")
            continue
        body_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[m.end():body_end].replace("[br]", "\n")
        lines = []
        for n, line in enumerate(body.split("\n")):
            if line.count(",") == 1 and any(_SBV_ONE.fullmatch(side) for side in line.split(",")):
                broken.add(lambda: f"line {line_of(text, m.end()) + n}")  # a timing with a typo: not text
                continue
            lines.append(clean_line(strip_simple_markup(line)))
        speaker, body_text, turn = split_speaker("\n".join(line for line in lines if line))
        cues.append(Cue(start, end, body_text, speaker, (), turn))
    warnings: list[str] = []
    skipped.warn(warnings)
    if broken.count:
        warnings.append(
            f"{broken.count} timing line(s) could not be read (the first at {broken.first}); the text under them was joined to the cue before."
        )
    return finish(cues, "sbv", warnings)


def parse_lrc(text: str) -> Transcript:
    offset = 0
    warnings: list[str] = []
    m = _LRC_OFFSET.search(text)
    if m:
        try:
            offset = number_ms(m.group(1), negative_ok=True)
        except BadTime:
            warnings.append(f"The offset at line {line_of(text, m.start())} is not a time and was ignored.")
    timed: list[tuple[int, str]] = []
    skipped, untimed = Skipped(), Skipped()
    for n, line in enumerate(text.splitlines(), 1):
        stamps = []
        pos = 0
        while True:
            t = _LRC_TIME.match(line, pos)
            if not t:
                break
            try:
                stamps.append(checked(to_ms(None, t.group(1), t.group(2), t.group(3)) - offset, "offset", True))
            except BadTime:
                skipped.add(f"line {n}")
            pos = t.end()
        body = clean_line(line[pos:])
        if pos == 0 and body and not _LRC_TAG.match(body):
            untimed.add(f"line {n}")
        for ms in stamps:
            timed.append((ms, body))
    timed.sort(key=lambda item: item[0])
    cues = []
    for i, (ms, body) in enumerate(timed):
        end = timed[i + 1][0] if i + 1 < len(timed) else ms + 5000
        speaker, body, _ = split_speaker(body)
        cues.append(Cue(ms, end, body, speaker))
    skipped.warn(warnings, "timed line")
    if untimed.count:
        warnings.append(f"{untimed.count} line(s) without a readable time were left out (the first at {untimed.first}).")
    return finish(cues, "lrc", warnings)


def parse_sami(text: str) -> Transcript:
    syncs = []
    skipped = Skipped()
    for m in _SAMI_SYNC.finditer(text):
        try:
            syncs.append((m, number_ms(m.group(1))))
        except BadTime:
            skipped.add(lambda: f"line {line_of(text, m.start())}")
    cues: list[Cue] = []
    for i, (m, start) in enumerate(syncs):
        end_pos = syncs[i + 1][0].start() if i + 1 < len(syncs) else len(text)
        chunk = text[m.end():end_pos]
        chunk = re.split(r"</body>", chunk, flags=re.I)[0]
        chunk = re.sub(r"<br\s*/?>", "\n", chunk, flags=re.I)
        body = html.unescape(_TAGS.sub("", chunk))
        lines = [clean_line(line) for line in body.split("\n")]
        end = syncs[i + 1][1] if i + 1 < len(syncs) else start + 5000
        # An empty (&nbsp;) SYNC clears the screen: it only ends the cue before it.
        cues.append(Cue(start, end, "\n".join(line for line in lines if line)))
    warnings: list[str] = []
    skipped.warn(warnings)
    return finish(cues, "sami", warnings)


def parse_json_list(text: str) -> Transcript:
    """A JSON array of captions with start/end in ms (or seconds) and text/content, or Reader's own JSON."""
    try:
        data = load_json(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"not valid JSON: the first mistake is on line {exc.lineno}, "
                              f"{exc.colno} character{'s' if exc.colno != 1 else ''} in") from None
    except ValueError:
        raise TranscriptError("not valid JSON") from None
    warnings: list[str] = []
    chapters = []
    if isinstance(data, dict) and isinstance(data.get("cues"), list):
        from reader.transcript.model import Chapter

        bad_chapters = 0
        for c in data.get("chapters") or []:
            if isinstance(c, dict) and "start_ms" in c and "title" in c:
                try:
                    chapters.append(Chapter(number_ms(c["start_ms"]), str(c["title"])))
                except BadTime:
                    bad_chapters += 1
        if bad_chapters:
            warnings.append(f"{bad_chapters} chapter(s) with impossible times were left out.")
        data = data["cues"]
    if not isinstance(data, list):
        raise TranscriptError("JSON, but not a list of captions")
    cues = []
    skipped = Skipped()
    untimed = Skipped()
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict):
            untimed.add(f"item {number}")
            continue
        body = item.get("text") if isinstance(item.get("text"), str) else item.get("content")
        if not isinstance(body, str):
            untimed.add(f"item {number}")
            continue
        try:
            if "start_ms" in item:
                start = number_ms(item["start_ms"], negative_ok=True)
                end = number_ms(item.get("end_ms", item["start_ms"]), negative_ok=True)
            elif "start" in item:
                start = _json_time(item["start"])
                end = _json_time(item.get("end", item["start"]))
                if "duration" in item and "end" not in item:
                    end = checked(start + _json_time(item["duration"]), "end", True)
            else:
                untimed.add(f"item {number}")
                continue
        except BadTime:
            skipped.add(f"item {number}")
            continue
        speaker = item.get("speaker") if isinstance(item.get("speaker"), str) else None
        lines = [clean_line(strip_simple_markup(line)) for line in body.split("\n")]
        cues.append(Cue(start, end, "\n".join(line for line in lines if line), speaker))
    if not cues and data and not skipped.count:
        raise TranscriptError("JSON, but no item has a start time and text")
    skipped.warn(warnings)
    if untimed.count:
        warnings.append(f"{untimed.count} item(s) without a start time or text were left out (the first is {untimed.first}).")
    return finish(cues, "json", warnings, chapters)


def _json_time(value) -> int:
    """Seconds as '1:02.5' or a float, or ms as an integer (whole numbers are ms, as in most exports)."""
    if isinstance(value, str):
        return text_clock_ms(value) if ":" in value else number_ms(value, 1000, negative_ok=True)
    if isinstance(value, float):
        return number_ms(value, 1000, negative_ok=True)  # floats are seconds (YouTube transcript API style)
    return number_ms(value, negative_ok=True)
