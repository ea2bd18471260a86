"""The menu bar: every menu and its actions, built from the shortcut table and wired to the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication

from reader.ui.key_focus import KeepKeysInBoxes
from reader.ui.shortcuts import PAUSED_WHILE_REVIEWING, REVIEW_KEYS, SHORTCUTS
from reader.ui.transcribe_window import ask
from reader.ui.widgets.dialogs import about_box, shortcuts_box
from reader.ui.widgets.transcript_view import LINE_WIDTH_LABELS, TranscriptView

__all__ = ["build_menus", "review_keys", "show_due_count", "undo_state"]


def build_menus(w) -> dict[str, QAction]:
    """Builds File, Edit, Playback, Notes, View and Help on the window `w`; returns its actions by name."""
    actions: dict[str, QAction] = {}

    def add(name: str, slot, menu) -> QAction:
        spec = SHORTCUTS[name]
        action = QAction(spec.label, w)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        w.addAction(action)  # its keys work with the menu bar hidden (full screen), and without a menu at all
        actions[name] = action
        return action

    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    add("library", w.show_library, file_menu)
    add("import", lambda: w.import_dialog(""), file_menu)
    add("paste_link", w.paste_link, file_menu)
    add("review", w.show_review, file_menu)
    add("review_cards", w.show_review_cards, file_menu)
    add("back_to_video", w.back_to_video, file_menu).setEnabled(False)
    file_menu.addSeparator()
    add("open", w.open_dialog, file_menu)
    add("open_subs", w.open_subtitles_dialog, file_menu)
    add("transcribe", lambda: ask(w), file_menu)
    add("retranscribe", lambda: ask(w, stretch=True), file_menu)
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
    for signal in (w.notes.undo_offered, w.notes.undo_taken, w.carding.undo_offered, w.carding.undo_taken, w.pages.currentChanged):
        signal.connect(lambda *_: undo_state(w))
    actions["undo_delete"].setEnabled(False)  # nothing deleted yet
    edit.addSeparator()
    add("settings", w.show_settings, edit)

    play = bar.addMenu("&Playback")
    add("play", lambda _=False: w.early_play.toggle_play(), play)  # an entry whose video downloads: Play Now
    play.addSeparator()
    for name, delta in (("back10", -10_000), ("fwd10", 10_000), ("back5", -5_000), ("fwd5", 5_000)):
        add(name, lambda _=False, d=delta: w.skip(d), play)
    for name, step in (("prev_chapter", -1), ("next_chapter", 1)):
        add(name, lambda _=False, s=step: (t := w.reading.chapter_target(s)) is not None and w.seek(t), play)
    play.addSeparator()
    for name, step in (("prev_line", -1), ("next_line", 1)):
        add(name, lambda _=False, s=step: (t := w.lines.line_start(s)) is not None and w.seek(t), play)
    add("repeat_line", lambda: (t := w.lines.line_start(0)) is not None and (w.seek(t), w.player.play()), play)
    each_line = add("pause_each_line", lambda on: w.lines.set_pause_each_line(on), play)
    each_line.setCheckable(True)
    each_line.setChecked(w.lines.pause_each_line)
    w.lines.pause_each_line_changed.connect(each_line.setChecked)
    # Up and Down are the line keys, except in a box that scrolls or steps with them (the notes, a list)
    QApplication.instance().installEventFilter(KeepKeysInBoxes(TranscriptView, w))
    play.addSeparator()
    add("slower", lambda: w.player.step_rate(-1), play)
    add("faster", lambda: w.player.step_rate(1), play)
    add("mute", lambda: w.player.set_muted(not w.player.is_muted()), play)

    notes_menu = bar.addMenu("&Notes")
    transcript = w.transcript_pane.view  # H with nothing selected saves the line being spoken, as S does
    add("highlight", lambda: w.highlight_selection("yellow") if transcript.textCursor().hasSelection() else w.lines.capture(), notes_menu)
    add("note", w.note_on_selection, notes_menu)
    add("explain", w.explain_selection, notes_menu)
    add("ask", w.ask_about_selection, notes_menu)
    notes_menu.addSeparator()
    add("save_line", w.lines.capture, notes_menu)
    add("make_card", w.make_card, notes_menu)
    suggest = notes_menu.addMenu("&Suggest Cards with Claude")
    for name, scope in (("suggest_highlight", "highlight"), ("suggest_chapter", "chapter"), ("suggest_video", "video")):
        add(name, lambda _=False, s=scope: w.make_card(s), suggest)

    view = bar.addMenu("&View")
    add("find", w.transcript_pane.open_find, view)
    add("follow", w.transcript_pane.view.resume_follow, view)
    captions = add("captions", w.captions.set_enabled, view)  # checked and unchecked as the controller announces
    captions.setCheckable(True)
    view.addSeparator()
    for name, step in (("text_larger", 1), ("text_smaller", -1), ("text_normal", 0)):
        add(name, lambda _=False, s=step: transcript.step_text_size(s), view)
    widths = view.addMenu("Line &Width")
    group = QActionGroup(w)
    for name, label in LINE_WIDTH_LABELS.items():
        action = group.addAction(QAction(label, w, checkable=True, checked=name == transcript.line_width()))
        action.triggered.connect(lambda _=False, n=name: transcript.set_line_width(n))
        widths.addAction(action)
        actions[f"width_{name}"] = action
    transcript.line_width_changed.connect(lambda n: actions[f"width_{n}"].setChecked(True))
    view.addSeparator()
    modes = QActionGroup(w)  # the layouts: one is checked, T and the others go back to all panes when chosen again
    for mode in ("normal", "theatre", "reading"):
        action = add(f"layout_{mode}", lambda _=False, m=mode: w.layouts.toggle_mode(m), view)
        action.setCheckable(True)
        modes.addAction(action)
    add("fullscreen", w.layouts.toggle_full_screen, view)
    # Esc leaves full screen; it is enabled only then, so Esc still closes the find bar.
    leave = add("leave_fullscreen", w.layouts.leave_full_screen, view)
    view.removeAction(leave)
    w.addAction(leave)
    leave.setEnabled(False)

    card = w.review_session.card  # the session page's keys, enabled by review_keys
    add("reveal", card.request_reveal, None)
    add("check_answer", card.request_check, None)
    for number, name in enumerate(("rate_again", "rate_hard", "rate_good", "rate_easy"), 1):
        add(name, lambda _=False, n=number: card.request_rate(n), None)
    for name in ("reveal", "check_answer", "rate_again", "rate_hard", "rate_good", "rate_easy"):
        actions[name].setEnabled(False)  # until the session page shows (review_keys)

    help_menu = bar.addMenu("&Help")
    add("shortcuts", lambda: shortcuts_box(w).exec(), help_menu)
    about = QAction("About Reader", w)
    about.triggered.connect(lambda: about_box(w).exec())
    help_menu.addAction(about)
    return actions


def review_keys(w) -> None:
    """The keys for the stage of the review session's card ("front", "back", "" for none) while its page is
    shown: then the single keys that act on the video (Space, K, J, L, H…) are off, so a key never means two
    things and never reaches the hidden player. Elsewhere the reviewing keys are off and those are on."""
    actions = w.actions_by_name
    stage = w.review_session.card.stage if w.pages.currentWidget() is w.review_session else None
    for name, spec in SHORTCUTS.items():
        if spec.group in PAUSED_WHILE_REVIEWING and name in actions:
            actions[name].setEnabled(stage is None)
    for name in {n for names in REVIEW_KEYS.values() for n in names}:
        actions[name].setEnabled(stage is not None and name in REVIEW_KEYS.get(stage, ()))
    if stage is None:
        undo_state(w)  # enabled only with something to bring back


def undo_state(w) -> None:
    """Edit ▸ Undo Delete is enabled only with something to bring back: on the Review page a card deleted
    there (else a highlight), elsewhere a highlight."""
    if w.pages.currentWidget() is w.review_session:
        return  # the review session's keys decide (review_keys)
    on_review = w.pages.currentWidget() is w.review_page and w.carding.can_undo()
    w.actions_by_name["undo_delete"].setEnabled(on_review or bool(w.notes.undo_stack))


def show_due_count(w, count: int) -> None:
    """How many cards are due, in File ▸ Review Cards and on the library's header."""
    w.actions_by_name["review_cards"].setText(SHORTCUTS["review_cards"].label.rstrip("…") + (f" ({count:,} due)…" if count else "…"))
    w.library_page.due_button.setText(f"{count:,} card{'s' * (count != 1)} due")
    w.library_page.due_button.setVisible(count > 0)
