"""Fetch an entry's video after its transcript: resumable (yt-dlp's .part continuation), checked whole before use."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reader.base.numbers import amount, seconds_ms
from reader.library.db.errors import LibraryError
from reader.library.db.downloads import COMPLETE, DOWNLOADING, NONE, PARTIAL, download_words, lacks_video
from reader.library.download import (ImportFailed, Progress, _base_params, _find, _format_selector, _Logger, _new_ydl, explain_failure,
                                     load_yt_dlp, progress_hook)

_PARTS = (".part", ".ytdl", ".temp", ".incomplete")


class DownloadStopped(ImportFailed):
    """The download stopped before the end (cancelled, or it failed); what came so far stays for a resume."""

    def __init__(self, text: str, cancelled: bool = False):
        super().__init__(text)
        self.cancelled = cancelled


class NoSoundAlone(ImportFailed):
    """The link offers no format with sound alone, so the sound cannot come before the video."""


class DownloadBusy(ImportFailed):
    """Another Reader (a window or a command) is downloading this video now."""


@dataclass
class Downloaded:
    media: Path
    size: int


def partial_bytes(folder: Path) -> int:
    """How much of a video a stopped download left in its folder (the .part files yt-dlp continues)."""
    try:
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name.startswith("media.") and p.name.endswith(".part"))
    except OSError:
        return 0


def part_file(folder: Path) -> Path | None:
    """The growing file of a download under way (the largest .part), to play before it ends."""
    try:
        parts = [p for p in folder.iterdir() if p.is_file() and p.name.startswith("media.") and p.name.endswith(".part")]
    except OSError:
        return None
    return max(parts, key=lambda p: p.stat().st_size) if parts else None


def lock_folder(folder: Path):
    """Hold the folder as in use (the cleaner leaves it alone, and no second download starts in it)."""
    from reader.library.importing import _LOCK_NAME

    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one Reader at a time is assumed there
        return None
    fd = os.open(folder / _LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise DownloadBusy("This video is already being downloaded by another Reader; it will be ready when that one finishes.") from None
    return fd


def unlock_folder(lock) -> None:
    from reader.library.importing import _release

    _release(lock)


def fetch_video(url: str, folder: Path, on_progress: Callable[[Progress], None], cancelled: Callable[[], bool],
                max_height: int = 1080, extractors=(), socket_timeout: float = 20, retries: int = 3) -> Downloaded:
    """Download the video of `url` into `folder`, continuing a .part left there, and check it is whole.

    Raises DownloadStopped with a sentence; what was downloaded stays in the folder for the next try."""
    return fetch_file(url, folder, on_progress, cancelled, _format_selector(max_height), "media", extractors, socket_timeout, retries)


def fetch_file(url: str, folder: Path, on_progress: Callable[[Progress], None], cancelled: Callable[[], bool], selector: str,
               stem: str, extractors=(), socket_timeout: float = 20, retries: int = 3) -> Downloaded:
    """The format `selector` picks for `url`, as folder/stem.EXT, continued from a .part and checked whole (the
    video as media.EXT; its sound alone, before it, as sound.EXT). Raises DownloadStopped with a sentence."""
    load_yt_dlp()
    from yt_dlp.utils import DownloadCancelled, YoutubeDLError

    what = "video" if stem == "media" else "sound"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{stem}.*.incomplete"):  # a download found not whole before: this one starts again
        old.unlink(missing_ok=True)
    logger = _Logger()
    params = _base_params(folder)
    params.update({"logger": logger, "format": selector, "merge_output_format": "mp4/webm/mkv",
                   "outtmpl": {"default": f"{stem}.%(ext)s"},
                   "continuedl": True, "overwrites": False, "socket_timeout": socket_timeout, "retries": retries,
                   "fragment_retries": retries, "file_access_retries": 1, "extractor_retries": 1})
    state = {"part": 0, "parts": 1, "title": "", "expected": 0, "what": what}
    cancelled_text = f"The {what} download was cancelled; the transcript and your notes are kept."

    params["progress_hooks"] = [progress_hook(state, on_progress, cancelled)]
    on_progress(Progress(f"Reading the page for the {what}", sound=what == "sound"))
    try:
        with _new_ydl(params, extractors) as ydl:
            info = ydl.extract_info(url, download=False)
            if info is None:
                raise DownloadStopped(_why(explain_failure("\n".join(logger.errors)), what))
            state["title"] = str(info.get("title") or "")
            formats = info.get("requested_formats") or [info]
            state["parts"] = len(formats)
            state["expected"] = (amount(formats[0].get("filesize"), default=0) or 0) if len(formats) == 1 else 0
            if cancelled():
                raise DownloadCancelled("cancelled by the user")
            ydl.process_info(info)
    except DownloadCancelled:
        raise DownloadStopped(cancelled_text, cancelled=True) from None
    except YoutubeDLError as exc:
        if cancelled():
            raise DownloadStopped(cancelled_text, cancelled=True) from None
        if what == "sound" and "Requested format is not available" in str(exc):
            raise NoSoundAlone("This site gives no sound apart from the picture, so transcribing waits for the whole "
                               "video.") from None
        raise DownloadStopped(_why(explain_failure(str(exc)), what)) from None
    except OSError as exc:
        raise DownloadStopped(_why(explain_failure(str(exc)), what)) from None
    except (ArithmeticError, ValueError, TypeError):  # yt-dlp doing sums on a page's impossible numbers (a NaN size)
        raise DownloadStopped(_why(f"The page describes the {what} with numbers that are not numbers.", what)) from None
    media = _find(folder, f"{stem}.", exclude=_PARTS)
    if media is None:
        raise DownloadStopped(f"The download ended without a playable file; the transcript and your notes are kept. "
                              f"Try a lower quality in Preferences, then Download Video.")
    problem = whole_video_problem(media, state["expected"], seconds_ms(info.get("duration")))
    if problem:
        bad = media.with_name(media.name + ".incomplete")
        os.replace(media, bad)  # never taken for the video; kept aside, not played, removed with the entry
        raise DownloadStopped(f"The downloaded {what} is not whole ({problem}), so it was not used; the transcript and "
                              "your notes are kept, and Download Video fetches it again.")
    return Downloaded(media, media.stat().st_size)


def _why(sentence: str, what: str = "video") -> str:
    """A yt-dlp failure, said for a video's (or its sound's) download (the entry and its transcript stay): its cause,
    then what is kept."""
    import re

    if re.search(r"bytes read, \d+ more expected|ContentTooShort|IncompleteRead", sentence):
        sentence = f"The connection to the site broke off before the whole {what} came."
    sentence = re.sub(r",? then (import|try) again", "", sentence.replace("The import failed: ", f"The {what} download stopped: "))
    return sentence.rstrip(".") + ". The transcript and your notes are kept; Download Video continues where it stopped."


def whole_video_problem(media: Path, expected_bytes: int, expected_ms: int) -> str:
    """Why `media` is not a whole video ('' when it is): the size the site gave, a stream PyAV can decode,
    a length near the page's, and a picture or sound decoded near its end."""
    try:
        size = media.stat().st_size
    except OSError as exc:
        return f"it cannot be read: {exc.strerror or exc}"
    if size == 0:
        return "the file is empty"
    if expected_bytes and size != expected_bytes:
        return f"{size} bytes of the {expected_bytes} the site gave"
    try:
        import av

        with av.open(str(media)) as container:
            streams = [s for s in container.streams if s.type in ("video", "audio")]
            if not streams:
                return "no picture or sound in it"
            length_ms = int((container.duration or 0) * 1000 // 1_000_000)
            if expected_ms and length_ms and length_ms < expected_ms * 0.97 - 2000:
                return f"it lasts {length_ms // 1000} s of the {expected_ms // 1000} s the page gave"
            end_ms = length_ms or expected_ms
            container.seek(max(0, end_ms - 3000) * 1000, any_frame=False)
            last = 0
            for frame in container.decode(streams[0]):
                last = int((frame.time or 0) * 1000)
            if end_ms and last < end_ms * 0.9 - 3000:
                return f"it stops being readable at {last // 1000} s of {end_ms // 1000} s"
    except Exception:  # PyAV's errors (their text names the file and an errno): it does not decode, so it is not whole
        return "it does not decode"
    return ""


def entry_download_folder(row: dict) -> Path:
    """Where an entry's video goes: the folder it is downloading into, else the entry's own folder, else a new one."""
    from reader.library.importing import _own_folder, media_root, safe_name

    for path in (str(Path(row.get("video_folder") or "") / "media") if row.get("video_folder") else "",
                 row.get("transcript_path") or "", row.get("thumbnail_path") or ""):
        folder = _own_folder(path)  # only a folder of Reader's media root, never a path the row names elsewhere
        if folder is not None and folder.is_dir() and not folder.is_symlink():
            return folder
    import uuid

    name = safe_name(f"{row.get('site')}-{row.get('site_id')}", 60)
    folder = media_root() / f"{name}-{uuid.uuid4().hex[:10]}"
    folder.mkdir(mode=0o700)
    return folder


def begin(store, video_id: int) -> tuple[str, Path, object]:
    """Start (or continue) an entry's video download: its link, its folder, the folder held; the state says downloading."""
    row = store.video(video_id)
    if row is None:
        raise ImportFailed(f"There is no video {video_id} in the library.")
    if row.get("media_path") and Path(row["media_path"]).is_file():
        raise ImportFailed(f"Video {video_id} already has its video.")
    url = str(row.get("source_url") or "")
    if not url.lower().startswith(("http://", "https://")):
        raise ImportFailed(f"Video {video_id} did not come from a link, so there is nothing to download.")
    folder = entry_download_folder(row)
    lock = lock_folder(folder)
    try:
        store.set_download(video_id, DOWNLOADING, partial_bytes(folder), int(row.get("video_total") or 0), "", str(folder), wanted=True)
    except BaseException:
        unlock_folder(lock)
        raise
    return url, folder, lock


def finish(store, video_id: int, downloaded: Downloaded, lock) -> None:
    """The whole video is checked and in place: the entry switches to it in one transaction, and the sound fetched
    before it goes (a transcription reading it goes on from the video, which the entry now names)."""
    try:
        sound = str((store.video(video_id) or {}).get("sound_path") or "")
        store.finish_download(video_id, str(downloaded.media), downloaded.size)
        if sound and Path(sound).parent == downloaded.media.parent and Path(sound).name.startswith(f"{SOUND}."):
            Path(sound).unlink(missing_ok=True)
    finally:
        unlock_folder(lock)


# -- the sound first: a link without subtitles is transcribed from its sound while its video comes ---------------
SOUND = "sound"  # its file in the entry's folder: sound.EXT (the video is media.EXT)
SOUND_SELECTOR = "ba[acodec^=mp4a]/ba[acodec=opus]/ba"  # sound alone (no picture), AAC or Opus first


def sound_of(row: dict) -> Path | None:
    """The checked sound an entry has to transcribe from before its video comes, if it is there."""
    path = str(row.get("sound_path") or "")
    return Path(path) if path and Path(path).is_file() else None


def wants_sound(row: dict) -> bool:
    """Whether an entry's download fetches its sound first: it has no lines, lacks its video, and has no sound yet."""
    return not row.get("cue_count") and lacks_video(row) and sound_of(row) is None


def fetch_sound(url: str, folder: Path, on_progress: Callable[[Progress], None], cancelled: Callable[[], bool],
                extractors=(), socket_timeout: float = 20, retries: int = 3) -> Downloaded:
    """The sound of `url` alone, as folder/sound.EXT, checked whole. Raises NoSoundAlone when the site gives
    none apart from the picture, DownloadStopped with a sentence when it stops."""
    return fetch_file(url, folder, on_progress, cancelled, SOUND_SELECTOR, SOUND, extractors, socket_timeout, retries)


def stop(store, video_id: int, folder: Path, error: str, lock, cancelled: bool = False) -> str:
    """A download that stopped: the entry keeps what came (partial, for a resume) and says why; one that failed is
    resumed at the next start, one the user cancelled waits for Download Video. Returns the state."""
    try:
        state, done = state_after_stop(folder)
        row = store.video(video_id) or {}
        try:
            store.set_download(video_id, state, done, int(row.get("video_total") or 0), "" if cancelled else error,
                               wanted=not cancelled)
        except LibraryError:  # the disk that filled up holds the library too: the row still says downloading,
            pass  # which no Reader holds, so the library reads it as stopped (download_running) and the reason is said
        return state
    finally:
        unlock_folder(lock)


def download_running(row: dict) -> bool:
    """Whether some Reader (a window, `reader download-video`) is downloading this entry's video now: it holds
    the folder's lock. A download a killed Reader left says 'downloading' in the library but holds nothing."""
    from reader.library.importing import _in_use, _release

    folder = row.get("video_folder") or ""
    if not folder or not Path(folder).is_dir():
        return False
    lock = _in_use(Path(folder))
    if lock is False:
        return True
    _release(lock)
    return False


def video_words(row: dict) -> str:
    """What the library says of an entry's video ('' when it has it), a download no one is running said as stopped."""
    if row.get("video_state") == DOWNLOADING and not download_running(row):
        row = {**row, "video_state": PARTIAL if row.get("video_bytes") else NONE}
    return download_words(row)


def download_entry(store, video_id: int, on_progress: Callable[[Progress], None] = lambda p: None,
                   cancelled: Callable[[], bool] = lambda: False, max_height: int = 1080, extractors=(),
                   socket_timeout: float = 20, retries: int = 3, sound_only: bool = False) -> Downloaded | None:
    """The whole download on this thread (the command line): begin, fetch, finish or stop. Raises ImportFailed.

    An entry without lines gets its sound alone first (checked, kept as its sound), where the site gives it apart.
    With `sound_only` its video then waits, to be resumed: returns the sound, None when the entry needs none or has
    one, or raises NoSoundAlone."""
    url, folder, lock = begin(store, video_id)
    last = [0.0]

    def progress(p: Progress) -> None:
        import time

        on_progress(p)
        if p.downloaded and not p.sound and time.monotonic() - last[0] > 1:
            last[0] = time.monotonic()
            try:
                store.download_progress(video_id, p.downloaded, p.total or 0)
            except LibraryError:  # how far it has come is only shown; a full disk is said by the download itself
                pass

    try:
        sound = None
        if wants_sound(store.video(video_id) or {}):
            try:
                sound = fetch_sound(url, folder, progress, cancelled, extractors, socket_timeout, retries)
            except NoSoundAlone:
                if sound_only:
                    raise
            else:
                store.set_sound(video_id, str(sound.media))
        if sound_only:
            stop(store, video_id, folder, "", lock)  # the video is wanted still: it comes next, or at the next start
            return sound
        downloaded = fetch_video(url, folder, progress, cancelled, max_height, extractors, socket_timeout, retries)
    except NoSoundAlone:
        stop(store, video_id, folder, "", lock)
        raise
    except ImportFailed as exc:
        stop(store, video_id, folder, str(exc), lock, isinstance(exc, DownloadStopped) and exc.cancelled)
        raise
    except BaseException:  # Ctrl+C: the entry says partial, and Download Video continues it
        stop(store, video_id, folder, "The video download was interrupted.", lock, cancelled=True)
        raise
    finish(store, video_id, downloaded, lock)
    return downloaded


def state_after_stop(folder: Path | None) -> tuple[str, int]:
    """The state an entry is left in when its download stops: partial with the bytes on disk, or none."""
    done = partial_bytes(folder) if folder is not None else 0
    return (PARTIAL if done else NONE), done


__all__ = ["COMPLETE", "DOWNLOADING", "Downloaded", "DownloadBusy", "DownloadStopped", "NoSoundAlone", "download_running",
           "fetch_sound", "fetch_video", "lock_folder", "part_file", "partial_bytes", "sound_of", "state_after_stop",
           "unlock_folder", "video_words", "wants_sound", "whole_video_problem"]
