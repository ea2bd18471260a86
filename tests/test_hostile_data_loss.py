"""Data loss a hostile-input tester found: unusable snapshots, a full disk taken for damage, backups that
point at another entry's media, and backups Notepad saved."""

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlite_utils

from reader.exchange.backup import read_backup
from reader.exchange.errors import ExportError
from reader.exchange.restore import restore
from reader.library import importing as library_module, snapshots
from reader.library.db.errors import DiskFull, LibraryDamaged, LibraryError, ReadOnlyLibrary, is_disk_full
from reader.library.db.records import VideoRecord
from reader.library.db.snapshots import list_snapshots, snapshot_folder, take_snapshot
from reader.library.db.store import Store
from reader.library.snapshots import restore_snapshot
from reader.transcript.model import Transcript

from conftest import library_notes as notes, small_library, talk_transcript

NOON = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parents[1]


def transcript(lines: int = 3) -> Transcript:
    return talk_transcript(lines, "about money")


def make_library(path: Path, note: str = "first note") -> Path:
    return small_library(path, (note,), words="about money")


def reader(*args, env=None):
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=env)


# -- 1. a snapshot must be a Reader library ---------------------------------------------------------------

def empty_file(path):
    path.write_bytes(b"")


def other_programs_database(path):
    db = sqlite_utils.Database(path)
    db["recipes"].insert({"name": "soup"})
    db.conn.close()


def empty_sqlite_database(path):
    sqlite3.connect(path).close()  # SQLite writes nothing: an empty file


def migrations_but_no_videos(path):
    db = sqlite_utils.Database(path)
    db["_sqlite_migrations"].insert({"migration_set": "reader", "name": "m001_library", "applied_at": "x"})
    db.conn.close()


def from_a_newer_reader(path):
    make_library(path)
    db = sqlite_utils.Database(path)
    db["_sqlite_migrations"].insert({"migration_set": "reader", "name": "m999_future", "applied_at": "x"})
    db.conn.close()


