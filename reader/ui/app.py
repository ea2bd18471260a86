"""Start the Qt application: one QApplication, Reader's look, and the main window."""

from __future__ import annotations

import os
import sqlite3
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..paths import crash_log
from ..resources import resource

APP_ID = "io.github.reader.Reader"  # shared by the .desktop file, the AppStream metainfo and the icons

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
        from ..keys import redact

        log = crash_log()
        try:
            with log.open("a", encoding="utf-8") as f:
                f.write(redact("".join(traceback.format_exception(kind, value, tb))) + "\n")
        except OSError:
            pass
        from PySide6.QtWidgets import QMessageBox

        if QApplication.instance() is None:
            return
        from ..store import LibraryError

        if isinstance(value, LibraryError):  # a full disk, a read-only library: its sentence says what was kept
            QMessageBox.warning(None, "Reader", str(value))
        elif isinstance(value, sqlite3.OperationalError) and "locked" in str(value):
            QMessageBox.warning(None, "Reader", "The library is busy: another Reader window or command has been writing to it "
                                "for more than 10 seconds, so what you just did was not saved. Try it again in a moment.")
        else:
            QMessageBox.warning(None, "Reader", f"Something unexpected went wrong.\n\nDetails were saved to {log}. Your notes are safe.")

    sys.excepthook = hook


DARK_STYLE = """
#banner { background: #4a1f1d; color: #f8d7d5; border-color: #6b2b28; }
#banner[level="info"] { background: #14324d; color: #d5e8fa; border-color: #1f4d75; }
#importPanel[state="failed"] { background: #4a1f1d; }
"""


_APPEARANCE = {"value": "system"}


def set_appearance(value: str) -> None:
    """'light', 'dark', or 'system' (follow the desktop's scheme, and its changes)."""
    from PySide6.QtGui import QGuiApplication

    _APPEARANCE["value"] = value
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme({"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(value, Qt.ColorScheme.Unknown))
    app = QApplication.instance()
    if app is not None:
        _apply_style(app)


def _apply_style(app: QApplication) -> None:
    """Reader's style sheet and palette, light or dark as chosen (or as the system is)."""
    from PySide6.QtGui import QGuiApplication

    chosen = _APPEARANCE["value"]
    if chosen == "dark":
        dark = True
    elif chosen == "light":
        dark = False
    else:
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    is_dark = app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    if dark and not is_dark:
        app.setPalette(_dark_palette())  # platforms without a dark theme of their own still get one
    elif not dark and is_dark:
        app.setPalette(app.style().standardPalette())
    app.setStyleSheet(STYLE + (DARK_STYLE if dark else ""))


def _dark_palette() -> QPalette:
    from PySide6.QtGui import QColor

    p = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#17181a"), (QPalette.ColorRole.AlternateBase, "#26272a"),
        (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.Button, "#2b2c2f"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"), (QPalette.ColorRole.Highlight, "#3d7bd9"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.Link, "#8ab4f8"),
        (QPalette.ColorRole.ToolTipBase, "#2b2c2f"), (QPalette.ColorRole.ToolTipText, "#e8eaed"),
        (QPalette.ColorRole.Mid, "#5f6368"), (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
    ):
        p.setColor(role, QColor(colour))
    return p


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
    _apply_style(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: _apply_style(app))
    return app


def self_test() -> int:
    """Open the demo, play a second, and exit 0 if the video advanced (used to check a packaged build)."""
    import time

    from PySide6.QtCore import QTimer

    app = make_app()
    from .main_window import MainWindow

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


def run(media: Path | None = None, subs: Path | None = None, video_id: int | None = None, position_ms: int = -1) -> int:
    app = make_app()
    _install_excepthook()
    from .main_window import MainWindow

    from .main_window import settings

    set_appearance(str(settings().value("ui/appearance", "system")))
    window = MainWindow()
    window.setWindowIcon(app.windowIcon())
    window.show()
    window.start(media, subs, video_id, position_ms)
    return app.exec()
