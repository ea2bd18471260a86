"""Bringing videos into the library and taking them out: one path for links and local files alike.

An import is prepared in a staging folder (the slow part, safe off the GUI thread), then committed:
files moved into place and the database written in one step, so a failure leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .download import Fetched, ImportCancelled, ImportFailed, ImportOptions, Progress, fetch
from .media_files import find_chapter_list, find_sidecar, is_media, media_chapters, media_facts, media_thumbnail
from .paths import data_dir
from .store import Store, VideoRecord
from .transcript import Transcript, TranscriptError, read_transcript
from .transcript.chapters import parse_chapter_list
from .transcript.model import Chapter


def media_root() -> Path:
    root = data_dir() / "media"
    if not root.is_dir():
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def thumbnail_root() -> Path:
    """Pictures for entries that refer to files where they are (Reader keeps no folder for those)."""
    root = data_dir() / "thumbnails"
    if not root.is_dir():
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def safe_name(text: str, limit: int = 80) -> str:
    """A folder name from text of any origin: no separators, no dots-only, no reserved names."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_.-")[:limit] or "item"  # no '-x' that reads as an option
    if name.upper() in {"CON", "PRN", "AUX", "NUL"} or re.fullmatch(r"(?i)(COM|LPT)[0-9]", name):
        name = "_" + name
    return name


@dataclass
class Prepared:
    """An import ready to commit: staged files, the record to store, and its transcript."""

    record: VideoRecord
    transcript: Transcript | None
    staging: Path | None
    notices: list[str] = field(default_factory=list)


def discard(prepared: Prepared | None) -> None:
    if prepared is not None and prepared.staging is not None:
        shutil.rmtree(prepared.staging, ignore_errors=True)


def clean_staging() -> None:
    """Remove staging folders left by an import that was interrupted (the app killed, say)."""
    for folder in media_root().glob(".staging-*"):
        shutil.rmtree(folder, ignore_errors=True)


def prepare_url(url: str, options: ImportOptions, on_progress: Callable[[Progress], None] = lambda p: None,
                cancelled: Callable[[], bool] = lambda: False, extractors=()) -> Prepared:
    """Download into a staging folder and read the transcript. Safe to run off the GUI thread."""
    url = url.strip()
    if not re.match(r"(?i)^https?://\S+$", url):
        raise ImportFailed("That is not a web address. Paste a link such as https://www.youtube.com/watch?v=…")
    staging = media_root() / f".staging-{uuid.uuid4().hex}"
    try:
        fetched = fetch(url, staging, options, on_progress, cancelled, extractors)
        prepared = _prepared_from_fetch(url, fetched, options)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return prepared


def _prepared_from_fetch(url: str, fetched: Fetched, options: ImportOptions) -> Prepared:
    info = fetched.info
    notices: list[str] = []
    transcript = None
    if fetched.captions is not None:
        try:
            transcript = read_transcript(fetched.captions)
        except TranscriptError as exc:
            notices.append(f"The captions could not be read ({exc}).")
    if transcript is None or not transcript.cues:
        if not options.video:
            raise ImportFailed("This video has no subtitles or captions in any language, so there is nothing to import "
                               "without the video. Import it with the video instead.")
        if fetched.captions is None:
            notices.append("This video has no subtitles or captions; you can watch it, and add a subtitle file later.")
    chapters = _chapters(info)
    if transcript is not None and chapters:
        transcript.chapters = chapters
    site = (info.get("extractor_key") or "web").lower()
    record = VideoRecord(
        site=site,
        site_id=str(info.get("id") or hashlib.sha1(url.encode()).hexdigest()[:16]),
        title=(info.get("title") or "Untitled").strip() or "Untitled",
        source_url=info.get("webpage_url") or info.get("original_url") or url,
        channel=info.get("channel") or info.get("uploader") or "",
        description=info.get("description") or "",
        duration_ms=int((info.get("duration") or 0) * 1000),
        upload_date=_date(info.get("upload_date")),
        media_path=str(fetched.media) if fetched.media else "",
        thumbnail_path=str(fetched.thumbnail) if fetched.thumbnail else "",
        transcript_path=str(fetched.captions) if fetched.captions else "",
        transcript_source=fetched.caption_kind if transcript is not None else "none",
        transcript_language=fetched.caption_language,
    )
    return Prepared(record, transcript, fetched.folder, notices + fetched.notices)


def _date(value) -> str:
    value = str(value or "")
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if re.fullmatch(r"\d{8}", value) else value


def _chapters(info: dict) -> list[Chapter]:
    found = []
    for ch in info.get("chapters") or []:
        try:
            found.append(Chapter(int(float(ch["start_time"]) * 1000), str(ch.get("title") or "").strip() or f"Chapter {len(found) + 1}"))
        except (KeyError, TypeError, ValueError):
            continue
    return found or parse_chapter_list(info.get("description") or "")


