"""Local transcription's speed: real-time factor per model, the event loop's longest stall beside a job, and memory.

    READER_WHISPER_TINY_DIR=... READER_WHISPER_BASE_DIR=... uv run python benchmarks/transcription.py

Each model runs as Reader runs it: `reader import` of a one-minute espeak-ng recording, then the transcription worker
process, polled from a Qt event loop the way the window polls it. Models are folders of faster-whisper's CTranslate2
conversions (none is shipped: `reader models download tiny` fetches one into the data folder).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SENTENCES = [
    "Today we look at how memory works when we read a long text.",
    "The first idea is that attention comes before storage.",
    "If you never noticed a word, you cannot remember it later.",
    "The second idea is spacing: short reviews spread over days beat one long session.",
    "Researchers have measured this effect for more than a century.",
    "A third idea is retrieval, which means trying to recall before looking.",
    "Each attempt makes the memory a little stronger.",
    "Notes help when they are written in your own words.",
    "Copying a sentence word for word does much less.",
    "Let us now turn to an example from a physics lecture.",
    "The speaker explains energy, then work, then power.",
    "Students who paused to summarise each part remembered twice as much.",
    "That is the end of the first part of this talk.",
    "After a short break we will look at questions from the audience.",
    "Thank you for listening so carefully.",
]


def _peak_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def idle_stall_ms(seconds: float = 15.0) -> float:
    """The same 5 ms ticker with no job running: what this machine's load alone does to the event loop."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

    app = QCoreApplication.instance() or QCoreApplication([])
    clock, gaps = QElapsedTimer(), []
    clock.start()
    last = [clock.elapsed()]

    def tick():
        gaps.append(clock.elapsed() - last[0])
        last[0] = clock.elapsed()

    ticker = QTimer()
    ticker.timeout.connect(tick)
    ticker.start(5)
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    return max(gaps[5:] or [0]) - 5


def run_model(name: str, folder: str, media: Path) -> dict:
    """Import the clip afresh and transcribe it with `folder`, polling from a Qt event loop that ticks every 5 ms."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

    from reader.cli.main import main
    from reader.transcription import job as jobs

    os.environ["READER_DATA_DIR"] = tempfile.mkdtemp(prefix="reader-bench-")
    os.environ["READER_CONFIG_DIR"] = os.environ["READER_DATA_DIR"]
    assert main(["import", str(media)]) == 0
    app = QCoreApplication.instance() or QCoreApplication([])
    clock, gaps, at, result = QElapsedTimer(), [], [], {}
    clock.start()
    last = [clock.elapsed()]
    started = time.perf_counter()
    job = jobs.start(1, folder)
    peak = [0.0]

    def tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        at.append(now)
        last[0] = now

    def poll():
        for p in job.poll():  # as the window does: progress lines, never blocking
            result["elapsed_s"] = p["elapsed_s"]
            result["total_ms"] = p["total_ms"]
        peak[0] = max(peak[0], _peak_rss_mb(job.pid))
        if job.returncode is not None:
            app.quit()

    ticker, poller = QTimer(), QTimer()
    ticker.timeout.connect(tick)
    poller.timeout.connect(poll)
    ticker.start(5)
    poller.start(100)
    app.exec()
    wall = time.perf_counter() - started
    worst = sorted(range(5, len(gaps)), key=lambda i: -gaps[i])[:5]
    print(f"       longest gaps: {', '.join(f'{gaps[i]} ms at {at[i] / 1000:.1f} s' for i in worst)}", file=sys.stderr)
    if job.returncode != 0:
        raise SystemExit(f"{name}: {job.error}")
    audio_s = result["total_ms"] / 1000
    from reader.library.db.store import Store

    store = Store()
    lines = store.transcript(1).cues
    store.close()
    return {
        "model": name, "audio_s": audio_s, "transcribe_s": result["elapsed_s"], "wall_s": wall,
        "rtf": result["elapsed_s"] / audio_s, "speed": audio_s / result["elapsed_s"],
        "stall_ms": max(gaps[5:] or [0]) - 5, "rss_mb": peak[0], "lines": len(lines),
        "sample": " / ".join(c.text for c in lines[:3]),
    }


def main() -> int:
    from media import make_speech

    models = [(n, os.environ.get(f"READER_WHISPER_{n.upper()}_DIR", "")) for n in ("tiny", "base")]
    models = [(n, d) for n, d in models if d]
    if not models:
        print("set READER_WHISPER_TINY_DIR and/or READER_WHISPER_BASE_DIR to model folders", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="reader-bench-speech-"))
    media, _ = make_speech(folder / "lecture.wav", SENTENCES, gap_ms=900)
    print(f"event loop with no job running: longest stall {idle_stall_ms():.0f} ms; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print(f"{'model':6} {'audio':>6} {'transcribe':>10} {'wall':>6} {'RTF':>5} {'speed':>7} {'stall':>7} {'peak RSS':>9}  lines")
    for name, model in models:
        r = run_model(name, model, media)
        print(f"{r['model']:6} {r['audio_s']:5.1f}s {r['transcribe_s']:9.1f}s {r['wall_s']:5.1f}s {r['rtf']:5.2f} "
              f"{r['speed']:6.1f}x {r['stall_ms']:5.0f}ms {r['rss_mb']:7.0f}MB  {r['lines']}", flush=True)
        print(f"       first lines: {r['sample']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
