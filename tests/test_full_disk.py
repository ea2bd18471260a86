"""A disk that fills up during a transcription, a review, a suggestion stream or a snapshot: one sentence, nothing lost, the library opens."""

import errno
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest

from reader.cards import making as cards
from reader.library.db.snapshots import list_snapshots, take_snapshot
from reader.library.db.store import Store
from reader.transcription import job as jobs

from conftest import MEMORY_ADA, PYTHON_WORDS, add_video, memory_video, run, small_library
from fake_anthropic import Reply
from media import make_tone_speech
from transcribing import SECONDS, SENTENCES, _first_progress, _words, gate, standin  # noqa: F401 (fixtures)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
HALF_WRITTEN = (".taking-", ".staging-", "-journal", ".new", ".restoring")  # what a write in progress is called


class Disk:
    """The data folder on a small tmpfs, and a file that takes up the room left on it (until it is freed)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.filler = folder / "filler"

    def fill(self, leave: int = 0) -> None:
        """Take up all the room on the disk but about `leave` bytes."""
        chunk = b"\0" * 65536
        with open(self.filler, "ab") as f:
            while (room := self.room() - leave) > 0:
                try:
                    f.write(chunk[:room])
                    f.flush()
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
                    return

    def room(self) -> int:
        st = os.statvfs(self.folder)
        return st.f_bavail * st.f_frsize

    def free(self) -> None:
        self.filler.unlink()


@pytest.fixture
def disk(tmpfs, monkeypatch):
    folder = tmpfs("16m", "data")
    monkeypatch.setenv("READER_DATA_DIR", str(folder))
    return Disk(folder)


@dataclass
class Outcome:
    said: str  # the sentence the window or the command line showed
    kept: object  # what was saved before the disk filled, as read() reads it
    read: Callable[[Store], object]
    after: Callable[[], None] = lambda: None  # once there is room again: the work can go on


# -- the activities: each fills the disk midway -----------------------------------------------------

def transcription(disk, ctx) -> Outcome:
    """The window's job (the command line shows the same sentence): the disk fills between two stretches."""
    ctx.getfixturevalue("standin")
    held = ctx.getfixturevalue("gate")
    media = make_tone_speech(ctx.getfixturevalue("tmp_path") / "talk.m4a", _words(), SECONDS, chapters=[(0, "Start")])
    code, out, err = run(ctx.getfixturevalue("capsys"), "import", media)
    assert code == 0, err
    vid = int(out.split("\t")[0])
    job = jobs.start(vid, "stand-in")
    _first_progress(job)  # the first stretch's lines are stored; the worker waits at the gate before the next

    def read(store):
        return [(c.start_ms, c.text) for c in store.transcript(vid).cues]

    kept = ctx.peek(read)
    disk.fill()
    (held / "open").touch()
    assert job.wait(120) == 2 and kept
    assert f"so the transcription of video {vid} stopped at 0:" in job.error and "are kept" in job.error, job.error

    def after():
        store = Store()
        left = jobs.unfinished(store)
        store.close()
        assert len(left) == 1 and left[0]["done_ms"] > 0  # its row waits to go on from the last stretch stored
        assert jobs.resume(left[0]).wait(120) == 0
        assert [start for start, _ in ctx.peek(read)] == SENTENCES

    return Outcome(job.error, kept, read, after)


def review_in_the_window(disk, ctx) -> Outcome:
    from reader.ui.controllers.reviewing import ReviewingController

    ctx.getfixturevalue("qapp")
    vid = add_video()
    store = ctx.store()  # the window's, open all through the round
    for n in range(3):
        cards.make_card(store, vid, f"Question {n}", f"Answer {n}", n * 10_000, n * 10_000 + 5_000, now=NOW)
    controller = ReviewingController(lambda: store)
    controller.clock, controller.fuzz = (lambda: NOW), False
    problems = []
    controller.problem.connect(problems.append)
    assert controller.start_due() == 3
    controller.reveal()
    controller.rate(3)
    kept = reviews(store)
    disk.fill()
    controller.reveal()
    controller.rate(3)
    assert len(problems) == 1 and kept[0][3] and not kept[1][3]
    return Outcome(problems[0], kept, reviews)


def review_on_the_command_line(disk, ctx) -> Outcome:
    capsys = ctx.getfixturevalue("capsys")
    vid = add_video()
    store = Store()
    ids = [cards.make_card(store, vid, f"Question {n}", f"Answer {n}", n * 10_000, n * 10_000 + 5_000) for n in range(3)]
    store.close()
    assert run(capsys, "review", "rate", ids[0], "good")[0] == 0
    kept = ctx.peek(reviews)
    disk.fill()  # no Reader has the library open: the next one opens it read-only
    code, out, err = run(capsys, "review", "rate", ids[1], "good")
    assert code == 2 and out == "", err
    return Outcome(err, kept, reviews)


def reviews(store):
    return [(c["id"], c["fsrs"], c["due"], [(r["rating"], r["reviewed_at"]) for r in store.reviews(c["id"])])
            for c in store.cards()]


