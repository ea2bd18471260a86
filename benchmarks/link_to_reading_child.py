"""Child of link_to_reading.py: a fresh window pastes the link, prints (JSON) when its first line, first frame and whole video came."""

import gc
import json
import sys
import time

from PySide6.QtCore import Qt, QTimer

from reader.library.download import ImportOptions
from reader.ui.app import make_app
from reader.ui.main_window import MainWindow


def status_mb(field: str) -> float:
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    url, play = sys.argv[1], "--no-play" not in sys.argv
    app = make_app()
    w = MainWindow()
    w.resize(1280, 760)
    w.show()
    marks: dict[str, float] = {}
    gaps = {"last": 0.0, "max": 0.0}  # the longest stall once the line and the frame are there (the download on its own), and before
    report: dict = {}

    def tick() -> None:  # the event loop's stalls while the download runs: the gap between 5 ms ticks, less 5 ms
        now = time.monotonic()
        if gaps["last"] and "done" not in marks:
            gap = now - gaps["last"] - 0.005
            phase = "max" if "frame" in marks or "line" in marks and not play else "max_before"  # the download alone, or the paste's start
            gaps[phase] = max(gaps.get(phase, 0.0), gap)
            if gap > 0.05:  # when, after the paste, and how long: to tell which step held the loop
                report.setdefault("stalls", []).append((round(gaps["last"] - marks["t0"], 2), round(gap * 1000)))
        gaps["last"] = now

    collecting = {}

    def on_gc(phase: str, info: dict) -> None:  # Python's collections, any thread: a stall they cause is told apart
        if phase == "start":
            collecting["at"] = time.monotonic()
        elif "at" in collecting and "t0" in marks and "done" not in marks:
            took = time.monotonic() - collecting.pop("at")
            if took > 0.03:
                report.setdefault("collections", []).append((round(time.monotonic() - marks["t0"], 2), info.get("generation"), round(took * 1000)))

    gc.callbacks.append(on_gc)
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)

    def on_session(session, _same) -> None:
        if session.transcript is not None and session.transcript.cues and "line" not in marks:
            marks["line"] = time.monotonic()  # after the window's own slot: the pane holds the lines

    def on_card(_text, actions) -> None:
        if play and any(a == "play" for a, _label in actions):
            QTimer.singleShot(0, w.early_play.play_now)  # as soon as Play Now is offered, it is pressed

    def on_frame(frame) -> None:
        if frame.isValid() and isinstance(w.player.source, str) and "frame" not in marks:
            marks["frame"] = time.monotonic()

    def on_ready(_video_id, _media) -> None:
        marks["done"], report["cpu_s"] = time.monotonic(), time.process_time() - marks["cpu0"]
        QTimer.singleShot(2000, finish)

    def finish() -> None:
        t0 = marks["t0"]
        report.update({k + "_s": round(marks[k] - t0, 3) for k in ("line", "frame", "done") if k in marks})
        report.update(stall_ms=round(gaps["max"] * 1000, 1), stall_before_ms=round(gaps.get("max_before", 0) * 1000, 1),
                      rss_mb=round(status_mb("VmHWM"), 1),
                      rss_at_paste_mb=round(marks["rss0"], 1), swapped=not isinstance(w.player.source, str))
        print(json.dumps(report), flush=True)
        w.close()
        app.quit()

    def failed(_video_id, text, _cancelled) -> None:
        print(json.dumps({"error": text}), flush=True)
        app.exit(1)

    def paste() -> None:
        marks.update(t0=time.monotonic(), cpu0=time.process_time(), rss0=status_mb("VmRSS"))
        timer.start()
        w.start_import(url, ImportOptions())

    w.reading.session_changed.connect(on_session)
    w.early_play.card_changed.connect(on_card)
    w.video_pane.video.sink.videoFrameChanged.connect(on_frame, Qt.ConnectionType.DirectConnection)
    w.downloads.ready.connect(on_ready)
    w.downloads.stopped.connect(failed)
    w.importing.failed.connect(lambda _job, exc: (print(json.dumps({"error": str(exc)}), flush=True), app.exit(1)))
    QTimer.singleShot(500, paste)  # the window is up and its library open, as when a user pastes
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
