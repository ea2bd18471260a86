"""Reader's look: its style sheet, and light or dark as chosen in Preferences (or as the desktop is)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from reader.base.colours import hex_of, marks

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
#selectionToolbar { background: palette(window); border: 1px solid palette(mid); border-radius: 6px; }
#selectionToolbar QToolButton { padding: 2px 5px; }
#cardQuestion { font-size: 19px; font-weight: 600; }
#cardMeta, #cardHeading, #checkStatus, #sessionProgress, #checkpointIntro { color: #5f6368; }
#cardHeading { font-weight: 600; font-size: 11px; text-transform: uppercase; }
#cardPassage { font-style: italic; }
#cardAnswer, #cardFeedback { font-size: 14px; }
QFrame#cardBar { border-top: 1px solid palette(mid); }
#rateButton[rating="again"] { color: #c5221f; }
#rateButton[rating="hard"] { color: #b06000; }
#rateButton[rating="good"] { color: #188038; }
#rateButton[rating="easy"] { color: #1a73e8; }
#rateButton[suggested="true"] { border: 2px solid palette(highlight); border-radius: 4px; background: palette(button); padding: 3px 6px; }
"""


DARK_STYLE = """
#banner { background: #4a1f1d; color: #f8d7d5; border-color: #6b2b28; }
#banner[level="info"] { background: #14324d; color: #d5e8fa; border-color: #1f4d75; }
#importPanel[state="failed"] { background: #4a1f1d; }
#cardMeta, #cardHeading, #checkStatus, #sessionProgress, #checkpointIntro { color: #9aa0a6; }
#rateButton[rating="again"] { color: #f28b82; }
#rateButton[rating="hard"] { color: #fdd663; }
#rateButton[rating="good"] { color: #81c995; }
#rateButton[rating="easy"] { color: #8ab4f8; }
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
        apply_style(app)


def apply_style(app: QApplication) -> None:
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
    app.setStyleSheet(STYLE + (DARK_STYLE if dark else "") + _transcript_style(dark))


def _transcript_style(dark: bool) -> str:
    """The transcript's selection in its own colours (reader/base/colours.py), apart from every highlight's."""
    theme = marks(dark)
    return (f"#transcriptView {{ selection-background-color: {hex_of(theme.selection)};"
            f" selection-color: {hex_of(theme.selection_text)}; }}\n")


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
