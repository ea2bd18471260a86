"""Bounded reads of regular files only, and writes that never destroy the previous file."""

import errno
import os
import stat
from pathlib import Path

import pytest

from reader.base.safe_io import FileProblem, atomic_open, atomic_path, os_error_sentence, read_limited, write_atomic


def _fifo(tmp_path):
    path = tmp_path / "pipe.vtt"
    os.mkfifo(path)
    return path


def _folder(tmp_path):
    (tmp_path / "dir.vtt").mkdir()
    return tmp_path / "dir.vtt"


def _big(tmp_path):
    path = tmp_path / "big.vtt"
    path.write_bytes(b"x" * 2000)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda t: _fifo(t), "is not a regular file"),
    (lambda t: Path("/dev/zero"), "is not a regular file"),
    (lambda t: _folder(t), "is a folder"),
    (lambda t: t / "missing.vtt", "no such file"),
    (lambda t: _big(t), "too large"),
])
def test_reads_refuse_what_is_not_a_small_regular_file(tmp_path, make, message):
    with pytest.raises(FileProblem, match=message):
        read_limited(make(tmp_path), limit=1000, what="transcript")


def test_a_read_returns_the_whole_file_up_to_the_limit(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_bytes(b"y" * 1000)
    assert read_limited(path, limit=1000) == b"y" * 1000


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path):
    target = tmp_path / "backup.json"
    target.write_text("yesterday's good backup")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as f:
            f.write("half of today's")
            raise RuntimeError("disk full half-way")
    assert target.read_text() == "yesterday's good backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json"]


def test_a_full_disk_on_the_rename_is_a_sentence_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "notes.md"
    target.write_text("old")

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(FileProblem, match="notes.md could not be written: the disk is full.") as info:
        write_atomic(target, "new")
    assert "Errno" not in str(info.value)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


@pytest.mark.parametrize("make", [_fifo, _folder])
def test_a_target_that_is_not_a_regular_file_is_never_replaced(tmp_path, make):
    target = make(tmp_path)
    with pytest.raises(FileProblem):
        write_atomic(target, "data")
    assert not stat.S_ISREG(os.stat(target).st_mode)


def test_a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    old = tmp_path / "old.md"
    old.write_text("x")
    old.chmod(0o640)
    write_atomic(old, "y")
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o640 and old.read_text() == "y"
    umask = os.umask(0o022)
    try:
        new = write_atomic(tmp_path / "new.md", b"z")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(write_atomic(tmp_path / "p.db", b"z", private=True)).st_mode) == 0o600


def test_a_writer_that_needs_a_file_name_gets_one_beside_the_target(tmp_path):
    target = tmp_path / "deck.apkg"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_bytes(b"deck")
    assert target.read_bytes() == b"deck"


@pytest.mark.parametrize("code, words", [
    (errno.ENOENT, "no such file"), (errno.EACCES, "permission denied"), (errno.ENOSPC, "the disk is full"),
    (errno.EROFS, "read-only"), (errno.EISDIR, "is a folder"), (errno.EIO, "input/output error"),
])
def test_os_errors_become_sentences(code, words):
    sentence = os_error_sentence(OSError(code, os.strerror(code)), "/x/y/file.json")
    assert words in sentence and "Errno" not in sentence and sentence.startswith("file.json")
