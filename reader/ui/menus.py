"""The menu bar: every menu and its actions, built from the shortcut table and wired to the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from .shortcuts import SHORTCUTS
from .widgets.dialogs import about_box, shortcuts_box

__all__ = ["build_menus"]


def build_menus(w) -> dict[str, QAction]:
    """Builds File, Edit, Playback, Notes, View and Help on the window `w`; returns its actions by name."""
    actions: dict[str, QAction] = {}

    def add(name: str, slot, menu) -> QAction:
        spec = SHORTCUTS[name]
        action = QAction(spec.label, w)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        actions[name] = action
        return action

    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    add("library", w.show_library, file_menu)
    add("import", lambda: w.import_dialog(""), file_menu)
    add("paste_link", w.paste_link, file_menu)
    add("review", w.show_review, file_menu)
    add("back_to_video", w.back_to_video, file_menu).setEnabled(False)
    file_menu.addSeparator()
    add("open", w.open_dialog, file_menu)
    add("open_subs", w.open_subtitles_dialog, file_menu)
    add("open_demo", w.reading.open_demo, file_menu)
    file_menu.addSeparator()
    export_menu = file_menu.addMenu("&Export")
    w.export_timestamps = QAction("Markdown with Time Links", w, checkable=True, checked=True)
    w.export_transcript = QAction("Markdown with the Full Transcript", w, checkable=True, checked=False)
    export_menu.addAction(w.export_timestamps)
    export_menu.addAction(w.export_transcript)
    export_menu.addSeparator()
    for label, fn in (("This Video as Markdown…", lambda: w.export_dialog("md", True)),
                      ("Whole Library as Markdown…", lambda: w.export_dialog("md", False)),
                      ("Anki Deck of This Video…", lambda: w.export_dialog("anki", True)),
                      ("Anki Deck of the Library…", lambda: w.export_dialog("anki", False)),
                      ("Backup of the Library (JSON)…", lambda: w.export_dialog("json", False))):
        export_menu.addAction(label, fn)
    file_menu.addAction("Restore from Backup…", w.restore_dialog)
    file_menu.addSeparator()
    add("quit", w.close, file_menu)

    edit = bar.addMenu("&Edit")  # where desktop apps keep Undo and Preferences
    # on the Review page, Undo brings back the card deleted there; elsewhere the highlight
    add("undo_delete", lambda: w.carding.undo() if w.pages.currentWidget() is w.review_page and w.carding.can_undo()
        else w.notes.undo(), edit)
    edit.addSeparator()
    add("settings", w.show_settings, edit)

    play = bar.addMenu("&Playback")
    add("play", w.player.toggle, play)
    play.addSeparator()
    for name, delta in (("back10", -10_000), ("fwd10", 10_000), ("back5", -5_000), ("fwd5", 5_000)):
        add(name, lambda _=False, d=delta: w.skip(d), play)
    for name, step in (("prev_chapter", -1), ("next_chapter", 1)):
        add(name, lambda _=False, s=step: (t := w.reading.chapter_target(s)) is not None and w.seek(t), play)
    play.addSeparator()
    add("slower", lambda: w.player.step_rate(-1), play)
    add("faster", lambda: w.player.step_rate(1), play)
    add("mute", lambda: w.player.set_muted(not w.player.is_muted()), play)

    notes_menu = bar.addMenu("&Notes")
    add("highlight", lambda: w.highlight_selection("yellow"), notes_menu)
    add("note", w.note_on_selection, notes_menu)
    add("explain", w.explain_selection, notes_menu)
    add("ask", w.ask_about_selection, notes_menu)
    notes_menu.addSeparator()
    add("make_card", w.make_card, notes_menu)
    suggest = notes_menu.addMenu("&Suggest Cards with Claude")
    for name, scope in (("suggest_highlight", "highlight"), ("suggest_chapter", "chapter"), ("suggest_video", "video")):
        add(name, lambda _=False, s=scope: w.make_card(s), suggest)

    view = bar.addMenu("&View")
    add("find", w.transcript_pane.open_find, view)
    add("follow", w.transcript_pane.view.resume_follow, view)
    add("fullscreen", w.toggle_full_screen, view)
    # Esc leaves full screen; it is enabled only then, so Esc still closes the find bar.
    leave = add("leave_fullscreen", w.leave_full_screen, view)
    view.removeAction(leave)
    w.addAction(leave)
    leave.setEnabled(False)

    help_menu = bar.addMenu("&Help")
    add("shortcuts", lambda: shortcuts_box(w).exec(), help_menu)
    about = QAction("About Reader", w)
    about.triggered.connect(lambda: about_box(w).exec())
    help_menu.addAction(about)
    return actions
