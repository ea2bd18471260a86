"""What a file on disk is (media or transcript), the subtitles beside a video, and a media file's chapters, title, length and picture."""

from __future__ import annotations

from pathlib import Path

from reader.base.numbers import seconds_ms
from reader.transcript import TRANSCRIPT_SUFFIXES
from reader.transcript.chapters import parse_chapter_list
from reader.transcript.model import Chapter

VIDEO_SUFFIXES = (".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi", ".ogv", ".mpg", ".mpeg", ".ts", ".wmv", ".flv", ".3gp")
AUDIO_SUFFIXES = (".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".wma")
MEDIA_SUFFIXES = VIDEO_SUFFIXES + AUDIO_SUFFIXES
# Preferred order when several subtitle files sit beside a video.
_SIDECAR_ORDER = (".vtt", ".srt", ".json3", ".srv3", ".ass", ".ssa", ".sbv", ".lrc", ".smi", ".txt", ".md")


def is_media(path: Path) -> bool:
    return path.suffix.lower() in MEDIA_SUFFIXES


def is_transcript(path: Path) -> bool:
    return path.suffix.lower() in TRANSCRIPT_SUFFIXES and not path.name.endswith(".chapters.txt")


def find_sidecar(media: Path, languages: tuple[str, ...] = ("en",)) -> Path | None:
    """A subtitle file with the video's stem: talk.vtt, or yt-dlp's talk.en.vtt / talk.en-US.srt."""
    folder = media.parent
    stem = media.stem
    try:
        siblings = [p for p in folder.iterdir() if p.is_file() and p.name.startswith(stem + ".") and p != media]
    except OSError:
        return None
    candidates = [p for p in siblings if is_transcript(p) and p.suffix.lower() in _SIDECAR_ORDER]

    def rank(p: Path):
        middle = p.name[len(stem) + 1:-len(p.suffix)]  # '' or 'en' or 'en-US'
        lang = middle.split("-")[0].lower()
        lang_rank = 0 if middle == "" else (1 + languages.index(lang) if lang in languages else 10)
        return (lang_rank, _SIDECAR_ORDER.index(p.suffix.lower()), p.name)

    return min(candidates, key=rank) if candidates else None


def find_chapter_list(media: Path) -> list[Chapter]:
    """Chapters from talk.chapters.txt beside the media, if there is one."""
    path = media.with_name(media.stem + ".chapters.txt")
    try:
        return parse_chapter_list(path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else []
    except OSError:
        return []


def media_chapters(media: Path) -> list[Chapter]:
    """Chapters stored in the media container (MP4/MKV chapter atoms), read with PyAV."""
    try:
        import av

        with av.open(str(media)) as container:
            chapters = container.chapters()
    except Exception:  # a file PyAV cannot open simply has no chapters we can read
        return []
    out = []
    for ch in chapters:
        try:
            start_ms = seconds_ms(float(ch["start"] * ch["time_base"]), None)
            if start_ms is None:  # a container's chapter at NaN, infinity or 10^300 seconds is not a chapter
                continue
            title = (ch.get("metadata") or {}).get("title") or f"Chapter {len(out) + 1}"
        except (KeyError, TypeError, ValueError, OverflowError, ZeroDivisionError):
            continue
        out.append(Chapter(start_ms, str(title)))
    return out


def is_playable(media: Path) -> bool:
    """Whether PyAV finds a sound or picture stream in the file (text shown as a picture, ffmpeg's tty, is not one)."""
    try:
        import av

        with av.open(str(media)) as container:
            if container.format.name in ("tty", "lrc"):
                return False
            return any(s.type in ("audio", "video") for s in container.streams)
    except Exception:  # a file PyAV cannot open cannot be played
        return False


def media_facts(media: Path) -> tuple[str, int]:
    """The title a media file carries in its metadata ('' when none) and its length in ms (0 when unknown)."""
    try:
        import av

        with av.open(str(media)) as container:
            title = str((container.metadata or {}).get("title") or "")
            duration = container.duration or 0  # in av.time_base units (microseconds)
    except Exception:  # a file PyAV cannot open tells us nothing, which is not an error here
        return "", 0
    title = " ".join("".join(ch if ch.isprintable() else " " for ch in title).split())[:300]
    return title, seconds_ms(duration / 1_000_000 if isinstance(duration, (int, float)) else None, 0)


def media_thumbnail(media: Path, out: Path, at_ms: int, width: int = 320) -> Path | None:
    """A JPEG of the video's picture at about `at_ms`, `width` pixels wide; None for audio or a file
    PyAV cannot read. The picture is made beside `out` and renamed over it, so a failure leaves `out` as it was."""
    from reader.base.safe_io import atomic_path

    try:
        import av

        with av.open(str(media)) as container:
            stream = next((s for s in container.streams if s.type == "video"), None)
            if stream is None:
                return None
            container.seek(max(0, at_ms) * 1000, any_frame=False)  # microseconds, AV_TIME_BASE
            frame = next(container.decode(stream), None)
            if frame is None:
                return None
            height = max(2, round(frame.height * width / max(1, frame.width) / 2) * 2)
            picture = frame.reformat(width=width, height=height, format="yuvj420p")
        with atomic_path(out) as part:
            with av.open(str(part), "w", format="image2") as dst:
                encoder = dst.add_stream("mjpeg", rate=1)
                encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuvj420p"
                picture.pts = 0
                for packet in encoder.encode(picture):
                    dst.mux(packet)
                for packet in encoder.encode():
                    dst.mux(packet)
            if part.stat().st_size == 0:
                raise ValueError("no picture was written")
    except Exception:  # no picture is not an error: the library shows a placeholder
        return None
    return out if out.exists() and out.stat().st_size > 0 else None
