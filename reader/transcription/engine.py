"""The transcription engine: timed pieces of speech from audio, with faster-whisper (loaded only when used)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class TimedWord:
    start_ms: int
    end_ms: int
    text: str  # as the engine gives it, often with its leading space


@dataclass(frozen=True)
class Piece:
    start_ms: int
    end_ms: int
    text: str
    words: tuple[TimedWord, ...]


class Engine(Protocol):
    name: str  # e.g. "base.en"

    def transcribe(self, audio, offset_ms: int, language: str | None) -> tuple[list[Piece], str]:
        """Pieces of one stretch of audio (float32, 16 kHz, mono), times absolute (offset_ms added), and the language."""
        ...


class _Whisper:
    def __init__(self, model_dir: Path, name: str):
        from faster_whisper import WhisperModel  # here only: start-up and the window never pay for it

        self.name = name
        # one core is left to the window (and the video playing in it)
        threads = max(1, (os.cpu_count() or 2) - 1)
        self.model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads)

    def transcribe(self, audio, offset_ms: int, language: str | None) -> tuple[list[Piece], str]:
        segments, info = self.model.transcribe(audio, language=language or None, vad_filter=True, word_timestamps=True,
                                               condition_on_previous_text=False)
        pieces = []
        for seg in segments:
            words = tuple(TimedWord(offset_ms + round(w.start * 1000), offset_ms + round(w.end * 1000), w.word)
                          for w in (seg.words or ()) if w.word.strip())
            pieces.append(Piece(offset_ms + round(seg.start * 1000), offset_ms + round(seg.end * 1000), seg.text.strip(), words))
        return pieces, info.language or (language or "")


def whisper_engine(model_dir: Path, name: str) -> Engine:
    """faster-whisper on the CPU with int8 weights, its voice-activity filter and word timestamps."""
    return _Whisper(model_dir, name)
