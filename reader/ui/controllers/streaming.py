"""Streaming answers from Claude: one stream at a time off the GUI thread, stored as it arrives, drawn on a timer."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from reader.asking import questions
from reader.asking.keys import get_key
from reader.asking.llm import STOPPED, Answer, ErrorEvent, error_action, stream_answer
from reader.library.db.errors import LibraryError
from reader.ui.worker import Worker, message

RENDER_MS = 60  # redraw at most this often while tokens arrive
SAVE_MS = 400  # and write to the database at most this often
RATE_WAIT_S = 30  # how long to wait after a rate limit when the server does not say
AUTO_RETRIES = 3  # rate limits in a row waited out and retried without being asked


BATCH_S = 0.016


def _stream_in_batches(request, key, cancelled, report) -> None:
    """Send events to the window in batches (the first at once), so a fast stream cannot flood it."""
    import time

    batch: list = []
    last = 0.0
    for event in stream_answer(request, key, cancelled):
        batch.append(event)
        now = time.monotonic()
        if now - last >= BATCH_S or not last:
            report(batch)
            batch, last = [], now
    if batch:
        report(batch)


class VideoAnswers:
    """Where a StreamingController keeps what it streams: a video's answers (the library's are another book)."""

    record = staticmethod(questions.record)

    @staticmethod
    def rows(store, thread_id: int) -> list[dict]:
        return store.answers(thread_id)

    @staticmethod
    def thread_of(store, answer_id: int) -> int:
        return store.answers_thread(answer_id)

    @staticmethod
    def exists(store, answer_id: int) -> bool:
        return store.answer(answer_id) is not None

    @staticmethod
    def again(store, answer_id: int, model: str, transcript):
        return questions.again(store, answer_id, model, transcript)


def start_stream(request, key: str, on_events, on_done, on_failed) -> Worker:
    """Stream a request on the pool: on_events(batch) as it arrives, then on_done() or on_failed(sentence)."""
    worker = Worker(lambda report, cancelled: _stream_in_batches(request, key, cancelled, report), throttle=False)
    worker.signals.progress.connect(on_events)
    worker.signals.finished.connect(lambda _result: on_done())
    worker.signals.failed.connect(lambda exc: on_failed(message(exc)))
    worker.start()
    return worker


class StreamingController(QObject):
    """Asks, streams and records. Events of a request that has been replaced are dropped.
    Owns the one way to read a conversation with the live answer merged in (rows). After a rate limit
    it waits the seconds the server asked for, counting down, then asks the same again by itself."""

    conversation_changed = Signal(int, bool)  # conversation id, still streaming
    waiting_changed = Signal(object, int)  # conversation id, seconds left before it is asked again (0: not waiting)
    no_key = Signal(object)  # who asked (the `asker` given), for want of a key
    failed = Signal(str)

    def __init__(self, store_getter, model_getter, transcript_getter=lambda: None, parent=None, events=None, book=VideoAnswers):
        super().__init__(parent)
        self.book = book
        self.store_getter = store_getter
        self.events = events
        self._cached: tuple[int, list[dict]] | None = None  # the streaming conversation's rows, read once
        self.transcript_getter = transcript_getter
        self.model_getter = model_getter
        self.request_id = 0
        self.worker: Worker | None = None
        self.answer: Answer | None = None
        self.answer_id: int | None = None
        self.conversation_id: int | None = None
        self._render = QTimer(self)
        self._render.setSingleShot(True)
        self._render.setInterval(RENDER_MS)
        self._render.timeout.connect(self._draw)
        self._save = QTimer(self)
        self._save.setSingleShot(True)
        self._save.setInterval(SAVE_MS)
        self._save.timeout.connect(self._record)
        self._wait = QTimer(self)
        self._wait.setInterval(1000)
        self._wait.timeout.connect(self._tick)
        self._waiting: tuple[int, int] | None = None  # (answer id, conversation id) to ask again when the wait is over
        self._wait_left = 0
        self._automatic = 0  # retries in a row that nobody asked for

    def busy(self) -> bool:
        return self.worker is not None

    def streaming(self, conversation_id: int | None) -> bool:
        """Whether this conversation's answer is arriving now."""
        return self.busy() and conversation_id is not None and conversation_id == self.conversation_id

    def ask(self, highlight_id: int, kind: str, question: str = "", conversation_id: int | None = None,
            answer_id: int | None = None, asker=None) -> int | None:
        """Ask about a highlight; returns the conversation id (None when there is no key)."""
        return self.ask_with(lambda store, model, transcript: questions.begin(
            store, highlight_id, kind, question, conversation_id, model, answer_id, transcript), conversation_id, asker=asker)

    def retry(self, answer_id: int, conversation_id: int | None = None, automatic: bool = False, asker=None) -> int | None:
        """Ask a stored answer's question again, in its place (Retry, Regenerate, the end of a wait)."""
        store = self.store_getter()
        if store is None or not self.book.exists(store, answer_id):
            self.cancel_wait()
            return None
        return self.ask_with(lambda store, model, transcript: self.book.again(store, answer_id, model, transcript),
                             conversation_id, automatic, asker)

    def ask_with(self, begin, conversation_id: int | None = None, automatic: bool = False, asker=None) -> int | None:
        """Start a request made by begin(store, model, transcript) -> (answer id, request). Without a key,
        nothing is asked: no_key says so, to `asker` (the controller that asked)."""
        key = get_key()
        if not key:
            self.cancel_wait()
            self.no_key.emit(asker)
            return None
        store = self.store_getter()
        self.stop()
        self._automatic = self._automatic + 1 if automatic else 0
        try:
            answer_id, request = begin(store, self.model_getter(), self.transcript_getter())
        except (ValueError, LibraryError) as exc:  # its highlight or thread deleted in another window; a full disk
            self.failed.emit(str(exc))
            return None
        self.conversation_id = conversation_id if conversation_id is not None else self.book.thread_of(store, answer_id)
        self._cached = None
        self.answer_id = answer_id
        self.answer = Answer()
        self._render.setInterval(RENDER_MS)
        self.request_id += 1
        rid = self.request_id
        self.worker = start_stream(request, key, lambda events: self._on_events(rid, events), lambda: self._on_done(rid),
                                   lambda text: self._on_failed(rid, text))
        self._announce(self.conversation_id, True)
        return self.conversation_id

    def stop(self) -> None:
        """End the running stream (what arrived is kept, marked incomplete), or a wait to ask again."""
        self.cancel_wait()
        if self.worker is not None:
            self.worker.cancel()
            self._finish()

    def wait_left(self, conversation_id: int | None) -> int:
        """Seconds before this conversation's last question is asked again by itself (0: it is not)."""
        return self._wait_left if self._waiting is not None and self._waiting[1] == conversation_id else 0

    def cancel_wait(self) -> None:
        """Do not ask again by itself after all (the answer stays failed, with Retry)."""
        if self._waiting is not None:
            conversation_id = self._waiting[1]
            self._wait.stop()
            self._waiting, self._wait_left = None, 0
            self.waiting_changed.emit(conversation_id, 0)

    def _start_wait(self, seconds: float | None) -> None:
        self._waiting = (self.answer_id, self.conversation_id)
        self._wait_left = max(1, int(seconds + 0.999)) if seconds else RATE_WAIT_S
        self._wait.start()

    def _tick(self) -> None:
        if self._waiting is None:
            self._wait.stop()
            return
        self._wait_left -= 1
        if self._wait_left > 0:
            self.waiting_changed.emit(self._waiting[1], self._wait_left)
            return
        answer_id, conversation_id = self._waiting
        self._wait.stop()
        self._waiting = None
        self.retry(answer_id, conversation_id, automatic=True)

    def live_answer(self, answer_id: int) -> Answer | None:
        """The answer being streamed, if that is the one asked about (newer than the database)."""
        return self.answer if answer_id == self.answer_id and self.answer is not None else None

    def rows(self, conversation_id: int) -> list[dict]:
        """A conversation's answers as the store gives them, the one streaming now as far as it has come.
        While an answer streams the other rows do not change, so they are read from the database once."""
        store = self.store_getter()
        if store is None:
            return []
        cached = self._cached
        if self.streaming(conversation_id) and cached is not None and cached[0] == conversation_id:
            rows = [dict(r) for r in cached[1]]
        else:
            rows = self.book.rows(store, conversation_id)
            self._cached = (conversation_id, [dict(r) for r in rows]) if self.streaming(conversation_id) else None
        for row in rows:
            live = self.live_answer(row["id"])
            if live is not None:
                row.update(answer=live.text, citations=live.citations, status=live.status, error=live.error,
                           input_tokens=live.usage.input_tokens, output_tokens=live.usage.output_tokens,
                           cache_read_tokens=live.usage.cache_read_tokens, model=live.usage.model or row["model"])
        return rows

    def _announce(self, conversation_id, streaming: bool) -> None:
        self.conversation_changed.emit(conversation_id, streaming)
        if self.events is not None:
            self.events.conversation_changed.emit(conversation_id, streaming, self)

    def _on_events(self, rid: int, events: list) -> None:
        if rid != self.request_id or self.answer is None:
            return  # chunks from a request that was stopped or replaced
        first = not self.answer.text
        for event in events:
            self.answer.add(event)
        if first and self.answer.text:
            self._render.stop()
            self._announce(self.conversation_id, True)  # the first words show at once
        elif not self._render.isActive():
            self._render.start()
        if not self._save.isActive():
            self._save.start()

    def _draw(self) -> None:
        """Redraw, and space the next redraw by what this one cost: a long answer is redrawn less often,
        so drawing never takes more than about a quarter of the window's time."""
        from time import perf_counter

        started = perf_counter()
        self._announce(self.conversation_id, self.busy())
        cost_ms = (perf_counter() - started) * 1000
        self._render.setInterval(max(RENDER_MS, int(cost_ms * 3)))

    def _on_done(self, rid: int) -> None:
        if rid == self.request_id:
            self._finish()

    def _on_failed(self, rid: int, message: str) -> None:
        if rid == self.request_id and self.answer is not None:
            self.answer.add(ErrorEvent(message))
            self._finish()

    def _finish(self) -> None:
        if self.answer is not None:
            self.answer.finish()
        if self.answer is not None and self.answer.status == "streaming":
            self.answer.status = "incomplete" if self.answer.text else "error"
            self.answer.error = self.answer.error or STOPPED
        answer = self.answer
        if answer is not None and answer.status in ("error", "incomplete") and error_action(answer.error) == "wait" \
                and self._automatic < AUTO_RETRIES and self.worker is not None:
            self._start_wait(answer.retry_after)
        self.worker = None
        self.request_id += 1  # anything still on its way from that stream is now stale
        self._record()
        self._render.stop()
        # the last drawing in a turn of the event loop of its own, so the window gets a breath between
        self._cached = None
        conversation_id = self.conversation_id
        QTimer.singleShot(0, lambda: self._announce(conversation_id, self.busy()))

    def _record(self) -> None:
        store = self.store_getter()
        if store is not None and self.answer is not None and self.answer_id is not None:
            try:
                self.book.record(store, self.answer_id, self.answer)
            except Exception as exc:  # the database could not be written: say so, keep streaming
                self.failed.emit(f"The answer could not be saved: {exc}")
