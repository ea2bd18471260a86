"""The library is never harmed: damaged, newer and read-only libraries, full disks, private folders, snapshots."""

import os
import random
import stat
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlite_utils

from reader.base import paths
from reader.library.db.errors import DiskFull, LibraryDamaged, LibraryError, ReadOnlyLibrary
from reader.library.db.migrations import migrations
from reader.library.db.records import VideoRecord
from reader.library.db.snapshots import KEEP, list_snapshots, take_snapshot
from reader.library.db.store import Store
from reader.library.opening import open_library
from reader.library.snapshots import restore_snapshot, snapshot_if_due
from reader.transcript.model import Transcript

from conftest import library_notes as notes, small_library as library, talk_transcript

NOON = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def transcript(lines: int) -> Transcript:
    return talk_transcript(lines)


def beside(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name)}


def fingerprint(path: Path):
    info = os.lstat(path)
    body = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
    return stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), body


# -- damaged libraries: one sentence, nothing written -------------------------------------------------

def truncated(path):
    library(path, lines=400)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def random_bytes(path):
    path.write_bytes(random.Random(7).randbytes(64 * 1024))


def corrupted_page(path):
    library(path, lines=400)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    junk = random.Random(3).randbytes(page)
    for n in (2, 3, len(data) // page - 2):  # a few pages past the header
        data[n * page:(n + 1) * page] = junk
    path.write_bytes(bytes(data))


def header_only(path):
    library(path)
    path.write_bytes(path.read_bytes()[:100])


DAMAGED = [
    ("a truncated library", truncated, "damaged"),
    ("random bytes", random_bytes, "damaged"),
    ("a library with corrupted pages", corrupted_page, "damaged"),
    ("a library cut to its header", header_only, "damaged"),
    ("a zero-length file", lambda p: p.write_bytes(b""), "damaged"),
    ("a folder named library.db", lambda p: p.mkdir(), "not a file"),
    ("a FIFO named library.db", lambda p: os.mkfifo(p), "not a file"),
]


@pytest.mark.parametrize("make, says", [c[1:] for c in DAMAGED], ids=[c[0] for c in DAMAGED])
def test_a_damaged_library_is_refused_in_one_sentence_and_not_written(tmp_path, make, says):
    path = tmp_path / "library.db"
    make(path)
    before, files = fingerprint(path), beside(path)
    with pytest.raises(LibraryError) as caught:
        Store(path)
    message = str(caught.value)
    assert says in message and "\n" not in message and "Error" not in message
    if says == "damaged":
        assert isinstance(caught.value, LibraryDamaged)
        assert "reader snapshots restore" in message and "restore a JSON backup" in message
    assert fingerprint(path) == before and beside(path) == files  # no WAL switch, no chmod, no -wal or -shm


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_library_from_a_newer_reader_is_refused_byte_for_byte_untouched(tmp_path, journal):
    path = library(tmp_path / "library.db")
    db = sqlite_utils.Database(path)
    db["_sqlite_migrations"].insert({"migration_set": "reader", "name": "m999_from_the_future", "applied_at": "2030-01-01"})
    db.conn.execute(f"PRAGMA journal_mode={journal}")  # a newer Reader may keep it either way
    db.conn.close()
    os.chmod(path, 0o644)  # Reader would make it 0600 if it got as far as writing
    before, files = fingerprint(path), beside(path)
    assert files == {"library.db"}
    with pytest.raises(LibraryError, match="newer version of Reader"):
        Store(path)
    assert fingerprint(path) == before and beside(path) == files


# -- read-only libraries ---------------------------------------------------------------------------

READ_ONLY = [
    ("the file is read-only", 0o400, 0o700),
    ("the folder is read-only", 0o600, 0o500),
    ("both are read-only", 0o400, 0o500),
]


@pytest.mark.parametrize("file_mode, folder_mode", [c[1:] for c in READ_ONLY], ids=[c[0] for c in READ_ONLY])
def test_a_read_only_library_is_read_but_never_written_nor_made_writable(tmp_path, file_mode, folder_mode):
    folder = tmp_path / "lib"
    folder.mkdir()
    path = library(folder / "library.db", notes=("kept",))
    os.chmod(path, file_mode)
    os.chmod(folder, folder_mode)
    try:
        before, files = fingerprint(path), beside(path)
        store = open_library(path)
        assert store.read_only
        assert [h["note"] for h in store.highlights(1)] == ["kept"]
        writes = [
            lambda: store.add_highlight(1, 0, 0, 0, 4, 0, 900, "line", note="new"),
            lambda: store.update_highlight(1, note="changed"),
            lambda: store.add_video(VideoRecord("local", "other", "Other"), None),
        ]
        for write in writes:
            with pytest.raises(ReadOnlyLibrary, match=r"^The library is read-only \(.*\); what you just did was not saved\.$"):
                write()
        store.set_position(1, 5000)  # bookkeeping, not the user's work: skipped quietly
        store.mark_opened(1)
        store.learn_duration(1, 9000)
        store.close()
        assert fingerprint(path) == before and beside(path) == files
        assert stat.S_IMODE(folder.stat().st_mode) == folder_mode
    finally:
        os.chmod(folder, 0o700)


def test_an_old_library_that_is_read_only_says_it_needs_writing(tmp_path):
    path = tmp_path / "library.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m003_notes_search")
    db.conn.close()
    os.chmod(path, 0o400)
    with pytest.raises(LibraryError, match="read-only and was made by an older Reader"):
        Store(path)


