"""Export and restore at scale: wall time and the child process's peak memory for `reader export --all --to json`
and `reader restore` (into an empty library) on libraries of 100 and 1,000 videos built by library_builder.py.

    uv run python benchmarks/backup_scale.py [--videos 100 1000] [--work /tmp/backup-scale] [--reader-root PATH]

Libraries are built once under --work (kept between runs, outside the repo). Each command is a whole process
(`python -m reader ...`), measured with os.wait4, which returns that child's own peak resident memory. Before
the export a `reader library` opens the library once, so the day's snapshot is not counted in the export.
--reader-root runs another checkout's Reader (for figures before a change); its libraries are built by that
checkout's benchmarks/library_builder.py (copy it there), through its own Store. Targets (issue 22): peak RSS at 1,000 videos at most 1.2 times the figure at 100; restore at most 10 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(root: Path, data: Path, config: Path, *argv: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `python -m reader ARGV` with the library in `data`."""
    env = dict(os.environ, READER_DATA_DIR=str(data), READER_CONFIG_DIR=str(config), PYTHONPATH=str(root))
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "reader", *argv], cwd=root, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    error = child.stderr.read().decode(errors="replace").strip()
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"backup_scale: `reader {' '.join(argv)}` failed ({child.returncode}): {error}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def library(root: Path, work: Path, videos: int) -> Path:
    """The data folder of a library of `videos` videos built by `root`'s own Store (grown from a smaller one)."""
    data = work / f"library-{videos}" / "data"
    if not (data / "library.db").exists():
        data.mkdir(parents=True, exist_ok=True)
        smaller = sorted((p for p in work.glob("library-*/data/library.db") if int(p.parts[-3].split("-")[1]) < videos),
                         key=lambda p: int(p.parts[-3].split("-")[1]))
        if smaller:
            shutil.copy(smaller[-1], data / "library.db")
        builder = root / "benchmarks" / "library_builder.py"  # the checkout's own (it builds through its own Store)
        env = dict(os.environ, READER_DATA_DIR=str(data), READER_CONFIG_DIR=str(work / "config"))
        subprocess.run([sys.executable, str(builder), str(data / "library.db"), "--videos", str(videos)], check=True, env=env, cwd=root)
    return data


def measure(root: Path, work: Path, videos: int) -> dict:
    data, config = library(root, work, videos), work / "config"
    out = work / f"backup-{videos}.json"
    run(root, data, config, "library")  # the day's snapshot, taken at the first open, is not the export's
    export_s, export_mb = run(root, data, config, "export", "--all", "--to", "json", str(out))
    empty = work / f"restored-{videos}"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir()
    restore_s, restore_mb = run(root, empty, config, "restore", str(out))
    return {"videos": videos, "library_mb": (data / "library.db").stat().st_size / 1e6, "backup_mb": out.stat().st_size / 1e6,
            "export_s": export_s, "export_rss_mb": export_mb, "restore_s": restore_s, "restore_rss_mb": restore_mb}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/backup-scale"))
    parser.add_argument("--reader-root", type=Path, default=ROOT, help="the checkout whose Reader is measured")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = [measure(args.reader_root.resolve(), args.work, n) for n in sorted(args.videos)]
    print(f"{'videos':>7} {'library':>9} {'backup':>9} {'export':>8} {'export RSS':>11} {'restore':>8} {'restore RSS':>12}")
    for r in results:
        print(f"{r['videos']:>7} {r['library_mb']:>7.0f}MB {r['backup_mb']:>7.0f}MB {r['export_s']:>7.1f}s "
              f"{r['export_rss_mb']:>9.0f}MB {r['restore_s']:>7.1f}s {r['restore_rss_mb']:>10.0f}MB")
    if len(results) > 1:
        small, large = results[0], results[-1]
        for what in ("export_rss_mb", "restore_rss_mb"):
            ratio = large[what] / small[what]
            print(f"{what}: {ratio:.2f}x from {small['videos']} to {large['videos']} videos (target at most 1.2x)")
        print(f"restore at {large['videos']}: {large['restore_s']:.1f} s (target at most 10 s at 1,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
