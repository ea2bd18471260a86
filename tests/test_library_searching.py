"""Search as you type runs on a thread of its own with a read-only connection: the newest text wins, stale results
are never shown, and a library it cannot read is searched on the window's connection instead."""

import sqlite3
import threading

import pytest

from reader.library.db.search_reader import SearchReader
from reader.library.db.store import Store
from reader.library.search import search_library
from reader.ui.controllers.library_searching import LibrarySearcher

from conftest import add_video


@pytest.fixture
def library(data_dir):
    add_video("Spacing talk", ("Spaced repetition beats cramming.", "Spacing helps memory."), site_id="a")
    add_video("Cooking talk", ("A sauce needs time.", "Spacing the salt is a myth."), site_id="b")
    return data_dir / "library.db"


def test_the_searcher_finds_on_its_own_thread_what_the_store_finds(qtbot, library):
    searcher = LibrarySearcher()
    threads = []
    searcher.found.connect(lambda text, found: threads.append(threading.get_ident()))
    with qtbot.waitSignal(searcher.found, timeout=5_000) as got:
        searcher.ask(library, "spacing")
    text, found = got.args
    store = Store()
    expected = search_library(store, "spacing")
    store.close()
    assert text == "spacing"
    assert [v.video_id for v in found.videos] == [v.video_id for v in expected.videos] and len(found.videos) == 2
    assert searcher._thread is not None and searcher._thread.ident != threading.get_ident()
    searcher.close()
    assert searcher._thread is None


def test_of_texts_asked_while_one_is_searched_only_the_newest_is_searched_next(qtbot, library, monkeypatch):
    import reader.library.search as search_module

    release, searched = threading.Event(), []
    real = search_module.search_library

    def slow(store, text, *args, **kwargs):
        searched.append(text)
        if text == "sp":
            release.wait(5)
        return real(store, text, *args, **kwargs)

    monkeypatch.setattr(search_module, "search_library", slow)
    searcher = LibrarySearcher()
    shown = []
    searcher.found.connect(lambda text, found: shown.append(text))
    searcher.ask(library, "sp")
    qtbot.waitUntil(lambda: searched == ["sp"], timeout=5_000)
    for text in ("spa", "spac", "spaci", "spacing"):
        searcher.ask(library, text)
    release.set()
    qtbot.waitUntil(lambda: shown[-1:] == ["spacing"], timeout=5_000)
    assert searched == ["sp", "spacing"]
    searcher.close()


def test_the_page_shows_only_results_for_what_the_box_holds(qtbot, library):
    from functools import partial

    from reader.ui.widgets.library_page import LibraryPage

    store = Store()
    page = LibraryPage()
    qtbot.addWidget(page)
    page.set_source(store.videos, partial(search_library, store), store.change_mark)
    page.search.setText("sauce needs")
    page.show_found("spacing", search_library(store, "spacing"))  # late results for an older text
    assert page.hits.topLevelItemCount() == 0
    page.show_found("sauce needs", search_library(store, "sauce needs"))
    assert page.hits.topLevelItemCount() == 1
    page._search_timer.stop()  # the box's own search, due 150 ms after typing, is not this test's
    store.close()


def test_a_library_the_searcher_cannot_read_is_searched_on_the_windows_connection(qtbot, library, tmp_path):
    from functools import partial

    from reader.ui.widgets.library_page import LibraryPage

    searcher = LibrarySearcher()
    store = Store()
    page = LibraryPage()
    qtbot.addWidget(page)
    page.set_source(store.videos, partial(search_library, store), store.change_mark)
    searcher.found.connect(page.show_found)
    searcher.failed.connect(page.search_failed)
    page.set_searcher(partial(searcher.ask, tmp_path / "nowhere" / "library.db"))
    page.search.setText("spacing")
    qtbot.waitUntil(lambda: page.hits.topLevelItemCount() == 2, timeout=5_000)
    searcher.close()
    page._search_timer.stop()
    store.close()


@pytest.mark.parametrize("sql", ["delete from cues", "update videos set title = 'x'", "drop table passages",
                                 "insert into tags (video_id, name) values (1, 'x')"])
def test_the_searchers_connection_cannot_write(library, sql):
    reader = SearchReader(library)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.db.execute(sql)
    reader.close()
    store = Store()
    assert store.count() == 2
    store.close()
