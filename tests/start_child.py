"""Child process for test_start: `reader` started as a user starts it (offscreen) and asked to play at once,
saying which heavy modules were loaded and whether the library was open when the first video frame reached the
window, then what opened after it."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reader.ui.main_window import MainWindow

HEAVY = ("anthropic", "yt_dlp", "sqlite_utils", "av", "markdown_it", "httpx")
_start = MainWindow.start


def start(window, *args, **kwargs):
    """Reader's own start, then play, as a Space pressed at once would (before the media has loaded)."""
    _start(window, *args, **kwargs)
    seen = {}

    def on_frame(frame):
        if frame.isValid() and "frame" not in seen:
            seen["frame"] = True
            loaded = [m for m in HEAVY if m in sys.modules]
            print("FRAME", "library-open" if window.store is not None else "library-closed", *loaded, flush=True)

    def watch():
        if "frame" in seen and window.store is not None and window.session is not None:
            print("REST", window.session.title, "playing" if window.player.is_playing() else "stopped",
                  window.player.source.name, flush=True)
            QApplication.instance().quit()

    window.video_pane.video.sink.videoFrameChanged.connect(on_frame)
    window.player.play()
    timer = QTimer(window)
    timer.timeout.connect(watch)
    timer.start(5)
    QTimer.singleShot(20_000, lambda: (print("TIMEOUT", flush=True), QApplication.instance().quit()))


MainWindow.start = start
from reader.cli.main import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
