"""Start-up: the first frame before the library and the heavy modules, the rest after it without a second load,
and the last video reopened at its place by a new window on the same data folder (as a second launch does)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.ui.main_window import MainWindow

from conftest import new_window

CHILD = Path(__file__).with_name("start_child.py")


def launch(*args) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(CHILD.parent.parent))
    out = subprocess.run([sys.executable, str(CHILD), *args], env=env, capture_output=True, text=True, timeout=60)
    return [line for line in out.stdout.splitlines() if line.startswith(("FRAME", "REST", "TIMEOUT"))]


def test_the_first_frame_comes_before_the_library_the_sdk_and_yt_dlp():
    """A first run: the demo's picture is drawn with none of them loaded, then the library opens and the
    demo's transcript arrives while the same media keeps playing."""
    lines = launch()
    assert lines[0] == "FRAME library-closed", lines
    assert lines[1].startswith("REST Reader demo") and lines[1].endswith("playing demo.mp4"), lines


def test_a_file_named_on_the_command_line_plays_before_the_window_opens_the_library(clip_dir):
    from conftest import add_video

    add_video()  # a library exists (the command adds the file to it): the window opens it after the first frame
    lines = launch("open", str(clip_dir / "talk.mp4"))
    assert lines[0].startswith("FRAME library-closed"), lines
    assert lines[1] == "REST talk playing talk.mp4", lines


def test_the_last_video_plays_before_the_library_opens_on_a_second_launch(clip_dir):
    from reader.library.db.store import Store

    assert launch("open", str(clip_dir / "talk.mp4"))[1].startswith("REST talk")
    store = Store()
    store.set_position(store.last_opened(), 4_200)
    store.close()
    lines = launch()  # no file named: the last video, found without opening the library
    assert lines[0] == "FRAME library-closed", lines
    assert lines[1] == "REST talk playing talk.mp4", lines


