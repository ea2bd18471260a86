"""Child of start_scale.py: `reader` started as a user starts it, printing FIRST_FRAME (seconds since start) at the
first video frame, then STALL with the longest gap between event-loop ticks (a 5 ms timer) in its first N seconds."""

import sys
import time

T0 = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader.ui.main_window import MainWindow  # noqa: E402

WINDOW_S = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
_start = MainWindow.start


def start(window, *args, **kwargs):
    _start(window, *args, **kwargs)
    ticks = {"last": time.perf_counter(), "worst": 0.0, "frame": None}

    def on_frame(frame):
        if frame.isValid() and ticks["frame"] is None:
            ticks["frame"] = time.perf_counter() - T0
            print(f"FIRST_FRAME {ticks['frame']:.3f}", flush=True)

    def tick():
        now = time.perf_counter()
        ticks["worst"] = max(ticks["worst"], now - ticks["last"])
        ticks["last"] = now
        if now - T0 > WINDOW_S:
            print(f"STALL {ticks['worst'] * 1000:.0f} library={'open' if window.store else 'closed'}", flush=True)
            getattr(window, "close_library", lambda: None)()
            QApplication.instance().quit()

    window.video_pane.video.sink.videoFrameChanged.connect(on_frame)
    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(5)


MainWindow.start = start
from reader.cli.main import main  # noqa: E402

main([])
