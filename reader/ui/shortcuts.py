"""Every keyboard shortcut in one table: the menus are built from it and Help lists it."""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    label: str
    keys: tuple[str, ...]
    group: str  # the task it belongs to in Help ▸ Keyboard Shortcuts: one of GROUPS


GROUPS = ("Watching", "Reading", "Taking notes", "Reviewing cards", "The window", "Library and files")


SHORTCUTS: dict[str, Shortcut] = {
    "library": Shortcut("&Library", ("Ctrl+L",), "Library and files"),
    "import": Shortcut("&Import from URL…", ("Ctrl+I",), "Library and files"),
    "review": Shortcut("&Review Notes and Answers", ("Ctrl+R",), "Library and files"),
    "review_cards": Shortcut("Review &Cards…", ("Ctrl+Shift+R",), "Library and files"),
    "ask_library": Shortcut("&Ask the Library…", ("Ctrl+Shift+A",), "Library and files"),
    "back_to_video": Shortcut("&Back to the Video", ("Alt+Left", "Esc"), "The window"),
    "paste_link": Shortcut("Import the Link on the Clipboard", ("Ctrl+Shift+V",), "Library and files"),
    "open": Shortcut("&Open…", ("Ctrl+O",), "Library and files"),
    "open_subs": Shortcut("Open &Subtitles…", ("Ctrl+Shift+O",), "Library and files"),
    "transcribe": Shortcut("&Transcribe…", ("Ctrl+Shift+T",), "Library and files"),
    "retranscribe": Shortcut("Transcribe the Selection &Again…", (), "Library and files"),
    "download_video": Shortcut("&Download the Video", (), "Library and files"),
    "open_demo": Shortcut("Open the &Demo", (), "Library and files"),
    "quit": Shortcut("&Quit", ("Ctrl+Q",), "Library and files"),
    "play": Shortcut("&Play / Pause", ("Space", "K", "Media Play"), "Watching"),
    "back10": Shortcut("Back 10 seconds", ("J",), "Watching"),
    "fwd10": Shortcut("Forward 10 seconds", ("L",), "Watching"),
    "back5": Shortcut("Back 5 seconds", ("Left",), "Watching"),
    "fwd5": Shortcut("Forward 5 seconds", ("Right",), "Watching"),
    "prev_chapter": Shortcut("Previous Chapter", ("Ctrl+Left",), "Watching"),
    "next_chapter": Shortcut("Next Chapter", ("Ctrl+Right",), "Watching"),
    "slower": Shortcut("Slower", ("Shift+<", "<"), "Watching"),
    "faster": Shortcut("Faster", ("Shift+>", ">"), "Watching"),
    "mute": Shortcut("&Mute", ("M",), "Watching"),
    "captions": Shortcut("&Captions on Video", ("C",), "Watching"),
    "prev_line": Shortcut("Previous &Line", ("Up", "Shift+Left"), "Watching"),
    "next_line": Shortcut("Next L&ine", ("Down", "Shift+Right"), "Watching"),
    "repeat_line": Shortcut("&Repeat This Line", ("R",), "Watching"),
    "pause_each_line": Shortcut("Pause at the &End of Each Line", ("P",), "Watching"),
    "highlight": Shortcut("&Highlight Selection", ("H",), "Taking notes"),
    "note": Shortcut("Add &Note to Selection", ("N",), "Taking notes"),
    "explain": Shortcut("&Explain Selection", ("E",), "Taking notes"),
    "ask": Shortcut("&Ask Claude about Selection…", ("A",), "Taking notes"),
    "save_line": Shortcut("&Save the Current Line", ("S",), "Taking notes"),
    "make_card": Shortcut("Make a &Card…", ("Q",), "Taking notes"),
    "suggest_highlight": Shortcut("Suggest Cards for the Highlight…", (), "Taking notes"),
    "suggest_chapter": Shortcut("Suggest Cards for This Chapter…", (), "Taking notes"),
    "suggest_video": Shortcut("Suggest Cards for the Whole Video…", (), "Taking notes"),
    "undo_delete": Shortcut("&Undo Delete", ("Ctrl+Z",), "Taking notes"),
    # Reviewing cards: enabled only on the session page (and in a checkpoint's dialog), where the Watching,
    # Reading and Taking notes keys are not; Ctrl+Return shows the answer, and once it shows, checks it.
    "reveal": Shortcut("Show the Answer", ("Space", "Ctrl+Return", "Ctrl+Enter"), "Reviewing cards"),
    "check_answer": Shortcut("Check My Answer with Claude", ("Ctrl+Return", "Ctrl+Enter"), "Reviewing cards"),
    "rate_again": Shortcut("Again (forgot)", ("1",), "Reviewing cards"),
    "rate_hard": Shortcut("Hard", ("2",), "Reviewing cards"),
    "rate_good": Shortcut("Good", ("3",), "Reviewing cards"),
    "rate_easy": Shortcut("Easy", ("4",), "Reviewing cards"),
    "settings": Shortcut("&Preferences…", ("Ctrl+,",), "The window"),
    "find": Shortcut("&Find in Transcript…", ("Ctrl+F",), "Reading"),
    "follow": Shortcut("Back to &Current Line", ("Ctrl+J",), "Reading"),
    "text_larger": Shortcut("&Larger Text", ("Ctrl+=", "Ctrl++"), "Reading"),
    "text_smaller": Shortcut("&Smaller Text", ("Ctrl+-",), "Reading"),
    "text_normal": Shortcut("&Normal Text Size", ("Ctrl+0",), "Reading"),
    "layout_normal": Shortcut("All &Panes", ("Ctrl+1",), "The window"),
    "layout_theatre": Shortcut("&Theatre (Only the Video)", ("T", "Ctrl+2"), "The window"),
    "layout_reading": Shortcut("&Reading Only (No Video)", ("Ctrl+3",), "The window"),
    "fullscreen": Shortcut("&Full Screen", ("F", "F11"), "The window"),
    "leave_fullscreen": Shortcut("Leave Full Screen", ("Esc",), "The window"),
    "shortcuts": Shortcut("&Keyboard Shortcuts", ("F1",), "The window"),
}


