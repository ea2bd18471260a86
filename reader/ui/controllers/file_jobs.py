"""File jobs: an export or a restore, one at a time, off the window's thread on a library connection of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal

from reader.exchange.errors import ExportError
from reader.library.db.errors import LibraryError
from reader.library.db.store import Store
from reader.ui.worker import Worker, message, pool


class FileJobsController(QObject):
    """Runs run(store, progress) on a Store of its own (an Anki deck cuts an audio clip per highlight; a backup
    can hold thousands of notes) and says how it goes. A second job while one runs is refused."""

    message_changed = Signal(str, str)  # text, level ("info" or "error"); "" hides it
    progress_changed = Signal(int, int)  # done, total: how far the job has got (a total of 0: no bar)
    finished = Signal(object)  # the job's result
    restored = Signal(object)  # a restore's counts: the library (and the open video's notes) may have changed
    failed = Signal(object)  # the exception

    def __init__(self, store_getter: Callable[[], Store | None], parent=None):
        super().__init__(parent)
        self.store_getter = store_getter
        self.worker: Worker | None = None

    def busy(self) -> bool:
        return self.worker is not None

    def run(self, starting: str, run, progress_text, done_text, failed_text: str, on_done=None) -> bool:
        """Start a job; False (and a message) when another is running or there is no library."""
        store = self.store_getter()
        if store is None:
            return False
        if self.worker is not None:
            self.message_changed.emit("An export or restore is already running; wait for it to finish.", "info")
            return False
        path = store.path

        def work(report, cancelled):
            def step(done, total, stage=""):
                if cancelled():
                    raise ExportError("stopped because the window was closed")
                report((done, total, stage))

            own = Store(path)
            try:
                return run(own, step)
            finally:
                own.close()

        def on_finished(result):
            self.worker = None
            self.progress_changed.emit(0, 0)
            if on_done is not None:
                on_done(result)
            self.message_changed.emit("", "")
            self.message_changed.emit(done_text(result), "info")
            self.finished.emit(result)

        def on_failed(exc):
            self.worker = None
            self.progress_changed.emit(0, 0)
            self.message_changed.emit("", "")
            self.message_changed.emit(f"{failed_text}: {message(exc)}", "error")
            self.failed.emit(exc)

        worker = Worker(work, expected=(ExportError, LibraryError))
        worker.signals.progress.connect(lambda p: self._progress(progress_text, *p))
        worker.signals.finished.connect(on_finished)
        worker.signals.failed.connect(on_failed)
        self.worker = worker
        self.message_changed.emit(starting, "info")
        worker.start()
        return True

    def _progress(self, progress_text, done: int, total: int, stage: str) -> None:
        self.message_changed.emit(progress_text(done, total, stage) if stage else progress_text(done, total), "info")
        self.progress_changed.emit(done, total)

    def export(self, video_id: int | None, to: str, target: Path, timestamps: bool = True, with_transcript: bool = False) -> bool:
        """Export a video (or the library, video_id None) as Markdown ("md"), an Anki deck ("anki") or a backup ("json")."""
        from reader.exchange.formats import export, left_out

        what = "cards" if to == "anki" else "files"
        return self.run(f"Exporting to {target}…",
                        lambda store, progress: export(store, video_id, to, target, timestamps=timestamps,
                                                       with_transcript=with_transcript, progress=progress),
                        lambda done, total: f"Exporting… {done} of {total} {what} done.",
                        lambda written: f"Exported {len(written)} file{'s' if len(written) != 1 else ''} to {target}."
                                        + (f" {left_out(written.skipped)}" if getattr(written, "skipped", None) else ""),
                        "Export failed")

    def restore(self, path: Path) -> bool:
        """Restore a backup into the library (what is there already is kept); restored says when it is in."""
        from reader.exchange.backup import restore_summary
        from reader.exchange.restore import restore

        return self.run(f"Restoring from {path.name}…", lambda store, progress: restore(store, path, progress),
                        lambda done, total, stage: f"Checking {path.name}… {done * 100 // max(1, total)}% read." if stage == "checking"
                        else f"Restoring… {done} of {total} videos done.",
                        lambda counts: restore_summary(counts, path.name), "Restore failed", on_done=self.restored.emit)

    def stop(self, wait_ms: int = 10_000) -> None:
        """Stop between two cards or videos rather than mid-file, and wait for it."""
        if self.worker is not None:
            self.worker.cancel()
            pool().waitForDone(wait_ms)
