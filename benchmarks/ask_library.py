"""Issue 23's figures: passages for a question across the library beside a bare FTS5 query, and the time to the first token.

    uv run python benchmarks/ask_library.py [--dir /tmp/reader-scale] [--sizes 100,1000]

Libraries are built once with library_builder (through Reader's Store) and kept in --dir, outside the repo
(scale.py shares them). Each figure is the best of five. "Bare" is SQLite FTS5 alone on the same file in
the same run: the question's words OR-ed, the best 12 passages by bm25. The first token comes from the
local server that speaks the Messages API (tests/fake_anthropic.py), so what is measured is Reader's own
time: finding the passages, recording the question, building the request and the SDK's round trip on
the loopback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import library_builder  # noqa: E402
from scale import best_of, library  # noqa: E402

QUESTIONS = (
    "where did anyone explain spaced repetition, and how does it help?",
    "what do people say about serendipity?",
    "how does consolidation of memories happen?",
    "what is learning, and what do people think of it?",  # every video holds these words
)


def passages_figures(data: Path) -> list[str]:
    from reader.library.db.store import Store
    from reader.library.question_passages import find, question_terms

    store = Store(data / "library.db")
    bare = sqlite3.connect(data / "library.db")
    out = []
    for q in QUESTIONS:
        match = " OR ".join(question_terms(q))
        secs, found = best_of(lambda q=q: find(store, q))
        bare_secs, _ = best_of(lambda m=match: bare.execute(
            "select rowid, bm25(passages_fts) from passages_fts where passages_fts match ? order by rank limit 12", [m]).fetchall())
        videos = len({f.video_id for f in found})
        out.append(f"{q!r}: find {secs * 1000:.1f} ms ({len(found)} passages from {videos} videos); bare FTS5 "
                   f"{bare_secs * 1000:.1f} ms; ratio {secs / bare_secs:.2f}")
    store.close()
    return out


def first_token(data: Path) -> list[str]:
    from fake_anthropic import FakeAnthropic, Reply

    server = FakeAnthropic()
    server.replies = [Reply(pieces=["The talks say", " so."])]
    os.environ.update(ANTHROPIC_BASE_URL=server.url, ANTHROPIC_API_KEY="sk-ant-bench-0123456789", READER_ANTHROPIC_MAX_RETRIES="0")
    from reader.asking import library as library_ask
    from reader.asking.llm import TextEvent, make_client, stream_answer
    from reader.library.db.store import Store

    store = Store(data / "library.db")
    out = []
    client = None
    for label in ("first question (the SDK imported)", "warm (best of 5)"):
        best_sent, best_first = float("inf"), float("inf")
        for _ in range(1 if client is None else 5):
            t0 = time.perf_counter()
            answer_id, request = library_ask.begin(store, QUESTIONS[0])
            client = client or make_client("sk-ant-bench-0123456789")
            first = None
            for event in stream_answer(request, "k", client=client):  # read to its end: the server is not cut off
                if isinstance(event, TextEvent) and first is None:
                    first = time.perf_counter() - t0
            sent = server.timings[-1][0] - t0
            best_sent, best_first = min(best_sent, sent), min(best_first, first)
            store.delete_library_thread(store.library_answer(answer_id)["thread_id"])
        out.append(f"{label}: the request reaches the server {best_sent * 1000:.0f} ms after Ask; "
                   f"first token {best_first * 1000:.0f} ms")
    store.close()
    server.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/reader-scale"))
    parser.add_argument("--sizes", default="100,1000")
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        data = library(args.dir, size)
        print(f"== {size} videos ==")
        for line in passages_figures(data) + first_token(data):
            print("  " + line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
