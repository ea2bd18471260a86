"""The backup a video at a time (issue 22): written to a file beside the target and renamed in whole (a failure or
kill -9 leaves the old file), read in two passes (checked whole, then applied), with progress; other layouts still read."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from reader.exchange.errors import ExportError
from reader.exchange.formats import export
from reader.exchange.restore import restore
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.transcript.model import Cue, Transcript


def library(videos: int = 3, more: int = 0) -> Store:
    """Videos of two lines (and `more` after them, to make each video's line in the file long)."""
    store = Store()
    for n in range(videos):
        extra = [Cue(2000 + i * 100, 2100 + i * 100, f"More words, line {i}.") for i in range(more)]
        vid = store.add_video(VideoRecord("youtube", f"v{n}", f"Talk {n}"), Transcript(
            [Cue(0, 1000, f"Line {n} one."), Cue(1000, 2000, "Nul \x00 inside.", "Ada\x00"), *extra], [], [], "vtt"))
        h = store.add_highlight(vid, 0, 0, 0, 4, 0, 1000, "Line")
        store.start_answer(vid, h, None, "explain", "Explain", "p", "m")
    return store


def dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_the_file_holds_one_video_to_a_line_and_restores_every_line_of_text(data_dir, tmp_path, monkeypatch):
    store = library()
    target = tmp_path / "backup.json"
    export(store, None, "json", target)
    lines = target.read_bytes().split(b"\n")
    assert lines[0].startswith(b'{"format":"reader-backup","version":4,') and lines[-3:] == [b'],"library_threads":[', b"]}", b""]
    assert len(lines) == 3 + 4 and json.loads(target.read_bytes())["videos"][2]["video"]["site_id"] == "v0"
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "fresh"))
    fresh = Store()
    assert restore(fresh, target) == {"videos": 3, "highlights": 3, "answers": 3, "cards": 0}
    cue = fresh.transcript(fresh.find_video("youtube", "v1")).cues[1]
    assert (cue.text, cue.speaker) == ("Nul inside.", "Ada")  # a NUL never reaches a line (issue 20), and cuts nothing
    store.close()
    fresh.close()


def test_progress_says_checking_then_restoring_and_ends_at_the_total(data_dir, tmp_path, monkeypatch):
    store = library(4)
    target = tmp_path / "backup.json"
    export(store, None, "json", target)
    seen = []
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "fresh"))
    restore(Store(), target, lambda done, total, stage: seen.append((stage, done, total)))
    stages = [s for s, _, _ in seen]
    assert stages.index("restoring") > stages.index("checking") and "checking" not in stages[stages.index("restoring"):]
    assert seen[-1] == ("restoring", 4, 4)
    assert all(done <= total for _, done, total in seen)
    store.close()


def test_a_failed_export_leaves_the_previous_file_and_nothing_beside_it(data_dir, tmp_path, monkeypatch):
    store = library()
    target = tmp_path / "backup.json"
    target.write_bytes(b"the previous backup")
    from reader.exchange import backup_stream as stream

    real, calls = stream.backup_item, []

    def failing(s, video_id):
        calls.append(video_id)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(s, video_id)

    monkeypatch.setattr(stream, "backup_item", failing)
    with pytest.raises(ExportError, match="the disk is full"):
        export(store, None, "json", target)
    assert target.read_bytes() == b"the previous backup"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["backup.json"]
    store.close()


CHILD = """
import sys, time
from reader.exchange import backup_stream as stream
from reader.exchange.formats import export
from reader.library.db.store import Store
real = stream.backup_item
def slow(store, video_id):
    print("video", flush=True)
    time.sleep(30)
    return real(store, video_id)
stream.backup_item = slow
export(Store(), None, "json", sys.argv[1])
"""


def test_an_export_killed_halfway_leaves_the_previous_file(data_dir, tmp_path):
    library().close()
    target = tmp_path / "backup.json"
    target.write_bytes(b"the previous backup")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target)], stdout=subprocess.PIPE, env=os.environ.copy())
    assert child.stdout.readline() == b"video\n"
    time.sleep(0.2)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert target.read_bytes() == b"the previous backup"


