"""Bringing videos into the library and taking them out: one path for links and local files alike.

An import is prepared in a staging folder (the slow part, safe off the GUI thread), then committed:
the folder gets a name of its own, never used before, and the entry is switched to it in one database
transaction; the folder it had before is removed after. A kill at any moment leaves the entry pointing
at a complete copy, and whatever is left over belongs to no entry, which `clean_library` removes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reader.base.numbers import seconds_ms
from reader.base.paths import data_dir
from reader.base.safe_io import os_error_sentence
from reader.library.db.records import TranscriptChange, VideoRecord
from reader.library.db.store import Store
from reader.library.download import Fetched, ImportCancelled, ImportFailed, ImportOptions, NoSubtitles, Progress, fetch
from reader.library.media_files import find_chapter_list, find_sidecar, is_media, is_playable, is_transcript, media_chapters, media_facts, media_thumbnail
from reader.library.media_sweep import Sweep, age_s, size_of, sweep_sentence
from reader.transcript import Transcript, TranscriptError, read_transcript
from reader.transcript.chapters import parse_chapter_list
from reader.transcript.model import Chapter


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
    """An import ready to commit: staged files, the record to store, and its transcript.

    After commit, `change` says what became of the transcript and the notes on it."""

    record: VideoRecord
    transcript: Transcript | None
    staging: Path | None
    notices: list[str] = field(default_factory=list)
    lock: object = None  # held while the staging folder is in use, so no cleaner removes it
    change: TranscriptChange | None = None
    video_later: bool = False  # the video is still to download (into the entry's folder, after commit)


def discard(prepared: Prepared | None) -> None:
    if prepared is not None and prepared.staging is not None:
        shutil.rmtree(prepared.staging, ignore_errors=True)
        prepared.staging = None
    if prepared is not None:
        _release(prepared.lock)
        prepared.lock = None


# -- folders in use, and the cleaner ----------------------------------------------------------------
_LOCK_NAME = ".in-use"


def _new_staging() -> tuple[Path, object]:
    """A new staging folder, locked as in use by this process for as long as the lock is held."""
    staging = media_root() / f".staging-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    return staging, _hold(staging / _LOCK_NAME)


def _hold(path: Path):
    """An exclusive lock on `path` (created), released by the system if this process dies."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; the cleaner runs only at start-up there
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _release(lock) -> None:
    if lock is not None:
        try:
            os.close(lock)
        except OSError:
            pass


