"""The check of the whole library at open: skipped after a clean close, run after an unclean shutdown (a Reader
killed with the library open), a change by another program, or damage found at snapshot time; damage refused."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.library.db.errors import LibraryDamaged, LibraryError
from reader.library.db.open_state import folder_of, mark_suspect
from reader.library.db.snapshots import take_snapshot
from reader.library.db.store import Store

from conftest import small_library

HOLDER = textwrap.dedent("""
    import sys, time
    from reader.library.db.store import Store
    store = Store(sys.argv[1])
    print("OPEN", flush=True)
    time.sleep(60)
""")


@pytest.fixture
def checks(monkeypatch):
    """The quick checks run on connections made from here on, as a list that grows."""
    seen, real = [], sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.set_trace_callback(lambda sql: seen.append(sql) if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return seen


def killed_holding(path: Path) -> None:
    """A Reader in another process opens the library and is killed (kill -9) with it open."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent))
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "OPEN"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()


def changed_by_another_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("update videos set title = 'edited elsewhere'")
    conn.commit()
    conn.close()


def markers_gone(path: Path) -> None:
    for p in folder_of(path).iterdir():
        p.unlink()


def found_damaged_at_snapshot(path: Path) -> None:
    mark_suspect(path)


def opened_twice(path: Path) -> None:
    Store(path).close()
    Store(path).close()


# (what happened since the library was last closed, whether the next open checks the whole file)
SINCE = [
    ("nothing: closed cleanly", lambda p: None, False),
    ("opened and closed cleanly twice more", opened_twice, False),
    ("a Reader killed with it open", killed_holding, True),
    ("another program wrote to it", changed_by_another_program, True),
    ("the markers beside it were deleted", markers_gone, True),
    ("a snapshot's check found it damaged", found_damaged_at_snapshot, True),
]


@pytest.mark.parametrize("since, checked", [c[1:] for c in SINCE], ids=[c[0] for c in SINCE])
def test_the_whole_file_is_checked_only_when_the_last_close_was_not_clean(tmp_path, checks, since, checked):
    path = small_library(tmp_path / "library.db")
    Store(path).close()  # a first open after it was made checks it, and closes cleanly
    since(path)
    checks.clear()
    store = Store(path)
    assert bool(checks) == checked
    store.close()
    checks.clear()
    Store(path).close()  # once checked and closed cleanly, the next open trusts it again
    assert checks == []


def test_a_second_reader_trusts_a_library_the_first_has_checked_and_the_last_out_records_it(tmp_path, checks):
    path = small_library(tmp_path / "library.db")
    first = Store(path)
    checks.clear()
    second = Store(path)
    assert checks == []
    first.close()
    assert not (folder_of(path) / "clean").exists() or second.count() == 1  # recorded by the last out only
    second.close()
    checks.clear()
    Store(path).close()
    assert checks == []


def corrupt_in_place(path: Path) -> None:
    """Pages overwritten with the file's size, inode and modification time kept: only SQLite's check can tell."""
    info = os.stat(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for n in range(1, len(data) // page):
        data[n * page + 8:n * page + 64] = b"\xff" * 56
    with open(path, "r+b") as f:
        f.write(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_damage_after_an_unclean_shutdown_is_refused_untouched(tmp_path):
    path = small_library(tmp_path / "library.db", lines=400)
    Store(path).close()
    killed_holding(path)
    corrupt_in_place(path)
    before = path.read_bytes()
    with pytest.raises(LibraryDamaged) as caught:
        Store(path)
    assert "damaged" in str(caught.value) and "\n" not in str(caught.value)
    assert path.read_bytes() == before and not path.with_name("library.db-wal").exists()
    with pytest.raises(LibraryDamaged):  # and again: a refused open leaves the shutdown unclean
        Store(path)


def test_a_snapshot_of_a_damaged_library_is_refused_and_the_next_open_checks(tmp_path):
    path = small_library(tmp_path / "library.db", lines=400)
    store = Store(path)
    corrupt_in_place(path)  # under an open Reader (a failing disk)
    with pytest.raises(LibraryError, match="damaged"):
        take_snapshot(store, "daily")
    store.close()
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == []  # no damaged copy among the snapshots
    with pytest.raises(LibraryDamaged):
        Store(path)