# -- private folders ---------------------------------------------------------------------------------

FOLDERS = [
    ("data folder made by a umask of 022", paths.data_dir, "READER_DATA_DIR", 0o755),
    ("data folder open to everyone", paths.data_dir, "READER_DATA_DIR", 0o777),
    ("config folder made by a umask of 022", paths.config_dir, "READER_CONFIG_DIR", 0o755),
    ("config folder readable by the group", paths.config_dir, "READER_CONFIG_DIR", 0o750),
    ("data folder not there yet", paths.data_dir, "READER_DATA_DIR", None),
    ("config folder not there yet", paths.config_dir, "READER_CONFIG_DIR", None),
]


@pytest.mark.parametrize("get, variable, mode", [c[1:] for c in FOLDERS], ids=[c[0] for c in FOLDERS])
def test_data_and_config_folders_are_made_private_even_when_they_exist(tmp_path, monkeypatch, get, variable, mode):
    folder = tmp_path / "made-elsewhere" / "Reader"
    if mode is not None:
        folder.mkdir(parents=True)
        os.chmod(folder, mode)
    monkeypatch.setenv(variable, str(folder))
    old = os.umask(0o022)
    try:
        assert get() == folder
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# -- a full disk -------------------------------------------------------------------------------------

FULL_DISK_WRITES = [
    ("a new note", lambda s, vid, aid: s.add_highlight(vid, 0, 0, 0, 4, 0, 900, "line", note="n" * 200_000)),
    ("an edited note", lambda s, vid, aid: s.update_highlight(1, note="e" * 200_000)),
    ("more of a streaming answer", lambda s, vid, aid: s.save_answer(aid, "saved part. " + "more " * 40_000, [], "streaming")),
    ("an import", lambda s, vid, aid: s.add_video(VideoRecord("local", "big", "Big"), transcript(3000))),
    ("a restored note", lambda s, vid, aid: s.insert_restored("highlights", [
        {"video_id": vid, "start_ms": 0, "end_ms": 1, "text": "t", "color": "yellow", "note": "r" * 200_000, "created_at": "x"}])),
]


