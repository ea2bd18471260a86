"""What to show for a media file and/or a transcript: finds subtitles and chapters, collects problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .media_files import find_chapter_list, find_sidecar, is_media, media_chapters
from .transcript import Transcript, TranscriptError, read_transcript


@dataclass
class Session:
    media: Path | None
    transcript_path: Path | None
    transcript: Transcript | None
    title: str
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


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