def _in_use(folder: Path):
    """A held lock if `folder` is free to judge (the caller releases it), or False if an import
    in some process is still using it."""
    lock_file = folder / _LOCK_NAME
    try:
        import fcntl
    except ImportError:
        return None
    try:
        fd = os.open(lock_file, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None  # no lock file: nobody is importing into it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    return fd


def _own_folder(path: str) -> Path | None:
    """The folder of Reader's media root that a path lies directly in, if it does."""
    if not path:
        return None
    parent = Path(path).parent
    root = media_root()
    if parent.parent == root or os.path.realpath(parent.parent) == os.path.realpath(root):
        return root / parent.name  # spelled as media_root() spells it, so folders compare equal
    return None


def clean_staging() -> None:
    """Remove staging folders left by an import that was interrupted (the app killed, say)."""
    for folder in media_root().iterdir():
        if folder.name.startswith(".staging-") or ".old-" in folder.name:
            _remove_unless_in_use(folder, None)


YOUNG_S = 60  # a staging folder with no lock file yet, made this recently, may be an import just starting


def clean_library(store: Store) -> Sweep:
    """Remove what interrupted imports left in the media folder: staging folders, old copies, copies an import
    killed before it committed (their lock file is still there, and no process holds it), and earlier copies
    of an entry that now has another. Never a folder an entry refers to (looked at again under the folder's
    lock) nor one an import in some process is writing (it holds the lock). Returns what was removed, with
    the room freed. Called when the window starts (off its GUI thread), by the command line, and by
    `reader library --check`."""
    removed = Sweep()
    referenced = {_own_folder(p) for p in store.entry_paths()}
    # A folder no entry refers to that an import finished writing is removed only when it is an earlier copy
    # of an entry that now has another; one whose entry is gone may belong to a library brought back
    # from a snapshot or a backup, so it stays.
    superseded = {_entry_of(f.name) for f in referenced if f is not None}
    for folder in sorted(media_root().iterdir()):
        if not folder.is_dir() or folder.is_symlink() or folder in referenced:
            continue
        leftover = folder.name.startswith(".staging-") or ".old-" in folder.name
        unfinished = (folder / _LOCK_NAME).exists()  # an import that never committed, or is still writing
        if not (leftover or unfinished or _entry_of(folder.name) in superseded):
            continue
        if folder.name.startswith(".staging-") and not unfinished and age_s(folder) < YOUNG_S:
            continue  # made a moment ago: its import may not have locked it yet
        size = size_of(folder)
        if _remove_unless_in_use(folder, None if leftover else store):
            removed.append(folder)
            removed.bytes += size
    return removed


def _entry_of(folder_name: str) -> str:
    """The entry part of a media folder's name: 'youtube-abc-0f1e2d3c4b' -> 'youtube-abc'."""
    return re.sub(r"-[0-9a-f]{10}$", "", folder_name)


def _remove_unless_in_use(folder: Path, store: Store | None) -> bool:
    lock = _in_use(folder)
    if lock is False:
        return False
    try:
        # looked at again under the lock: an import may have switched its entry to it meanwhile
        if store is not None and folder in {_own_folder(p) for p in store.entry_paths()}:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return not folder.exists()
    finally:
        _release(lock)


def prepare_url(url: str, options: ImportOptions, on_progress: Callable[[Progress], None] = lambda p: None,
                cancelled: Callable[[], bool] = lambda: False, extractors=()) -> Prepared:
    """Download into a staging folder and read the transcript. Safe to run off the GUI thread."""
    url = url.strip()
    if not re.match(r"(?i)^https?://\S+$", url):
        raise ImportFailed("That is not a web address. Paste a link such as https://www.youtube.com/watch?v=…")
    staging, lock = _new_staging()
    try:
        fetched = fetch(url, staging, options, on_progress, cancelled, extractors)
        prepared = _prepared_from_fetch(url, fetched, options)
        prepared.video_later = options.video and options.later
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _release(lock)
        raise
    prepared.lock = lock
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
            raise NoSubtitles("This video has no subtitles or captions in any language, so there is nothing to import "
                              "without the video. Import it with the video instead, and Reader can transcribe it.")
        if fetched.captions is None and options.later:
            notices.append("This video has no subtitles or captions; it can be transcribed as soon as its sound is "
                           "here, before its video.")
        elif fetched.captions is None:
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
        duration_ms=seconds_ms(info.get("duration")),
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
    chapters = info.get("chapters")
    for ch in chapters if isinstance(chapters, list) else []:
        start_ms = seconds_ms(ch.get("start_time"), None) if isinstance(ch, dict) else None
        if start_ms is None:  # no time, or one that is not a time (NaN, infinite, 1e300, text): the chapter is left out
            continue
        found.append(Chapter(start_ms, str(ch.get("title") or "").strip()[:500] or f"Chapter {len(found) + 1}"))
    return found or parse_chapter_list(info.get("description") or "")


def prepare_file(media: Path | None, subs: Path | None = None, copy: bool = True) -> Prepared:
    """A local media file (and/or transcript). With copy, the files are linked or copied into the
    library like a download; without, the entry refers to them where they are (`reader open`).

    Exactly the files named are taken: a transcript given as the media is read as the transcript,
    and a transcript is looked for beside the media only when none is named. A named transcript that
    cannot be read, or has no lines, fails the import (an entry's transcript is never replaced by it)."""
    if media is None and subs is None:
        raise ImportFailed("Nothing to import: give a video, audio or transcript file.")
    if media is not None and subs is None and is_transcript(media):
        media, subs = None, media
    if media is not None and subs is not None and is_transcript(media):
        raise ImportFailed(f"{media.name} is a transcript: give the video as the source and the transcript with --subs.")
    for path in (media, subs):
        if path is not None:
            check_file(path, "transcript" if path is subs else "video or audio file")
    playable = media is not None and is_playable(media)
    if media is not None and not playable and subs is None and not is_media(media):
        media, subs = _as_timed_transcript(media)  # a transcript with a name Reader does not know, read by its content
    named_subs = subs is not None
    if media is not None and subs is None:
        subs = find_sidecar(media)
        if subs is not None and not subs.is_file():
            subs = None
    notices: list[str] = []
    transcript = None
    if subs is not None:
        try:
            transcript = read_transcript(subs)
        except TranscriptError as exc:
            if named_subs:
                raise ImportFailed(_sentence(str(exc)) + _NOTHING_CHANGED) from None
            notices.append(f"The transcript beside the video could not be read. {_sentence(str(exc))}")
            subs = None
        else:
            if not transcript.cues:
                if named_subs:
                    raise ImportFailed(f"{subs.name} has no lines to show." + _NOTHING_CHANGED)
                notices.append(f"{subs.name}, beside the video, has no lines to show.")
                transcript, subs = None, None
            elif transcript.warnings:
                notices.append(f"{subs.name}: " + " ".join(transcript.warnings))
    if media is not None and not playable:
        if transcript is None:
            raise ImportFailed(f"{media.name} is neither a video or audio file Reader can play (no sound or picture was "
                               "found in it) nor a transcript, so nothing was imported.")
        notices.append(f"{media.name} could not be played (no sound or picture was found in it); its transcript is imported.")
    if transcript is not None and not transcript.chapters and media is not None:
        transcript.chapters = find_chapter_list(media) or media_chapters(media)
    main = media or subs
    staging = lock = None
    media_path, subs_path = media, subs
    if copy:
        try:
            staging, lock = _new_staging()
            if media is not None:
                media_path = _link_or_copy(media, staging / f"media{media.suffix.lower()}")
            if subs is not None:
                subs_path = _link_or_copy(subs, staging / f"captions{subs.suffix.lower()}")
        except OSError as exc:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            _release(lock)
            raise ImportFailed(f"{main.name} could not be copied into the library ({exc.strerror or exc}).") from None
    try:
        title, duration_ms = media_facts(media) if media is not None else ("", 0)
        if not duration_ms and transcript is not None and transcript.cues:
            duration_ms = transcript.cues[-1].end_ms
        site = "local" if copy else "file"
        site_id = _file_identity(main) if copy else _in_place_id(main)
        thumbnail = None
        if media is not None:  # a picture for the library, from a tenth of the way in (made once)
            target = staging / "thumbnail.jpg" if staging is not None else thumbnail_root() / f"{safe_name(f'{site}-{site_id}')}.jpg"
            thumbnail = target if target.is_file() else media_thumbnail(media, target, min(duration_ms // 10, 60_000))
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        _release(lock)
        if isinstance(exc, OSError):
            raise ImportFailed(os_error_sentence(exc, main)) from None
        raise
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
        keep_title=True,  # the same bytes imported again keep the title the entry has
    )
    return Prepared(record, transcript, staging, notices, lock)


def _as_timed_transcript(path: Path) -> tuple[Path | None, Path | None]:
    """(None, path) when a file that is not media reads as a timed transcript (SRT with no suffix, say);
    else (path, None). Plain text does not count: any text file reads as that."""
    try:
        transcript = read_transcript(path)
    except TranscriptError:
        return path, None
    return (None, path) if transcript.cues and transcript.format != "plain" else (path, None)


_NOTHING_CHANGED = " Nothing was imported, and a transcript already in the library is kept."


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def check_file(path: Path, what: str) -> None:
    """A file the user named must be a regular file: a folder, a pipe or a device is refused before
    anything opens it (opening a pipe would wait for a writer forever)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ImportFailed(os_error_sentence(exc, path)) from None
    if stat.S_ISDIR(mode):
        raise ImportFailed(f"{path.name} is a folder, not a {what}.")
    if not stat.S_ISREG(mode):
        raise ImportFailed(f"{path.name} is not a regular file (a device, a pipe or a socket), so it is not read as a {what}.")


def _in_place_id(path: Path) -> str:
    """The entry id of a file opened where it is: its full path, so moving the file makes a new entry."""
    return hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:20]


def opened_entry(store: Store, media: Path) -> int | None:
    """The library entry of a media file opened where it is (`reader open`, the window), if it has one."""
    return store.find_video("file", _in_place_id(media))


@dataclass
class Opened:
    """What `open_in_place` made of the files named."""

    video_id: int | None  # the entry to show: the new or updated one, else the one the media already had
    prepared: Prepared | None  # what was imported (its notices and what became of the notes); None when nothing was
    problem: str = ""  # why the files named could not be used, as a sentence ("" when they were)


def open_in_place(store: Store, media: Path | None, subs: Path | None = None) -> Opened:
    """The one rule for a file opened where it is (`reader open`, the window's Open and drop): it becomes
    a library entry that refers to the files where they are. If the files named cannot be used (a named
    transcript that cannot be read, say), nothing changes and the problem is returned; the entry the media
    already had, if any, is returned with it, to be shown as it is."""
    try:
        prepared = prepare_file(media, subs, copy=False)
        return Opened(commit(store, prepared), prepared)
    except ImportFailed as exc:
        existing = opened_entry(store, media) if media is not None and subs is not None else None
        return Opened(existing, None, str(exc))


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
    """Put the staged files in place and write the library entry; all or nothing.

    The staged folder is renamed to a name no folder has had (so nothing of the entry's current copy is
    touched), the entry is switched to it in one transaction, and only then is the old folder removed.
    A kill at any point leaves the entry on a complete copy; leftovers are for `clean_library`.
    What became of the transcript and its notes is in `prepared.change`, and said in `prepared.notices`."""
    record = prepared.record
    if prepared.staging is None:
        video_id, prepared.change = store.put_video(record, prepared.transcript)
        _say_change(prepared)
        return video_id
    existing = store.find_video(record.site, record.site_id)
    old_row = store.video(existing) if existing is not None else None
    staging = prepared.staging
    if prepared.video_later and old_row is not None and old_row["media_path"] and Path(old_row["media_path"]).is_file():
        record.media_path, prepared.video_later = old_row["media_path"], False  # the video it has stays; nothing to download
    keeps_transcript = old_row is not None and old_row["cue_count"] and not (prepared.transcript and prepared.transcript.cues)
    carried = ""
    if keeps_transcript and _own_folder(old_row["transcript_path"]) and Path(old_row["transcript_path"]).is_file():
        # the entry keeps its transcript, so the new copy carries its file too, and the old folder can go
        old_file = Path(old_row["transcript_path"])
        try:
            carried = _link_or_copy(old_file, staging / f"kept-{old_file.name}").name
        except OSError:
            pass  # the entry keeps the file where it is, and so its folder (still used, so never removed)
    final = media_root() / f"{safe_name(f'{record.site}-{record.site_id}', 60)}-{uuid.uuid4().hex[:10]}"
    try:
        staging.rename(final)
    except OSError as exc:
        discard(prepared)
        raise ImportFailed(f"The files could not be put in the library: {os_error_sentence(exc, final, 'written')}") from None
    prepared.staging = final
    for attr in ("media_path", "thumbnail_path", "transcript_path"):
        value = getattr(record, attr)
        if value and Path(value).parent == staging:
            setattr(record, attr, str(final / Path(value).name))
    try:
        # The folders the entry had are read in the transaction that switches it to the new one: of two
        # imports of one video at once, the later sees (and removes) the earlier one's copy, never an older one.
        with store.writing():
            current = store.find_video(record.site, record.site_id)
            row = store.video(current) if current is not None else None
            old_folders = {f for f in (_own_folder(row[k]) for k in ("media_path", "thumbnail_path", "transcript_path")) if f} if row else set()
            video_id, prepared.change = store.put_video(record, prepared.transcript)
            if prepared.change.kept and carried:
                store.set_transcript_file(video_id, str(final / carried))
            if prepared.video_later:  # its video comes next, into this folder (which the entry now holds)
                store.set_download(video_id, "none", folder=str(final))
            now_used = {_own_folder(p) for p in store.entry_paths()}
    except BaseException:
        discard(prepared)  # the entry still points at its old copy, which is untouched
        raise
    prepared.staging = None
    (final / _LOCK_NAME).unlink(missing_ok=True)
    _release(prepared.lock)
    prepared.lock = None
    for folder in old_folders - {final} - now_used:
        shutil.rmtree(folder, ignore_errors=True)
    _say_change(prepared)
    return video_id


def _say_change(prepared: Prepared) -> None:
    change = prepared.change
    if change is None:
        return
    if change.kept:
        prepared.notices.append("This import brought no lines, so the transcript already in the library is kept.")
    if change.lost:
        n = len(change.lost)
        prepared.notices.append(
            f"{n} highlight{'s' if n != 1 else ''} could not be placed on the new transcript (the words are not in it); "
            f"{'they are' if n != 1 else 'it is'} kept with {'their' if n != 1 else 'its'} notes and answers, and marked.")


def lost_lines(change: TranscriptChange | None) -> list[str]:
    """One line per highlight the new transcript could not hold: its time and its words."""
    from reader.transcript.writers import short_clock

    if change is None:
        return []
    return [f"{short_clock(row['start_ms'])} “{' '.join(row['text'].split())[:100]}”" for row in change.lost]


def remove(store: Store, video_id: int) -> None:
    """Delete the entry, and the files Reader keeps for it (never a file the user opened in place)."""
    row = store.remove_video(video_id)
    if row is None:
        return
    # Never a folder or a file another entry still refers to (a hand-edited backup can make two entries
    # share one): what the others use is read after this entry is gone.
    still_used = store.entry_paths()
    used_folders = {os.path.realpath(f) for f in (_own_folder(p) for p in still_used) if f is not None}
    used_files = {os.path.realpath(p) for p in still_used}
    for folder in {_own_folder(row.get(k) or "") for k in ("media_path", "thumbnail_path", "transcript_path", "sound_path")} - {None}:
        if os.path.realpath(folder) not in used_folders:
            shutil.rmtree(folder, ignore_errors=True)
    name = safe_name(f"{row['site']}-{row['site_id']}")
    legacy = media_root() / name  # an entry imported before folders had names of their own
    if legacy.is_dir() and os.path.realpath(legacy) not in used_folders:
        shutil.rmtree(legacy, ignore_errors=True)
    thumbnail = thumbnail_root() / f"{name}.jpg"
    if os.path.realpath(thumbnail) not in used_files:
        thumbnail.unlink(missing_ok=True)


def entry_folder(row: dict) -> Path | None:
    """Where an entry's files are: Reader's own folder for imports, the file's folder for opened files."""
    for key in ("media_path", "thumbnail_path", "transcript_path"):
        folder = _own_folder(row.get(key) or "")
        if folder is not None and folder.is_dir():
            return folder
    path = row.get("media_path") or row.get("transcript_path")
    return Path(path).parent if path else None


__all__ = ["ImportCancelled", "ImportFailed", "ImportOptions", "Prepared", "Sweep", "check_file", "clean_library", "clean_staging", "commit", "discard",
           "entry_folder", "lost_lines", "open_in_place", "opened_entry", "Opened", "prepare_file", "prepare_url", "remove", "sweep_sentence"]
