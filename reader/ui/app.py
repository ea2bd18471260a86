"""Start the Qt application: one QApplication, Reader's look, and the main window."""

from __future__ import annotations

import os
import sqlite3
import sys
import traceback
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from reader import __version__
from reader.base.paths import crash_log
from reader.base.resources import resource
from reader.ui.appearance import apply_style, set_appearance
from reader.ui.settings import settings

APP_ID = "io.github.reader.Reader"  # shared by the .desktop file, the AppStream metainfo and the icons



def _quiet_multimedia_logs() -> None:
    # Qt Multimedia lists every optional library it could not load (PipeWire, VA-API); that is
    # noise for a user in a terminal. Real playback errors still reach the window.
    rules = "qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg*=false\nqt.multimedia.playbackengine*=false"
    os.environ["QT_LOGGING_RULES"] = ";".join(filter(None, [os.environ.get("QT_LOGGING_RULES", ""), rules.replace("\n", ";")]))


def _install_excepthook() -> None:
    """An unexpected error is logged to a file and shown in a short dialog, never as a traceback."""

    def hook(kind, value, tb):
        from reader.base.redaction import redact

        log = crash_log()
        try:
            with log.open("a", encoding="utf-8") as f:
                f.write(redact("".join(traceback.format_exception(kind, value, tb))) + "\n")
        except OSError:
            pass
        from PySide6.QtWidgets import QMessageBox

        if QApplication.instance() is None:
            return
        from reader.library.db.errors import LibraryError

        if isinstance(value, LibraryError):  # a full disk, a read-only library: its sentence says what was kept
            QMessageBox.warning(None, "Reader", str(value))
        elif isinstance(value, sqlite3.OperationalError) and "locked" in str(value):
            QMessageBox.warning(None, "Reader", "The library is busy: another Reader window or command has been writing to it "
                                "for more than 10 seconds, so what you just did was not saved. Try it again in a moment.")
        else:
            QMessageBox.warning(None, "Reader", f"Something unexpected went wrong.\n\nDetails were saved to {log}. Your notes are safe.")

    sys.excepthook = hook


def make_app(argv: list[str] | None = None) -> QApplication:
    _quiet_multimedia_logs()
    # Worker threads (an answer streaming in, a download) hand the interpreter back to the window
    # every millisecond instead of every five, so it never waits long to draw.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Reader")
    app.setOrganizationName("Reader")
    app.setDesktopFileName(APP_ID)
    app.setApplicationVersion(__version__)
    icon = resource("icons", f"{APP_ID}.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    apply_style(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_style(app))
    return app


def self_test() -> int:
    """Open the demo, play a second, and exit 0 if the video advanced (used to check a packaged build)."""
    import time

    from PySide6.QtCore import QTimer

    app = make_app()
    from reader.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.reading.open_demo()
    started = time.monotonic()
    result = {"code": 1, "why": "the demo did not play"}

    def check():
        if window.player.position() >= 1000 and window.transcript_pane.view.timeline.cues:
            result.update(code=0, why=f"played to {window.player.position()} ms with {len(window.transcript_pane.view.timeline.cues)} lines")
            app.quit()
        elif time.monotonic() - started > 30:
            app.quit()
        elif window.player.duration() > 0 and not window.player.is_playing():
            window.player.play()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(100)
    app.exec()
    window.close()
    print(f"reader self-test: {'ok' if result['code'] == 0 else 'FAILED'}: {result['why']}")
    return result["code"]


ALREADY_OPEN = "Reader is already open on this library, so its window was brought to the front."
NOT_ANSWERING = ("Reader is already open on this library but its window did not answer; wait for it (or close it) "
                 "and try again.")


def run(media: Path | None = None, subs: Path | None = None, video_id: int | None = None, position_ms: int = -1) -> int:
    app = make_app()
    _install_excepthook()
    from reader.ui import single_instance

    first = single_instance.claim(single_instance.server_name(),
                                  single_instance.request_for(media, subs, video_id, position_ms))
    if first == single_instance.TAKEN:  # one window per library: the one open shows what was asked for
        print(ALREADY_OPEN)
        return 0
    if first == single_instance.SILENT:
        print(f"reader: {NOT_ANSWERING}", file=sys.stderr)
        return 1
    from reader.ui.main_window import MainWindow

    set_appearance(settings().get("ui/appearance"))
    window = MainWindow(open_library=False)  # opened by start(), after the first frame
    window.setWindowIcon(app.windowIcon())
    window.start(media, subs, video_id, position_ms)  # shows the window
    first.requested.connect(lambda request: single_instance.take_request(window, request))
    code = app.exec()
    window.close_library()  # closed cleanly: the next start need not check the whole library
    return code
