"""Shared test set-up: Qt offscreen, a private data folder per test, and the shared corpus."""

import os
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")

import re  # noqa: E402

from reader.cli.main import main  # noqa: E402
from reader.library.db.records import VideoRecord  # noqa: E402
from reader.library.db.store import Store  # noqa: E402
from reader.transcript.model import Chapter, Cue, Transcript  # noqa: E402

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
    controller.close_library()  # as the window closes it: a late duration or position from the player writes nothing


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
    from reader.library.db.records import VideoRecord
    from reader.library.db.store import Store

    store = Store(path)
    vid = store.add_video(VideoRecord("local", "talk", "A talk"), talk_transcript(lines, words))
    for note in notes:
        store.add_highlight(vid, 0, 0, 0, 4, 0, 900, "line", note=note)
    store.close()
    return path


def library_notes(path) -> list:
    """The notes of the first video of the library at `path`, read on a connection of its own."""
    from reader.library.db.store import Store

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


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a real small disk: tmpfs(size, name) -> its folder (unmounted after the test); the test is
    skipped, saying why, where this machine does not let us mount one."""
    import subprocess

    mounted = []

    def mount(size: str, name: str = "disk"):
        folder = tmp_path / name
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"a {size} tmpfs cannot be mounted here (mount said: {done.stderr.strip() or done.returncode})")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def html_tags(html_text: str) -> list:
    """Every start tag in some HTML, as (name, attributes)."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(html_text)
    return found


# Text an attacker might put in a title, a transcript line, a note or an answer (the robustness and export tests).
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>", "javascript:alert(1)",
    "[x](javascript:alert(1))", "[x](file:///etc/passwd)", "![img](http://tracker.example/p.png)", "![i](file:///etc/shadow)",
    "<iframe src='http://evil'></iframe>", "<style>body{display:none}</style>", "<svg onload=alert(1)>", "<object data='x'>",
    "<embed src='x'>", "<link rel=stylesheet href='http://x/s.css'>", "<meta http-equiv='refresh' content='0;url=http://x'>",
    "<form action='http://x'><input></form>", "<base href='http://x/'>", "<body onload=alert(1)>", "<div style='background:url(http://x)'>",
    "<table background='http://x/t.png'>", "&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;script&#62;", "\u202eevil\u202c", "\u200b\u200c\u200d",
    "\ufeffbom", "\x07bell\x08", "\x1b[31mred\x1b[0m", "line\u2028separator", "para\u2029separator", "a\u0000b",
    "<v Evil<script>>text", "<c.red onclick=x>hi</c>", "{\\an8}<b>tag</b>", "%00%2e%2e%2f", "../../../../etc/passwd",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", "<math><mi xlink:href='javascript:x'>",
    "<details open ontoggle=alert(1)>", "<marquee>x</marquee>", "<!-- comment --><b>b</b>", "<![CDATA[x]]>", "<?xml version='1.0'?>",
    "`<script>`", "```html\n<script>alert(1)</script>\n```", "<a href=\"cite:999\">bad cite</a>", "[x](cite:0)", "<a href='reader://video/1'>r</a>",
    "\U0001F600 emoji \U0001F4A9", "x" * 100_000, "<" * 1000, "&" * 1000 + ";", "\u0301" * 50 + "zalgo",
]


# A YouTube rolling auto-caption file: each line shown twice as it scrolls.
ROLLING = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
 
no<00:00:00.400><c> no</c><00:00:00.800><c> no</c>

00:00:02.000 --> 00:00:02.010 align:start position:0%
no no no
 

00:00:02.010 --> 00:00:04.000 align:start position:0%
no no no
no<00:00:02.500><c> no</c><00:00:03.000><c> no</c>

00:00:04.000 --> 00:00:04.010 align:start position:0%
no no no
 

00:00:04.010 --> 00:00:06.000 align:start position:0%
no no no
that's<00:00:04.300><c> what</c><00:00:04.700><c> she</c><00:00:05.000><c> said</c>

00:00:06.000 --> 00:00:06.010 align:start position:0%
that's what she said
 
