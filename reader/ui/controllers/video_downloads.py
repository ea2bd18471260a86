"""Videos downloading behind their transcripts: one at a time off the GUI thread, the state written on it, resumed at start."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from ...download import ImportFailed, Progress
from ...video_download import DownloadStopped, begin, fetch_video, finish, stop
from ..worker import Worker


class VideoDownloadsController(QObject):
    """Downloads entries' videos one after another. The store is written here, on the GUI thread."""

    progress_changed = Signal(object)  # download.Progress of the running download
    busy_changed = Signal(str, str)  # the entry's title, what it is doing
    stopped = Signal(int, str, bool)  # video id, the sentence, whether the user cancelled
    ready = Signal(int, str)  # video id, its media file: the entry now plays it

    def __init__(self, store_getter, events=None, parent=None, extractors_from=None):
        super().__init__(parent)
        self.extractors_from = extractors_from or (lambda: self.extractors)  # the window shares the importer's
        self.store_getter = store_getter
        self.events = events
        self.extractors: list = []
        self.max_height = 1080
        self.queue: list[int] = []
        self.current: int | None = None
        self.worker: Worker | None = None
        self._job = None
        self._saved = 0.0
        self.closing = False

    def download(self, video_id: int) -> None:
        if video_id != self.current and video_id not in self.queue:
            self.queue.append(video_id)
        if self.worker is None:
            self._next()

    def resume_interrupted(self) -> None:
        """At start: the downloads a closed or killed Reader left under way continue where they were."""
        store = self.store_getter()
        if store is not None and not store.read_only:
            for row in store.downloads(("downloading",)):
                self.download(row["id"])

    def _next(self) -> None:
        store = self.store_getter()
        while self.queue and store is not None:
            video_id = self.queue.pop(0)
            try:
                url, folder, lock = begin(store, video_id)
            except ImportFailed as exc:
                self.stopped.emit(video_id, str(exc), False)
                continue
            self.current, self._job = video_id, (folder, lock)
            title = (store.video(video_id) or {}).get("title") or url
            self.busy_changed.emit(f"the video of “{title}”", "Downloading the video behind its transcript…")
            extractors, height = list(self.extractors_from()), self.max_height
            worker = Worker(lambda report, cancelled: fetch_video(url, folder, report, cancelled, height, extractors), (ImportFailed,))
            worker.signals.progress.connect(self._on_progress)
            worker.signals.finished.connect(self._on_finished)
            worker.signals.failed.connect(self._on_failed)
            self.worker = worker
            worker.start()
            return
        self.current = None

    def _on_progress(self, p: Progress) -> None:
        self.progress_changed.emit(p)
        store = self.store_getter()
        if store is not None and self.current is not None and p.downloaded and time.monotonic() - self._saved > 2:
            self._saved = time.monotonic()
            store.download_progress(self.current, p.downloaded, p.total or 0)

    def _on_finished(self, downloaded) -> None:
        video_id, (_folder, lock) = self.current, self._job
        self.worker = None
        store = self.store_getter()
        finish(store, video_id, downloaded, lock)
        self._changed()
        self.ready.emit(video_id, str(downloaded.media))
        self._next()

    def _on_failed(self, exc: BaseException) -> None:
        video_id, (folder, lock) = self.current, self._job
        self.worker = None
        store = self.store_getter()
        text = str(exc)
        if self.closing:  # the window closes: the entry stays marked downloading, and the next start continues it
            from ...video_download import unlock_folder

            unlock_folder(lock)
            return
        if store is not None:
            stop(store, video_id, folder, text, lock)
        self._changed()
        self.stopped.emit(video_id, text, isinstance(exc, DownloadStopped) and exc.cancelled)
        self._next()

    def _changed(self) -> None:
        if self.events is not None:
            self.events.library_changed.emit(self)

    def cancel(self) -> None:
        """Stop the running download (what came stays, for Download Video to continue) and drop the waiting ones."""
        self.queue.clear()
        if self.worker is not None:
            self.worker.cancel()

    def close(self) -> None:
        """The window closes: stop without marking the download stopped, so the next start continues it."""
        self.closing = True
        self.cancel()

    def busy(self) -> bool:
        return self.worker is not None
