"""Play before the download ends: the single-file format yt-dlp resolves for a link (extract_info without downloading)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.base.numbers import seconds_ms
from reader.library.download import ImportFailed, _Logger, _new_ydl, explain_failure, load_yt_dlp


class NoStream(ImportFailed):
    """The link gives no format a player can open as it is (one file with both picture and sound, over HTTP)."""


@dataclass
class Stream:
    url: str
    duration_ms: int
    height: int


def stream_selector(max_height: int) -> str:
    """One file with picture and sound that FFmpeg reads over plain HTTP(S) (no HLS or DASH playlists): H.264 in
    MP4 first, as the download prefers; the best under the quality limit, else the smallest there is."""
    plain = "[protocol^=http][protocol!*=dash]"  # b: a format with both (one whose codecs are not given counts)
    h = f"[height<=?{max_height}]"
    return f"b{h}{plain}[vcodec^=avc1]/b{h}{plain}[ext=mp4]/b{h}{plain}/w{plain}"


def resolve_stream(url: str, max_height: int = 720, extractors=(), socket_timeout: float = 20) -> Stream:
    """The address a player can stream the video of `url` from while its download runs. Raises NoStream (one
    sentence) when there is none, ImportFailed when the page cannot be read."""
    load_yt_dlp()
    from yt_dlp.utils import YoutubeDLError

    logger = _Logger()
    params = {"quiet": True, "no_warnings": True, "noprogress": True, "noplaylist": True, "logger": logger,
              "socket_timeout": socket_timeout, "retries": 1, "extractor_retries": 1, "color": "no_color",
              "format": stream_selector(max_height)}
    try:
        with _new_ydl(params, extractors) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as exc:
        text = str(exc)
        if "Requested format is not available" in text or "No video formats found" in text:
            raise NoStream("This site gives the video's picture and sound apart, so it cannot play before its download "
                           "ends; it plays here as soon as it is downloaded.") from None
        raise ImportFailed(_stream_failure(explain_failure(text))) from None
    except (OSError, ArithmeticError, ValueError, TypeError) as exc:
        raise ImportFailed(_stream_failure(explain_failure(str(exc)))) from None
    if info is None:
        raise ImportFailed(_stream_failure(explain_failure("\n".join(logger.errors))))
    chosen = (info.get("requested_formats") or [info])
    address = str(chosen[0].get("url") or "") if len(chosen) == 1 else ""
    if not address.lower().startswith(("http://", "https://")):
        raise NoStream("This video cannot be streamed while it downloads; it plays here as soon as it is downloaded.")
    height = chosen[0].get("height")
    return Stream(address, seconds_ms(info.get("duration")), height if isinstance(height, int) and 0 < height < 100_000 else 0)


def _stream_failure(sentence: str) -> str:
    """A failure to reach the stream, said as one: what went wrong, and that the download goes on."""
    sentence = re.sub(r",? then (import|try) again", "", sentence.replace("The import failed: ", "The video could not be streamed: "))
    return sentence.rstrip(".") + ". The download goes on, and the video plays here once it is done."