def suggestion_stream(disk, ctx) -> Outcome:
    """`reader cards generate`: the disk fills while Claude's suggestions stream in."""
    claude = ctx.getfixturevalue("claude")
    vid = memory_video()
    ctx.peek(lambda store: cards.make_card(store, vid, "What is a desirable difficulty?", "Effort that helps.", 0, 5_000, now=NOW))
    item = {"question": "Why does testing yourself slow forgetting?", "answer": "Recall makes a memory harder to lose.",
            "start": "[0:00]", "end": "[0:00]", "evidence": [MEMORY_ADA[5]]}
    text = json.dumps([item])
    claude.replies = [Reply([text[:20], text[20:]], delay=60)]  # each piece waits for the gate (or a minute)

    def fill_while_it_streams():
        while not claude.requests:
            time.sleep(0.01)
        disk.fill()
        claude.gate.set()

    filler = threading.Thread(target=fill_while_it_streams)
    filler.start()
    code, out, err = run(ctx.getfixturevalue("capsys"), "cards", "generate", vid, "--count", "1")
    filler.join()
    assert code == 2 and out == "" and len(claude.requests) == 1, err

    def read(store):
        return [(c["question"], c["status"]) for c in store.cards()]

    return Outcome(err, [("What is a desirable difficulty?", "active")], read)


def big_library(disk):
    """A library of a few MB with one snapshot, a note written after it, and room left for half a copy."""
    path = small_library(disk.folder / "library.db", notes=("first note",), lines=8000)
    store = Store()
    earlier = take_snapshot(store, "daily", NOW)
    store.add_highlight(1, 0, 0, 0, 4, 0, 900, "line", note="written after")
    store.close()
    disk.fill(leave=path.stat().st_size // 2)
    return earlier


def notes_and_snapshots(store):
    return [h["note"] for h in store.highlights(1)], [s.name for s in list_snapshots()]


def snapshot_before_a_snapshot_comes_back(disk, ctx) -> Outcome:
    capsys = ctx.getfixturevalue("capsys")
    earlier = big_library(disk)
    kept = ctx.peek(notes_and_snapshots)
    code, out, err = run(capsys, "snapshots", "restore", earlier.name)
    assert code == 2, err
    assert f"the snapshot {earlier.name} was not brought back" in err and "the library is as it was" in err

    def after():
        assert run(capsys, "snapshots", "restore", earlier.name)[0] == 0
        assert ctx.peek(notes_and_snapshots)[0] == ["first note"]

    return Outcome(err, kept, notes_and_snapshots, after)


def snapshot_before_a_backup_is_restored(disk, ctx) -> Outcome:
    capsys = ctx.getfixturevalue("capsys")
    backup = ctx.getfixturevalue("tmp_path") / "backup.json"
    big_library(disk)
    disk.free()
    assert run(capsys, "export", "--all", "--to", "json", backup)[0] == 0
    ctx.peek(lambda store: store.add_highlight(1, 0, 0, 0, 4, 0, 900, "line", note="written after the backup"))
    kept = ctx.peek(notes_and_snapshots)
    disk.fill(leave=(disk.folder / "library.db").stat().st_size // 2)
    code, out, err = run(capsys, "restore", backup)
    assert code == 2, err
    assert "backup.json was not restored" in err and "the library is as it was" in err
    return Outcome(err, kept, notes_and_snapshots)


ACTIVITIES = [
    ("a transcription", transcription),
    ("a review in the window", review_in_the_window),
    ("a review on the command line", review_on_the_command_line),
    ("a suggestion stream", suggestion_stream),
    ("a snapshot before a snapshot is brought back", snapshot_before_a_snapshot_comes_back),
    ("a snapshot before a backup is restored", snapshot_before_a_backup_is_restored),
]


class Context:
    """The test's fixtures, asked for by the activity that needs them, and the stores it opened (closed at the end)."""

    def __init__(self, request):
        self.getfixturevalue = request.getfixturevalue
        self.stores: list[Store] = []

    def store(self) -> Store:
        """A Store kept open to the end, as a window's is."""
        self.stores.append(Store())
        return self.stores[-1]

    @staticmethod
    def peek(read):
        """What read() reads, on a Store opened and closed for it (as a command does)."""
        store = Store()
        try:
            return read(store)
        finally:
            store.close()

    def close(self) -> None:
        for s in self.stores:
            s.close()


def half_written(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*") if any(w in p.name for w in HALF_WRITTEN)]


@pytest.mark.parametrize("activity", [c[1] for c in ACTIVITIES], ids=[c[0] for c in ACTIVITIES])
def test_a_disk_that_fills_up_midway_says_so_keeps_what_was_saved_and_the_library_opens(disk, request, activity):
    ctx = Context(request)
    try:
        outcome = activity(disk, ctx)
    finally:
        ctx.close()
    said = outcome.said.strip()
    assert said.count("\n") == 0 and said.endswith(".") and not PYTHON_WORDS.search(said), said
    assert "is full" in said and "Traceback" not in said, said
    assert half_written(disk.folder) == []
    store = Store()  # while the disk is still full: read-only, perhaps, but whole
    assert store.db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert outcome.read(store) == outcome.kept
    store.close()
    disk.free()
    store = Store()
    assert not store.read_only and store.db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert outcome.read(store) == outcome.kept
    store.close()
    try:
        outcome.after()
    finally:
        ctx.close()


def test_the_day_s_snapshot_is_left_for_another_day_when_it_does_not_fit(disk, capsys):
    big_library(disk)
    before = [s.name for s in list_snapshots()]
    code, out, err = run(capsys, "library")  # a day after the last snapshot: one is due
    assert code == 0 and out.startswith("1\tA talk\t"), err
    assert [s.name for s in list_snapshots()] == before and half_written(disk.folder) == []
