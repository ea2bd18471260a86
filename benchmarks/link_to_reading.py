"""Paste a link → first readable line, first video frame, whole video: Reader's window beside plain yt-dlp, one throttled link."""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
INPUTS = HERE / ".inputs"
CHUNK = 64 * 1024


# -- the video: a faststart H.264/AAC MP4 of the size asked for, its picture noisy enough to be a real bitrate -----------

def make_video(path: Path, megabytes: int, bitrate: int = 2_400_000) -> float:
    """A 10-second segment encoded once (640x360 with moving noise, a tone), its packets muxed again and again with
    times shifted until the file is `megabytes` (no re-encoding: seconds, not minutes); moov at the front, as a
    site serves a video to stream. Returns its length in seconds."""
    import av
    import numpy as np

    segment, whole = path.with_suffix(".segment.mp4"), path.with_suffix(".making.mp4")
    fps, seconds, rate = 25, 10, 44100
    rng = np.random.default_rng(24)
    with av.open(str(segment), "w") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt, vs.bit_rate = 640, 360, "yuv420p", bitrate
        vs.options = {"preset": "ultrafast", "x264-params": f"keyint={fps * 2}:nal-hrd=cbr:vbv-maxrate={bitrate // 1000}:vbv-bufsize={bitrate // 1000}"}
        aus = out.add_stream("aac", rate=rate)
        aus.layout = "mono"
        base = rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)
        _mux_all(out, vs, (_picture(av, np.roll(base, i * 7, axis=1), i) for i in range(fps * seconds)))
        t = np.arange(seconds * rate) / rate
        samples = (np.sin(2 * np.pi * 440 * t) * 0.2 * 32767).astype(np.int16)
        _mux_all(out, aus, (_sound(av, samples[i:i + 1024], i, rate) for i in range(0, len(samples), 1024)))
    repeats = max(1, int(megabytes * 1_000_000 / segment.stat().st_size) + 1)
    with av.open(str(segment)) as src, av.open(str(whole), "w", options={"movflags": "faststart"}) as out:
        streams = {s.index: out.add_stream_from_template(s) for s in src.streams}
        demuxed = [p for p in src.demux() if p.dts is not None]
        packets = [(p.stream.index, bytes(p), p.pts if p.pts is not None else p.dts, p.dts, p.time_base, p.is_keyframe)
                   for p in demuxed]
        spans = {}  # each stream's own length (AAC's priming makes the sound's a little longer than the picture's)
        for p in demuxed:
            first, end = spans.get(p.stream.index, (p.dts, p.dts))
            spans[p.stream.index] = (min(first, p.dts), max(end, p.dts + (p.duration or 1)))
        spans = {index: end - first for index, (first, end) in spans.items()}
        for r in range(repeats):
            for index, data, pts, dts, time_base, key in packets:  # a muxed packet is the muxer's: each is made anew
                q = av.Packet(data)
                q.stream, q.time_base, q.is_keyframe = streams[index], time_base, key
                q.pts, q.dts = pts + r * spans[index], dts + r * spans[index]
                out.mux(q)
    segment.unlink()
    whole.replace(path)  # only a whole video is ever taken for the input
    return repeats * seconds


def _mux_all(out, stream, frames) -> None:
    """Encode every frame into the stream and mux the packets, then what the encoder still holds."""
    for frame in frames:
        out.mux(stream.encode(frame))
    out.mux(stream.encode())


def _picture(av, img, i: int):
    img[:, (i * 9) % 600:(i * 9) % 600 + 40] = (240, 120, 40)  # a bar moving across the noise
    frame = av.VideoFrame.from_ndarray(img, format="rgb24")
    frame.pts = i
    return frame


def _sound(av, samples, at: int, rate: int):
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate, frame.pts = rate, at
    return frame