def streaming_library(path: Path) -> tuple[Store, int, int]:
    store = Store(path)
    vid = store.add_video(VideoRecord("local", "talk", "A talk"), transcript(3))
    hid = store.add_highlight(vid, 0, 0, 0, 4, 0, 900, "line", note="first note")
    aid = store.start_answer(vid, hid, None, "explain", "What?", "prompt", "model")
    store.save_answer(aid, "saved part.", [], "streaming")
    return store, vid, aid


@pytest.mark.parametrize("write", [c[1] for c in FULL_DISK_WRITES], ids=[c[0] for c in FULL_DISK_WRITES])
def test_a_full_database_says_so_and_keeps_what_was_saved(tmp_path, write):
    path = tmp_path / "library.db"
    store, vid, aid = streaming_library(path)
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count={pages + 2}")  # SQLite now answers SQLITE_FULL
    with pytest.raises(DiskFull) as caught:
        write(store, vid, aid)
    assert "is full, so what you just did was not saved; everything saved before it is kept" in str(caught.value)
    assert not store.db.conn.in_transaction
    store.close()
    again = Store(path)
    assert again.answers(aid)[0]["answer"] == "saved part."
    assert [h["note"] for h in again.highlights(vid)] == ["first note"]
    again.close()


@pytest.fixture
def tiny_disk(tmpfs):
    return tmpfs("768k", "tiny")  # room for the empty library (every table and index) and not much more


def test_a_full_disk_keeps_every_character_of_a_streaming_answer_saved_before_it(tiny_disk):
    path = tiny_disk / "library.db"
    store, vid, aid = streaming_library(path)
    text = "saved part."
    with pytest.raises(DiskFull, match="is full"):
        for i in range(200):  # a long answer streams until the disk is full
            store.save_answer(aid, text + f" chunk {i}" + "x" * 4000, [], "streaming")
            text += f" chunk {i}" + "x" * 4000
    with pytest.raises(DiskFull, match="everything saved before it is kept"):
        store.add_highlight(vid, 0, 0, 0, 4, 0, 900, "line", note="n" * 300_000)
    store.close()
    again = Store(path)
    assert again.answers(aid)[0]["answer"] == text
    assert [h["note"] for h in again.highlights(vid)] == ["first note"]
    again.close()


# -- snapshots -------------------------------------------------------------------------------------

def old_snapshot(path: Path, when: datetime, reason: str) -> None:
    """A snapshot file as if taken at `when`."""
    store = Store(path)
    take_snapshot(store, reason, when)
    store.close()


DAILY = [
    ("none yet", [], True),
    ("one an hour old", [timedelta(hours=1)], False),
    ("one 23 hours old", [timedelta(hours=23)], False),
    ("one a day old", [timedelta(hours=24)], True),
    ("one three days old", [timedelta(days=3)], True),
    ("an old one and a fresh restore one", [timedelta(days=3), timedelta(minutes=5)], False),
]


@pytest.mark.parametrize("ages, taken", [c[1:] for c in DAILY], ids=[c[0] for c in DAILY])
def test_a_snapshot_is_taken_at_most_once_a_day(tmp_path, ages, taken):
    path = library(tmp_path / "library.db")
    for age in ages:
        old_snapshot(path, NOON - age, "restore" if age < timedelta(hours=1) else "daily")
    store = Store(path)
    made = snapshot_if_due(store, NOON)
    store.close()
    assert (made is not None) == taken
    assert len(list_snapshots(path)) == len(ages) + taken
    if made:
        assert made.name == "2025-03-01_12-00-00-daily.db" and stat.S_IMODE(made.stat().st_mode) == 0o600
        assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
        assert notes_in_snapshot(made) == ["first note"]


def notes_in_snapshot(snap: Path) -> list[str]:
    return [r["note"] for r in sqlite_utils.Database(snap)["highlights"].rows]


def test_an_empty_or_read_only_library_gets_no_daily_snapshot(tmp_path):
    empty = Store(tmp_path / "empty" / "library.db")
    assert snapshot_if_due(empty, NOON) is None
    empty.close()
    path = library(tmp_path / "library.db")
    os.chmod(path, 0o400)
    read_only = Store(path)
    assert snapshot_if_due(read_only, NOON) is None
    read_only.close()
    assert list_snapshots(path) == []


