"""The window's rough edges a new user met (issue 19): the selection toolbar's card button, Undo Delete's state."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from conftest import select


@pytest.fixture
def window(talk_window):
    return talk_window


def test_the_selection_toolbar_makes_a_card_and_names_its_key(window, qtbot):
    view = window.transcript_pane.view
    select(view, 2, 2)
    qtbot.waitUntil(view.toolbar.isVisible, timeout=3_000)
    button = view.toolbar.buttons["make_card"]
    assert button.text() == "Card" and button.toolTip().endswith("(Q)")
    with qtbot.waitSignal(window.carding.draft_ready, timeout=3_000) as drafted:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert (drafted.args[0].start_ms, drafted.args[0].end_ms) == (3500, 5000)
    assert [r["text"] for r in window.store.highlights(window.session.video_id)] == ["Ben answers with a third line."]
    window.card_dialog.reject()


def test_undo_delete_is_enabled_only_with_something_to_undo(window, qtbot):
    undo = window.actions_by_name["undo_delete"]
    assert not undo.isEnabled()
    select(window.transcript_pane.view, 1, 1)
    window.highlight_selection()
    assert not undo.isEnabled()
    window.notes.delete(window.notes.rows[0]["id"])
    assert undo.isEnabled()
    undo.trigger()
    assert not undo.isEnabled() and len(window.notes.rows) == 1
    window.show_review()  # on the Review page it brings back a card deleted there
    assert not undo.isEnabled()


def test_the_cards_due_button_follows_the_library_s_heading(window, qtbot):
    """Was between "‹ Back to the video" and the heading, where it read as neither."""
    page = window.library_page
    window.due.changed.emit(2)
    window.show_library()
    qtbot.waitUntil(page.due_button.isVisible, timeout=3_000)
    heading = page.findChild(QLabel, "libraryHeading")
    assert page.back_button.isVisible() and page.due_button.text() == "2 cards due"
    assert page.back_button.geometry().right() < heading.geometry().left() < page.due_button.geometry().left()
    assert page.due_button.geometry().right() < page.search.geometry().left()


@pytest.mark.parametrize("width", [800, 1024, 1600])
def test_the_chapter_box_shows_the_chapter_whole_or_ends_it_in_an_ellipsis(qtbot, width):
    """Was cut off mid-word at 1024 px (the Sync box beside it took the room)."""
    from conftest import new_window

    w = new_window(qtbot, width, 700)
    w.reading.open_demo()
    box = w.transcript_pane.chapters
    qtbot.waitUntil(lambda: box.isVisible() and bool(box.currentText()), timeout=5_000)
    QApplication.processEvents()
    shown = box.shown_text()
    if width >= 1024:
        assert shown == box.currentText() == "0:00  Why read along"  # in a row of its own if need be
    else:
        assert shown == box.currentText() or shown.endswith("…") and box.currentText().startswith(shown[:-1])
    assert box.currentText() in box.toolTip()
    w.close()