"""


def wait_done(window, qtbot):
    """Until the stream has ended and its last drawing (a turn of the event loop later) is on screen."""
    # (the Stop button goes only with that last drawing; the text alone can already look final)
    qtbot.waitUntil(lambda: not window.streaming.busy() and window.notes_pane.stop_button.isHidden(), timeout=15_000)


def select(view, first, last, start_off=0, end_off=None):
    """Select in a transcript view from a line (and an offset in it) to another, as a drag would."""
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(view.cue_range(first)[0] + start_off)
    end = view.cue_range(last)[1] if end_off is None else view.cue_range(last)[0] + end_off
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


# The command line, run in this process as a user would type it.
PYTHON_WORDS = re.compile(r"Errno|Traceback|\b[A-Z][A-Za-z]*(Error|Exception)\b|line \d+ column \d+|codec|utf-8|NoneType")


def add_video(title="A talk", lines=("Ada opens the talk.", "Ben answers her.", "They agree on turn-taking."),
              duration_ms=30_000, site_id="one") -> int:
    store = Store()
    step = duration_ms // len(lines)
    cues = [Cue(i * step, (i + 1) * step, text) for i, text in enumerate(lines)]
    vid = store.add_video(VideoRecord("test", site_id, title, duration_ms=duration_ms), Transcript(cues, [Chapter(0, "Start")]))
    store.close()
    return vid


def run(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's --help and its mistakes
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def counts() -> tuple[int, int]:
    store = Store()
    try:
        return (store.db.execute("select count(*) from highlights").fetchone()[0],
                store.db.execute("select count(*) from answers").fetchone()[0])
    finally:
        store.close()


def assert_one_sentence(code, out, err):
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader: "), err
    assert not PYTHON_WORDS.search(err), err


def read_apkg(path, scratch) -> tuple[list, list, dict]:
    """An Anki package read back: its file names, its notes (guid, fields joined by \\x1f, sorted by fields)
    and the size of each media file by its name in the deck. `scratch` is a folder for the unpacked database."""
    import json
    import sqlite3
    import zipfile

    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        (Path(scratch) / "col.db").write_bytes(z.read("collection.anki2"))
        media = json.loads(z.read("media"))
        sizes = {media[k]: len(z.read(k)) for k in media}
    db = sqlite3.connect(Path(scratch) / "col.db")
    notes = db.execute("select guid, flds from notes order by flds").fetchall()
    db.close()
    return names, notes, sizes


# A two-minute lecture on memory in two chapters (Ada, then Ben), every line five seconds: Claude's recall
# questions and answer checks are asked about it. Its transcript blocks are labelled
# [0:00] [0:40] [0:55] (Forgetting, Ada) and [1:00] [1:45] [1:55] (Spacing, Ben).
MEMORY_ADA = [
    "Forgetting is not a failure of memory but part of how it works.",
    "Ebbinghaus learned lists of nonsense syllables and tested himself at intervals.",
    "He found that most of what he learned was gone within a day.",
    "The curve of forgetting falls steeply at first and then flattens out.",
    "What slows the fall is trying to recall, not reading the material again.",
    "Each time you pull a memory back out, it becomes harder to lose.",
    "Rereading feels productive because the words look familiar on the page.",
    "Familiarity is a poor guide to whether you could produce the idea yourself.",
    "Testing yourself is uncomfortable, and that discomfort is the point.",
    "Psychologists call this a desirable difficulty.",
    "The effort of retrieval tells the brain that this memory is worth keeping.",
    "So a quiz is not only a measurement, it is a way of learning.",
]
MEMORY_BEN = [
    "Spacing is the other half of the story.",
    "If you review something the moment you learned it, the review is too easy to help.",
    "If you wait until it is completely forgotten, you are starting from scratch.",
    "The best moment to review is just before you would have forgotten.",
    "Every successful recall pushes the next forgetting further away.",
    "That is why the intervals between reviews can grow from days to months.",
    "Schedulers like FSRS estimate how stable each memory has become.",
    "They pick the next review date so that recall stays around ninety percent.",
    "Raising that target means more reviews and fewer lapses.",
    "Lowering it saves time but you will forget more often.",
    "The scheduler learns from how you rate each answer.",
    "An honest rating matters more than a flattering one.",
]


def memory_video(title: str = "How memory works") -> int:
    """The memory lecture added to this test's library; returns its id."""
    cues = [Cue(i * 5000, i * 5000 + 4800, text, "Ada") for i, text in enumerate(MEMORY_ADA)]
    cues += [Cue(60_000 + i * 5000, 60_000 + i * 5000 + 4800, text, "Ben") for i, text in enumerate(MEMORY_BEN)]
    store = Store()
    vid = store.add_video(VideoRecord("test", "memory", title, description="A lecture on memory.", duration_ms=120_000),
                          Transcript(cues, [Chapter(0, "Forgetting"), Chapter(60_000, "Spacing")]))
    store.close()
    return vid


@pytest.fixture
def talk_window(qtbot, clip_dir):
    """A window (1300×760) with the generated clip open and loaded; what runs in it is stopped at the end."""
    w = new_window(qtbot, 1300, 760)
    w.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)
    yield w
    w.streaming.stop()
    w.carding.cancel()
    w.player.pause()
    w.close()
