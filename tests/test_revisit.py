"""The core loop as a user walks it: open a video, go elsewhere, come back, restart; nothing looks lost."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from conftest import new_window


@pytest.fixture
def window(qtbot):
    w = new_window(qtbot, 1300, 760)
    yield w
    w.player.pause()
    w.close()


def formats(view) -> list[tuple]:
    """Every run of text in the transcript with how it is drawn: weight, size, colour, underline."""
    runs, block = [], view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            f = frag.charFormat()
            runs.append((frag.text(), f.fontWeight(), round(f.fontPointSize(), 2), f.foreground().color().name(),
                         f.fontUnderline(), f.isAnchor()))
            it += 1
        block = block.next()
    return runs


def click_at(qtbot, view, pos: int) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(pos + 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())


def test_a_click_on_a_time_or_a_speaker_does_not_restyle_the_transcript_when_it_opens_again(window, qtbot, clip_dir, transcript_file):
    window.reading.open_paths(clip_dir / "talk.mp4")
    a = window.session.video_id
    view = window.transcript_pane.view
    first = formats(view)
    assert any(r[1] >= 700 for r in first) and any(r[0].startswith("0:0") for r in first)  # a speaker and times styled
    for start, _length in view._layout.speakers[:1]:
        click_at(qtbot, view, start)  # the speaker's name: the cursor takes on its bold
    click_at(qtbot, view, view._stamps[1][0])  # a time: the cursor takes on its small link colour
    assert view.textCursor().charFormat().foreground().color().name() != first[-1][3]
    window.reading.open_paths(None, transcript_file)  # another entry
    assert window.session.video_id != a
    window.reading.open_video(a)
    assert formats(view) == first


def started(qtbot):
    """A window as `reader` makes it: the library left to start(), opened after the first frame."""
    from reader.ui.main_window import MainWindow

    w = MainWindow(open_library=False)
    qtbot.addWidget(w)
    w.resize(1300, 760)
    w.show()
    qtbot.waitExposed(w)
    w.start()
    return w


def due_card(store, video_id, question="Who opens?", hours_ago=2) -> int:
    from datetime import timedelta

    from reader import cards, scheduling

    return cards.make_card(store, video_id, question, "Ada", 0, 1000, now=scheduling.utc_now() - timedelta(hours=hours_ago))


@pytest.mark.parametrize("last", ["clip", "library"])
def test_restarting_with_a_card_due_shows_the_count_as_soon_as_the_library_is_open(qtbot, clip_dir, last):
    from conftest import add_video
    from reader.store import Store

    vid = add_video()
    store = Store()
    due_card(store, vid)
    store.close()
    if last == "clip":  # the last video is loaded before the library opens (the first frame first)
        first = new_window(qtbot)
        first.reading.open_paths(clip_dir / "talk.mp4")
        first.close()
    w = started(qtbot)
    qtbot.waitUntil(lambda: w.store is not None, timeout=10_000)
    qtbot.waitUntil(lambda: w.session is not None or w.pages.currentWidget() is w.library_page, timeout=10_000)
    assert w.due.count == 1
    assert w.library_page.due_button.text() == "1 card due" and not w.library_page.due_button.isHidden()
    assert "(1 due)" in w.actions_by_name["review_cards"].text()
    w.player.pause()
    w.close()


def test_the_due_count_follows_ratings_edits_restores_and_imports(window, qtbot, tmp_path, transcript_file, clip_dir):
    import json

    from conftest import talk_transcript
    from reader.backup import backup
    from reader.store import Store, VideoRecord

    window.reading.open_paths(None, transcript_file)
    vid = window.session.video_id
    ids = [due_card(window.store, vid, f"Question {i}?") for i in range(3)]
    window.carding.set_status(ids[0], "suspended")  # an edit in the Review page
    assert window.due.count == 2 and "(2 due)" in window.actions_by_name["review_cards"].text()
    window.show_review_cards()
    qtbot.waitUntil(lambda: window.review_session.card.stage == "front", timeout=5_000)
    window.review_session.card.request_reveal()
    window.review_session.card.request_rate(3)  # a rating
    assert window.due.count == 1 and window.library_page.due_button.text() == "1 card due"
    other = Store(tmp_path / "other.db")  # a backup from another library, with a card due
    oid = other.add_video(VideoRecord("test", "other", "Other talk"), talk_transcript())
    due_card(other, oid, "From the backup?")
    (tmp_path / "backup.json").write_text(json.dumps(backup(other)), encoding="utf-8")
    other.close()
    assert window.file_jobs.restore(tmp_path / "backup.json")
    qtbot.waitUntil(lambda: window.due.count == 2, timeout=10_000)  # a restore
    assert window.library_page.due_button.text() == "2 cards due"
    due_card(window.store, vid, "Made by another Reader?")  # (`reader cards add` meanwhile)
    window.reading.open_paths(clip_dir / "talk.mp4")  # an import (in place)
    assert window.due.count == 3 and "(3 due)" in window.actions_by_name["review_cards"].text()
