"""What the window shows for an opened video: its media, transcript, chapters, title and the problems found, as a Session."""

from __future__ import annotations

import re as _re
from dataclasses import dataclass, field
from pathlib import Path

from reader.library.media_files import find_chapter_list, find_sidecar, is_media, media_chapters
from reader.transcript import Transcript, TranscriptError, read_transcript


@dataclass
class Session:
    media: Path | None
    transcript_path: Path | None
    transcript: Transcript | None
    title: str
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    video_id: int | None = None  # the library entry, when there is one
    details: str = ""  # channel, date, where the transcript came from
    description: str = ""
    resume_ms: int = 0
    exact: bool = False  # resume_ms was asked for (a search hit), not just where it was left


def open_session(media: Path | None, subs: Path | None = None) -> Session:
    """Prepare media and transcript for the window; problems become messages, never exceptions."""
    errors: list[str] = []
    notices: list[str] = []
    if media is not None and not media.exists():
        errors.append(f"{media.name}: no such file ({media.parent}).")
        media = None
    elif media is not None and not is_media(media):
        notices.append(f"{media.name} does not look like a video or audio file; trying to play it anyway.")
    if subs is None and media is not None:
        subs = find_sidecar(media)
    transcript = None
    if subs is not None:
        try:
            transcript = read_transcript(subs)
        except TranscriptError as exc:
            errors.append(f"The transcript could not be read. {exc}")
    if transcript is not None and transcript.warnings:
        notices.append(f"{subs.name}: " + " ".join(transcript.warnings))
    if transcript is not None and not transcript.chapters and media is not None:
        transcript.chapters = find_chapter_list(media) or media_chapters(media)
    title = (media or subs).stem if (media or subs) else "Reader"
    if title.endswith((".en", ".en-US", ".en-GB")) and media is None:
        title = title.rsplit(".", 1)[0]
    return Session(media, subs if transcript is not None or subs else None, transcript, title, errors, notices)


SOURCE_WORDS = {"creator": "subtitles by the creator", "automatic": "automatic captions", "file": "transcript file"}


def source_line(source: str | None, language: str = "", file_name: str = "", fmt: str = "") -> str:
    """Where a transcript came from, for the line under the title: one wording however the video was opened
    (a file, the library, the demo) and however often it is shown. A transcript file is named, with its format."""
    source = source or "file"
    if source == "file" and file_name:
        return f"Transcript: {display_title(file_name, 100)}" + (f" ({display_title(fmt, 20)})" if fmt else "")
    lang = f" ({display_title(language, 20)})" if language else ""
    return f"Transcript: {display_title(SOURCE_WORDS.get(source, source), 100)}{lang}"


def library_session(store, video_id: int) -> Session | None:
    """What to show for a library entry, from the database; a missing media file becomes a message."""
    row = store.video(video_id)
    if row is None:
        return None
    errors: list[str] = []
    media = Path(row["media_path"]) if row["media_path"] else None
    if media is not None and not media.exists():
        errors.append(f"The media file of “{display_title(row['title'], 80)}” is missing ({media}); the transcript can still be read.")
        media = None
    transcript = store.transcript(video_id) if row["cue_count"] else None
    source = row["transcript_source"] or "none"
    bits = [display_title(row["channel"], 100), display_title(row["upload_date"], 20)]
    tpath = Path(row["transcript_path"]) if row["transcript_path"] else None
    if transcript is not None:
        bits.append(source_line(source, row["transcript_language"] or "", tpath.name if tpath else "", transcript.format))
    else:
        bits.append("No transcript")
    return Session(media, tpath, transcript, display_title(row["title"]), errors, [], video_id, " · ".join(b for b in bits if b),
                   row["description"] or "", row["last_position_ms"] or 0)


_SPACE = _re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def display_title(text, limit: int = 200) -> str:
    """A title, name or label as one line a widget can show: controls and line breaks become spaces,
    and anything longer than `limit` characters ends in an ellipsis (1 MB titles included)."""
    text = _SPACE.sub(" ", str(text or "")[: limit * 4]).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
