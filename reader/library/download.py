"""Fetch a video, its captions, thumbnail and metadata with yt-dlp's Python API, into a folder of ours."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reader.base.links import is_playlist
from reader.base.numbers import amount
from reader.base.safe_io import FileProblem, write_atomic

CAPTION_EXT_PREFERENCE = {
    "creator": ("vtt", "srt", "json3", "srv3", "ttml", "srv1", "srv2"),
    "automatic": ("json3", "vtt", "srv3", "srv1", "srv2", "ttml"),
}


@dataclass
class ImportOptions:
    video: bool = True  # False: transcript only, no media download
    languages: tuple[str, ...] = ("en",)
    max_height: int = 1080
    later: bool = False  # with video: the entry is stored with its transcript first, the video downloaded after it


@dataclass
class Progress:
    stage: str  # what is being fetched, for the user: "Reading the page", "Downloading video", ...
    downloaded: int = 0
    total: int | None = None
    speed: float | None = None  # bytes per second
    eta: int | None = None  # seconds
    title: str = ""  # the video's title, once the page has been read
    file: str = ""  # the file being written (a growing .part), when there is one
    sound: bool = False  # the sound fetched before the video (not the video: no share of it is downloaded)

    @property
    def fraction(self) -> float | None:
        return self.downloaded / self.total if self.total else None


def human_bytes(n: float | None) -> str:
    """1536 -> '1.5 KB', for progress lines."""
    if n is None:
        return "?"
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return "?"


class ImportFailed(Exception):
    """An import that could not finish; the message names the cause and what to try."""


class NoSubtitles(ImportFailed):
    """A transcript-only import found no subtitles: with the video (or its sound) it can be transcribed instead."""


class ImportCancelled(ImportFailed):
    def __init__(self):
        super().__init__("The import was cancelled; nothing was added.")


@dataclass
class Fetched:
    info: dict  # yt-dlp's metadata, trimmed to what Reader keeps
    folder: Path
    media: Path | None = None
    captions: Path | None = None
    caption_kind: str = "none"
    caption_language: str = ""
    thumbnail: Path | None = None
    notices: list[str] = field(default_factory=list)


# yt-dlp's messages, read for their cause. The first match wins.
_FAILURES = [
    (r"No space left on device|Errno 28", "The disk is full. Free some space, then import again."),
    (r"HTTP Error 429|Too Many Requests", "The site is limiting requests from your connection (HTTP 429). Wait a while, then try again."),
    (r"Sign in to confirm|not a bot", "YouTube asked for a sign-in to prove this is not a bot. Try again later or from another network."),
    (r"[Pp]rivate video|members-only|[Jj]oin this channel", "This video is private or for members only, so it cannot be imported."),
    (r"Video unavailable|has been removed|no longer available|not available|HTTP Error 404|HTTP Error 410",
     "The video is unavailable: it may have been removed, or the link is wrong."),
    (r"HTTP Error 416|Range Not Satisfiable", "The site would not continue the download from where it stopped (HTTP 416)."),
    (r"HTTP Error 403|Forbidden", "The site refused the download (HTTP 403). Try again later; if it persists, update Reader."),
    (r"Unsupported URL", "Reader does not know how to import from this address. Try the video's own page."),
    (r"is not a valid URL", "That is not a web address. Paste a link such as https://www.youtube.com/watch?v=…"),
    (r"Name or service not known|Temporary failure in name resolution|Failed to resolve|getaddrinfo failed|"
     r"Network is unreachable|No route to host|Connection refused|timed out|Connection reset|RemoteDisconnected",
     "No connection to the site. Check that you are online, then try again."),
]


def explain_failure(message: str) -> str:
    """Turn a yt-dlp error into a sentence for the user."""
    for pattern, text in _FAILURES:
        if re.search(pattern, message):
            return text
    last = message.strip().splitlines()[-1] if message.strip() else "unknown error"
    last = re.sub(r"^(ERROR:\s*)?(\[[^\]]+\]\s*)?", "", last)
    # yt-dlp's own tail (a plea to report it upstream, the Python exception it caught) is not the user's to read
    last = re.sub(r"\s*\(caused by [A-Za-z]+Error\b.*$|;?\s*please report this issue on.*$", "", last).rstrip(" .;:") or "unknown error"
    return f"The import failed: {last}"


def choose_captions(info: dict, languages: tuple[str, ...]) -> tuple[str, str, dict] | None:
    """Pick (kind, language, track): creator subtitles in a preferred language first, then automatic
    captions (json3 when offered, for word timings), then creator subtitles in any language, then
    the automatic captions of the video's own language."""

    def pick(table: dict, kind: str, lang: str) -> tuple[str, str, dict] | None:
        keys = [k for k in table if k == lang] + [k for k in table if k == f"{lang}-orig"] + sorted(
            k for k in table if k.startswith(lang + "-") and k != f"{lang}-orig"
        )
        for key in keys:
            tracks = [t for t in table.get(key) or [] if isinstance(t, dict) and (t.get("url") or t.get("data"))]
            for ext in CAPTION_EXT_PREFERENCE[kind]:
                for track in tracks:
                    if track.get("ext") == ext:
                        return kind, key, track
        return None

    creator = {k: v for k, v in (info.get("subtitles") or {}).items() if k != "live_chat"}
    automatic = info.get("automatic_captions") or {}
    for kind, table in (("creator", creator), ("automatic", automatic)):
        for lang in languages:
            found = pick(table, kind, lang)
            if found:
                return found
    for lang in sorted(creator):
        found = pick(creator, "creator", lang)
        if found:
            return found
    for key in sorted(automatic):
        if key.endswith("-orig"):
            found = pick(automatic, "automatic", key[: -len("-orig")])
            if found:
                return found
    return None


