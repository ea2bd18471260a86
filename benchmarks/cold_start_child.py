"""Child process for the cold-start benchmark: start Reader on the demo and report the first video frame."""

import os
import sys
import time

started = float(os.environ["READER_BENCH_T0"])

from PySide6.QtCore import QTimer  # noqa: E402

from reader.ui.app import make_app  # noqa: E402

app = make_app()
from reader.ui.main_window import MainWindow  # noqa: E402

window = MainWindow()
window.show()
window.reading.open_demo()
window.player.play()
sink = window.video_pane.video.videoSink()


def on_frame(frame):
    if frame.isValid():
        print(f"FIRST_FRAME {time.time() - started:.3f}", flush=True)
        app.quit()


sink.videoFrameChanged.connect(on_frame)
QTimer.singleShot(20_000, lambda: (print("TIMEOUT", flush=True), app.quit()))
app.exec()
sys.exit(0)
