"""The window's part of searching the library as the user types: the searcher's thread, wired to the library page."""

from __future__ import annotations

from functools import partial

from reader.ui.controllers.library_searching import LibrarySearcher


def wire(w) -> None:
    """Build the searcher on the window `w` and point it at the library the window has, whenever that changes."""
    w.library_search = searcher = LibrarySearcher(w)
    searcher.found.connect(w.library_page.show_found)
    searcher.failed.connect(w.library_page.search_failed)
    w.events.library_changed.connect(lambda _source=None: aim(w))


def aim(w) -> None:
    store = w.reading.store
    w.library_page.set_searcher(partial(w.library_search.ask, store.path) if store is not None else None)
