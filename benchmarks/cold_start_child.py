"""Child process for the cold-start benchmark: `reader` started as a user starts it, asked to play at once (as
mpv does), printing FIRST_FRAME (with its CPU time and any heavy module already loaded) when the first video
frame reaches the window. The parent ends it there."""

import sys
import time

from PySide6.QtCore import Qt

from reader.ui.main_window import MainWindow

_start = MainWindow.start


def start(window, *args, **kwargs):
    _start(window, *args, **kwargs)
    sink = window.video_pane.video.sink

    def on_frame(frame):
        if frame.isValid():
            sink.videoFrameChanged.disconnect(on_frame)
            heavy = [m for m in ("anthropic", "yt_dlp", "sqlite_utils", "av", "markdown_it") if m in sys.modules]
            print("FIRST_FRAME", f"cpu={time.process_time():.3f}", *heavy, flush=True)

    sink.videoFrameChanged.connect(on_frame, Qt.ConnectionType.DirectConnection)
    window.player.play()


MainWindow.start = start
from reader.cli.main import main  # noqa: E402

sys.exit(main([]))