def test_the_window_says_at_start_that_the_library_is_read_only(data_dir, qtbot):
    from conftest import new_window

    path = library(data_dir / "library.db", notes=("kept",))
    store = Store(path)
    store.mark_opened(1)  # the window reopens it at start, which must not try to write
    store.close()
    os.chmod(path, 0o400)
    window = new_window(qtbot)
    window.start()
    assert window.store is not None and window.store.read_only
    assert window.session is not None and window.session.video_id == 1
    assert "is read-only, so Reader shows it but saves nothing" in window.banner.text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_old_snapshots_are_pruned_keeping_the_newest_and_one_of_each_reason(tmp_path):
    path = library(tmp_path / "library.db")
    old_snapshot(path, NOON - timedelta(days=100), "migration")
    for day in range(KEEP + 5):
        old_snapshot(path, NOON - timedelta(days=30 - day), "daily")
    kept = list_snapshots(path)
    assert len(kept) == KEEP + 1
    assert [s.reason for s in kept].count("migration") == 1
    assert kept[0].when == NOON - timedelta(days=30 - KEEP - 4)
    assert not [p for p in (tmp_path / "snapshots").iterdir() if p.name.startswith(".")]


def test_a_snapshot_comes_back_and_the_state_before_is_kept(tmp_path):
    path = library(tmp_path / "library.db", notes=("first note",))
    store = Store(path)
    snap = take_snapshot(store, "restore", NOON)
    store.add_highlight(1, 0, 0, 0, 4, 0, 900, "line", note="written after")
    other = Store(path)  # another Reader with the library open
    before = restore_snapshot(snap.name, path, NOON + timedelta(minutes=1))
    assert [h["note"] for h in other.highlights(1)] == ["first note"]  # it sees the restored library
    other.close()
    store.close()
    assert notes(path) == ["first note"]
    assert before.name == "2025-03-01_12-01-00-before-snapshot-restore.db"
    assert notes_in_snapshot(before) == ["first note", "written after"]
    restore_snapshot(before.name, path)  # and the restore can itself be undone
    assert notes(path) == ["first note", "written after"]


BAD_NAMES = ["../x", "/etc/passwd", "missing", "", "../library.db", ".taking-abc.db",
             "2025-03-01_12-00-00-restore.db/../../library.db"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_only_a_listed_snapshot_name_is_brought_back(tmp_path, name):
    path = library(tmp_path / "library.db")
    store = Store(path)
    take_snapshot(store, "restore", NOON)
    store.close()
    (tmp_path / "snapshots" / ".taking-abc.db").write_bytes(path.read_bytes())
    before = path.read_bytes()
    with pytest.raises(LibraryError, match=r"^There is no snapshot called .*; `reader snapshots` lists the ones there are\.$"):
        restore_snapshot(name, path)
    assert path.read_bytes() == before


def test_a_damaged_snapshot_is_not_brought_back(tmp_path):
    path = library(tmp_path / "library.db", notes=("first note",), lines=400)
    store = Store(path)
    snap = take_snapshot(store, "daily", NOON)
    store.close()
    corrupted_page(snap)
    with pytest.raises(LibraryError, match="is damaged .*so the library was not changed"):
        restore_snapshot(snap.name, path)
    assert notes(path) == ["first note"]


def test_a_damaged_library_is_replaced_by_a_snapshot_and_kept_aside(tmp_path):
    path = library(tmp_path / "library.db", notes=("first note",))
    store = Store(path)
    snap = take_snapshot(store, "daily", NOON)
    store.close()
    random_bytes(path)
    assert restore_snapshot(snap.name, path, NOON + timedelta(hours=1)) is None
    assert notes(path) == ["first note"]
    damaged = [s for s in list_snapshots(path) if s.reason == "damaged"]
    assert len(damaged) == 1 and damaged[0].path.read_bytes() == random.Random(7).randbytes(64 * 1024)


def test_an_update_of_an_old_library_is_preceded_by_a_snapshot(tmp_path):
    path = tmp_path / "library.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_highlights_and_answers")
    db["videos"].insert({"site": "local", "site_id": "old", "title": "Old talk", "added_at": "2020-01-01"})
    db.conn.close()
    Store(path).close()
    snaps = list_snapshots(path)
    assert [s.reason for s in snaps] == ["migration"]
    assert [r["title"] for r in sqlite_utils.Database(snaps[0].path)["videos"].rows] == ["Old talk"]
    assert not sqlite_utils.Database(snaps[0].path)["highlights"].exists()


