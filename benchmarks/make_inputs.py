"""Generate large synthetic transcripts for the benchmarks: YouTube rolling auto-captions and plain cues."""

from __future__ import annotations

import random

from reader.transcript.writers import clock

WORDS = (
    "so the thing about learning from long videos is that you keep losing your place and the notes end up "
    "somewhere else entirely which means the next time you want to review what was said you have to watch "
    "the whole talk again from the start and nobody has time for that anymore honestly"
).split()


def youtube_rolling_vtt(hours: float = 3.0, seed: int = 7) -> str:
    """A file shaped like YouTube's ASR captions: rolling two-line cues with word tags, 10 ms snapshots."""
    rng = random.Random(seed)
    out = ["WEBVTT\nKind: captions\nLanguage: en\n"]
    t = 0
    previous = ""
    end_ms = int(hours * 3_600_000)
    while t < end_ms:
        n = rng.randint(6, 9)
        words = [rng.choice(WORDS) for _ in range(n)]
        dur = rng.randint(3000, 4200)
        step = dur // n
        tagged = words[0] + "".join(f"<{clock(t + step * i)}><c> {w}</c>" for i, w in enumerate(words[1:], 1))
        out.append(f"{clock(t)} --> {clock(t + dur)} align:start position:0%\n{previous or ' '}\n{tagged}\n")
        line = " ".join(words)
        out.append(f"{clock(t + dur)} --> {clock(t + dur + 10)} align:start position:0%\n{line}\n \n")
        previous = line
        t += dur + 10
    return "\n".join(out)


def plain_cues_srt(count: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    blocks = []
    for i in range(count):
        start = i * 2000
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12)))
        blocks.append(f"{i + 1}\n{clock(start, ',')} --> {clock(start + 1900, ',')}\n{text}\n")
    return "\n".join(blocks)


def long_media(path, hours: float = 3.0) -> None:
    """A tiny-picture video of the given length (1 frame a second, silent AAC), for memory checks."""
    import av
    import numpy as np

    seconds = int(hours * 3600)
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=1)
        vs.width, vs.height, vs.pix_fmt = 64, 36, "yuv420p"
        vs.options = {"preset": "ultrafast", "g": "600"}
        aus = out.add_stream("aac", rate=8000)
        aus.layout = "mono"
        frame = np.full((36, 64, 3), 80, dtype=np.uint8)
        for i in range(seconds):
            vf = av.VideoFrame.from_ndarray(frame, format="rgb24")
            vf.pts = i
            for packet in vs.encode(vf):
                out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
        silence = np.zeros((1, 8000), dtype=np.int16)
        for i in range(seconds):
            af = av.AudioFrame.from_ndarray(silence, format="s16", layout="mono")
            af.sample_rate = 8000
            af.pts = i * 8000
            for packet in aus.encode(af):
                out.mux(packet)
        for packet in aus.encode():
            out.mux(packet)
