"""The plain records the Store takes and gives (a video's fields, a search hit, a transcript change) and the clamps on them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from reader.transcript.model import Word


def _private(path: Path) -> None:
    """The database (and its WAL files) readable by the user only."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if p.exists():
                p.chmod(0o600)
        except OSError:
            pass


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class VideoRecord:
    """What an import or an opened file knows about a video, before it is stored."""

    site: str
    site_id: str
    title: str
    source_url: str = ""
    channel: str = ""
    description: str = ""
    duration_ms: int = 0
    upload_date: str = ""
    thumbnail_path: str = ""
    media_path: str = ""
    transcript_path: str = ""
    transcript_source: str = "none"  # creator, automatic, file or none
    transcript_language: str = ""
    extra: dict = field(default_factory=dict)
    keep_title: bool = False  # importing it again leaves the title the entry has (a local file, whose title is its name)


@dataclass
class SearchHit:
    video_id: int
    title: str
    start_ms: int
    text: str
    snippet: str  # the line with the match between \x02 and \x03 markers


@dataclass
class TranscriptChange:
    """What storing a transcript did: kept the old one (the new had no lines), or replaced it and
    re-placed `placed` highlights, with `lost` (rows) kept but not found in the new lines."""

    kept: bool = False
    placed: int = 0
    lost: list[dict] = field(default_factory=list)


_USAGE_COLUMNS = ("model", "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens")


def _ms(value, fallback: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return fallback


def _clamp(text, limit: int) -> str:
    """A title, name or description stored within limits (a page can hand over megabytes)."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _words_loader(raw: str):
    """Word timings are decoded from JSON only when the line is drawn."""

    def load() -> tuple[Word, ...]:
        try:
            return tuple(Word(int(ms), str(t)) for ms, t in json.loads(raw))
        except (ValueError, TypeError, OverflowError, RecursionError):
            return ()

    return load
