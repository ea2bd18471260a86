"""A stand-in transcription engine for tests: reads back tests/media.py's tone speech as timed words."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from reader.transcription.engine import Piece, TimedWord

TONE_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "stop.")
RATE = 16_000
PIECE_GAP_MS = 700  # a longer silence starts a new piece, as Whisper's segments do at pauses


class StandIn:
    def __init__(self, name: str):
        self.name = name
        self.calls: list[int] = []

    def _gate(self, offset_ms: int) -> None:
        """With READER_STANDIN_GATE set to a folder, every stretch after the first waits there for a file named
        'open' (a test holds the worker between stretches, to kill or cancel it there)."""
        gate = os.environ.get("READER_STANDIN_GATE")
        if not gate or not self.calls[:-1]:
            return
        (Path(gate) / f"waiting-{offset_ms}").touch()
        for _ in range(6000):
            if (Path(gate) / "open").exists():
                return
            time.sleep(0.01)

    def transcribe(self, audio, offset_ms: int, language: str | None) -> tuple[list[Piece], str]:
        self.calls.append(offset_ms)
        self._gate(offset_ms)
        time.sleep(float(os.environ.get("READER_STANDIN_DELAY_S") or 0))  # a slower engine, where a test says so
        with open(os.environ.get("READER_STANDIN_LOG", os.devnull), "a") as log:
            log.write(f"{offset_ms} {len(audio)}\n")
        window = RATE // 100  # 10 ms
        frames = len(audio) // window
        loud = [float(np.abs(audio[i * window:(i + 1) * window]).max(initial=0)) > 0.05 for i in range(frames)]
        words: list[TimedWord] = []
        i = 0
        while i < frames:
            if not loud[i]:
                i += 1
                continue
            j = i
            while j < frames and loud[j]:
                j += 1
            if j - i >= 5:  # at least 50 ms of tone
                chunk = audio[i * window:j * window]
                spectrum = np.abs(np.fft.rfft(chunk))
                freq = np.argmax(spectrum) * RATE / len(chunk)
                index = min(max(round((freq - 300) / 100), 0), len(TONE_WORDS) - 1)
                words.append(TimedWord(offset_ms + i * 10, offset_ms + j * 10, " " + TONE_WORDS[index]))
            i = j
        pieces: list[Piece] = []
        group: list[TimedWord] = []
        for w in words:
            if group and w.start_ms - group[-1].end_ms >= PIECE_GAP_MS:
                pieces.append(_piece(group))
                group = []
            group.append(w)
        if group:
            pieces.append(_piece(group))
        return pieces, language or "xx"


def _piece(words: list[TimedWord]) -> Piece:
    return Piece(words[0].start_ms, words[-1].end_ms, "".join(w.text for w in words).strip(), tuple(words))


def engine(model_dir: Path, name: str) -> StandIn:
    return StandIn(name)