def cut_to_half(path):
    make_library(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


UNUSABLE = [
    ("a zero-byte file", empty_file, "it is empty"),
    ("another program's database", other_programs_database, "not a Reader library"),
    ("an empty SQLite database", empty_sqlite_database, "it is empty"),
    ("Reader's migrations table but no videos", migrations_but_no_videos, "no videos table"),
    ("a library from a newer Reader", from_a_newer_reader, "newer version of Reader"),
    ("a library cut in half", cut_to_half, ""),
]


@pytest.mark.parametrize("make, says", [c[1:] for c in UNUSABLE], ids=[c[0] for c in UNUSABLE])
def test_a_snapshot_that_is_no_reader_library_is_refused_and_changes_nothing(tmp_path, make, says):
    path = make_library(tmp_path / "library.db")
    folder = snapshot_folder(path)
    bad = folder / "2026-11-28_05-00-00-daily.db"
    make(bad)
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(LibraryError, match="so the library was not changed") as caught:
        restore_snapshot(bad.name, path)
    assert says in str(caught.value)
    assert notes(path) == ["first note"]
    assert sorted(p.name for p in folder.iterdir()) == before  # no 'before' snapshot, no leftovers


LISTED = [
    ("a zero-byte file", empty_file, "it is empty"),
    ("random text", lambda p: p.write_text("not a database at all, just some words in a file " * 3), "it is not a SQLite database"),
    ("a library cut in half", cut_to_half, "it is cut short"),
    ("a whole library", make_library, ""),
]


@pytest.mark.parametrize("make, problem", [c[1:] for c in LISTED], ids=[c[0] for c in LISTED])
def test_the_snapshot_list_marks_what_cannot_be_brought_back(data_dir, make, problem):
    make_library(data_dir / "library.db")
    folder = snapshot_folder(data_dir / "library.db")
    make(folder / "2026-11-28_05-00-00-daily.db")
    [snap] = list_snapshots(data_dir / "library.db")
    assert snap.problem == problem
    line = reader("snapshots").stdout.strip().split("\t")
    assert line[0] == "2026-11-28_05-00-00-daily.db"
    assert (line[4:] == [f"unusable: {problem}"]) if problem else len(line) == 4


def test_an_empty_snapshot_does_not_stand_for_the_days_snapshot(tmp_path):
    path = make_library(tmp_path / "library.db")
    (snapshot_folder(path) / NOON.strftime("%Y-%m-%d_%H-%M-%S-daily.db")).write_bytes(b"")
    store = Store(path)
    made = snapshots.snapshot_if_due(store, NOON.replace(hour=13))
    store.close()
    assert made is not None and notes(made) == ["first note"]


def test_cli_refuses_a_zero_byte_snapshot_and_the_library_keeps_its_notes(data_dir):
    make_library(data_dir / "library.db")
    (snapshot_folder(data_dir / "library.db") / "2026-11-28_05-00-00-daily.db").write_bytes(b"")
    result = reader("snapshots", "restore", "2026-11-28_05-00-00-daily.db")
    assert result.returncode == 2 and "is damaged (it is empty), so the library was not changed" in result.stderr
    assert notes(data_dir / "library.db") == ["first note"]


FAILING_COPIES = [
    ("copying the damaged library aside", 1),
    ("copying the snapshot in", 2),
]


@pytest.mark.parametrize("failing", [c[1] for c in FAILING_COPIES], ids=[c[0] for c in FAILING_COPIES])
def test_a_full_disk_while_replacing_a_damaged_library_leaves_no_partial_snapshot(tmp_path, monkeypatch, failing):
    path = make_library(tmp_path / "library.db")
    store = Store(path)
    snap = take_snapshot(store, "daily", NOON)
    store.close()
    path.write_bytes(os.urandom(8192))
    damaged = path.read_bytes()
    real_copy, calls = shutil.copyfile, []

    def copyfile(src, dst, *a, **k):
        calls.append(dst)
        if len(calls) == failing:
            Path(dst).write_bytes(b"")  # as a full disk leaves it: made, and nothing in it
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(src, dst, *a, **k)

    monkeypatch.setattr(snapshots.shutil, "copyfile", copyfile)
    with pytest.raises(LibraryError, match="the disk is full; the library was not changed"):
        restore_snapshot(snap.name, path)
    assert path.read_bytes() == damaged
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == [snap.name]
    # no temporary copy left; the folder of open Readers' markers (reader.library.db.open_state) is no copy
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".library.db.readers"] == []


# -- 2. a full disk is not damage ---------------------------------------------------------------------------

def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code
    return exc


FULL = [
    ("SQLITE_FULL", lambda: sqlite_error("database or disk is full", sqlite3.SQLITE_FULL), True),
    ("the words 'disk is full' alone", lambda: sqlite_error("database or disk is full", 0), True),
    ("no room for the -shm", lambda: sqlite_error("disk I/O error", 4874), False),  # SQLITE_IOERR_SHMSIZE, disk has room
]


@pytest.mark.parametrize("where", ["_check_version", "_prepare_for_writing"])
@pytest.mark.parametrize("error, full", [c[1:] for c in FULL], ids=[c[0] for c in FULL])
def test_a_library_that_cannot_be_written_at_open_is_read_never_called_damaged(tmp_path, monkeypatch, where, error, full):
    path = make_library(tmp_path / "library.db")
    real, failed = getattr(Store, where), []

    def fail_once(self, *a, **k):
        if not failed:
            failed.append(1)
            raise error()
        return real(self, *a, **k)

    monkeypatch.setattr(Store, where, fail_once)
    store = Store(path)
    assert failed and store.read_only and store.disk_full == full
    assert [h["note"] for h in store.highlights(1)] == ["first note"] and store.search("money")
    with pytest.raises(DiskFull if full else ReadOnlyLibrary) as caught:
        store.add_highlight(1, 0, 0, 0, 4, 0, 900, "line", note="more")
    assert ("is full" in str(caught.value)) == full and "not saved" in str(caught.value)
    assert "damaged" not in str(caught.value) and "move the file aside" not in str(caught.value)
    store.close()
    monkeypatch.undo()
    assert notes(path) == ["first note"]


