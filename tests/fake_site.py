"""A video site on loopback for import tests: a real HTTP server, and a yt-dlp extractor that reads it.

The extractor is registered with YoutubeDL.add_info_extractor, so real yt-dlp does the work:
fetching the page, choosing formats, downloading media, captions and thumbnails over HTTP.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from yt_dlp.extractor.common import InfoExtractor


class Site:
    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.throttle: dict[str, float] = {}  # path -> seconds between 64 KiB chunks
        self.requests: list[str] = []
        self.ranges: list[str] = []  # the Range header of each request ('' when none)
        # path -> a fault for its next `times` requests: {"kind": "drop"|"stall"|"lie"|"truncate"|"416"|"hold", "at": bytes}
        self.faults: dict[str, dict] = {}
        self.ranges_ok = True  # answers Range requests with 206 (a resumed download continues)
        self.chunk = 65536
        self.stalled = threading.Event()  # set to end every stall at once (at close)
        self.released = threading.Event()  # set to let every held response go on ("hold": a download that waits midway)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.requests.append(self.path)
                site.ranges.append(self.headers.get("Range") or "")
                status, kind, body = site.routes.get(self.path, (404, "text/plain", b"not found"))
                fault = site.faults.get(self.path)
                if fault is not None and fault.get("times", 1) <= 0:
                    fault = None
                if fault is not None:
                    fault["times"] = fault.get("times", 1) - 1
                start = 0
                wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range") or "")
                if status == 200 and wanted and site.ranges_ok:
                    start = int(wanted.group(1))
                    if start >= len(body) or (fault and fault.get("kind") == "416"):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(body)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    end = int(wanted.group(2)) + 1 if wanted.group(2) else len(body)
                    status, body_out = 206, body[start:end]
                else:
                    body_out = body
                kind_of_fault = fault.get("kind") if fault else ""
                length = len(body_out)
                if kind_of_fault == "truncate":  # an honest length for a body that is short of the video
                    body_out = body_out[: fault["at"]]
                    length = len(body_out)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if kind_of_fault == "lie":  # says more than it sends
                    length += fault.get("extra", 100_000)
                self.send_header("Content-Length", str(length))
                if site.ranges_ok and status in (200, 206) and kind.startswith(("video/", "audio/")):
                    self.send_header("Accept-Ranges", "bytes")
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{start + len(body_out) - 1}/{len(body)}")
                if status == 429:
                    self.send_header("Retry-After", "3600")
                self.end_headers()
                pause = site.throttle.get(self.path)
                cut = fault.get("at") if kind_of_fault in ("drop", "stall", "lie", "hold") else None
                chunk = site.chunk
                try:
                    gate = threading.Event()
                    for i in range(0, len(body_out), chunk):
                        piece = body_out[i:i + chunk]
                        if kind_of_fault == "hold" and cut is not None and i + len(piece) >= cut:
                            self.wfile.write(piece[: max(0, cut - i)])  # waits there until the test lets it go on
                            self.wfile.flush()
                            site.released.wait(fault.get("for", 60))
                            piece, cut = piece[max(0, cut - i):], None
                        if cut is not None and i + len(piece) >= cut:
                            self.wfile.write(piece[: max(0, cut - i)])
                            self.wfile.flush()
                            if kind_of_fault == "stall":  # holds the connection open, sending nothing
                                site.stalled.wait(fault.get("for", 30))
                            self.close_connection = True
                            return
                        self.wfile.write(piece)
                        if pause:
                            self.wfile.flush()
                            gate.wait(pause)  # a slow server, so a download can be cancelled midway
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def add(self, path: str, body: bytes, kind: str = "application/octet-stream", status: int = 200) -> str:
        self.routes[path] = (status, kind, body)
        return self.base + path

    def add_video(self, video_id: str, media: bytes | None, *, creator_vtt: str | None = None, auto_json3: str | None = None,
                  auto_vtt: str | None = None, chapters=None, description: str = "", title: str = "A talk about reading",
                  status: int = 200, extra: dict | None = None, sound: bytes | None = None) -> str:
        """Publish a watch page (JSON the extractor reads) and the files it points at; `extra` fields go in the page as given.
        With `sound`, the page offers it too as a format of its own with no picture (/media/ID.m4a), as YouTube does."""
        page = {
            "id": video_id, "title": title, "channel": "Reader Test Channel", "description": description,
            "duration": 8, "upload_date": "20260102", "thumbnail": self.add(f"/thumb/{video_id}.png", THUMBNAIL, "image/png"),
            "chapters": chapters, "formats": [], "subtitles": {}, "automatic_captions": {},
        }
        if media is not None:
            page["formats"].append({
                "format_id": "18", "url": self.add(f"/media/{video_id}.mp4", media, "video/mp4"), "ext": "mp4",
                "vcodec": "avc1.42c01e", "acodec": "mp4a.40.2", "width": 160, "height": 90, "filesize": len(media),
            })
        if sound is not None:
            page["formats"].append({
                "format_id": "140", "url": self.add(f"/media/{video_id}.m4a", sound, "audio/mp4"), "ext": "m4a",
                "vcodec": "none", "acodec": "mp4a.40.2", "filesize": len(sound),
            })
        if creator_vtt is not None:
            page["subtitles"]["en"] = [{"ext": "vtt", "url": self.add(f"/subs/{video_id}.en.vtt", creator_vtt.encode(), "text/vtt")}]
            page["subtitles"]["live_chat"] = [{"ext": "json", "url": self.base + "/nowhere"}]
        if auto_json3 is not None:
            page["automatic_captions"].setdefault("en", []).append(
                {"ext": "json3", "url": self.add(f"/auto/{video_id}.json3", auto_json3.encode(), "application/json")})
        if auto_vtt is not None:
            page["automatic_captions"].setdefault("en", []).append(
                {"ext": "vtt", "url": self.add(f"/auto/{video_id}.vtt", auto_vtt.encode(), "text/vtt")})
        page.update(extra or {})
        self.add(f"/watch?v={video_id}", json.dumps(page).encode(), "application/json", status)
        return f"{self.base}/watch?v={video_id}"

    def add_playlist(self, list_id: str, video_ids: list[str], title: str = "A reading list") -> str:
        page = {"_type": "playlist", "id": list_id, "title": title,
                "entries": [{"url": f"{self.base}/watch?v={v}", "title": f"Video {v}"} for v in video_ids]}
        self.add(f"/playlist?list={list_id}", json.dumps(page).encode(), "application/json")
        return f"{self.base}/playlist?list={list_id}"

    def add_html_video(self, name: str, media: bytes, vtt: str | None, title: str = "A talk on a plain page") -> str:
        """A plain HTML page with a <video> and its subtitle <track>: yt-dlp's generic extractor reads it (the
        command line and the benchmark, which cannot be given an extractor of their own, use this)."""
        self.add(f"/files/{name}.mp4", media, "video/mp4")
        track = ""
        if vtt is not None:
            self.add(f"/files/{name}.en.vtt", vtt.encode(), "text/vtt")
            track = f'<track kind="subtitles" srclang="en" label="English" src="/files/{name}.en.vtt">'
        html = (f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
                f'<video controls><source src="/files/{name}.mp4" type="video/mp4">{track}</video></body></html>')
        self.add(f"/pages/{name}.html", html.encode(), "text/html; charset=utf-8")
        return f"{self.base}/pages/{name}.html"

    def close(self):
        self.stalled.set()
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


class FakeTubeIE(InfoExtractor):
    """Reads the watch page's JSON; a page answered with an error status fails the way YouTube's do."""

    IE_NAME = "faketube"
    _VALID_URL = r"https?://127\.0\.0\.1:\d+/(?:watch\?v=|playlist\?list=)(?P<id>[\w-]+)"

    def _real_extract(self, url):
        video_id = self._match_id(url)
        page = self._download_json(url, video_id)
        if page.get("_type") == "playlist":
            return self.playlist_result(
                [self.url_result(e["url"], FakeTubeIE, video_title=e["title"]) for e in page["entries"]], page["id"], page["title"])
        if page.get("private"):
            self.raise_login_required("Private video. Sign in if you've been granted access to this video")
        for key in ("subtitles", "automatic_captions"):
            page[key] = page.get(key) or {}
        if page.get("chapters") and isinstance(page["chapters"], list):
            page["chapters"] = [{"start_time": c[0], "title": c[1]} if isinstance(c, list) else c for c in page["chapters"]]
        else:
            page.pop("chapters", None)
        return page


def _png(width: int = 160, height: int = 90) -> bytes:
    """A small striped PNG, made here, for thumbnails."""
    import struct
    import zlib

    row = b"\x00" + b"".join(bytes((40 + (x // 20) * 25 % 200, 90, 150)) for x in range(width))
    rows = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


THUMBNAIL = _png()