def make_vtt(seconds: float) -> str:
    lines = ["WEBVTT", ""]
    for i in range(int(seconds // 4)):
        a, b = i * 4, i * 4 + 4
        lines += [f"{a // 3600:02d}:{a // 60 % 60:02d}:{a % 60:02d}.000 --> {b // 3600:02d}:{b // 60 % 60:02d}:{b % 60:02d}.000",
                  f"Line {i + 1} of the talk, said at {a} seconds.", ""]
    return "\n".join(lines)


# -- the site: a plain page with <video> and <track> (yt-dlp's generic extractor), ranges, one shared link --------------

class Link:
    """One connection's worth of bandwidth shared by every request (the download and the stream compete, as at home)."""

    def __init__(self, bytes_per_s: float | None):
        self.rate, self.lock, self.free_at = bytes_per_s, threading.Lock(), time.monotonic()

    def send(self, n: int) -> None:
        if not self.rate:
            return
        with self.lock:
            start = max(time.monotonic(), self.free_at)
            self.free_at = start + n / self.rate
        delay = self.free_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def serve(video: bytes, vtt: str, link: Link) -> tuple[ThreadingHTTPServer, str]:
    html = ('<!DOCTYPE html><html><head><title>A long talk</title></head><body><video controls>'
            '<source src="/files/talk.mp4" type="video/mp4">'
            '<track kind="subtitles" srclang="en" label="English" src="/files/talk.en.vtt"></video></body></html>').encode()
    routes = {"/pages/talk.html": ("text/html; charset=utf-8", html), "/files/talk.en.vtt": ("text/vtt", vtt.encode()),
              "/files/talk.mp4": ("video/mp4", video)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.do_GET(body=False)

        def do_GET(self, body: bool = True):
            kind, data = routes.get(self.path.split("?")[0], ("text/plain", None))
            if data is None:
                self.send_error(404)
                return
            start, end, status = 0, len(data), 200
            wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range") or "")
            if wanted:
                start, status = int(wanted.group(1)), 206
                end = min(len(data), int(wanted.group(2)) + 1) if wanted.group(2) else len(data)
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.end_headers()
                    return
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(end - start))
            self.send_header("Accept-Ranges", "bytes")
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
            self.end_headers()
            if not body:
                return
            try:
                for i in range(start, end, CHUNK):
                    piece = data[i:min(end, i + CHUNK)]
                    link.send(len(piece))
                    self.wfile.write(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/pages/talk.html"


# -- the runs ------------------------------------------------------------------------------------------------------------

def run_reader(url: str, play: bool = True) -> dict:
    """One paste in a fresh Reader (its own process, data and settings): the child's report."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(_compiled(), READER_DATA_DIR=f"{tmp}/data", READER_CONFIG_DIR=f"{tmp}/config", QT_QPA_PLATFORM="offscreen",
                   QT_LOGGING_RULES="qt.multimedia*=false", PYTHONPATH=str(HERE.parent))
        args = [sys.executable, str(HERE / "link_to_reading_child.py"), url] + ([] if play else ["--no-play"])
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600, cwd=str(HERE.parent))
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode or not lines:
            raise SystemExit(f"the Reader child failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return json.loads(lines[-1])


def _compiled() -> dict:
    """The environment with Python's compiled modules kept (in .inputs), as an installed Reader has them: where
    PYTHONDONTWRITEBYTECODE is set, yt-dlp's generic extractor otherwise compiles ~950 extractor modules each run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(INPUTS / "pycache")
    return env


def run_ytdlp(url: str) -> float:
    """Plain yt-dlp downloading the same page (the wait before reading, before this issue): seconds to its exit."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "yt_dlp", "-q", "--no-warnings", "--write-subs", "-o", f"{tmp}/%(id)s.%(ext)s", url],
                       check=True, timeout=3600, capture_output=True, env=_compiled())
        return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=200, help="the video's size (default 200 MB)")
    parser.add_argument("--rate", type=float, default=2.0, help="the link, in MB/s (default 2); 0: unthrottled loopback")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-play", action="store_true", help="the transcript only: nothing streamed while it downloads")
    args = parser.parse_args()
    INPUTS.mkdir(exist_ok=True)
    video_path = INPUTS / f"talk-{args.mb}mb.mp4"
    if not video_path.is_file():
        print(f"making a {args.mb} MB video (once)…", file=sys.stderr)
        make_video(video_path, args.mb)
    import av

    with av.open(str(video_path)) as c:
        seconds = c.duration / 1_000_000
    video = video_path.read_bytes()
    server, url = serve(video, make_vtt(seconds), Link(args.rate * 1_000_000 if args.rate > 0 else None))
    rows, plain = [], []
    try:
        # compiled once before the rounds: yt-dlp reading the page (its generic extractor loads every other), and the window
        subprocess.run([sys.executable, "-m", "yt_dlp", "-q", "--skip-download", url], env=_compiled(), timeout=600, check=True)
        subprocess.run([sys.executable, "-c", "import reader.ui.main_window; import reader.library.video_download"],
                       env=dict(_compiled(), PYTHONPATH=str(HERE.parent)), cwd=str(HERE.parent), timeout=600, check=True)
        for r in range(args.rounds):  # taking turns, so both see the same machine
            rows.append(run_reader(url, play=not args.no_play))
            plain.append(run_ytdlp(url))
            print(f"round {r + 1}: Reader {json.dumps(rows[-1])}; yt-dlp {plain[-1]:.1f} s", file=sys.stderr)
    finally:
        server.shutdown()

    def med(key):
        values = [row[key] for row in rows if row.get(key) is not None]
        return (statistics.median(values), min(values), max(values)) if values else (None, None, None)

    rate = f"{args.rate:g} MB/s" if args.rate > 0 else "unthrottled loopback"
    print(f"{len(video) / 1e6:.0f} MB video, {seconds / 60:.1f} min, {len(rows)} rounds, link {rate}")
    for key, what in (("line_s", "paste → first readable line"), ("frame_s", "paste → first video frame (Play Now)"),
                      ("done_s", "paste → whole video checked, playing from the file"), ("cpu_s", "CPU of the window's process, paste → whole"),
                      ("stall_before_ms", "longest event-loop stall, paste → first frame (yt-dlp reading the page in threads)"),
                      ("stall_ms", "longest event-loop stall, first frame → whole video (the download, the stream playing)"),
                      ("rss_at_paste_mb", "resident memory at the paste"), ("rss_mb", "peak resident memory")):
        m, lo, hi = med(key)
        if m is not None:
            unit = "ms" if key.endswith("ms") else "MB" if key.endswith("mb") else "s"
            print(f"  {what}: median {m:.1f} {unit} (range {lo:.1f}–{hi:.1f})")
    print(f"  plain yt-dlp, same page: median {statistics.median(plain):.1f} s (range {min(plain):.1f}–{max(plain):.1f})")


if __name__ == "__main__":
    main()
