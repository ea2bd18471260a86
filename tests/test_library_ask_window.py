"""Ask the Library in the window: Ctrl+Shift+A, an answer streamed with links that open and play a moment, threads, passages."""

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence

from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.library.question_passages import Scope
from reader.transcript.model import Cue, Transcript

from conftest import new_window
from fake_anthropic import Reply

FILLER = "we talk about the weather and the trains and what the morning looks like"


def talk(*lines):
    return Transcript([Cue(i * 4000, i * 4000 + 3500, t) for i, t in enumerate(lines)], [], [], "srt")


@pytest.fixture
def library(data_dir):
    store = Store()
    ids = []
    for name, line in (("Bjork on learning", "desirable difficulty makes learning stick"),
                       ("Cepeda on spacing", "spacing practice out makes memories last"), ("Trains", FILLER)):
        lines = [FILLER] * 30
        lines[12] = line
        ids.append(store.add_video(VideoRecord(site="local", site_id=name, title=name), talk(*lines)))
    store.add_tags(ids[1], ["memory"])
    store.close()
    return ids


@pytest.fixture
def window(qtbot, library):
    w = new_window(qtbot)
    qtbot.waitUntil(lambda: w.reading.store is not None, timeout=30_000)
    yield w
    w.player.pause()
    w.close()


def done(w, text):
    """The answer holds `text` and has been drawn finished."""
    shown = w.library_ask_page.view.toPlainText()
    return text in shown and not w.library_asking.streaming.busy() and "Claude is answering" not in shown


def open_page(w, qtbot):
    w.actions_by_name["ask_library"].trigger()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.library_ask_page)
    return w.library_ask_page


def test_ctrl_shift_a_opens_the_page_with_its_scopes(window, qtbot):
    assert window.actions_by_name["ask_library"].shortcut() == QKeySequence("Ctrl+Shift+A")
    page = open_page(window, qtbot)
    labels = [page.scope.itemText(i) for i in range(page.scope.count())]
    assert labels[0] == "Whole library" and "Tag: memory (1)" in labels
    assert page.question.hasFocus()


def test_an_answer_streams_with_titled_links_that_open_and_play_the_moment(window, qtbot, claude, library):
    claude.replies = [Reply(pieces=["Bjork explains it", ("found", ".", (0, 0, 1))])]
    page = open_page(window, qtbot)
    page.question.setText("what is desirable difficulty?")
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: done(window, "Bjork explains it"), timeout=30_000)
    html = page.view.toHtml()
    assert "[Bjork on learning 0:" in page.view.toPlainText() and 'href="cite:1"' in html
    assert page.threads.count() == 1 and "desirable difficulty" in page.threads.item(0).text()
    cited = page.view.citations[0]
    assert cited["video_id"] == library[0]
    page.view.anchorClicked.emit(QUrl("cite:1"))
    qtbot.waitUntil(lambda: window.reading.video_id == library[0] and window.pages.currentWidget() is window.splitter,
                    timeout=30_000)
    assert abs(window.reading.session.resume_ms - cited["start_ms"]) < 1000


def test_nothing_found_is_said_without_asking_and_find_passages_needs_no_key(window, qtbot, claude, monkeypatch, library):
    page = open_page(window, qtbot)
    page.question.setText("quantum chromodynamics")
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    assert "Nothing in the library speaks of" in page.note.text() and claude.requests == []
    monkeypatch.setattr("reader.ui.controllers.streaming.get_key", lambda: None)
    page.question.setText("spacing practice")
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    assert "API key" in page.note.text() and "Find Passages works without one" in page.note.text()
    assert page.settings_button.isVisibleTo(page)
    qtbot.mouseClick(page.find_button, Qt.MouseButton.LeftButton)
    assert page.passages.isVisibleTo(page) and page.passages.count() >= 1
    assert page.passages.item(0).text().startswith("▶ Cepeda on spacing")
    page.passages.itemActivated.emit(page.passages.item(0))
    qtbot.waitUntil(lambda: window.reading.video_id == library[1], timeout=30_000)


def test_a_follow_up_joins_the_thread_and_a_thread_comes_back_after_a_restart(window, qtbot, claude, library):
    claude.replies = [Reply(pieces=["First answer."]), Reply(pieces=["Second answer."])]
    page = open_page(window, qtbot)
    page.question.setText("spacing practice")
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: done(window, "First answer."), timeout=30_000)
    qtbot.waitUntil(page.followup.isEnabled, timeout=30_000)  # once the answer has been drawn whole
    page.followup.setText("and desirable difficulty?")
    qtbot.keyClick(page.followup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: done(window, "Second answer."), timeout=30_000)
    thread = page.thread_id
    window.close()
    again = new_window(qtbot)
    qtbot.waitUntil(lambda: again.reading.store is not None, timeout=30_000)
    page = open_page(again, qtbot)
    assert page.threads.count() == 1
    page.threads.itemClicked.emit(page.threads.item(0))
    assert page.thread_id == thread
    text = page.view.toPlainText()
    assert "spacing practice" in text and "First answer." in text and "Second answer." in text
    again.close()


def test_a_scope_is_sent_and_threads_are_searchable_and_deletable(window, qtbot, claude, library):
    claude.replies = [Reply(pieces=["Only Cepeda."])]
    page = open_page(window, qtbot)
    page.scope.setCurrentIndex(next(i for i in range(page.scope.count()) if page.scope.itemData(i) == Scope("tag", "memory")))
    page.question.setText("spacing practice and desirable difficulty")
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: done(window, "Only Cepeda."), timeout=30_000)
    sent = [c["title"] for c in claude.requests[-1]["messages"][0]["content"] if c["type"] == "search_result"]
    assert sent and all("Cepeda" in t for t in sent)
    page.search.setText("weather")
    assert page.threads.item(0).flags() == Qt.ItemFlag.NoItemFlags
    page.search.setText("spacing")
    assert page.threads.item(0).data(Qt.ItemDataRole.UserRole) == page.thread_id
    qtbot.waitUntil(page.delete_button.isEnabled, timeout=30_000)  # once the answer has been drawn whole
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.thread_id is None and window.reading.store.library_threads() == []


def test_tags_are_edited_from_the_library_filter_it_and_scope_a_question(window, qtbot, monkeypatch, library):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("memory,  Deep work , ", True)))
    window.show_library()
    window.library_page.tags_requested.emit(library[2])
    store = window.reading.store
    assert store.tags(library[2]) == ["Deep work", "memory"]
    window.library_page.refresh()
    window.library_page.search.setText("deep work")
    qtbot.waitUntil(lambda: window.library_page.proxy.rowCount() == 1)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("memory", True)))
    window.library_page.tags_requested.emit(library[2])
    assert store.tags(library[2]) == ["memory"]
    window.library_page.ask_requested.emit(library[2])
    page = window.library_ask_page
    assert window.pages.currentWidget() is page and page.scope.currentText() == "Video: Trains"
    assert page.current_scope() == Scope.of_videos([library[2]])
    labels = [page.scope.itemText(i) for i in range(page.scope.count())]
    assert "Tag: memory (2)" in labels
