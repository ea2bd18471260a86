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

    from reader.cards import making as cards, scheduling

    return cards.make_card(store, video_id, question, "Ada", 0, 1000, now=scheduling.utc_now() - timedelta(hours=hours_ago))


@pytest.mark.parametrize("last", ["clip", "library"])
def test_restarting_with_a_card_due_shows_the_count_as_soon_as_the_library_is_open(qtbot, clip_dir, last):
    from reader.library.db.store import Store

    from conftest import add_video

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

    from reader.exchange.backup import backup
    from reader.library.db.records import VideoRecord
    from reader.library.db.store import Store

    from conftest import talk_transcript

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


# -- every way of opening an entry shows its work and resumes its place ---------------------------------

def entry_with_work(media, place_ms: int) -> tuple[int, list[int]]:
    """`media` as a library entry (as opening it where it is makes one) with two highlights, an answer, a card,
    and its place saved; another entry (a transcript only) opened after it, so it is not the open one."""
    from reader.cards import making as cards
    from reader.library.db.store import Store
    from reader.library.importing import open_in_place

    from conftest import add_video

    store = Store()
    try:
        vid = open_in_place(store, media).video_id
        cues = store.transcript(vid).cues
        ids = [store.add_highlight(vid, i, 0, i, 5, cues[i].start_ms, cues[i].end_ms, cues[i].text[:5], note=f"note {i}")
               for i in (0, 1)]
        answer = store.start_answer(vid, ids[0], None, "explain", "What?", "prompt", "claude-test")
        store.save_answer(answer, "An answer with words.", [], "complete")
        cards.card_from_highlight(store, ids[1], "Which line?", "Line 1")
        store.set_position(vid, place_ms)
        store.mark_opened(vid)
    finally:
        store.close()
    other = add_video("Elsewhere", site_id="elsewhere")
    store = Store()
    store.mark_opened(other)
    store.close()
    return vid, ids


def elsewhere(window) -> int:
    return next(v["id"] for v in window.store.videos() if v["title"] == "Elsewhere")


def stored_place(window, vid) -> int:
    return window.store.video(vid)["last_position_ms"]


def drop(window, path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def menu_open(monkeypatch):
    def opener(w, vid, media):
        from PySide6.QtWidgets import QFileDialog

        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(media)], ""))
        w.actions_by_name["open"].trigger()
    return opener


OPENERS = {  # (window, entry id, media) -> opens it as the user does
    "library": lambda w, vid, media: w.library_page.open_requested.emit(vid, -1),
    "menu Open…": "menu",
    "command line (id)": lambda w, vid, media: w.reading.start(video_id=vid),
    "command line (file)": lambda w, vid, media: w.reading.start(media=media),
    "drop": lambda w, vid, media: drop(w, media),
    "menu Open the Demo": lambda w, vid, media: w.actions_by_name["open_demo"].trigger(),
    "library's demo link": lambda w, vid, media: w.library_page.demo_requested.emit(),
}
DEMO_ONLY = {"menu Open the Demo", "library's demo link"}


def shows_its_work(w, vid, ids) -> None:
    assert w.session.video_id == vid
    assert w.notes_pane.list.count() == 2 and len(w.transcript_pane.view._marks) == 2
    assert w.notes_pane.card_counts == {ids[1]: 1}
    assert [r["answer_count"] for r in w.notes_pane.rows] == [1, 0]


@pytest.mark.parametrize("how", list(OPENERS))
def test_every_way_of_opening_an_entry_shows_its_work_and_resumes_its_place(qtbot, clip_dir, how, monkeypatch):
    from reader.base.resources import demo_video

    media, place = (demo_video(), 40_000) if how in DEMO_ONLY else (clip_dir / "talk.mp4", 4_200)
    vid, ids = entry_with_work(media, place)
    w = started(qtbot)  # the other entry reopens; then the user opens this one
    qtbot.waitUntil(lambda: w.session is not None and w.session.title == "Elsewhere", timeout=10_000)
    opener = menu_open(monkeypatch) if OPENERS[how] == "menu" else OPENERS[how]
    opener(w, vid, media.resolve())
    shows_its_work(w, vid, ids)
    w.show_library()  # left before the picture arrived: the place is not overwritten
    assert stored_place(w, vid) == place
    opener(w, vid, media.resolve())
    qtbot.waitUntil(lambda: abs(w.player.position() - place) < 300, timeout=10_000)
    qtbot.waitUntil(lambda: w.video_pane.stack.currentWidget() is w.video_pane.video, timeout=10_000)
    w.seek(place + 500)
    w.library_page.open_requested.emit(elsewhere(w), -1)  # elsewhere (the other entry)...
    assert w.session.title == "Elsewhere" and stored_place(w, vid) == place + 500
    opener(w, vid, media.resolve())  # ...and back
    shows_its_work(w, vid, ids)
    qtbot.waitUntil(lambda: abs(w.player.position() - place - 500) < 300, timeout=10_000)
    w.player.pause()
    w.close()


@pytest.mark.parametrize("what", ["clip", "demo"])
def test_restarting_with_work_waiting_reopens_the_last_entry_with_it(qtbot, clip_dir, what):
    from reader.base.resources import demo_video
    from reader.library.db.store import Store

    media, place = (demo_video(), 40_000) if what == "demo" else (clip_dir / "talk.mp4", 4_200)
    vid, ids = entry_with_work(media, place)
    store = Store()
    store.mark_opened(vid)  # the recent one
    store.close()
    w = started(qtbot)
    qtbot.waitUntil(lambda: w.session is not None, timeout=10_000)
    shows_its_work(w, vid, ids)
    qtbot.waitUntil(lambda: abs(w.player.position() - place) < 300, timeout=10_000)
    w.close()
    assert Store().video(vid)["last_position_ms"] == place