EXTRA = {  # what is done with the mouse or inside a box, listed with the keys
    "Reading": (("Seek to a paragraph", "Click its time"), ("Seek to a line", "Double-click it"),
                ("When a line is spoken", "Hover over it"), ("Larger / smaller text", "Ctrl+wheel"),
                ("Next / previous match", "Enter / Shift+Enter")),
    "Taking notes": (("Add the line before to it", "S again within 2 s"), ("Clear the selection", "Esc")),
    "Reviewing cards": (("Play the passage, or a cited moment", "Play clip, or click a [m:ss] link"),),
}

REVIEW_KEYS = {  # the reviewing actions each stage of a card enables; "" is any other moment
    "front": ("reveal",), "back": ("check_answer", "rate_again", "rate_hard", "rate_good", "rate_easy"), "": (),
}
PAUSED_WHILE_REVIEWING = ("Watching", "Reading", "Taking notes")  # their keys would act on the hidden video


def shortcuts_html() -> str:
    """Help ▸ Keyboard Shortcuts: the table, grouped by task in the order of GROUPS, in two columns of about
    the same height (the groups kept whole and in order), so that it fits a window 700 px high."""
    groups = []
    for group in GROUPS:
        rows = [(spec.label.replace("&", "").rstrip("…"), ", ".join(k for k in spec.keys if k not in ("<", ">")))
                for spec in SHORTCUTS.values() if spec.group == group and spec.keys]
        rows.extend(EXTRA.get(group, ()))
        if rows:
            groups.append((group, rows))
    heights = [len(rows) + 2 for _group, rows in groups]  # a heading counts as two rows
    split = min(range(len(groups) + 1), key=lambda n: max(sum(heights[:n]), sum(heights[n:])))
    cells = []
    for column in (groups[:split], groups[split:]):
        parts = []
        for group, rows in column:
            parts.append(f"<tr><td colspan='2'><h4 style='margin:6px 0 0 0'>{html.escape(group)}</h4></td></tr>")
            parts.extend(f"<tr><td>{html.escape(label)}</td><td><b>{html.escape(keys)}</b></td></tr>" for label, keys in rows)
        cells.append(f"<td valign='top'><table cellspacing='1'>{''.join(parts)}</table></td>")
    return f"<table cellspacing='12'><tr>{''.join(cells)}</tr></table>"
