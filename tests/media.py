"""Generate small media files for tests with PyAV: a video with a tone, or audio alone."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


# One flat colour per second of a clip made with coloured=True, so a frame tells the moment it shows.
SECOND_COLOURS = ((200, 40, 40), (40, 180, 60), (40, 70, 210), (220, 200, 40), (40, 200, 210), (190, 50, 190),
                  (240, 140, 30), (235, 235, 235))


def second_colour(ms: int) -> tuple[int, int, int]:
    """The colour of the frame at `ms` in a clip made with coloured=True."""
    return SECOND_COLOURS[(ms // 1000) % len(SECOND_COLOURS)]


def make_clip(path: Path, seconds: float = 8.0, video: bool = True, audio: bool = True, chapters=None,
              title: str = "", coloured: bool = False) -> Path:
    """An H.264/AAC MP4 (or an M4A without video): a moving bar on grey and a 440 Hz tone; with
    `coloured`, each second a flat colour of its own (second_colour) instead."""
    fps, width, height, rate = 25, 160, 90, 44100
    with av.open(str(path), "w") as out:
        if title:
            out.metadata["title"] = title
        vs = out.add_stream("libx264", rate=fps) if video else None
        if vs is not None:
            vs.width, vs.height, vs.pix_fmt = width, height, "yuv420p"
            vs.options = {"preset": "ultrafast"}
        aus = out.add_stream("aac", rate=rate) if audio else None
        if aus is not None:
            aus.layout = "mono"
        if chapters:
            from fractions import Fraction

            total = int(seconds * 1000)
            out.set_chapters([
                {"id": i + 1, "start": s, "end": chapters[i + 1][0] if i + 1 < len(chapters) else total,
                 "time_base": Fraction(1, 1000), "metadata": {"title": t}}
                for i, (s, t) in enumerate(chapters)
            ])
        if vs is not None:
            for i in range(int(seconds * fps)):
                if coloured:
                    img = np.full((height, width, 3), second_colour(i * 1000 // fps), dtype=np.uint8)
                else:
                    img = np.full((height, width, 3), 90, dtype=np.uint8)
                    x = int(i / (seconds * fps) * (width - 10))
                    img[:, x:x + 10] = (240, 120, 40)
                frame = av.VideoFrame.from_ndarray(img, format="rgb24")
                frame.pts = i
                for packet in vs.encode(frame):
                    out.mux(packet)
            for packet in vs.encode():
                out.mux(packet)
        if aus is not None:
            t = np.arange(int(seconds * rate)) / rate
            samples = (np.sin(2 * np.pi * 440 * t) * 0.2 * 32767).astype(np.int16)
            for i in range(0, len(samples), 1024):
                frame = av.AudioFrame.from_ndarray(samples[i:i + 1024].reshape(1, -1), format="s16", layout="mono")
                frame.sample_rate = rate
                frame.pts = i
                for packet in aus.encode(frame):
                    out.mux(packet)
            for packet in aus.encode():
                out.mux(packet)
    return path


CLIP_VTT = """WEBVTT

00:00:00.500 --> 00:00:02.000
<v Ada>First line from Ada.

00:00:02.000 --> 00:00:03.500
<v Ada>Second line, still Ada.

00:00:03.500 --> 00:00:05.000
<v Ben>Ben answers with a third line.

00:00:05.000 --> 00:00:07.500
<v Ben>And the fourth line closes the clip.
"""
