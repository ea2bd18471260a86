"""Killed mid-write, again and again: the library stays whole and keeps everything that was saved."""

import os
import random
import sqlite3
from pathlib import Path

from reader.library.db.store import Store
from reader.library.importing import media_root

from conftest import kill_during
from fake_anthropic import FakeAnthropic, Reply

RUNS = 100


def test_sigkill_at_random_moments_loses_nothing_saved(tmp_path, clip_dir, monkeypatch):
    server = FakeAnthropic()
    server.replies = [Reply([f"word{i} " for i in range(60)], delay=0.003)]
    data = tmp_path / "data"
    env = dict(os.environ, READER_DATA_DIR=str(data), ANTHROPIC_BASE_URL=server.url, ANTHROPIC_API_KEY="sk-ant-crash",
               READER_ANTHROPIC_MAX_RETRIES="0")
    rng = random.Random(20261126)
    saved: set[int] = set()
    answers: set[int] = set()
    imported: set[int] = set()
    kept: dict[int, int] = {}
    child_script = Path(__file__).resolve().parent / "crash_child.py"
    kills = 0
    try:
        for run in range(RUNS):
            # start-up done, then saving, streaming or importing for a moment before the kill
            _, lines = kill_during(child_script, [clip_dir / "talk.mp4", run], env, rng.uniform(0.02, 0.8))
            kills += 1
            for line in lines:
                kind, _, value = line.strip().partition(" ")
                if kind == "KEPT":
                    answer_id, chars = map(int, value.split())
                    kept[answer_id] = max(kept.get(answer_id, 0), chars)
                elif value.isdigit():
                    {"SAVED": saved, "ANSWER": answers, "IMPORTED": imported}[kind].add(int(value))
            # after each kill: the database is whole, and everything reported saved is there
            conn = sqlite3.connect(data / "library.db")
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            conn.close()
    finally:
        server.close()
    store = Store()  # opening it as the app would (this also marks cut-off answers incomplete)
    store.mark_interrupted()
    highlight_ids = {r[0] for r in store.db.execute("select id from highlights")}
    assert saved <= highlight_ids, f"lost highlights: {sorted(saved - highlight_ids)[:10]}"
    statuses = dict(store.db.execute("select id, status from answers").fetchall())
    assert answers <= set(statuses)
    assert "streaming" not in statuses.values()
    videos = {r[0] for r in store.db.execute("select id from videos")}
    assert imported <= videos
    # no half-made entries: every video has its transcript rows, and no staging folder survives the next start
    for vid, count in store.db.execute("select id, cue_count from videos"):
        assert store.db.execute("select count(*) from cues where video_id = ?", [vid]).fetchone()[0] == count
    from reader.library.importing import clean_staging

    clean_staging()
    assert not list(media_root().glob(".staging-*"))
    print(f"\n{kills} kills: {len(saved)} highlights, {len(answers)} answers ({len(kept)} with text written) "
          f"({sum(1 for s in statuses.values() if s == 'incomplete')} cut off and marked incomplete), {len(imported)} imports; all kept")
    assert kills == RUNS and len(saved) > RUNS and answers and imported
    # what had streamed in and been written before the kill is still there, at least that much of it
    lengths = dict(store.db.execute("select id, length(answer) from answers").fetchall())
    assert all(lengths[a] >= chars for a, chars in kept.items())
    assert kept, "no answer got far enough to be written before its kill; the kill window is too short"