DISK_ERRORS = [
    ("ENOSPC", OSError(errno.ENOSPC, "No space left on device"), 10**9, True),
    ("EDQUOT", OSError(errno.EDQUOT, "Disk quota exceeded"), 10**9, True),
    ("EIO", OSError(errno.EIO, "Input/output error"), 0, False),
    ("SQLITE_FULL", sqlite_error("database or disk is full", sqlite3.SQLITE_FULL), 10**9, True),
    ("an I/O error on a disk with no room", sqlite_error("disk I/O error", sqlite3.SQLITE_IOERR), 0, True),
    ("an I/O error on a disk with room", sqlite_error("disk I/O error", sqlite3.SQLITE_IOERR), 10**9, False),
    ("a corrupted file", sqlite_error("database disk image is malformed", sqlite3.SQLITE_CORRUPT), 0, False),
    ("not a database", sqlite_error("file is not a database", sqlite3.SQLITE_NOTADB), 0, False),
]


@pytest.mark.parametrize("error, free, full", [c[1:] for c in DISK_ERRORS], ids=[c[0] for c in DISK_ERRORS])
def test_a_full_disk_is_told_apart_from_damage(tmp_path, monkeypatch, error, free, full):
    from reader.library.db import errors as store_module

    monkeypatch.setattr(store_module, "free_bytes", lambda folder: free)
    assert is_disk_full(error, tmp_path) == full


def test_damage_is_still_damage_when_it_can_be_read(tmp_path):
    path = tmp_path / "library.db"
    path.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(LibraryDamaged):
        Store(path)


@pytest.fixture
def full_disk(tmpfs):
    """A 600 KB tmpfs to hold a library (with what its write-ahead log holds, or not) and a filler file that
    takes the rest."""
    return tmpfs("600k", "data")


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # no space left on device
        pass
    finally:
        os.close(fd)
    return filler


def library_on(folder: Path, tmp_path: Path, waiting_log: bool) -> None:
    """The library copied onto the small disk; with waiting_log, its last change still only in its -wal."""
    source = make_library(tmp_path / "source.db")
    if not waiting_log:
        shutil.copyfile(source, folder / "library.db")
        return
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("update highlights set note = 'changed, in the log'")
    conn.commit()
    shutil.copyfile(source, folder / "library.db")
    shutil.copyfile(source.with_name("source.db-wal"), folder / "library.db-wal")
    conn.close()