def started(qtbot):
    """A window as `reader` makes it: the library left to start()."""
    w = MainWindow(open_library=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.start()
    return w


def test_the_demo_keeps_playing_when_its_session_arrives(qtbot):
    w = started(qtbot)
    assert w.store is None and w.reading._preloaded  # the demo is loading; nothing else yet
    w.player.play()
    qtbot.waitUntil(lambda: w.session is not None, timeout=10_000)
    assert w.store is not None and w.session.title.startswith("Reader demo")
    qtbot.waitUntil(lambda: w.player.position() > 300, timeout=10_000)
    assert w.player.is_playing() and w.video_pane.stack.currentWidget() is w.video_pane.video
    assert len(w.transcript_pane.view.timeline.cues) >= 15
    w.player.pause()
    w.close()


def test_paused_the_demo_shows_its_picture_once_the_rest_has_loaded(qtbot):
    w = started(qtbot)
    qtbot.waitUntil(lambda: w.session is not None and w.reading.has_video, timeout=10_000)
    qtbot.waitUntil(lambda: w.video_pane.stack.currentWidget() is w.video_pane.video, timeout=10_000)
    assert not w.player.is_playing()
    w.close()


def test_the_last_video_reopens_at_its_place_in_a_new_window(qtbot, clip_dir):
    first = started(qtbot)
    qtbot.waitUntil(lambda: first.session is not None, timeout=10_000)
    first.reading.open_files([clip_dir / "talk.mp4"])
    qtbot.waitUntil(lambda: first.player.duration() > 0, timeout=10_000)
    first.player.seek(4_200)
    first.close()
    second = started(qtbot)
    assert second.store is None and second.player.source == (clip_dir / "talk.mp4").resolve()  # loading already
    qtbot.waitUntil(lambda: second.session is not None, timeout=10_000)
    assert second.session.title == "talk" and second.pages.currentWidget() is second.splitter
    qtbot.waitUntil(lambda: abs(second.player.position() - 4_200) < 200, timeout=10_000)
    second.close()


def test_the_demo_given_a_note_is_the_video_that_reopens(qtbot):
    """Was broken: a highlight made the demo a library entry that was never marked as opened, so the next
    launch found a library with no last video and showed the library instead."""
    from conftest import span

    first = started(qtbot)
    qtbot.waitUntil(lambda: first.session is not None, timeout=10_000)
    highlight_id, new = first.notes.add(span(1))
    assert new and first.session.video_id is not None
    first.close()
    second = started(qtbot)
    qtbot.waitUntil(lambda: second.session is not None, timeout=10_000)
    assert second.session.title.startswith("Reader demo") and second.pages.currentWidget() is second.splitter
    assert [h["id"] for h in second.store.highlights(second.session.video_id)] == [highlight_id]
    second.close()


def test_of_two_videos_opened_within_a_second_the_later_is_the_last():
    from reader.library.db.store import Store

    from conftest import add_video

    first, second = add_video(site_id="a"), add_video(site_id="b")
    store = Store()
    store.mark_opened(second)
    store.mark_opened(first)
    assert store.last_opened() == first
    store.close()


def test_a_library_without_a_last_video_shows_the_library(qtbot):
    from conftest import add_video

    add_video()
    w = started(qtbot)
    qtbot.waitUntil(lambda: w.store is not None, timeout=10_000)
    assert w.pages.currentWidget() is w.library_page and w.session is None
    w.close()


def test_a_window_made_for_the_tests_opens_its_library_at_once(qtbot):
    w = new_window(qtbot)
    assert w.store is not None
    w.close()


def test_the_peek_at_the_last_video_never_fails_and_never_writes(data_dir, tmp_path):
    from reader.library.db.store import Store, peek_last_opened

    from conftest import add_video

    assert peek_last_opened() is None  # no library yet
    vid = add_video()
    assert peek_last_opened() is None  # none opened: the library page shows
    store = Store()
    with store.writing():
        store.db.execute("update videos set media_path = ?, last_position_ms = ? where id = ?", ["/m/talk.mp4", 4200, vid])
    store.mark_opened(vid)
    store.close()
    before = {p.name: p.stat().st_mtime_ns for p in data_dir.iterdir()}
    assert peek_last_opened() == (Path("/m/talk.mp4"), 4200)
    assert {p.name: p.stat().st_mtime_ns for p in data_dir.iterdir()} == before
    for junk in (b"", b"not a database at all" * 100, b"SQLite format 3\x00" + bytes(4000)):
        bad = tmp_path / "bad.db"
        bad.write_bytes(junk)
        assert peek_last_opened(bad) is None


@pytest.mark.parametrize("case", ["playing", "paused", "broken"])
def test_the_first_frame_step_passes_once_the_window_shows_what_it_will(qapp, qtbot, clip_dir, tmp_path, case):
    """Without a window: a real player and video sink. Playing, it passes at the first frame; paused, once
    loaded; a file that cannot play, at its failure. Once, whatever follows."""
    from PySide6.QtMultimedia import QVideoSink

    from reader.ui.controllers.first_frame import FirstFrame
    from reader.ui.player import Player

    player, sink = Player(), QVideoSink()
    player.set_video_output(sink)
    frames = []
    sink.videoFrameChanged.connect(lambda frame: frames.append(frame.isValid()))
    step = FirstFrame(player, sink)
    passed = []
    step.passed.connect(lambda: passed.append((bool(frames), player.loaded())))
    if case == "broken":
        bad = tmp_path / "broken.mp4"
        bad.write_bytes(b"\x00" * 5000)
        player.load(bad)
    else:
        player.load(clip_dir / "talk.mp4")
    if case == "playing":
        player.play()
    qtbot.waitUntil(lambda: bool(passed), timeout=10_000)
    qtbot.wait(300)
    if case == "paused":  # loaded: the step passes; the paused frame may or may not be drawn by then
        assert [loaded for _frame, loaded in passed] == [True]
    else:
        assert passed == {"playing": [(True, True)], "broken": [(False, False)]}[case]
    player.pause()