def progress_hook(state: dict, on_progress, cancelled):
    """yt-dlp's progress hook: stops the download when `cancelled()`, reports each report as a Progress, and
    counts the parts finished in `state`."""
    def hook(d: dict) -> None:
        if cancelled():
            from yt_dlp.utils import DownloadCancelled  # yt-dlp is imported when a download starts, not with Reader

            raise DownloadCancelled("cancelled by the user")
        if d.get("status") == "downloading":
            on_progress(download_progress(d, state))
        elif d.get("status") == "finished":
            state["part"] += 1

    return hook


def download_progress(d: dict, state: dict) -> Progress:
    """yt-dlp's progress report as a Progress: which part of how many (`state`), sizes, speed and time left
    from the server's headers, each checked before it is shown, and the growing file."""
    sound = state.get("what") == "sound"
    label = ("Downloading the sound first, to transcribe" if sound else "Downloading video" if state["parts"] == 1
             else f"Downloading part {state['part'] + 1} of {state['parts']}")
    total = amount(d.get("total_bytes")) or amount(d.get("total_bytes_estimate")) or None
    return Progress(label, amount(d.get("downloaded_bytes"), default=0), total, amount(d.get("speed")),
                    amount(d.get("eta")), state["title"], str(d.get("tmpfilename") or ""), sound)


def _format_selector(max_height: int) -> str:
    """Formats Qt's FFmpeg backend plays well: H.264/AAC in MP4 first, else VP9/Opus in WebM."""
    h = f"[height<={max_height}]"
    return (
        f"bv*{h}[vcodec^=avc1]+ba[acodec^=mp4a]/bv*{h}[vcodec^=vp9]+ba[acodec=opus]/"
        f"b{h}[vcodec^=avc1]/b{h}[ext=mp4]/b{h}[ext=webm]/bv*{h}+ba/b{h}/b"
    )


def _base_params(folder: Path) -> dict:
    params = {
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "noplaylist": True,
        "socket_timeout": 20,
        "retries": 3,
        "fragment_retries": 3,
        "paths": {"home": str(folder), "temp": str(folder)},
        "outtmpl": {"default": "media.%(ext)s"},
        "overwrites": True,
        "continuedl": False,
        "color": "no_color",
    }
    try:
        import imageio_ffmpeg

        params["ffmpeg_location"] = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # no bundled ffmpeg: yt-dlp falls back to one on the PATH, if any
        pass
    try:
        import deno

        params["js_runtimes"] = {"deno": {"path": str(deno.find_deno_bin())}}
    except Exception:  # no bundled JavaScript runtime: yt-dlp looks for deno on the PATH
        pass
    return params


