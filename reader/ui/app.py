"""Start the Qt application: one QApplication, Reader's look, and the main window."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication

from ..paths import crash_log
from ..resources import resource

STYLE = """
#banner { background: #fdecea; border-bottom: 1px solid #f5c2c0; color: #5f2120; }
#banner[level="info"] { background: #e8f1fb; border-bottom: 1px solid #bcd6f2; color: #0d3c61; }
#video, #mediaCard { background: #111; color: #ddd; font-size: 15px; }
#mediaTitle { font-size: 16px; font-weight: 600; }
#sourceLabel { color: palette(mid); font-size: 11px; }
#backToCurrent { border-radius: 12px; padding: 4px 14px; min-height: 18px; background: palette(highlight); color: palette(highlighted-text); border: none; }
#libraryHeading { font-size: 18px; font-weight: 600; }
#importPanel { border-top: 1px solid palette(mid); }
#importPanel[state="failed"] { background: #fdecea; }
#importTitle { font-weight: 600; }
#findBar { border-top: 1px solid palette(mid); }
#emptyTranscript { color: palette(mid); padding: 30px; font-size: 14px; }
"""


def _quiet_multimedia_logs() -> None:
    # Qt Multimedia lists every optional library it could not load (PipeWire, VA-API); that is
    # noise for a user in a terminal. Real playback errors still reach the window.
    rules = "qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg*=false\nqt.multimedia.playbackengine*=false"
    os.environ["QT_LOGGING_RULES"] = ";".join(filter(None, [os.environ.get("QT_LOGGING_RULES", ""), rules.replace("\n", ";")]))


def _install_excepthook() -> None:
    """An unexpected error is logged to a file and shown in a short dialog, never as a traceback."""

    def hook(kind, value, tb):
        log = crash_log()
        try:
            with log.open("a", encoding="utf-8") as f:
                f.write("".join(traceback.format_exception(kind, value, tb)) + "\n")
        except OSError:
            pass
        from PySide6.QtWidgets import QMessageBox

        if QApplication.instance() is not None:
            QMessageBox.warning(None, "Reader", f"Something went wrong: {value}\n\nDetails were saved to {log}. Your notes are safe.")

    sys.excepthook = hook


def make_app(argv: list[str] | None = None) -> QApplication:
    _quiet_multimedia_logs()
    # Worker threads (an answer streaming in, a download) hand the interpreter back to the window
    # every millisecond instead of every five, so it never waits long to draw.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Reader")
    app.setOrganizationName("Reader")
    app.setDesktopFileName("io.github.reader.Reader")
    icon = resource("icons", "reader.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    dark = app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    style = STYLE
    if dark:
        style += "#banner { background: #4a1f1d; color: #f8d7d5; border-color: #6b2b28; } #banner[level=\"info\"] { background: #14324d; color: #d5e8fa; border-color: #1f4d75; }"
    app.setStyleSheet(style)
    return app


def run(media: Path | None = None, subs: Path | None = None, video_id: int | None = None, position_ms: int = -1) -> int:
    app = make_app()
    _install_excepthook()
    from .main_window import MainWindow

    window = MainWindow()
    window.show()
    window.start(media, subs, video_id, position_ms)
    return app.exec()
