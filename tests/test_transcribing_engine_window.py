"""Transcribing in the window end to end, with the stand-in engine in the real worker process: lines while playing, Cancel, resume after a close."""

import os
import re
from pathlib import Path

import pytest

from conftest import new_window
from media import make_tone_speech

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = list(range(0, 65_000, 2_500))  # a sentence every 2.5 s: alpha bravo charlie stop.


@pytest.fixture
def gate(monkeypatch, tmp_path):
    """The stand-in engine in the worker; it waits before each stretch after the first until gate/open exists."""
    monkeypatch.setenv("READER_TRANSCRIPTION_TEST_ENGINE", "tests.standin_engine")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    folder = tmp_path / "gate"
    folder.mkdir()
    monkeypatch.setenv("READER_STANDIN_GATE", str(folder))
    return folder


@pytest.fixture
def window(qtbot, tmp_path, gate):
    words = [(s + k * 300, i) for s in SENTENCES for k, i in enumerate((0, 1, 2, 7))]
    media = make_tone_speech(tmp_path / "talk.m4a", words, 66)
    w = new_window(qtbot, 1300, 760)
    w.reading.open_paths(media)
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)
    yield w
    w.transcribing.stop()
    w.player.pause()
    w.close()


def test_lines_arrive_while_playing_and_a_closed_reader_offers_to_go_on(window, qtbot, gate):
    t, view = window.transcribing, window.transcript_pane.view
    assert window.transcript_pane.transcribe_button.isVisible()
    assert t.start(window.reading.video_id, "stand-in")
    window.player.play()
    qtbot.waitUntil(lambda: len(view.timeline.cues) > 0, timeout=60_000)
    assert view.timeline.cues[0].text == "alpha bravo charlie stop."
    assert view.timeline.cues[0].words  # word timings, so the spoken word is lit
    qtbot.waitUntil(lambda: any(gate.glob("waiting-*")), timeout=60_000)  # the worker holds the next stretch
    first = len(view.timeline.cues)
    assert window.player.is_playing() and window.transcribe_panel.isVisible()
    assert "of 1:06 transcribed" in window.transcribe_panel.detail.text()
    t.stop()  # Reader closes: the worker ends with it
    window.player.pause()
    held = int(next(gate.glob("waiting-*")).name.split("-")[1])  # where the second stretch starts
    assert t.check_unfinished()[0]["done_ms"] == held
    panel = window.transcribe_panel
    assert panel.isVisible() and panel.action_button.text() == "Resume" and f"0:{held // 1000:02d}" in panel.detail.text()
    (gate / "open").touch()
    panel.action_button.click()
    assert t.busy()
    qtbot.waitUntil(lambda: not t.busy(), timeout=120_000)
    assert not panel.isVisible()
    assert len(view.timeline.cues) > first and view.timeline.cues[-1].start_ms >= 60_000
    source = window.transcript_pane.source_label.text()
    assert source.startswith("Transcript: transcribed, stand-in") and re.search(r", \d{4}-\d\d-\d\d\b", source)
    assert t.check_unfinished() == []


def test_cancel_ends_the_worker_at_once_and_is_not_offered_again(window, qtbot, gate):
    t, view = window.transcribing, window.transcript_pane.view
    t.start(window.reading.video_id, "stand-in")
    qtbot.waitUntil(lambda: any(gate.glob("waiting-*")), timeout=60_000)
    job = t.running.job
    window.transcribe_panel.cancel_button.click()
    assert job.returncode is not None and not t.busy()
    assert len(view.timeline.cues) > 0  # the finished stretch stays
    assert t.check_unfinished() == []
