"""Asking the whole library from the window: its threads, a question or a follow-up streamed and kept, passages found without a key."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.asking import library as library_ask
from reader.asking.questions import problem as thread_problem
from reader.library.db.errors import LibraryError
from reader.library.question_passages import Scope, find, question_terms
from reader.ui.controllers.streaming import StreamingController


class LibraryAnswers:
    """The StreamingController's book for the library's answers (see streaming.VideoAnswers)."""

    record = staticmethod(library_ask.record)

    @staticmethod
    def rows(store, thread_id: int) -> list[dict]:
        return store.library_thread(thread_id)

    @staticmethod
    def thread_of(store, answer_id: int) -> int:
        row = store.library_answer(answer_id)
        return row["thread_id"] if row else answer_id

    @staticmethod
    def exists(store, answer_id: int) -> bool:
        return store.library_answer(answer_id) is not None

    @staticmethod
    def again(store, answer_id: int, model: str, _transcript):
        return library_ask.again(store, answer_id, model)


class LibraryAskingController(QObject):
    """The Ask the Library page's state: the thread on show, what is streaming, the threads listed."""

    thread_changed = Signal(object, bool)  # thread id (None: a new question), still streaming
    threads_changed = Signal(list)  # the threads listed (store.library_threads rows)
    passages_found = Signal(str, list)  # the question, the passages found (library_passages.Found)
    message = Signal(str, str)  # a sentence for the page, and its level: "error", "info" or "" (none)
    scopes_changed = Signal(list)  # [(label, Scope)], the whole library first
    scope_chosen = Signal(object)  # the Scope to show as chosen

    def __init__(self, store_getter, model_getter, parent=None):
        super().__init__(parent)
        self.store_getter = store_getter
        self.streaming = StreamingController(store_getter, model_getter, parent=self, book=LibraryAnswers)
        self.thread_id: int | None = None
        self.query = ""
        self.streaming.conversation_changed.connect(self._on_conversation)
        self.streaming.failed.connect(lambda text: self.message.emit(text, "error"))
        self.streaming.no_key.connect(lambda _asker: self.message.emit(
            "Asking Claude needs an Anthropic API key: add one in Preferences, or set ANTHROPIC_API_KEY. "
            "Find Passages works without one.", "error"))

    # -- what the page shows --------------------------------------------------------------------------------
    def refresh(self, chosen: Scope | None = None) -> None:
        """The scopes and the threads, read again (the page is shown, the library changed); `chosen`, a scope
        of chosen videos (Ask About This Video), joins the list and is chosen."""
        store = self.store_getter()
        if store is None:
            return
        scopes = [("Whole library", Scope())]
        if chosen is not None and chosen.kind == "videos":
            ids = chosen.video_ids(store)
            titles = store.titles(ids)
            label = f"Video: {titles[ids[0]]}" if len(ids) == 1 else f"{len(ids)} chosen videos"
            scopes.append((label, chosen))
        scopes += [(f"Tag: {name} ({n})", Scope("tag", name)) for name, n in store.all_tags()]
        channels = sorted({v["channel"] for v in store.videos() if v.get("channel")}, key=str.casefold)
        scopes += [(f"Channel: {c}", Scope("channel", c)) for c in channels]
        self.scopes_changed.emit(scopes)
        if chosen is not None:
            self.scope_chosen.emit(chosen)
        self.list_threads(self.query)

    def list_threads(self, query: str = "") -> None:
        self.query = query
        store = self.store_getter()
        self.threads_changed.emit(store.library_threads(query) if store is not None else [])

    def rows(self, thread_id: int | None) -> list[dict]:
        """A thread's answers, the one streaming as far as it has come; a citation of a removed video is marked gone."""
        store = self.store_getter()
        if thread_id is None or store is None:
            return []
        rows = self.streaming.rows(thread_id)
        present = library_ask.present_videos(store, [c for r in rows for c in r["citations"]])
        for row in rows:
            row["citations"] = [dict(c, gone=c.get("video_id") not in present) for c in row["citations"]]
        return rows

    def problem(self, thread_id: int | None):
        """What went wrong with the thread's last answer, with what to do (None while it streams or when it came whole)."""
        return thread_problem(self.rows(thread_id), self.streaming.streaming(thread_id), self.streaming.wait_left(thread_id))

    def show(self, thread_id: int | None) -> None:
        self.thread_id = thread_id
        self.message.emit("", "")
        self.thread_changed.emit(thread_id, self.streaming.streaming(thread_id))

    # -- asking -----------------------------------------------------------------------------------------------
    def ask(self, question: str, scope: Scope) -> None:
        """A new question: a new thread, streamed; nothing is asked when nothing in the scope bears on it."""
        store = self.store_getter()
        if store is None or not self._has_words(question):
            return
        found = find(store, question, scope)
        if not found:
            self.message.emit(_nothing(question, scope) + " Claude was not asked.", "info")
            return
        thread = self.streaming.ask_with(lambda store, model, _t: library_ask.begin(store, question, scope, None, model, found))
        if thread is not None:
            self.thread_id = thread
            self.message.emit("", "")
            self.thread_changed.emit(thread, self.streaming.streaming(thread))
            self.list_threads(self.query)

    def follow_up(self, question: str) -> None:
        if self.thread_id is None:
            return self.ask(question, Scope())
        if not " ".join(question.split()):
            return
        thread = self.thread_id
        if self.streaming.ask_with(lambda store, model, _t: library_ask.begin(store, question, Scope(), thread, model),
                                   thread) is not None:
            self.message.emit("", "")

    def regenerate(self) -> None:
        """Ask the thread's last question again, in its place."""
        rows = self.rows(self.thread_id)
        if rows:
            self.streaming.retry(rows[-1]["id"], self.thread_id)

    def stop(self) -> None:
        self.streaming.stop()

    def find_passages(self, question: str, scope: Scope) -> None:
        """The passages that bear on a question, with no key and no connection: each one can be played."""
        store = self.store_getter()
        if store is None or not self._has_words(question):
            return
        try:
            found = find(store, question, scope)
        except LibraryError as exc:
            self.message.emit(str(exc), "error")
            return
        self.passages_found.emit(question, found)
        if not found:
            self.message.emit(_nothing(question, scope), "info")
        else:
            self.message.emit("", "")

    def delete_thread(self, thread_id: int) -> None:
        store = self.store_getter()
        if store is None or self.streaming.streaming(thread_id):
            return
        try:
            store.delete_library_thread(thread_id)
        except LibraryError as exc:
            self.message.emit(str(exc), "error")
            return
        if self.thread_id == thread_id:
            self.show(None)
        self.list_threads(self.query)

    def _has_words(self, question: str) -> bool:
        if not " ".join(question.split()):
            return False
        if not question_terms(question):
            self.message.emit("That question has no word to search the library for: ask about a subject, "
                              "e.g. “what is spaced repetition?”.", "error")
            return False
        return True

    def _on_conversation(self, thread_id, streaming: bool) -> None:
        if thread_id == self.thread_id:
            self.thread_changed.emit(thread_id, streaming)
        if not streaming:
            self.list_threads(self.query)


def _nothing(question: str, scope: Scope) -> str:
    where = "the library" if scope.kind == "all" else "the videos searched"
    return f"Nothing in {where} speaks of “{' '.join(question.split())[:80]}”: try other words, or a wider scope."
