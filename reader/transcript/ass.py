"""ASS/SSA and MicroDVD reader, through pysubs2; override tags are dropped, speakers kept from Name/Actor."""

from __future__ import annotations

import warnings as pywarnings

import pysubs2

from .model import Cue, Transcript, TranscriptError, finish


def parse_with_pysubs2(text: str, fmt: str, fps: float | None = None) -> Transcript:
    # pysubs2 expects SSA section headers at the start of a line.
    if fmt in ("ass", "ssa"):
        text = "\n".join(line.lstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")  # pysubs2 warns about style fields it defaults; they don't matter here
            subs = pysubs2.SSAFile.from_string(text, format_=fmt, fps=fps or 25.0)
    except Exception as exc:  # pysubs2 raises several kinds of error for malformed input
        raise TranscriptError(f"not a readable {fmt.upper()} file ({exc})") from None
    cues: list[Cue] = []
    for event in subs.events:
        if event.is_comment:
            continue
        body = event.plaintext.replace("\\h", " ")
        lines = [" ".join(line.split()) for line in body.split("\n")]
        speaker = (event.name or "").strip() or None
        cues.append(Cue(event.start, event.end, "\n".join(line for line in lines if line), speaker))
    warnings = []
    if fmt == "microdvd":
        warnings.append(f"MicroDVD counts frames, not time; read at {fps or 25:g} frames per second.")
    return finish(cues, fmt, warnings)
