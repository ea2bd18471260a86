"""No media left that no entry owns: concurrent imports of the same files in real processes, and the sweep (at
start-up, and `reader library --check`) that removes what a killed import left, and never what is owned or in use."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.library.db.store import Store
from reader.library.importing import clean_library, entry_folder, media_root, sweep_sentence

from conftest import run

CHILD = Path(__file__).with_name("import_hold_child.py")
RACER = Path(__file__).with_name("import_race_child.py")


def distinct_copies(clip_dir, tmp_path, n: int) -> list[Path]:
    """n copies of the clip that are n different files to Reader (a few bytes appended to each)."""
    made = []
    for i in range(n):
        path = tmp_path / f"talk{i}.mp4"
        path.write_bytes((clip_dir / "talk.mp4").read_bytes() + bytes([i]) * (i + 1))
        made.append(path)
    return made


def _env(data_dir) -> dict:
    return dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONPATH=str(CHILD.parent.parent))


def owned_folders(store: Store) -> set[str]:
    return {entry_folder(row).name for row in store.videos()}


def test_concurrent_imports_of_three_files_leave_three_folders_each_owned(clip_dir, tmp_path, data_dir):
    """Twelve processes, four to a file, prepared and then let go to commit at the same moment."""
    files = distinct_copies(clip_dir, tmp_path, 3)
    env = _env(data_dir)
    Store().close()  # the library exists, so that no process is busy making it
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, str(RACER), str(files[i % 3]), str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(12)]
    try:
        assert all(p.stdout.readline().strip() == "READY" for p in procs)
        go.write_bytes(b"")
        results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    finally:
        for p in procs:
            p.kill()
    assert all(code == 0 for _out, _err, code in results), [err for _out, err, code in results if code]
    store = Store()
    assert store.count() == 3
    assert {p.name for p in media_root().iterdir()} == owned_folders(store)  # no copy that no entry owns
    for row in store.videos():
        assert Path(row["media_path"]).is_file() and not (Path(row["media_path"]).parent / ".in-use").exists()
    store.close()


def held_import(media: Path, data_dir) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, str(CHILD), str(media)], env=_env(data_dir), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    assert child.stdout.readline().strip() == "READY"
    return child


def killed(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()


def test_a_copy_left_by_an_import_killed_before_it_committed_is_swept_by_library_check(clip_dir, tmp_path, data_dir, capsys):
    first, second = distinct_copies(clip_dir, tmp_path, 2)
    assert run(capsys, "import", first)[0] == 0
    killed(held_import(second, data_dir))  # kill -9 with its copy in the media folder and no entry for it
    store = Store()
    left = {p.name for p in media_root().iterdir()} - owned_folders(store)
    assert len(left) == 1  # what the kill left: the test is about this folder
    store.close()
    code, out, err = run(capsys, "library", "--check")
    assert code == 0, err
    assert "The library file is sound" in out
    assert "removed 1 folder of media that interrupted imports left behind" in out and "freeing" in out
    store = Store()
    assert {p.name for p in media_root().iterdir()} == owned_folders(store) and store.count() == 1
    store.close()
    code, out, _err = run(capsys, "library", "--check")  # nothing more to free
    assert code == 0 and "No media was left behind" in out


def test_an_import_in_progress_in_another_process_is_never_swept(clip_dir, tmp_path, data_dir, capsys):
    media = distinct_copies(clip_dir, tmp_path, 1)[0]
    child = held_import(media, data_dir)
    try:
        store = Store()
        before = {p.name for p in media_root().iterdir()}
        assert len(before) == 1 and clean_library(store) == [] and {p.name for p in media_root().iterdir()} == before
        assert "No media was left behind" in run(capsys, "library", "--check")[1]
        store.close()
    finally:
        killed(child)
    store = Store()
    swept = clean_library(store)  # now its process is gone: the copy is no one's
    assert len(swept) == 1 and swept.bytes >= media.stat().st_size and list(media_root().iterdir()) == []
    assert sweep_sentence(swept).startswith("Reader removed 1 folder") and "freeing" in sweep_sentence(swept)
    store.close()


def no_lock_yet(root: Path) -> Path:
    folder = root / ".staging-justnow"  # made a moment ago by an import that has not locked it yet
    folder.mkdir()
    return folder


def restored_entry_gone(root: Path) -> Path:
    folder = root / "local-gone-0123456789"  # no entry: one a snapshot brought back may own it
    folder.mkdir()
    (folder / "media.mp4").write_bytes(b"x" * 100)
    return folder


def old_unlocked_staging(root: Path) -> Path:
    folder = root / ".staging-old"
    folder.mkdir()
    (folder / "media.mp4").write_bytes(b"x" * 100)
    os.utime(folder, (time.time() - 3600, time.time() - 3600))
    return folder


def unfinished_copy(root: Path) -> Path:
    folder = root / "local-abc-0123456789"  # renamed in, never committed: its lock file is still there
    folder.mkdir()
    (folder / ".in-use").write_bytes(b"")
    (folder / "media.mp4").write_bytes(b"x" * 100)
    return folder


# (what sits in the media folder, whether the sweep removes it)
LEFT = [
    ("a staging folder made a moment ago, not yet locked", no_lock_yet, False),
    ("the copy of an entry no longer in the library", restored_entry_gone, False),
    ("an hour-old staging folder nobody holds", old_unlocked_staging, True),
    ("a copy an import renamed in and never committed", unfinished_copy, True),
]


@pytest.mark.parametrize("make, removed", [c[1:] for c in LEFT], ids=[c[0] for c in LEFT])
def test_the_sweep_removes_only_what_no_entry_and_no_import_can_own(data_dir, make, removed):
    store = Store()
    folder = make(media_root())
    swept = clean_library(store)
    assert (folder in swept) == removed and folder.exists() == (not removed)
    store.close()


def test_the_sweep_never_removes_the_folder_an_entry_owns_even_with_a_lock_file_left(clip_dir, tmp_path, data_dir, capsys):
    media = distinct_copies(clip_dir, tmp_path, 1)[0]
    assert run(capsys, "import", media)[0] == 0
    store = Store()
    folder = entry_folder(store.videos()[0])
    (folder / ".in-use").write_bytes(b"")  # as a kill between the commit and the lock file's removal leaves it
    assert clean_library(store) == [] and folder.is_dir()
    store.close()


def test_the_window_sweeps_after_the_library_opens_and_says_what_it_freed(qtbot, data_dir):
    from reader.ui.controllers.library_opening import LibraryOpening

    Store().close()
    unfinished_copy(media_root())
    opening = LibraryOpening()
    seen = []
    opening.opened.connect(lambda store, error: seen.append(("opened", store, error)))
    opening.swept.connect(lambda text: seen.append(("swept", text)))
    opening.start()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=20_000)
    (_, store, error), swept = seen
    assert error == "" and store is not None and list(media_root().iterdir()) == []
    assert swept == ("swept", "Reader removed 1 folder of media that interrupted imports left behind (no entry used it), "
                              "freeing 100 bytes.")
    opening.stop()
    store.close()
