"""Runs questions to Claude: one stream at a time off the GUI thread, stored as it arrives, drawn on a timer."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from .. import asking
from ..keys import get_key
from ..llm import Answer, stream_answer
from .worker import Worker

RENDER_MS = 60  # redraw at most this often while tokens arrive
SAVE_MS = 400  # and write to the database at most this often


class AskController(QObject):
    """Asks, streams and records. Events of a request that has been replaced are dropped."""

    thread_changed = Signal(int, bool)  # thread id, still streaming
    no_key = Signal()
    failed = Signal(str)

    def __init__(self, store_getter, model_getter, parent=None):
        super().__init__(parent)
        self.store_getter = store_getter
        self.model_getter = model_getter
        self.request_id = 0
        self.worker: Worker | None = None
        self.answer: Answer | None = None
        self.answer_id: int | None = None
        self.thread_id: int | None = None
        self._render = QTimer(self)
        self._render.setSingleShot(True)
        self._render.setInterval(RENDER_MS)
        self._render.timeout.connect(lambda: self.thread_changed.emit(self.thread_id, self.busy()))
        self._save = QTimer(self)
        self._save.setSingleShot(True)
        self._save.setInterval(SAVE_MS)
        self._save.timeout.connect(self._record)

    def busy(self) -> bool:
        return self.worker is not None

    def ask(self, highlight_id: int, kind: str, question: str = "", thread_id: int | None = None,
            answer_id: int | None = None) -> int | None:
        """Start a request; returns its thread id (None when there is no key)."""
        key = get_key()
        if not key:
            self.no_key.emit()
            return None
        store = self.store_getter()
        self.stop()
        answer_id, request = asking.begin(store, highlight_id, kind, question, thread_id, self.model_getter(), answer_id)
        self.thread_id = thread_id if thread_id is not None else store.answers_thread(answer_id)
        self.answer_id = answer_id
        self.answer = Answer()
        self.request_id += 1
        rid = self.request_id
        worker = Worker(lambda report, cancelled: [report(e) for e in stream_answer(request, key, cancelled)], throttle=False)
        worker.signals.progress.connect(lambda event: self._on_event(rid, event))
        worker.signals.finished.connect(lambda _r: self._on_done(rid))
        worker.signals.failed.connect(lambda msg: self._on_failed(rid, msg))
        self.worker = worker
        worker.start()
        self.thread_changed.emit(self.thread_id, True)
        return self.thread_id

    def stop(self) -> None:
        """End the running stream; what arrived is kept, marked incomplete."""
        if self.worker is not None:
            self.worker.cancel()
            self._finish()

    def live_answer(self, answer_id: int) -> Answer | None:
        """The answer being streamed, if that is the one asked about (newer than the database)."""
        return self.answer if answer_id == self.answer_id and self.answer is not None else None

    def _on_event(self, rid: int, event) -> None:
        if rid != self.request_id or self.answer is None:
            return  # a chunk from a request that was stopped or replaced
        self.answer.add(event)
        if not self._render.isActive():
            self._render.start()
        if not self._save.isActive():
            self._save.start()

    def _on_done(self, rid: int) -> None:
        if rid == self.request_id:
            self._finish()

    def _on_failed(self, rid: int, message: str) -> None:
        if rid == self.request_id and self.answer is not None:
            from ..llm import ErrorEvent

            self.answer.add(ErrorEvent(message))
            self._finish()

    def _finish(self) -> None:
        if self.answer is not None and self.answer.status == "streaming":
            self.answer.status = "incomplete" if self.answer.text else "error"
            self.answer.error = self.answer.error or "Stopped."
        self.worker = None
        self.request_id += 1  # anything still on its way from that stream is now stale
        self._record()
        self._render.stop()
        self.thread_changed.emit(self.thread_id, False)

    def _record(self) -> None:
        store = self.store_getter()
        if store is not None and self.answer is not None and self.answer_id is not None:
            try:
                asking.record(store, self.answer_id, self.answer)
            except Exception as exc:  # the database could not be written: say so, keep streaming
                self.failed.emit(f"The answer could not be saved: {exc}")
