"""Importing: links waiting, the one downloading off the GUI thread, and committing each to the library."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from reader.base.links import is_playlist, may_be_playlist
from reader.library.download import ImportCancelled, ImportFailed, ImportOptions, NoSubtitles, probe
from reader.library.importing import Prepared, commit, discard, prepare_url
from reader.ui.settings import settings
from reader.ui.worker import Worker, message


@dataclass
class Job:
    url: str
    options: ImportOptions


class ImportingController(QObject):
    """Runs imports one after another. The store is written on this (the GUI) thread, when a download
    has finished. What the panel shows is announced: busy, progress, failed, idle."""

    busy_changed = Signal(str, str)  # what is imported (a link or a title), what it is doing
    waiting_changed = Signal(int)  # how many links wait behind the current one
    progress_changed = Signal(object)  # download.Progress
    failed = Signal(object, object)  # Job (or None), the exception
    idle = Signal()  # nothing to show
    committed = Signal(int, list)  # video id, notices
    playlist_found = Signal(object, object)  # playlist info, options
    untranscribed = Signal(int)  # a video was added that came with no subtitles: it can be transcribed
    no_subtitles = Signal(str)  # a transcript-only import found none: import_with_video(url) instead, then transcribe
    video_pending = Signal(int)  # stored with its transcript first: its video is to download now (issue 24)

    def __init__(self, store_getter, events=None, parent=None):
        super().__init__(parent)
        self.store_getter = store_getter
        self.events = events
        self.extractors: list = []  # extra yt-dlp extractors (tests add one for a site on loopback)
        self.queue: list[Job] = []
        self.current: Job | None = None
        self.worker: Worker | None = None
        self.last_failed: Job | None = None

    @staticmethod
    def options() -> ImportOptions:
        """How links are imported unless the dialog says otherwise: the last choice, kept in the settings."""
        s = settings()
        return ImportOptions(video=s.get("import/video"), languages=s.get("import/languages"),
                             max_height=s.get("import/max_height"))

    @staticmethod
    def remember(options: ImportOptions) -> None:
        s = settings()
        s.set("import/languages", options.languages)
        s.set("import/video", options.video)
        s.set("import/max_height", options.max_height)

    def busy(self) -> bool:
        return self.current is not None or self.worker is not None

    def add_link(self, url: str, options: ImportOptions) -> None:
        """Import a link; a playlist link is first read for its entries, and playlist_found asks which."""
        url = url.strip()
        if may_be_playlist(url):
            self.busy_changed.emit(url, "Reading the playlist…")
            extractors = list(self.extractors)
            worker = Worker(lambda report, cancelled: probe(url, extractors), (ImportFailed,))
            worker.signals.finished.connect(lambda info: self._on_probed(url, info, options))
            worker.signals.failed.connect(lambda exc: self._fail(Job(url, options), exc))
            self.worker = worker
            worker.start()
            return
        self.enqueue(url, options)

    def _on_probed(self, url: str, info: dict, options: ImportOptions) -> None:
        self.worker = None
        if is_playlist(info):
            self.idle.emit()
            self.playlist_found.emit(info, options)
        else:
            self.enqueue(url, options)

    def enqueue(self, url: str, options: ImportOptions) -> None:
        self.queue.append(Job(url, options))
        if self.current is None and self.worker is None:
            self.start_next()
        else:
            self.waiting_changed.emit(len(self.queue))

    def start_next(self) -> None:
        if not self.queue:
            self.current = None
            return
        job = self.current = self.queue.pop(0)
        self.waiting_changed.emit(len(self.queue))
        self.busy_changed.emit(job.url, "Starting…")
        extractors = list(self.extractors)
        options = replace(job.options, later=job.options.video)  # the transcript first, the video behind it
        worker = Worker(lambda report, cancelled: prepare_url(job.url, options, report, cancelled, extractors), (ImportFailed,))
        worker.signals.progress.connect(self.progress_changed)
        worker.signals.finished.connect(self._on_prepared)
        worker.signals.failed.connect(lambda exc: self._fail(job, exc))
        self.worker = worker
        worker.start()

    def _on_prepared(self, prepared: Prepared) -> None:
        self.worker = None
        job = self.current
        store = self.store_getter()
        if store is None:
            discard(prepared)
            self._fail(job, ImportFailed("The library could not be opened, so nothing was added."))
            return
        try:
            video_id = commit(store, prepared)
        except Exception as exc:  # disk or database trouble while moving files in: nothing half-made is kept
            discard(prepared)
            self._fail(job, ImportFailed(f"The video could not be added to the library: {exc}"))
            return
        self.current = None
        self.idle.emit()
        if self.events is not None:
            self.events.library_changed.emit(self)
        self.committed.emit(video_id, prepared.notices)
        if prepared.video_later:
            self.video_pending.emit(video_id)
        elif (prepared.transcript is None or not prepared.transcript.cues) and prepared.record.media_path:
            self.untranscribed.emit(video_id)
        self.start_next()

    def _fail(self, job: Job | None, exc: BaseException) -> None:
        self.worker = None
        self.current = None
        if isinstance(exc, NoSubtitles) and job is not None:  # not the end: offered with the video, to transcribe
            self.last_failed = job
            self.idle.emit()
            self.no_subtitles.emit(job.url)
            self.start_next()
            return
        self.last_failed = None if isinstance(exc, ImportCancelled) else job
        self.failed.emit(job, exc)

    def cancel(self) -> None:
        """Stop the running import (its partial files are removed) and drop the waiting ones."""
        self.queue.clear()
        if self.worker is not None:
            self.worker.cancel()

    def retry(self) -> None:
        job, self.last_failed = self.last_failed, None
        if job is not None:
            self.add_link(job.url, job.options)

    def import_with_video(self) -> None:
        """The transcript-only import that found no subtitles, again with the video (so it can be transcribed)."""
        job, self.last_failed = self.last_failed, None
        if job is not None:
            self.enqueue(job.url, replace(job.options, video=True))

    def dismiss(self) -> None:
        self.idle.emit()
        self.start_next()


def failure_title(job: Job | None, exc: BaseException) -> str:
    what = "Import cancelled" if isinstance(exc, ImportCancelled) else "Import failed"
    return f"{what}: {job.url}" if job else what


def failure_text(exc: BaseException) -> str:
    return message(exc)
