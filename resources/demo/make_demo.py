"""Regenerate Reader's demo: a one-minute two-voice talk (espeak-ng), its video (Qt + PyAV) and transcript.

Run from the repository root:  uv run python resources/demo/make_demo.py
Needs espeak-ng on the PATH (Debian: apt-get install espeak-ng). Writes demo.mp4 (with chapters) and demo.vtt here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT, FPS = 640, 360, 12
RATE = 22050
GAP_MS = 450
SENTENCE_GAP_MS = 150

VOICES = {
    "Maya": ("en-us+f3", 160, "#e8875b"),
    "Sam": ("en-gb+m3", 155, "#5b9be8"),
}

# (chapter or None, speaker, line). Original text written for this demo.
SCRIPT = [
    ("Why read along", "Maya", "Welcome to Reader. This short demo shows what it is like to watch and read at the same time."),
    (None, "Sam", "So the transcript on the right follows the video?"),
    (None, "Maya", "Exactly. The line being spoken is lit, and the view scrolls to keep it in sight."),
    (None, "Sam", "What if I scroll away to read something earlier?"),
    (None, "Maya", "Then Reader stops following, and a button takes you back to the current line."),
    ("Moving around", "Sam", "Can I jump to a moment I care about?"),
    (None, "Maya", "Click the time at the start of any paragraph, or double-click a line, and the video goes there."),
    (None, "Sam", "And to find a word I half remember?"),
    (None, "Maya", "Press Control F. Every match is marked, and Enter steps through them."),
    (None, "Sam", "The chapters of a talk are listed above the text, and marked on the seek bar."),
    (None, "Maya", "And if the words run early or late, the sync control nudges them by a tenth of a second."),
    ("Your notes, your disk", "Sam", "Where does all of this live?"),
    (None, "Maya", "On your own computer. Nothing needs a network to play, read or search."),
    (None, "Sam", "Good. Then let's start reading."),
]


def speak(text: str, voice: str, speed: int, folder: Path) -> np.ndarray:
    out = folder / "line.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(out), text], check=True)
    with wave.open(str(out)) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)


def clock(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def build_audio(folder: Path):
    pieces, cues, chapters = [], [], []
    at = 400
    pieces.append(np.zeros(RATE * 400 // 1000, dtype=np.int16))
    for chapter, speaker, text in SCRIPT:
        if chapter:
            chapters.append((max(0, at - 200) if chapters else 0, chapter))
        voice, speed, _ = VOICES[speaker]
        # One cue per sentence, so the highlight moves as each sentence is spoken.
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            samples = speak(sentence, voice, speed, folder)
            # espeak pads each clip with silence; trim it so the highlight matches the voice
            loud = np.nonzero(np.abs(samples) > 300)[0]
            samples = samples[max(0, loud[0] - 200): loud[-1] + 400] if loud.size else samples
            dur = len(samples) * 1000 // RATE
            cues.append((at, at + dur, speaker, sentence))
            pieces.append(samples)
            pieces.append(np.zeros(RATE * SENTENCE_GAP_MS // 1000, dtype=np.int16))
            at += dur + SENTENCE_GAP_MS
        pieces.append(np.zeros(RATE * (GAP_MS - SENTENCE_GAP_MS) // 1000, dtype=np.int16))
        at += GAP_MS - SENTENCE_GAP_MS
    pieces.append(np.zeros(RATE // 2, dtype=np.int16))
    return np.concatenate(pieces), cues, chapters


def render_frames(cues, chapters, total_ms):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    cache: dict[tuple, np.ndarray] = {}

    def frame(ms: int) -> np.ndarray:
        cue = next((c for c in reversed(cues) if c[0] <= ms), None)
        chapter = next((c for c in reversed(chapters) if c[0] <= ms), None)
        progress = int(ms * (WIDTH - 80) / total_ms)
        key = (cue, chapter, progress // 4)
        if key in cache:
            return cache[key]
        img = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB888)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        grad = QLinearGradient(0, 0, WIDTH, HEIGHT)
        grad.setColorAt(0, QColor("#1d2433"))
        grad.setColorAt(1, QColor("#2c3a4f"))
        p.fillRect(img.rect(), grad)
        p.setPen(QColor("#9fb3c8"))
        f = QFont("DejaVu Sans", 13)
        p.setFont(f)
        p.drawText(QRectF(40, 26, WIDTH - 80, 24), Qt.AlignmentFlag.AlignLeft, "READER DEMO" + (f"  ·  {chapter[1]}" if chapter else ""))
        if cue:
            colour = VOICES[cue[2]][2]
            p.setBrush(QColor(colour))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawEllipse(40, 96, 16, 16)
            p.setPen(QColor(colour))
            p.setFont(QFont("DejaVu Sans", 16, QFont.Weight.Bold))
            p.drawText(QRectF(66, 90, 300, 28), Qt.AlignmentFlag.AlignLeft, cue[2])
            p.setPen(QColor("#f2f5f8"))
            p.setFont(QFont("DejaVu Serif", 21))
            p.drawText(QRectF(40, 130, WIDTH - 80, 170), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, cue[3])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#3d4b60"))
        p.drawRoundedRect(40, HEIGHT - 30, WIDTH - 80, 6, 3, 3)
        p.setBrush(QColor("#e8875b"))
        p.drawRoundedRect(40, HEIGHT - 30, max(6, progress), 6, 3, 3)
        p.end()
        ptr = img.constBits()
        arr = np.frombuffer(ptr, dtype=np.uint8).reshape(HEIGHT, img.bytesPerLine())[:, : WIDTH * 3].reshape(HEIGHT, WIDTH, 3).copy()
        cache[key] = arr
        return arr

    del app  # keep the QGuiApplication alive only through the closure's use
    return frame


def encode(path: Path, audio: np.ndarray, frame_at, total_ms: int, chapters) -> None:
    with av.open(str(path), "w", options={"movflags": "+faststart"}) as out:
        out.metadata["title"] = "Reader demo: reading along"
        vs = out.add_stream("libx264", rate=FPS)
        vs.width, vs.height, vs.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        vs.options = {"crf": "30", "preset": "slow", "g": str(FPS * 4), "tune": "stillimage"}
        aus = out.add_stream("aac", rate=RATE)
        aus.layout = "mono"
        aus.bit_rate = 48_000
        try:
            out.set_chapters([
                {"id": i + 1, "start": start, "end": (chapters[i + 1][0] if i + 1 < len(chapters) else total_ms),
                 "time_base": Fraction(1, 1000), "metadata": {"title": title}}
                for i, (start, title) in enumerate(chapters)
            ])
        except Exception as exc:  # older PyAV: the sidecar chapter list still carries them
            print("chapters not embedded:", exc)
        frames = total_ms * FPS // 1000
        for i in range(frames):
            vf = av.VideoFrame.from_ndarray(frame_at(i * 1000 // FPS), format="rgb24")
            vf.pts = i
            for packet in vs.encode(vf):
                out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
        chunk = 1024
        for i in range(0, len(audio), chunk):
            piece = audio[i: i + chunk]
            af = av.AudioFrame.from_ndarray(piece.reshape(1, -1), format="s16", layout="mono")
            af.sample_rate = RATE
            af.pts = i
            for packet in aus.encode(af):
                out.mux(packet)
        for packet in aus.encode():
            out.mux(packet)


def write_vtt(path: Path, cues) -> None:
    lines = ["WEBVTT", "Kind: captions", "Language: en", ""]
    for start, end, speaker, text in cues:
        lines += [f"{clock(start)} --> {clock(end)}", f"<v {speaker}>{text}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        audio, cues, chapters = build_audio(Path(tmp))
    total_ms = len(audio) * 1000 // RATE
    frame_at = render_frames(cues, chapters, total_ms)
    encode(HERE / "demo.mp4", audio, frame_at, total_ms, chapters)
    write_vtt(HERE / "demo.vtt", cues)
    size = (HERE / "demo.mp4").stat().st_size
    print(f"demo.mp4: {total_ms / 1000:.1f} s, {size / 1e6:.2f} MB; {len(cues)} cues, {len(chapters)} chapters")


if __name__ == "__main__":
    main()
