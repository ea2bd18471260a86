"""The window's part of asking the whole library: the page, its menu item (Ctrl+Shift+A) and its wires to the controller."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from reader.library.db.errors import LibraryError
from reader.library.question_passages import Scope
from reader.ui.controllers.library_asking import LibraryAskingController
from reader.ui.settings import settings
from reader.ui.shortcuts import SHORTCUTS
from reader.ui.widgets.library_ask_page import LibraryAskPage


def wire(w) -> None:
    """Build the controller and the page on the window `w`, put the page among its pages and its item in the File menu."""
    w.library_asking = c = LibraryAskingController(lambda: w.reading.store, lambda: settings().get("claude/model"), w)
    w.library_ask_page = page = LibraryAskPage(w)
    w.pages.addWidget(page)
    spec = SHORTCUTS["ask_library"]
    action = QAction(spec.label, w)
    action.setShortcuts([QKeySequence(k) for k in spec.keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: show(w))
    for menu_action in w.menuBar().actions():
        if menu_action.menu() is not None and w.actions_by_name["review_cards"] in menu_action.menu().actions():
            menu_action.menu().insertAction(w.actions_by_name["back_to_video"], action)
    w.addAction(action)
    w.actions_by_name["ask_library"] = action
    redraw = lambda thread_id, streaming: show_thread(w, thread_id, streaming)  # noqa: E731
    wires = (
        (c.thread_changed, redraw), (c.threads_changed, page.set_threads), (c.passages_found, page.show_passages),
        (c.message, page.show_message), (c.scopes_changed, page.set_scopes),
        (c.scope_chosen, page.choose_scope),
        (page.ask_requested, c.ask), (page.find_requested, c.find_passages), (page.followup_requested, c.follow_up),
        (page.stop_requested, c.stop), (page.regenerate_requested, c.regenerate), (page.thread_requested, c.show),
        (page.threads_search_changed, c.list_threads), (page.delete_requested, c.delete_thread),
        (page.moment_requested, lambda video_id, start, end: play_moment(w, video_id, start, end)),
        (page.settings_requested, w.show_settings), (page.back_button.clicked, w.back_to_video),
        (w.events.library_changed, lambda _source=None: c.refresh() if w.pages.currentWidget() is page else None),
        (w.library_page.tags_requested, lambda video_id: edit_tags(w, video_id)),
        (w.library_page.ask_requested, lambda video_id: show(w, Scope.of_videos([video_id]))),
    )
    for signal, slot in wires:
        signal.connect(slot)


def show(w, scope: Scope | None = None) -> None:
    """The page, its scopes and threads read again, the question box ready (within `scope` when given)."""
    page = w.library_ask_page
    w.library_asking.refresh(scope)
    w.pages.setCurrentWidget(page)
    page.back_button.setVisible(w.reading.session is not None)
    w.actions_by_name["back_to_video"].setEnabled(w.reading.session is not None)
    page.question.setFocus()


def show_thread(w, thread_id, streaming: bool) -> None:
    c, page = w.library_asking, w.library_ask_page
    page.show_thread(thread_id, c.rows(thread_id), streaming)
    problem = c.problem(thread_id)
    if problem is not None:
        page.show_message(problem.message, problem.level)


def play_moment(w, video_id: int, start_ms: int, end_ms: int) -> None:
    """Open a cited or found moment's video there and play it, the lines it spans outlined."""
    if w.reading.store is None or w.reading.store.video(video_id) is None:
        w.library_ask_page.show_message("That video is no longer in the library.", "error")
        return
    w.reading.open_video(video_id, start_ms)
    if w.reading.video_id == video_id:
        w.transcript_pane.view.flash_range(start_ms, max(start_ms, end_ms))
        QTimer.singleShot(0, w.player.play)


def edit_tags(w, video_id: int) -> None:
    """Ask for an entry's tags, separated by commas, and keep them: new ones added, those taken out removed."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    store = w.reading.store
    if store is None or store.video(video_id) is None:
        return
    had = store.tags(video_id)
    text, ok = QInputDialog.getText(w, "Edit Tags", "Tags, separated by commas (they scope Ask the Library and filter the "
                                    "library):", QLineEdit.EchoMode.Normal, ", ".join(had))
    if not ok:
        return
    wanted = [t for t in (part.strip() for part in text.split(",")) if t]
    try:
        store.remove_tags(video_id, [t for t in had if t.casefold() not in {x.casefold() for x in wanted}])
        store.add_tags(video_id, wanted)
    except (ValueError, LibraryError) as exc:
        w.banner.show_message(str(exc), "error")
        return
    w.events.library_changed.emit(w.library_asking)
