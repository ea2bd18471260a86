"""Shared test set-up: Qt offscreen, a private data folder per test, and the shared corpus."""

import os
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("READER_DATA_DIR", str(folder))
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    return folder


@pytest.fixture
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside this checkout ({CORPUS}); tests/test_formats.py covers every format with fixtures of its own")
    return CORPUS


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory):
    """A generated 8-second clip with a sidecar transcript, made once per test run."""
    from media import CLIP_VTT, make_clip

    folder = tmp_path_factory.mktemp("clip")
    make_clip(folder / "talk.mp4", chapters=[(0, "Opening"), (3500, "Reply")])
    (folder / "talk.en.vtt").write_text(CLIP_VTT, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def clip_bytes(clip_dir):
    return (clip_dir / "talk.mp4").read_bytes()


@pytest.fixture
def site():
    """A video site on 127.0.0.1 that real yt-dlp imports from (see fake_site.py)."""
    from fake_site import Site

    s = Site()
    yield s
    s.close()


@pytest.fixture
def claude(monkeypatch):
    """The real anthropic SDK, pointed at a local server that speaks the streaming Messages API."""
    from fake_anthropic import FakeAnthropic

    server = FakeAnthropic()
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-PLANTED-KEY-0123456789")
    monkeypatch.setenv("READER_ANTHROPIC_MAX_RETRIES", "0")
    yield server
    server.close()


def new_window(qtbot, width=1100, height=700):
    """A shown MainWindow on this test's data folder, closed with the test."""
    from reader.ui.app import make_app
    from reader.ui.main_window import MainWindow

    make_app()
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot):
    """A shown, empty MainWindow (test files that need one opened on a clip define their own)."""
    w = new_window(qtbot)
    yield w
    w.player.pause()
    w.close()


@pytest.fixture
def events(qapp):
    """A change-notice object, as a window would own (no window here)."""
    from reader.ui.events import Events

    return Events()


@pytest.fixture
def reading(events):
    """A ReadingController on this test's library, with a real player and no window."""
    from reader.ui.controllers.reading import ReadingController
    from reader.ui.player import Player

    player = Player()
    controller = ReadingController(player, events)
    assert controller.open_library() == ""
    yield controller
    player.pause()
    controller.store.close()


@pytest.fixture
def streaming(reading, events):
    """A StreamingController on the reading controller's library (point it at the `claude` fixture to answer)."""
    from reader.ui.controllers.streaming import StreamingController

    controller = StreamingController(lambda: reading.store, lambda: "claude-test", lambda: None, events=events)
    yield controller
    controller.stop()


@pytest.fixture
def transcript_file(tmp_path):
    """A four-line WebVTT file (no media beside it)."""
    from media import CLIP_VTT

    path = tmp_path / "lines.en.vtt"
    path.write_text(CLIP_VTT, encoding="utf-8")
    return path


def span(cue: int) -> dict:
    """The whole of one cue as a highlight's bounds."""
    return {"start_cue": cue, "start_offset": 0, "end_cue": cue, "end_offset": 5, "start_ms": 500 + cue * 1500,
            "end_ms": 2000 + cue * 1500, "text": f"words of line {cue}"}


def talk_transcript(lines: int = 3, words: str = "of a long talk about nothing much"):
    """A transcript of `lines` one-second lines, 'line N <words>'."""
    from reader.transcript.model import Cue, Transcript

    return Transcript([Cue(i * 1000, i * 1000 + 900, f"line {i} {words}") for i in range(lines)], format="webvtt")


def small_library(path, notes=("first note",), lines: int = 3, words: str = "of a long talk about nothing much"):
    """A closed library at `path` with one video ('A talk') and a highlight per note."""
    from reader.store import Store, VideoRecord

    store = Store(path)
    vid = store.add_video(VideoRecord("local", "talk", "A talk"), talk_transcript(lines, words))
    for note in notes:
        store.add_highlight(vid, 0, 0, 0, 4, 0, 900, "line", note=note)
    store.close()
    return path


def library_notes(path) -> list:
    """The notes of the first video of the library at `path`, read on a connection of its own."""
    from reader.store import Store

    store = Store(path)
    try:
        return [h["note"] for h in store.highlights(1)]
    finally:
        store.close()


def kill_during(script, args, env, seconds: float) -> tuple[bool, list]:
    """Run `script` in a child Python, let it work `seconds` after it prints READY (or end sooner), then
    SIGKILL it; returns whether it got ready and every line it printed."""
    import signal
    import subprocess
    import sys
    import threading

    child = subprocess.Popen([sys.executable, str(script), *map(str, args)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read():
        for line in child.stdout:
            lines.append(line)
            if line.startswith("READY"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    got_ready = ready.wait(60)
    try:
        child.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join(5)
    return got_ready, lines
