"""Issue 22's scale figures: ranked search, whole commands and the library page on libraries of 100, 1,000 (and 10,000) videos.

    uv run python benchmarks/scale.py [--dir /tmp/reader-scale] [--sizes 100,1000] [--no-window]

Libraries are built once with library_builder (through Reader's Store) and kept in --dir, outside the
repo. Each figure is the best of five, beside the bare SQLite FTS5 query on the same file in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import library_builder  # noqa: E402

QUERIES = (("common word", library_builder.COMMON_WORD), ("rare word", library_builder.RARE_WORD),
           ("phrase", f'"{library_builder.PHRASE}"'), ("prefix", library_builder.PREFIX))


def best_of(fn, n: int = 5) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def library(folder: Path, videos: int) -> Path:
    data = folder / f"lib{videos}"
    path = data / "library.db"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        library_builder.build(path, videos)
        print(f"built {videos} videos in {time.perf_counter() - t:.0f} s ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
    return data


def in_process(data: Path) -> list[str]:
    from reader.library.db.passages import match_query
    from reader.library.db.store import Store
    from reader.library.passages import passages
    from reader.library.search import search_library

    store = Store(data / "library.db")
    bare = sqlite3.connect(data / "library.db")
    rows = []
    for name, query in QUERIES:
        secs, found = best_of(lambda q=query: search_library(store, q))
        match = match_query(query)
        bare_secs, hits = best_of(lambda m=match: bare.execute(
            "select rowid from cues_fts where cues_fts match ? limit 300", [m]).fetchall())
        rank_secs, _ = best_of(lambda m=match: bare.execute(
            "select rowid from cues_fts where cues_fts match ? order by rank limit 20", [m]).fetchall(), 2)
        passage_secs, _ = best_of(lambda q=query: passages(store, q))
        rows.append(f"{name} {query}: ranked {secs * 1000:.1f} ms ({len(found.videos)} of {found.video_count} videos); "
                    f"passages() {passage_secs * 1000:.1f} ms; bare FTS5 300 lines {bare_secs * 1000:.1f} ms; "
                    f"bare bm25 over lines {rank_secs * 1000:.0f} ms")
    store.close()
    return rows


def processes(data: Path, config: Path) -> list[str]:
    env = dict(os.environ, READER_DATA_DIR=str(data), READER_CONFIG_DIR=str(config), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # from cached bytecode, as an installed Reader runs
    reader = [sys.executable, "-m", "reader"]
    out = []
    for args in (["--help"], ["library", "--json"], ["search", library_builder.COMMON_WORD]):
        secs, _ = best_of(lambda a=args: subprocess.run(reader + a, env=env, capture_output=True, check=True), 3)
        out.append(f"reader {' '.join(args)}: {secs * 1000:.0f} ms")
    return out


def window(data: Path, config: Path) -> list[str]:
    os.environ.update(READER_DATA_DIR=str(data), READER_CONFIG_DIR=str(config), QT_QPA_PLATFORM="offscreen")
    from functools import partial

    from PySide6.QtWidgets import QApplication

    from reader.library.db.store import Store
    from reader.library.search import search_library
    from reader.ui.widgets.library_page import LibraryPage

    app = QApplication.instance() or QApplication([])
    store = Store(data / "library.db")
    page = LibraryPage()
    page.resize(1024, 700)
    page.show()
    secs, _ = best_of(lambda: (page.set_source(store.videos, partial(search_library, store)), app.processEvents()), 3)
    out = [f"library page opens: {secs * 1000:.0f} ms ({page.proxy.rowCount()} rows)"]
    typed = []
    for text in ("l", "le", "lea", "lear", "learn", "learni", "learning"):
        t = time.perf_counter()
        page.search.setText(text)
        page._search_timer.stop()
        page._run_search()  # what the timer runs 150 ms after the last key
        app.processEvents()
        typed.append((time.perf_counter() - t) * 1000)
    out.append("search as you type 'learning' on the GUI thread (as before), per key: " + ", ".join(f"{ms:.0f}" for ms in typed) + " ms")
    # as the window does it: the query on the searcher's thread; the GUI thread's longest turn, and key to results shown
    from reader.ui.controllers.library_searching import LibrarySearcher

    searcher = LibrarySearcher()
    shown: dict[str, float] = {}
    searcher.found.connect(lambda text, found: (page.show_found(text, found), shown.setdefault(text, time.perf_counter())))
    page.set_searcher(partial(searcher.ask, data / "library.db"))
    gui, waited = [], []
    for text in ("l", "le", "lea", "lear", "learn", "learni", "learning"):
        t = time.perf_counter()
        page.search.setText(text)
        page._search_timer.stop()
        page._run_search()
        gui.append((time.perf_counter() - t) * 1000)
        while text not in shown and len(text) >= 2 and time.perf_counter() - t < 5:
            turn = time.perf_counter()
            app.processEvents()
            gui[-1] = max(gui[-1], (time.perf_counter() - turn) * 1000)
            time.sleep(0.001)
        waited.append((shown.get(text, t) - t) * 1000)
    out.append("search as you type, off the GUI thread: longest GUI turn per key " + ", ".join(f"{ms:.0f}" for ms in gui)
               + " ms; key to results shown " + ", ".join(f"{ms:.0f}" for ms in waited) + " ms")
    searcher.close()
    page._search_timer.stop()
    page.close()
    page.deleteLater()
    app.processEvents()
    store.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=Path("/tmp/reader-scale"))
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--no-window", action="store_true")
    args = parser.parse_args()
    config = args.dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        data = library(args.dir, size)
        print(f"\n## {size} videos ({(data / 'library.db').stat().st_size / 1e6:.0f} MB)")
        for line in in_process(data) + processes(data, config) + ([] if args.no_window else window(data, config)):
            print("- " + line, flush=True)
        shutil.rmtree(data / "snapshots", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