class _Logger:
    """Collects yt-dlp's errors so the last one can be explained to the user."""

    def __init__(self):
        self.errors: list[str] = []

    def debug(self, msg: str) -> None:
        pass

    def info(self, msg: str) -> None:
        pass

    def warning(self, msg: str) -> None:
        pass

    def error(self, msg: str) -> None:
        self.errors.append(msg)


def load_yt_dlp() -> None:
    """yt-dlp, loaded before any of it is used. The first time (on a worker thread) it makes thousands of extractor
    classes; that is done with the collector held off, so that its pauses spare the window."""
    if "yt_dlp.extractor.extractors" in sys.modules or "yt_dlp.extractor.lazy_extractors" in sys.modules:
        return
    from reader.base.collector import collector_paused

    with collector_paused():
        from yt_dlp.extractor import gen_extractor_classes

        gen_extractor_classes()


_DEFAULT_EXTRACTORS: list = []  # yt-dlp's own extractors in the order it asks them, worked out once


def _default_extractors() -> list:
    """The extractor classes YoutubeDL.add_default_info_extractors adds for its default choice, in its order (its
    catch-all instance is not among them). Working that out is 35 ms of Python for each YoutubeDL made;
    a paste makes three or four at once, on threads that then hold the window's interpreter from it."""
    if not _DEFAULT_EXTRACTORS:
        from yt_dlp.extractor import gen_extractor_classes

        every = {ie.IE_NAME.lower(): ie for ie in gen_extractor_classes()}  # as yt-dlp keys them: a later name wins
        _DEFAULT_EXTRACTORS.extend(ie for ie in every.values() if ie._ENABLED)
    return _DEFAULT_EXTRACTORS


def _new_ydl(params: dict, extractors=()):
    load_yt_dlp()
    from yt_dlp import YoutubeDL

    # Extractors passed in (tests use one for a site on loopback) are asked before yt-dlp's own.
    ydl = YoutubeDL(params, auto_init=False)
    for ie in extractors:
        ydl.add_info_extractor(ie)
    if params.get("allowed_extractors") is None:
        for ie in _default_extractors():
            ydl.add_info_extractor(ie)
    else:
        ydl.add_default_info_extractors()
    return ydl


def probe(url: str, extractors=()) -> dict:
    """Read a link's metadata without downloading anything; playlists come back with their entries."""
    load_yt_dlp()
    from yt_dlp.utils import YoutubeDLError

    logger = _Logger()
    params = {"quiet": True, "no_warnings": True, "extract_flat": "in_playlist", "logger": logger, "socket_timeout": 20}
    try:
        with _new_ydl(params, extractors) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as exc:
        raise ImportFailed(explain_failure(str(exc))) from None
    return info or {}


