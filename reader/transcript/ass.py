"""ASS/SSA and MicroDVD reader, through pysubs2; override tags are dropped, speakers kept from Name/Actor."""

from __future__ import annotations

import re
import warnings as pywarnings

import pysubs2

from reader.transcript.model import Cue, Transcript, TranscriptError, finish
from reader.transcript.times import BadTime, Skipped, checked

# What pysubs2 accepts as an event time (it matches a prefix); any other time makes it refuse the whole file.
_SSA_TIME = re.compile(r"-?(?:[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}[.,][0-9]{1,3}|[0-9]{1,2}:[0-9]{2}:[0-9]{2})")
# MicroDVD frame numbers; a real film has fewer than a billion frames.
_MICRODVD_LINE = re.compile(r" *\{ *([0-9]+) *\} *\{ *([0-9]+) *\}(.+)")  # as pysubs2 reads them; it skips other lines
_MAX_FRAME_DIGITS = 10


def _drop_bad_times(text: str, fmt: str, skipped: Skipped) -> str:
    """Leave out the event lines whose times pysubs2 would choke on, counting them."""
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        if fmt == "microdvd":
            m = _MICRODVD_LINE.match(line)
            if (m is None and line.strip()) or (m and max(len(m.group(1)), len(m.group(2))) > _MAX_FRAME_DIGITS):
                skipped.add(f"line {n}")
                continue
        elif line.startswith(("Dialogue:", "Comment:")):
            fields = line.split(":", 1)[1].strip().split(",", 3)
            if len(fields) >= 3 and not all(_SSA_TIME.match(f.strip()) for f in fields[1:3]):
                if line.startswith("Dialogue:"):
                    skipped.add(f"line {n}")
                continue
        out.append(line)
    return "\n".join(out)


def parse_with_pysubs2(text: str, fmt: str, fps: float | None = None) -> Transcript:
    # pysubs2 expects SSA section headers at the start of a line.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt in ("ass", "ssa"):
        text = "\n".join(line.lstrip() for line in text.split("\n"))
    skipped = Skipped()
    text = _drop_bad_times(text, fmt, skipped)
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")  # pysubs2 warns about style fields it defaults; they don't matter here
            subs = pysubs2.SSAFile.from_string(text, format_=fmt, fps=fps or 25.0)
    except Exception:  # pysubs2 raises several kinds of error for malformed input, in Python's words
        name = "MicroDVD" if fmt == "microdvd" else fmt.upper()
        raise TranscriptError(f"not a readable {name} file: part of it is damaged or not in the {name} layout") from None
    cues: list[Cue] = []
    for number, event in enumerate(subs.events, 1):
        if event.is_comment:
            continue
        try:
            start, end = checked(int(event.start), event.start, True), checked(int(event.end), event.end, True)
        except (BadTime, TypeError, ValueError, OverflowError):
            skipped.add(f"event {number}")
            continue
        body = event.plaintext.replace("\\h", " ")
        lines = [" ".join(line.split()) for line in body.split("\n")]
        speaker = (event.name or "").strip() or None
        cues.append(Cue(start, end, "\n".join(line for line in lines if line), speaker))
    warnings: list[str] = []
    skipped.warn(warnings)
    if fmt == "microdvd":
        warnings.append(f"MicroDVD counts frames, not time; read at {fps or 25:g} frames per second.")
    return finish(cues, fmt, warnings)
