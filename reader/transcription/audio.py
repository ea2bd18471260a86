"""A stretch of a media file's sound as Whisper wants it: float32 samples, 16 kHz, mono, decoded with PyAV."""

from __future__ import annotations

from pathlib import Path

RATE = 16_000


def duration_ms(media: Path) -> int:
    """The length of the media's sound (or of the file), in milliseconds; 0 when unknown."""
    import av

    with av.open(str(media)) as container:
        stream = next(iter(container.streams.audio), None)
        if stream is not None and stream.duration and stream.time_base:
            return int(stream.duration * stream.time_base * 1000)
        return int((container.duration or 0) / 1000)


def read_stretch(media: Path, from_ms: int, to_ms: int):
    """Samples from from_ms to to_ms (fewer at the end of the file); raises ValueError when there is no sound."""
    import av
    import numpy as np

    with av.open(str(media)) as container:
        stream = next(iter(container.streams.audio), None)
        if stream is None:
            raise ValueError(f"{media.name} has no sound to transcribe")
        if from_ms > 0:
            container.seek(from_ms * 1000, any_frame=False)  # microseconds (AV_TIME_BASE); lands at or before from_ms
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks: list = []
        first_ms: float | None = None
        wanted = (to_ms - from_ms) * RATE // 1000
        got = 0
        for frame in container.decode(stream):
            if first_ms is None:
                first_ms = float(frame.pts * frame.time_base * 1000) if frame.pts is not None else float(from_ms)
                first_ms = min(first_ms, float(from_ms))
            for out in resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1)
                chunks.append(samples)
                got += len(samples)
            if first_ms is not None and got >= wanted + (from_ms - first_ms) * RATE / 1000:
                break
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    audio = np.concatenate(chunks).astype(np.float32, copy=False)
    skip = int(round((from_ms - (first_ms or from_ms)) * RATE / 1000))
    return audio[skip: skip + wanted]