def fetch(url: str, folder: Path, options: ImportOptions, on_progress: Callable[[Progress], None],
          cancelled: Callable[[], bool], extractors=()) -> Fetched:
    """Download one video's media (unless transcript only), captions and thumbnail into `folder`.

    Raises ImportFailed (or ImportCancelled) with a message for the user; the caller removes the folder.
    """
    load_yt_dlp()
    from yt_dlp.utils import DownloadCancelled, YoutubeDLError

    folder.mkdir(parents=True, exist_ok=True)
    logger = _Logger()
    params = _base_params(folder)
    params["logger"] = logger
    params["format"] = _format_selector(options.max_height)
    params["merge_output_format"] = "mp4/webm/mkv"
    state = {"part": 0, "parts": 1, "title": ""}

    params["progress_hooks"] = [progress_hook(state, on_progress, cancelled)]
    params["postprocessor_hooks"] = [lambda d: on_progress(Progress("Finishing the video file")) if d.get("status") == "started" else None]
    on_progress(Progress("Reading the page"))
    try:
        with _new_ydl(params, extractors) as ydl:
            info = ydl.extract_info(url, download=False)
            if cancelled():
                raise ImportCancelled()
            if info is None:
                raise ImportFailed(explain_failure("\n".join(logger.errors)))
            if is_playlist(info):
                raise ImportFailed("This link is a playlist; import its videos one by one (Reader offers them when you paste it).")
            fetched = Fetched(_trim(info), folder)
            state["title"] = str(info.get("title") or "")
            choice = choose_captions(info, options.languages)
            if choice is not None:
                on_progress(Progress("Downloading the transcript", title=state["title"]))
                fetched.captions = _download_captions(ydl, choice[2], folder, choice[1])
                fetched.caption_kind, fetched.caption_language = choice[0], choice[1]
            if options.video and not options.later:
                state["parts"] = len(info.get("requested_formats") or []) or 1
                if cancelled():
                    raise ImportCancelled()
                ydl.process_info(info)
                fetched.media = _find(folder, "media.", exclude=(".part", ".ytdl", ".temp"))
                if fetched.media is None:
                    raise ImportFailed("The download finished without a playable file. Try a lower quality in Preferences.")
            fetched.thumbnail = _download_thumbnail(ydl, info, folder)
    except DownloadCancelled:
        raise ImportCancelled() from None
    except YoutubeDLError as exc:  # DownloadError, UnavailableVideoError (disk errors), extractor errors
        if cancelled():
            raise ImportCancelled() from None
        raise ImportFailed(explain_failure(str(exc))) from None
    except OSError as exc:
        raise ImportFailed(explain_failure(str(exc))) from None
    except (ArithmeticError, ValueError, TypeError):  # yt-dlp doing sums on a page's impossible numbers (a NaN length)
        raise ImportFailed("The page describes the video with numbers that are not numbers (a length or a size of NaN "
                           "or infinity), so nothing was imported. Try again later, or another link to the video.") from None
    if cancelled():
        raise ImportCancelled()
    return fetched


def _download_thumbnail(ydl, info: dict, folder: Path) -> Path | None:
    """The video's thumbnail, if it has one; a thumbnail that fails to download does not fail the import."""
    url = info.get("thumbnail")
    if not url:
        thumbs = [t for t in info.get("thumbnails") or [] if isinstance(t, dict) and t.get("url")]
        url = thumbs[-1]["url"] if thumbs else None
    if not url:
        return None
    try:
        with ydl.urlopen(url) as response:
            data = response.read(20_000_000)
            kind = (response.headers.get("Content-Type") or "").lower()
    except Exception:  # any network or HTTP failure: no thumbnail
        return None
    ext = "png" if "png" in kind else "webp" if "webp" in kind else "jpg"
    path = folder / f"thumbnail.{ext}"
    try:
        write_atomic(path, data)
    except FileProblem:  # a thumbnail that cannot be saved does not fail the import either
        return None
    return path


def _download_captions(ydl, track: dict, folder: Path, lang: str) -> Path:
    ext = re.sub(r"[^a-z0-9]", "", str(track.get("ext") or "vtt").lower())[:8] or "vtt"
    path = folder / f"captions.{re.sub(r'[^A-Za-z0-9-]', '', lang)[:20] or 'xx'}.{ext}"
    data = track.get("data")
    if data is None:
        with ydl.urlopen(track["url"]) as response:
            data = response.read()
    try:
        write_atomic(path, data.encode("utf-8", "replace") if isinstance(data, str) else data)
    except FileProblem as exc:
        raise ImportFailed(str(exc)) from None
    return path


def _find(folder: Path, prefix: str, exclude: tuple[str, ...] = ()) -> Path | None:
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.name.startswith(prefix) and not p.name.endswith(exclude) and ".f" not in p.suffixes[:-1]:
            return p
    return None


def _trim(info: dict) -> dict:
    keep = ("id", "title", "channel", "uploader", "description", "duration", "upload_date", "webpage_url",
            "original_url", "extractor_key", "chapters", "thumbnail", "language")
    return {k: info.get(k) for k in keep}
