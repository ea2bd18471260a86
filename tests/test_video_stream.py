"""The address a video streams from while it downloads: real yt-dlp against pages on loopback, hostile ones in a table."""

import pytest

from reader.library.download import ImportFailed
from reader.library.video_stream import NoStream, resolve_stream

from fake_site import FakeTubeIE

IE = [FakeTubeIE()]


def test_a_single_file_format_streams_from_its_own_address(site, clip_bytes):
    url = site.add_video("one", clip_bytes)
    stream = resolve_stream(url, extractors=IE)
    assert stream.url == f"{site.base}/media/one.mp4" and stream.duration_ms == 8000 and stream.height == 90
    assert not any(r.startswith("/media/") for r in site.requests)  # resolving downloads nothing


def test_the_quality_limit_picks_the_largest_under_it_and_the_generic_page_streams_too(site, clip_bytes):
    formats = [{"format_id": str(h), "url": site.add(f"/media/q{h}.mp4", clip_bytes, "video/mp4"), "ext": "mp4",
                "vcodec": "avc1.42c01e", "acodec": "mp4a.40.2", "height": h, "width": h * 16 // 9} for h in (360, 720, 1080)]
    url = site.add_video("q", None, extra={"formats": formats})
    assert resolve_stream(url, max_height=720, extractors=IE).url.endswith("/media/q720.mp4")
    assert resolve_stream(url, max_height=240, extractors=IE).url.endswith("/media/q360.mp4")  # the smallest there is
    assert resolve_stream(site.add_html_video("plain", clip_bytes, None)).url == f"{site.base}/files/plain.mp4"


def _apart(site):
    return [{"format_id": "v", "url": site.add("/media/v.mp4", b"v", "video/mp4"), "ext": "mp4", "vcodec": "avc1", "acodec": "none", "height": 90},
            {"format_id": "a", "url": site.add("/media/a.m4a", b"a", "audio/mp4"), "ext": "m4a", "vcodec": "none", "acodec": "mp4a.40.2"}]


def _playlist_only(site):
    return [{"format_id": "hls", "url": site.base + "/media/x.m3u8", "ext": "mp4", "protocol": "m3u8_native",
             "vcodec": "avc1", "acodec": "mp4a.40.2", "height": 90}]


HOSTILE = [
    ("picture and sound apart", lambda site: {"formats": _apart(site)}, NoStream, "picture and sound apart"),
    ("only an HLS playlist", lambda site: {"formats": _playlist_only(site)}, NoStream, "cannot play before its download ends"),
    ("no formats at all", lambda site: {"formats": []}, NoStream, "plays here as soon as it is downloaded"),
    ("the page is gone", lambda site: {"status": 404}, ImportFailed, "The video is unavailable"),
    ("a page that is not JSON", lambda site: {"raw": b"<html>not the page"}, ImportFailed, "The download goes on"),
]


@pytest.mark.parametrize("case,page,kind,says", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_no_stream_is_said_in_one_sentence_and_the_download_goes_on(site, case, page, kind, says):
    spec = page(site)
    url = site.add_video("h", None, status=spec.get("status", 200), extra={k: v for k, v in spec.items() if k == "formats"})
    if "raw" in spec:
        site.add("/watch?v=h", spec["raw"], "application/json")
    with pytest.raises(kind) as failed:
        resolve_stream(url, extractors=IE, socket_timeout=2)
    text = str(failed.value)
    assert says in text and "Traceback" not in text and "ERROR" not in text and "\n" not in text
    assert text.count(". ") <= 1 and not any(r.startswith("/media/") for r in site.requests)