def prepare_file(media: Path | None, subs: Path | None = None, copy: bool = True) -> Prepared:
    """A local media file (and/or transcript). With copy, the files are linked or copied into the
    library like a download; without, the entry refers to them where they are (`reader open`)."""
    if media is None and subs is None:
        raise ImportFailed("Nothing to import: give a video, audio or transcript file.")
    for path in (media, subs):
        if path is not None and not path.is_file():
            raise ImportFailed(f"{path.name}: no such file ({path.parent}).")
    if media is not None and subs is None:
        subs = find_sidecar(media)
    notices: list[str] = []
    transcript = None
    if subs is not None:
        try:
            transcript = read_transcript(subs)
        except TranscriptError as exc:
            if media is None:
                raise ImportFailed(str(exc)) from None
            notices.append(f"The transcript could not be read. {exc}")
    if transcript is not None and not transcript.chapters and media is not None:
        transcript.chapters = find_chapter_list(media) or media_chapters(media)
    main = media or subs
    staging = None
    media_path, subs_path = media, subs
    if copy:
        staging = media_root() / f".staging-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            if media is not None:
                media_path = _link_or_copy(media, staging / f"media{media.suffix.lower()}")
            if subs is not None:
                subs_path = _link_or_copy(subs, staging / f"captions{subs.suffix.lower()}")
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise ImportFailed(f"{main.name} could not be copied into the library ({exc.strerror or exc}).") from None
    title, duration_ms = media_facts(media) if media is not None else ("", 0)
    if not duration_ms and transcript is not None and transcript.cues:
        duration_ms = transcript.cues[-1].end_ms
    site = "local" if copy else "file"
    site_id = _file_identity(main) if copy else hashlib.sha1(str(main.resolve()).encode()).hexdigest()[:20]
    thumbnail = None
    if media is not None:  # a picture for the library, from a tenth of the way in (made once)
        target = staging / "thumbnail.jpg" if staging is not None else thumbnail_root() / f"{safe_name(f'{site}-{site_id}')}.jpg"
        thumbnail = target if target.is_file() else media_thumbnail(media, target, min(duration_ms // 10, 60_000))
    record = VideoRecord(
        site=site,
        site_id=site_id,
        title=title or _title_from_name(main),
        duration_ms=duration_ms,
        thumbnail_path=str(thumbnail) if thumbnail else "",
        source_url=main.resolve().as_uri(),
        media_path=str(media_path.resolve()) if media_path else "",
        transcript_path=str(subs_path.resolve()) if subs_path else "",
        transcript_source="file" if transcript is not None else "none",
    )
    if media is not None and not is_media(media):
        notices.append(f"{media.name} does not look like a video or audio file.")
    return Prepared(record, transcript, staging, notices)


def _title_from_name(path: Path) -> str:
    stem = path.stem
    stem = re.sub(r"\.(?:[a-z]{2,3}(?:-[A-Za-z]{2,4})?)$", "", stem)  # talk.en.vtt -> talk
    return stem.replace("_", " ").strip() or path.name


def _file_identity(path: Path) -> str:
    """Same bytes, same entry: a hash of the size and the first and last 64 KiB."""
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with path.open("rb") as f:
        h.update(f.read(65536))
        if size > 65536:
            f.seek(max(0, size - 65536))
            h.update(f.read(65536))
    return h.hexdigest()[:24]


def _link_or_copy(src: Path, dst: Path) -> Path:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def commit(store: Store, prepared: Prepared) -> int:
    """Move staged files into the video's folder and write the library entry; all or nothing."""
    record = prepared.record
    final = None
    moved_back: list[tuple[Path, Path]] = []
    if prepared.staging is not None:
        final = media_root() / safe_name(f"{record.site}-{record.site_id}")
        old = None
        if final.exists():  # a re-import: keep the old files until the new entry is written
            old = final.with_name(final.name + f".old-{uuid.uuid4().hex[:8]}")
            final.rename(old)
            moved_back.append((old, final))
        prepared.staging.rename(final)
        for attr in ("media_path", "thumbnail_path", "transcript_path"):
            value = getattr(record, attr)
            if value and Path(value).parent == prepared.staging:
                setattr(record, attr, str(final / Path(value).name))
        try:
            video_id = store.add_video(record, prepared.transcript)
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)
            for src, dst in moved_back:
                src.rename(dst)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        prepared.staging = None
        return video_id
    return store.add_video(record, prepared.transcript)


def remove(store: Store, video_id: int) -> None:
    """Delete the entry, and the files Reader keeps for it (never a file the user opened in place)."""
    row = store.remove_video(video_id)
    if row is None:
        return
    name = safe_name(f"{row['site']}-{row['site_id']}")
    folder = media_root() / name
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
    (thumbnail_root() / f"{name}.jpg").unlink(missing_ok=True)


def entry_folder(row: dict) -> Path | None:
    """Where an entry's files are: Reader's own folder for imports, the file's folder for opened files."""
    folder = media_root() / safe_name(f"{row['site']}-{row['site_id']}")
    if folder.is_dir():
        return folder
    path = row.get("media_path") or row.get("transcript_path")
    return Path(path).parent if path else None


__all__ = ["ImportCancelled", "ImportFailed", "ImportOptions", "Prepared", "commit", "discard", "prepare_file", "prepare_url", "remove"]
