"""Run slow work off the GUI thread: a QRunnable whose results, progress and errors come back as signals."""

from __future__ import annotations

import threading
import time
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Unexpected(Exception):
    """A fault nobody planned for: its traceback went to the crash log, this says where."""


class WorkerSignals(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # the exception: an expected one, or Unexpected


class Worker(QRunnable):
    """Calls fn(report, cancelled) on the pool. `report` sends progress, at most every 100 ms so the
    window is not flooded. An expected error travels back as the exception itself (its type says what
happened); anything else as Unexpected, its details in the crash log. Say one with message(exc)."""

    def __init__(self, fn: Callable, expected: tuple[type[BaseException], ...] = (), throttle: bool = True):
        super().__init__()
        self.fn = fn
        self.throttle = throttle
        self.expected = expected
        self.setAutoDelete(False)  # the owner keeps the Python object until its signals have fired
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        self._last = 0.0

    def cancel(self) -> None:
        self.cancel_event.set()

    def _report(self, value) -> None:
        now = time.monotonic()
        if not self.throttle or now - self._last >= 0.1:
            self._last = now
            self.signals.progress.emit(value)

    def run(self) -> None:
        try:
            result = self.fn(self._report, self.cancel_event.is_set)
        except self.expected as exc:
            self.signals.failed.emit(exc)
        except Exception:  # an unexpected fault must still reach the window as a message
            import traceback

            from reader.base.paths import crash_log
            from reader.base.redaction import redact

            try:
                with crash_log().open("a", encoding="utf-8") as f:
                    f.write(redact(traceback.format_exc()) + "\n")
            except OSError:
                pass
            self.signals.failed.emit(Unexpected(f"Something unexpected went wrong, and this task stopped. Details were saved to {crash_log()}."))
        else:
            self.signals.finished.emit(result)

    def start(self) -> None:
        pool().start(self)


def message(exc: BaseException) -> str:
    """What a failure says on screen, without the API key."""
    from reader.base.redaction import redact

    return redact(str(exc))


_POOL: QThreadPool | None = None


def pool() -> QThreadPool:
    """Reader's own threads: Qt's global pool is shared with the media backend and can be busy."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(4)
    return _POOL
