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
            _set_chapters(out, chapters, seconds)
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
            _encode_audio(out, aus, (np.sin(2 * np.pi * 440 * t) * 0.2 * 32767).astype(np.int16), rate)
    return path


def _set_chapters(out, chapters, seconds: float) -> None:
    """(start ms, title) chapters on an open container, each ending where the next starts."""
    from fractions import Fraction

    total = int(seconds * 1000)
    out.set_chapters([
        {"id": i + 1, "start": s, "end": chapters[i + 1][0] if i + 1 < len(chapters) else total,
         "time_base": Fraction(1, 1000), "metadata": {"title": t}}
        for i, (s, t) in enumerate(chapters)
    ])


def _encode_audio(out, stream, samples, rate: int) -> None:
    """Mono 16-bit samples into an open container's audio stream."""
    for i in range(0, len(samples), 1024):
        frame = av.AudioFrame.from_ndarray(samples[i:i + 1024].reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        frame.pts = i
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)


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


# Tone "speech" the stand-in transcription engine (tests/standin_engine.py) reads back: each word is a 200 ms
# tone whose pitch names it (300 Hz is TONE_WORDS[0], then one word per 100 Hz).
TONE_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "stop.")
TONE_MS = 200


def make_tone_speech(path: Path, words: list[tuple[int, int]], seconds: float, video: bool = False, chapters=None) -> Path:
    """An M4A (or MP4 with `video`) of `seconds` with a tone for each (start_ms, word index) in `words`."""
    rate = 44100
    samples = np.zeros(int(seconds * rate), dtype=np.float64)
    for start_ms, index in words:
        n = TONE_MS * rate // 1000
        t = np.arange(n) / rate
        at = start_ms * rate // 1000
        samples[at:at + n] += np.sin(2 * np.pi * (300 + 100 * index) * t)[: len(samples) - at] * 0.3
    pcm = (samples * 32767).astype(np.int16)
    with av.open(str(path), "w") as out:
        if chapters:
            _set_chapters(out, chapters, seconds)
        aus = out.add_stream("aac", rate=rate)
        aus.layout = "mono"
        _encode_audio(out, aus, pcm, rate)
    return path


def make_speech(path: Path, sentences: list[str], gap_ms: int = 700) -> tuple[Path, list[tuple[int, int]]]:
    """A WAV of espeak-ng saying each sentence, with a pause between; returns it and each sentence's (start, end) ms."""
    import subprocess
    import tempfile
    import wave

    parts, spans, at, rate = [], [], 0, 22050
    with tempfile.TemporaryDirectory() as tmp:
        for i, sentence in enumerate(sentences):
            wav = Path(tmp) / f"{i}.wav"
            subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), sentence], check=True, capture_output=True)
            with wave.open(str(wav)) as w:
                rate = w.getframerate()
                data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
            pause = np.zeros(gap_ms * rate // 1000, dtype=np.int16)
            spans.append((at + len(pause) * 1000 // rate, at + (len(pause) + len(data)) * 1000 // rate))
            parts += [pause, data]
            at += (len(pause) + len(data)) * 1000 // rate
    parts.append(np.zeros(gap_ms * rate // 1000, dtype=np.int16))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.concatenate(parts).tobytes())
    return path, spans


def make_silence(path: Path, seconds: float, rate: int = 4000) -> Path:
    """A FLAC of `seconds` of silence at a low sample rate: hours of it take a moment to make and a few kB."""
    with av.open(str(path), "w") as out:
        aus = out.add_stream("flac", rate=rate)
        aus.layout = "mono"
        block = np.zeros(rate * 60, dtype=np.int16).reshape(1, -1)  # one minute a frame
        for i in range(int(seconds // 60)):
            frame = av.AudioFrame.from_ndarray(block, format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, i * rate * 60
            for packet in aus.encode(frame):
                out.mux(packet)
        for packet in aus.encode():
            out.mux(packet)
    return path
