"""The window's start and the command line at scale: first frame and the longest event-loop stall in the first
10 s at 100 and 1,000 videos (also on the day's first start, when the daily snapshot is due), and
`reader library --json` as a whole process beside `reader --help`. Libraries from benchmarks/library_builder.py
(or a folder given with --libraries holding lib100/library.db and lib1000/library.db). Needs an X server (DISPLAY)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _env(data: Path, config: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_LOGGING_RULES="*=false", READER_DATA_DIR=str(data),
               READER_CONFIG_DIR=str(config))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _copy_library(source: Path, data: Path, daily_due: bool) -> None:
    """The library in a fresh data folder, closed cleanly once; with a snapshot from today unless daily_due."""
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    shutil.copy(source, data / "library.db")
    sys.path.insert(0, str(HERE.parent))
    from reader.library.db.snapshots import take_snapshot
    from reader.library.db.store import Store

    store = Store(data / "library.db")
    if not daily_due:
        take_snapshot(store, "daily")
    store.close()


def window_once(source: Path, daily_due: bool, seconds: float) -> tuple[float, float]:
    home = Path(tempfile.mkdtemp(prefix="reader-scale-"))
    try:
        _copy_library(source, home / "data", daily_due)
        out = subprocess.run([sys.executable, str(HERE / "start_scale_child.py"), str(seconds)], capture_output=True,
                             text=True, env=_env(home / "data", home / "config"), timeout=seconds + 60)
        lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if line.startswith(("FIRST_FRAME", "STALL")))
        if "STALL" not in lines:
            raise RuntimeError(f"the window gave no figures: {out.stdout[-400:]} {out.stderr[-800:]}")
        return float(lines.get("FIRST_FRAME", "nan")), float(lines["STALL"].split()[0])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def process_s(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reader", *args], env=env, capture_output=True, check=True, timeout=120)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--libraries", type=Path, required=True, help="folder with lib100/library.db and lib1000/library.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    a = parser.parse_args()
    for size in (100, 1000):
        source = a.libraries / f"lib{size}" / "library.db"
        for due in (False, True):
            figures = [window_once(source, due, a.seconds) for _ in range(a.runs)]
            frames, stalls = [f for f, _ in figures], [s for _, s in figures]
            print(f"window, {size} videos{', day’s first start' if due else ''}: first frame "
                  f"{statistics.median(frames):.2f} s, longest stall in {a.seconds:.0f} s: median "
                  f"{statistics.median(stalls):.0f} ms, worst {max(stalls):.0f} ms", flush=True)
    home = Path(tempfile.mkdtemp(prefix="reader-scale-cli-"))
    try:
        _copy_library(a.libraries / "lib1000" / "library.db", home / "data", daily_due=False)
        env = _env(home / "data", home / "config")
        process_s(["library", "--json"], env)  # bytecode cached, file in the page cache
        lib = statistics.median(process_s(["library", "--json"], env) for _ in range(a.runs * 2))
        helps = statistics.median(process_s(["--help"], env) for _ in range(a.runs * 2))
        print(f"reader library --json at 1,000 videos: {lib * 1000:.0f} ms; reader --help: {helps * 1000:.0f} ms; "
              f"ratio {lib / helps:.2f}", flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