@pytest.mark.parametrize("waiting_log", [False, True], ids=["no write-ahead log", "a write-ahead log not yet checkpointed"])
def test_on_a_full_disk_reading_commands_work_and_writing_ones_say_the_disk_is_full(full_disk, tmp_path, waiting_log):
    library_on(full_disk, tmp_path, waiting_log)
    note = "changed, in the log" if waiting_log else "first note"
    filler = fill(full_disk)
    env = dict(os.environ, READER_DATA_DIR=str(full_disk), READER_CONFIG_DIR=str(tmp_path / "config"))
    listed = reader("library", env=env)
    assert listed.returncode == 0 and "A talk" in listed.stdout, listed.stderr
    assert "is full" in listed.stderr and "damaged" not in listed.stderr
    found = reader("search", "money", "--json", env=env)
    assert found.returncode == 0 and json.loads(found.stdout), found.stderr
    out = tmp_path / "backup.json"
    exported = reader("export", "--all", "--to", "json", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    assert [h["note"] for h in json.loads(out.read_text())["videos"][0]["highlights"]] == [note]
    restored = reader("restore", str(out), env=env)
    assert restored.returncode == 2 and "is full" in restored.stderr
    assert "damaged" not in restored.stderr and "move the file aside" not in restored.stderr
    snaps = list(((full_disk / "snapshots").iterdir())) if (full_disk / "snapshots").exists() else []
    assert all(p.stat().st_size > 0 for p in snaps)
    filler.unlink()
    assert notes(full_disk / "library.db") == [note]


def test_on_a_full_disk_a_library_that_cannot_be_read_at_all_says_the_disk_is_full(tmp_path, monkeypatch):
    path = make_library(tmp_path / "library.db")
    (tmp_path / "library.db-wal").write_bytes(b"x" * 100)  # a log waiting, so no immutable read
    real_connect = sqlite3.connect

    def connect(target, *a, **k):
        conn = real_connect(target, *a, **k)
        return conn if "?" in str(target) else _Failing(conn)

    monkeypatch.setattr(sqlite3, "connect", connect)
    with pytest.raises(DiskFull) as caught:
        Store(path)
    message = str(caught.value)
    assert "is full" in message and "has not changed the library" in message
    assert "damaged" not in message and "move the file aside" not in message


class _Failing:
    """A connection on a full disk: every statement that touches the file fails as SQLite fails then."""

    def __init__(self, conn):
        self._conn = conn

    def execute(self, sql, *a):
        if sql.upper().startswith("PRAGMA BUSY_TIMEOUT"):
            return self._conn.execute(sql, *a)
        raise sqlite_error("database or disk is full", sqlite3.SQLITE_FULL)

    def __getattr__(self, name):
        return getattr(self._conn, name)


# -- 3. a backup never makes Reader delete another entry's media ----------------------------------------------

@pytest.fixture
def two_folders(data_dir):
    """A library with one imported video (its own media folder), and a folder no entry refers to."""
    store = Store()
    theirs = data_dir / "media" / "local-theirs-0123456789"
    theirs.mkdir(parents=True)
    for name in ("media.mp4", "captions.vtt", "thumbnail.jpg"):
        (theirs / name).write_bytes(b"theirs")
    store.add_video(VideoRecord("local", "theirs", "Theirs", media_path=str(theirs / "media.mp4"),
                                transcript_path=str(theirs / "captions.vtt"), thumbnail_path=str(theirs / "thumbnail.jpg")),
                    transcript())
    free = data_dir / "media" / "local-free-abcdef0123"
    free.mkdir()
    (free / "media.mp4").write_bytes(b"free")
    (data_dir / "thumbnails").mkdir()
    (data_dir / "thumbnails" / "pic.jpg").write_bytes(b"jpg")
    (data_dir / "media" / ".staging-x").mkdir()
    (data_dir / "media" / ".staging-x" / "media.mp4").write_bytes(b"x")
    snaps = data_dir / "snapshots"
    snaps.mkdir()
    (snaps / "2025-03-01_12-00-00-daily.db").write_bytes(b"x")
    yield store, data_dir
    store.close()


BACKUP_PATHS = [
    # (field, path relative to the data folder, kept?)
    ("media_path", "media/local-theirs-0123456789/media.mp4", False),  # another entry's file
    ("media_path", "media/local-theirs-0123456789/captions.vtt", False),
    ("transcript_path", "media/local-theirs-0123456789/captions.vtt", False),
    ("thumbnail_path", "media/local-theirs-0123456789/thumbnail.jpg", False),
    ("thumbnail_path", "library.db", False),
    ("media_path", "library.db", False),
    ("media_path", "snapshots/2025-03-01_12-00-00-daily.db", False),
    ("media_path", "thumbnails/pic.jpg", False),  # media only in media/
    ("media_path", "media/.staging-x/media.mp4", False),
    ("media_path", "media/local-free-abcdef0123", False),  # a folder
    ("media_path", "media/local-free-abcdef0123/media.mp4", True),  # a folder no entry refers to
    ("thumbnail_path", "thumbnails/pic.jpg", True),
]


@pytest.mark.parametrize("field, given, kept", BACKUP_PATHS, ids=[f"{c[0]}={c[1]}" for c in BACKUP_PATHS])
def test_a_backup_keeps_a_path_only_where_reader_keeps_such_files_and_no_other_entry_does(two_folders, tmp_path, field, given, kept):
    store, data_dir = two_folders
    video = {"site": "youtube", "site_id": "new1", "title": "New", field: str(data_dir / given)}
    path = tmp_path / "backup.json"
    path.write_text(json.dumps({"format": "reader-backup", "version": 1, "videos": [{"video": video}]}))
    restore(store, path)
    row = store.video(store.find_video("youtube", "new1"))
    assert row[field] == (os.path.realpath(data_dir / given) if kept else "")
    library_module.remove(store, row["id"])  # and removing the new entry leaves the other's files be
    theirs = data_dir / "media" / "local-theirs-0123456789"
    assert sorted(p.name for p in theirs.iterdir()) == ["captions.vtt", "media.mp4", "thumbnail.jpg"]
    assert (data_dir / "library.db").stat().st_size > 0


def test_two_new_entries_in_one_backup_cannot_share_a_folder(two_folders, tmp_path):
    store, data_dir = two_folders
    media = str(data_dir / "media" / "local-free-abcdef0123" / "media.mp4")
    videos = [{"video": {"site": "youtube", "site_id": f"new{i}", "title": "New", "media_path": media}} for i in (1, 2)]
    path = tmp_path / "backup.json"
    path.write_text(json.dumps({"format": "reader-backup", "version": 1, "videos": videos}))
    restore(store, path)
    assert [store.video(store.find_video("youtube", f"new{i}"))["media_path"] for i in (1, 2)] == [os.path.realpath(media), ""]


SHARED = [
    ("the same media file", "media_path", "media.mp4"),
    ("another file of the same folder", "media_path", "other.mp4"),
    ("the same transcript", "transcript_path", "captions.vtt"),
]


@pytest.mark.parametrize("field, name", [c[1:] for c in SHARED], ids=[c[0] for c in SHARED])
def test_removing_an_entry_never_deletes_what_another_entry_refers_to(two_folders, field, name):
    store, data_dir = two_folders
    theirs = data_dir / "media" / "local-theirs-0123456789"
    (theirs / "other.mp4").write_bytes(b"other")
    vid = store.add_video(VideoRecord("youtube", "intruder", "Intruder", **{field: str(theirs / name)}), None)
    library_module.remove(store, vid)
    assert (theirs / "media.mp4").read_bytes() == b"theirs" and (theirs / name).exists()
    library_module.remove(store, store.find_video("local", "theirs"))  # the owner's removal still cleans up
    assert not theirs.exists()


# -- backups as editors save them, and numbers too large to echo -------------------------------------------------

BOM_CASES = [
    ("UTF-8 with a byte order mark", b"\xef\xbb\xbf", None),
    ("plain UTF-8", b"", None),
    ("two byte order marks", b"\xef\xbb\xbf\xef\xbb\xbf", "not valid JSON"),
]


@pytest.mark.parametrize("prefix, refused", [c[1:] for c in BOM_CASES], ids=[c[0] for c in BOM_CASES])
def test_a_backup_saved_with_a_byte_order_mark_is_read(tmp_path, prefix, refused):
    path = tmp_path / "backup.json"
    path.write_bytes(prefix + json.dumps({"format": "reader-backup", "version": 1, "videos": []}).encode())
    if refused:
        with pytest.raises(ExportError, match=refused):
            read_backup(path)
    else:
        assert read_backup(path).videos == []


VERSIONS = [
    ("10^400", "1" + "0" * 400, "far beyond"),
    ("10^5000", "1" + "0" * 5000, "far beyond"),
    ("5", "5", "backup version 5"),
]


@pytest.mark.parametrize("version, says", [c[1:] for c in VERSIONS], ids=[c[0] for c in VERSIONS])
def test_a_huge_backup_version_is_not_echoed_whole(tmp_path, version, says):
    path = tmp_path / "backup.json"
    path.write_text('{"format": "reader-backup", "version": ' + version + ', "videos": []}')
    with pytest.raises(ExportError) as caught:
        read_backup(path)
    message = str(caught.value)
    assert says in message and len(message) < 200 and "newer Reader" in message
