"""Transcripts: read every common subtitle and transcript format into one model of timed cues. May import: base."""

from __future__ import annotations

from pathlib import Path

from reader.base.safe_io import FileProblem, read_limited
from reader.transcript.model import Chapter, Cue, Transcript, TranscriptError, Word
from reader.transcript.times import BadTime

MAX_BYTES = 200 * 1024 * 1024
TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".ass", ".ssa", ".json3", ".srv3", ".srv1", ".xml", ".sbv", ".lrc", ".smi", ".sami", ".json", ".sub", ".txt", ".md")

__all__ = ["Chapter", "Cue", "Transcript", "TranscriptError", "Word", "parse_text", "read_transcript", "TRANSCRIPT_SUFFIXES"]


def parse_text(text: str, suffix: str = "", encoding: str = "utf-8") -> Transcript:
    """Parse already-decoded text, choosing the reader from the content; only TranscriptError escapes."""
    try:
        return _parse(text, suffix, encoding)
    except RecursionError:
        raise TranscriptError("its structure is nested too deeply to read") from None
    except BadTime as exc:  # each reader skips or names impossible times itself; this is the last guard
        raise TranscriptError(f"the time {exc.shown} is not a time") from None


def _parse(text: str, suffix: str, encoding: str) -> Transcript:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    from reader.transcript.detect import detect  # the readers' patterns are compiled when a transcript is first read, not at start-up

    fmt = detect(text, suffix.lower())
    if fmt == "webvtt":
        if encoding.startswith(("utf-16", "utf-32")):
            raise TranscriptError(f"a WebVTT file must be UTF-8, and this one is {encoding.upper()}; save it again as UTF-8")
        from reader.transcript.webvtt import parse_webvtt

        return parse_webvtt(text)
    if fmt == "srt":
        from reader.transcript.srt import parse_srt

        return parse_srt(text)
    if fmt in ("ass", "ssa", "microdvd"):
        from reader.transcript.ass import parse_with_pysubs2

        return parse_with_pysubs2(text, fmt)
    if fmt in ("json3", "srv3", "srv1"):
        from reader.transcript import youtube

        return getattr(youtube, f"parse_{fmt}")(text)
    if fmt in ("sbv", "lrc", "sami"):
        from reader.transcript import other

        return getattr(other, f"parse_{fmt}")(text)
    if fmt == "json":
        from reader.transcript.other import parse_json_list

        return parse_json_list(text)
    from reader.transcript.plain import parse_plain

    return parse_plain(text)


def _about(name: str, message: str) -> str:
    """A reader's complaint as a sentence about the file: "talk.srt is not valid JSON: …."."""
    if message.startswith(name):
        return message
    message = message.rstrip()
    if not message.endswith((".", "!", "?")):
        message += "."
    return f"{name} is {message}" if message.startswith("not ") else f"{name}: {message}"


def read_transcript(path: str | Path) -> Transcript:
    """Read a transcript file of any supported format; TranscriptError names the file on failure.

    Only regular files are read (a device, a pipe or a folder is refused before reading), and
    never more than MAX_BYTES of them."""
    path = Path(path)
    try:
        data = read_limited(path, MAX_BYTES, "transcript")
    except FileProblem as exc:
        raise TranscriptError(str(exc)) from None
    if not data.strip():
        raise TranscriptError(f"{path.name} is empty.")
    try:
        from reader.transcript.decode import decode

        text, encoding = decode(data, path.name)
        transcript = parse_text(text, path.suffix, encoding)
    except TranscriptError as exc:
        message = str(exc)
        raise TranscriptError(_about(path.name, message)) from None
    if encoding not in ("utf-8", "ascii"):
        transcript.warnings.append(f"Read as {encoding}.")
    if not transcript.cues:
        transcript.warnings.append("The file has no text to show.")
    return transcript
