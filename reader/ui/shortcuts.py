"""Every keyboard shortcut in one table: the menus are built from it and Help lists it."""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    label: str
    keys: tuple[str, ...]


SHORTCUTS: dict[str, Shortcut] = {
    "library": Shortcut("&Library", ("Ctrl+L",)),
    "import": Shortcut("&Import from URL…", ("Ctrl+I",)),
    "review": Shortcut("&Review Notes and Answers", ("Ctrl+R",)),
    "back_to_video": Shortcut("&Back to the Video", ("Alt+Left", "Esc")),
    "paste_link": Shortcut("Import the Link on the Clipboard", ("Ctrl+Shift+V",)),
    "open": Shortcut("&Open…", ("Ctrl+O",)),
    "open_subs": Shortcut("Open &Subtitles…", ("Ctrl+Shift+O",)),
    "open_demo": Shortcut("Open the &Demo", ()),
    "quit": Shortcut("&Quit", ("Ctrl+Q",)),
    "play": Shortcut("&Play / Pause", ("Space", "K", "Media Play")),
    "back10": Shortcut("Back 10 seconds", ("J",)),
    "fwd10": Shortcut("Forward 10 seconds", ("L",)),
    "back5": Shortcut("Back 5 seconds", ("Left",)),
    "fwd5": Shortcut("Forward 5 seconds", ("Right",)),
    "prev_chapter": Shortcut("Previous Chapter", ("Ctrl+Left",)),
    "next_chapter": Shortcut("Next Chapter", ("Ctrl+Right",)),
    "slower": Shortcut("Slower", ("Shift+<", "<")),
    "faster": Shortcut("Faster", ("Shift+>", ">")),
    "mute": Shortcut("&Mute", ("M",)),
    "highlight": Shortcut("&Highlight Selection", ("H",)),
    "note": Shortcut("Add &Note to Selection", ("N",)),
    "explain": Shortcut("&Explain Selection", ("E",)),
    "ask": Shortcut("&Ask Claude about Selection…", ("A",)),
    "undo_delete": Shortcut("&Undo Delete", ("Ctrl+Z",)),
    "settings": Shortcut("&Preferences…", ("Ctrl+,",)),
    "find": Shortcut("&Find in Transcript…", ("Ctrl+F",)),
    "follow": Shortcut("Back to &Current Line", ("Ctrl+J",)),
    "fullscreen": Shortcut("&Full Screen", ("F", "F11")),
    "leave_fullscreen": Shortcut("Leave Full Screen", ("Esc",)),
    "shortcuts": Shortcut("&Keyboard Shortcuts", ("F1",)),
}


def shortcuts_html() -> str:
    rows = []
    for spec in SHORTCUTS.values():
        if not spec.keys:
            continue
        keys = ", ".join(k for k in spec.keys if k != "<" and k != ">")
        rows.append(f"<tr><td>{html.escape(spec.label.replace('&', '').rstrip('…'))}</td><td><b>{html.escape(keys)}</b></td></tr>")
    rows.append("<tr><td>Seek to a paragraph</td><td><b>Click its time</b></td></tr>")
    rows.append("<tr><td>Seek to a line</td><td><b>Double-click it</b></td></tr>")
    rows.append("<tr><td>Next / previous match</td><td><b>Enter / Shift+Enter</b></td></tr>")
    return "<table cellspacing='6'>" + "".join(rows) + "</table>"
