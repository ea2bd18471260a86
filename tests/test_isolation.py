"""Two Readers on one data folder, secrets that never leak, and the whole app with the network blocked."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.db.records import VideoRecord
from reader.library.db.store import Store

from fake_anthropic import Reply

PLANTED = "sk-ant-test-PLANTED-KEY-0123456789"

WRITER = """
import sys
from reader.library.db.store import Store
from reader.library.db.records import VideoRecord
store = Store()
vid = store.add_video(VideoRecord('local', 'shared', 'Shared video'), None)
for i in range(200):
    store.add_highlight(vid, 0, 0, 0, 1, i, i + 1, f'{sys.argv[1]} {i}')
print('done')
"""


@pytest.mark.parametrize("library", ["existing", "new"])
def test_two_processes_writing_at_once_do_not_corrupt_the_library(data_dir, library):
    # Both start at once on one library (a new one: both try to create it); each saves 200 highlights.
    if library == "existing":
        Store().add_video(VideoRecord("local", "shared", "Shared video"), None)
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, name], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("first", "second")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    store = Store()
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert store.count() == 1
    texts = [r[0] for r in store.db.execute("select text from highlights")]
    assert len(texts) == 400 and sum(t.startswith("first") for t in texts) == 200


def test_the_api_key_never_lands_in_files_or_messages(qtbot, claude, clip_dir, tmp_path, data_dir):
    from reader.exchange.formats import export
    from reader.ui.app import make_app
    from reader.ui.main_window import MainWindow

    from conftest import select, wait_done

    make_app()
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.reading.open_paths(clip_dir / "talk.mp4")
    for reply in (Reply(["fine ", ("cite", 0, 1)]), Reply(status=401, error_type="authentication_error"),
                  Reply(["cut"], drop_after=0), Reply(status=500)):
        claude.replies = [reply]
        select(w.transcript_pane.view, 1, 1)
        w.explain_selection()
        wait_done(w, qtbot)
        assert PLANTED not in w.notes_pane.answers.toPlainText() + w.banner.text()
    w.close()
    export(w.store, None, "json", tmp_path / "backup.json")
    export(w.store, None, "md", tmp_path / "md")
    places = [data_dir, Path(os.environ["READER_CONFIG_DIR"]), tmp_path]
    for folder in places:
        for path in folder.rglob("*"):
            if path.is_file():
                assert PLANTED.encode() not in path.read_bytes(), path


def test_the_whole_app_works_with_the_network_blocked(qtbot, clip_dir, monkeypatch):
    """Everything a user does after importing: open, play, read, highlight, search, review, export."""
    real_connect = socket.socket.connect
    attempts = []

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
            attempts.append(address)
            raise OSError("network blocked by the test")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    from reader.exchange.formats import export
    from reader.ui.app import make_app
    from reader.ui.main_window import MainWindow

    from conftest import select

    make_app()
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)
    w.player.play()
    qtbot.waitUntil(lambda: w.player.position() > 600, timeout=10_000)
    w.player.pause()
    select(w.transcript_pane.view, 2, 2)
    w.note_on_selection()
    w.show_library()
    w.library_page.search.setText("Ben answers")
    qtbot.waitUntil(lambda: w.library_page.hits.isVisible(), timeout=3_000)
    w.show_review()
    assert w.review_page.tree.topLevelItemCount() == 1
    w.explain_selection()  # no key and no network: a message, nothing sent
    export(w.store, w.session.video_id, "md", Path(os.environ["READER_DATA_DIR"]) / "out.md")
    w.close()
    assert attempts == []


def test_a_library_held_too_long_by_another_reader_gives_a_clear_message(data_dir, qtbot, monkeypatch):
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from reader.library.db import store as store_module
    from reader.ui.app import _install_excepthook, make_app

    make_app()
    mine = Store()
    vid = mine.add_video(VideoRecord("local", "busy", "Busy video"), None)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    other = Store()  # another Reader, in the middle of a long write
    other.db.execute("BEGIN IMMEDIATE")
    try:
        waiting = Store()
        try:
            waiting.add_highlight(vid, 0, 0, 0, 1, 0, 1, "not saved")
        except sqlite3.OperationalError as exc:
            error = exc
        else:
            raise AssertionError("the write should have given up")
    finally:
        other.db.conn.rollback()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    _install_excepthook()
    sys.excepthook(type(error), error, None)
    assert shown and shown[0].startswith("The library is busy") and "not saved" in shown[0]
    assert "Traceback" not in shown[0]
    assert [h["text"] for h in mine.highlights(vid)] == []