def streamed(tmp_path, videos: int = 3, more: int = 0) -> bytes:
    store = library(videos, more)
    target = tmp_path / "made.json"
    export(store, None, "json", target)
    store.close()
    return target.read_bytes()


def _second_line_bad_schema(raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    item = json.loads(lines[2].rstrip(b","))
    item["highlights"][0]["color"] = "purple"
    lines[2] = json.dumps(item, separators=(",", ":")).encode() + b","
    return b"\n".join(lines)


HOSTILE = [
    # (what, how the file Reader wrote is changed, words the sentence holds)
    ("cut in the middle of a video", lambda raw: raw[: len(raw) // 2], "it ends before its JSON does"),
    ("cut before the closing line", lambda raw: raw[: raw.rindex(b"]}")], "it ends before its JSON does"),
    ("more after the end", lambda raw: raw + b'{"x": 1}', "is not valid JSON"),
    ("a comma after the last video", lambda raw: raw.replace(b'}\n],"library_threads"', b'},\n],"library_threads"'), "is not valid JSON"),
    ("no comma between two videos", lambda raw: raw.replace(b"},\n{", b"}\n{", 1), "is not valid JSON"),
    ("a schema fault in the second video", _second_line_bad_schema,
     "at videos[1].highlights[0].color, 'purple' is not one of the values Reader knows"),
    ("a newer version in the head", lambda raw: raw.replace(b'"version":4', b'"version":5', 1), "backup version 5"),
]


@pytest.mark.parametrize("what, change, words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_damaged_streamed_backup_is_refused_in_a_sentence_and_the_library_is_untouched(data_dir, tmp_path, monkeypatch,
                                                                                           what, change, words):
    path = tmp_path / "backup.json"
    path.write_bytes(change(streamed(tmp_path)))
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "other"))
    store = Store()
    store.add_video(VideoRecord("youtube", "mine", "Mine"), None)
    before = dump(store.path)
    with pytest.raises(ExportError) as refused:
        restore(store, path)
    said = str(refused.value)
    assert words in said and said.endswith(".") and "\n" not in said, said
    assert dump(store.path) == before
    store.close()


def test_a_backup_laid_out_otherwise_is_read_whole_and_restores_the_same(data_dir, tmp_path, monkeypatch):
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps(json.loads(streamed(tmp_path)), indent=2))
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "other"))
    assert restore(Store(), path) == {"videos": 3, "highlights": 3, "answers": 3, "cards": 0}


def test_a_file_changed_between_the_check_and_the_apply_is_not_restored(data_dir, tmp_path, monkeypatch):
    path = tmp_path / "backup.json"
    raw = streamed(tmp_path, more=2000)  # each video's line far longer than what a read takes ahead
    path.write_bytes(raw)
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "other"))
    store = Store()
    store.add_video(VideoRecord("youtube", "mine", "Mine"), None)
    before = dump(store.path)

    def progress(done, total, stage):
        if stage == "restoring" and done == 0:  # checked; now another program rewrites it
            path.write_bytes(raw.replace(b"Talk 0", b"Talk X"))  # the last video, not yet read

    with pytest.raises(ExportError, match="changed while it was being restored, so it was not restored"):
        restore(store, path, progress)
    assert dump(store.path) == before
    store.close()


def test_reader_restore_draws_a_bar_on_a_terminal_and_nothing_on_a_pipe(data_dir, tmp_path):
    import pty

    path = tmp_path / "backup.json"
    path.write_bytes(streamed(tmp_path))
    env = dict(os.environ, READER_DATA_DIR=str(tmp_path / "by-terminal"))
    main, other = pty.openpty()
    run = subprocess.run([sys.executable, "-m", "reader", "restore", str(path)], stdout=subprocess.PIPE, stderr=other,
                         env=env, timeout=120)
    os.close(other)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(main)
    assert run.returncode == 0 and run.stdout.decode().startswith("Restored 3 videos")
    assert b"Restoring [" in drawn and b"3 of 3 videos" in drawn and drawn.endswith(b"\r\x1b[K")
    env["READER_DATA_DIR"] = str(tmp_path / "by-pipe")
    piped = subprocess.run([sys.executable, "-m", "reader", "restore", str(path)], capture_output=True, env=env, timeout=120)
    assert piped.returncode == 0 and piped.stderr == b""