KILL_CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from reader.library.snapshots import restore_snapshot
    steps = []
    def progress(status, remaining, total):
        steps.append(remaining)
        if len(steps) == int(sys.argv[3]):
            assert remaining > 0, "the restore finished before the step it was to be killed at"
            os.kill(os.getpid(), signal.SIGKILL)
    restore_snapshot(sys.argv[2], Path(sys.argv[1]), progress=progress)
    print("FINISHED")
""")


@pytest.mark.parametrize("kill_at_step", [1, 2, 4])
def test_a_restore_killed_halfway_leaves_the_library_as_it_was(tmp_path, kill_at_step):
    path = library(tmp_path / "library.db", notes=("first note",), lines=6000)  # a few MB: many backup steps
    store = Store(path)
    snap = take_snapshot(store, "daily", NOON)
    store.add_highlight(1, 0, 0, 0, 4, 0, 900, "line", note="written after")
    store.close()
    child = subprocess.run([sys.executable, "-c", KILL_CHILD, str(path), snap.name, str(kill_at_step)],
                           capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert child.returncode == -9, child.stderr
    assert notes(path) == ["first note", "written after"]
    store = Store(path)
    assert len(store.transcript(1).cues) == 6000
    store.close()


# -- the command line ----------------------------------------------------------------------------------

def reader(*args):
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "missing"])
def test_cli_refuses_a_snapshot_name_that_is_not_listed(data_dir, name):
    library(data_dir / "library.db")
    result = reader("snapshots", "restore", name)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("reader: There is no snapshot called")
    assert "Traceback" not in result.stderr


def test_cli_lists_and_brings_back_snapshots(data_dir):
    library(data_dir / "library.db", notes=("first note",))
    assert reader("library").returncode == 0  # a command that only reads leaves the day's snapshot to the next
    assert reader("snapshots").stdout.strip() == ""
    assert reader("tag", "1", "kept").returncode == 0  # one that can change the library takes it first
    listed = reader("snapshots")
    assert listed.returncode == 0, listed.stderr
    name, when, size, reason = listed.stdout.strip().split("\t")
    assert reason == "daily" and name.endswith("-daily.db") and size.endswith("KB")
    store = Store(data_dir / "library.db")
    store.add_highlight(1, 0, 0, 0, 4, 0, 900, "line", note="written after")
    store.close()
    result = reader("snapshots", "restore", name)
    assert result.returncode == 0, result.stderr
    assert "brought back snapshot" in result.stderr
    assert notes(data_dir / "library.db") == ["first note"]


def test_cli_marks_answers_a_killed_reader_left_streaming_as_incomplete(data_dir):
    store, vid, aid = streaming_library(data_dir / "library.db")
    store.close()
    assert reader("library").returncode == 0
    store = Store(data_dir / "library.db")
    assert store.answers(aid)[0]["status"] == "incomplete"
    assert store.answers(aid)[0]["answer"] == "saved part."
    store.close()


def test_cli_says_in_one_line_that_the_library_is_damaged(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    random_bytes(data_dir / "library.db")
    result = reader("library")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "is damaged" in result.stderr
