"""Reading and capturing in the window, from the keyboard: line keys, pausing at line ends, saving the spoken line, text size."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from conftest import new_window, select

NEXT_LINE_STARTS = [500, 2000, 3500, 5000]  # CLIP_VTT's lines


@pytest.fixture
def window(qtbot, clip_dir):
    w = new_window(qtbot, 1300, 760)
    w.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)
    w.transcript_pane.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5_000)  # window shortcuts need it active
    yield w
    w.player.pause()
    w.close()


def test_up_down_and_shift_arrows_go_line_by_line(window, qtbot):
    view = window.transcript_pane.view
    seen = []
    for key, modifier in ((Qt.Key.Key_Down, None), (Qt.Key.Key_Down, None), (Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier),
                          (Qt.Key.Key_Up, None), (Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)):
        qtbot.keyClick(view, key, modifier or Qt.KeyboardModifier.NoModifier)
        seen.append((window.player.position(), view.current_cue()))
    assert seen == [(500, 0), (2000, 1), (3500, 2), (2000, 1), (500, 0)]
    assert view.following


def test_up_and_down_stay_with_a_box_that_uses_them(window, qtbot):
    window.seek(2000)
    select(window.transcript_pane.view, 1, 1)
    window.note_on_selection()  # the note box has the focus now
    note = window.notes_pane.note
    assert note.hasFocus()
    qtbot.keyClicks(note, "one")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    qtbot.keyClicks(note, "two")
    qtbot.keyClick(note, Qt.Key.Key_Up)
    assert window.player.position() == 2000 and note.textCursor().blockNumber() == 0  # the note's cursor moved, not the video
    window.transcript_pane.open_find()
    qtbot.keyClick(window.transcript_pane.find_bar.edit, Qt.Key.Key_Down)
    assert window.player.position() == 2000


def test_r_repeats_the_line_and_p_pauses_at_its_end(window, qtbot):
    from reader.ui.settings import settings

    pause_each = window.actions_by_name["pause_each_line"]
    assert pause_each.isCheckable() and not pause_each.isChecked()
    view = window.transcript_pane.view
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert pause_each.isChecked() and window.lines.pause_each_line and settings().get("playback/pause_each_line")
    window.seek(2600)
    qtbot.keyClick(view, Qt.Key.Key_R)  # back to the start of "Second line, still Ada." (2.0–3.5 s), playing
    assert window.player.position() == 2000
    qtbot.waitUntil(window.player.is_playing, timeout=5_000)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=10_000)  # paused by itself at the line's end
    assert 3400 <= window.player.position() < 3800  # (the player reports where the sound is, a little behind)
    qtbot.keyClick(view, Qt.Key.Key_Space)  # play goes on, to the next line's end
    qtbot.waitUntil(lambda: window.player.position() > 4000, timeout=10_000)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=10_000)
    assert 4900 <= window.player.position() < 5300
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert not pause_each.isChecked() and not settings().get("playback/pause_each_line")


def test_s_saves_the_spoken_line_and_h_does_too_with_nothing_selected(window, qtbot):
    view, pane = window.transcript_pane.view, window.notes_pane
    window.seek(3600)
    qtbot.keyClick(view, Qt.Key.Key_S)
    rows = window.store.highlights(window.session.video_id)
    assert [r["text"] for r in rows] == ["Ben answers with a third line."]
    assert pane.list.count() == 1 and view._marks and view.hasFocus()  # shown at once; the keys stay with the transcript
    qtbot.keyClick(view, Qt.Key.Key_S)  # again at once: the line before joins it
    assert [r["text"] for r in window.store.highlights(window.session.video_id)] == [
        "Second line, still Ada. Ben answers with a third line."]
    window.lines._capture = None  # as if some seconds had passed
    window.seek(600)
    qtbot.keyClick(view, Qt.Key.Key_H)
    assert [r["text"] for r in window.store.highlights(window.session.video_id)][0] == "First line from Ada."
    assert not window.banner.isVisible()


def test_text_size_and_line_width_from_the_view_menu_are_remembered(qtbot, transcript_file):
    first = new_window(qtbot, 1300, 760)
    first.reading.open_paths(None, transcript_file)
    view = first.transcript_pane.view
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is first, timeout=5_000)  # window shortcuts need it active
    qtbot.keyClick(first, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(first, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(first, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.text_size() == 110
    first.actions_by_name["width_narrow"].trigger()
    assert view.line_width() == "narrow"
    first.close()
    again = new_window(qtbot, 1300, 760)
    view = again.transcript_pane.view
    assert view.text_size() == 110 and view.line_width() == "narrow" and again.actions_by_name["width_narrow"].isChecked()
    again.reading.open_paths(None, transcript_file)
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again, timeout=5_000)
    qtbot.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.text_size() == 100
    menus = {a.text().replace("&", ""): a.menu() for a in again.menuBar().actions()}
    labels = [a.text().replace("&", "") for a in menus["View"].actions()]
    assert {"Larger Text", "Smaller Text", "Normal Text Size", "Line Width"} <= set(labels)
    again.close()


def test_the_toolbar_s_note_button_makes_a_highlight_and_opens_its_note(window, qtbot):
    view = window.transcript_pane.view
    select(view, 2, 2)
    assert view.toolbar.isVisible()
    qtbot.mouseClick(view.toolbar.buttons["note"], Qt.MouseButton.LeftButton)
    assert [r["text"] for r in window.store.highlights(window.session.video_id)] == ["Ben answers with a third line."]
    assert window.notes_pane.note.hasFocus() and not view.toolbar.isVisible()
