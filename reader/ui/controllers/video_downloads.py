"""Videos downloading behind their transcripts: one at a time off the GUI thread, the state written on it, resumed at start."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from reader.library.db.errors import LibraryError
from reader.library.download import ImportFailed, Progress
from reader.library.video_download import (DownloadStopped, NoSoundAlone, begin, download_running, fetch_sound, fetch_video, finish,
                                           stop, unlock_folder, wants_sound)
from reader.ui.worker import Worker


class VideoDownloadsController(QObject):
    """Downloads entries' videos one after another. The store is written here, on the GUI thread."""

    started = Signal(int)  # video id: its download (or its continuation) began
    progress_changed = Signal(object)  # download.Progress of the running download
    progress_of = Signal(int, object)  # video id, its download.Progress
    busy_changed = Signal(str, str)  # the entry's title, what it is doing
    stopped = Signal(int, str, bool)  # video id, the sentence, whether the user cancelled
    ready = Signal(int, str)  # video id, its media file: the entry now plays it
    sound_ready = Signal(int, str)  # video id, its sound (fetched first, checked whole): it can be transcribed now
    sound_missed = Signal(int, str)  # video id, the sentence: the site gives no sound alone, so the video comes whole
    idle = Signal()  # nothing downloads now, nor waits to

    def __init__(self, store_getter, events=None, parent=None, extractors_from=None):
        super().__init__(parent)
        self.extractors_from = extractors_from or (lambda: self.extractors)  # the window shares the importer's
        self.store_getter = store_getter
        self.events = events
        self.extractors: list = []
        self.max_height_from = lambda: 1080  # the quality chosen for imports (the window reads it from the settings)
        self.queue: list[int] = []
        self.current: int | None = None
        self.last_stopped: int | None = None  # the download that failed, for Try again
        self.worker = None
        self._job = None
        self._saved = 0.0
        self._forgotten: int | None = None
        self._stage_of: tuple = ("video", "", None)  # the running stage (sound or video), its link and folder
        self.sounded: set[int] = set()  # entries whose sound came before their video here (transcription offered)
        self.sound_missing: set[int] = set()  # entries whose site gives no sound alone (said again with the offer)
        self._last_progress: Progress | None = None
        self.closing = False

    def download(self, video_id: int) -> None:
        """Download (or continue) an entry's video, after the ones before it."""
        self.closing = False
        if video_id != self.current and video_id not in self.queue:
            self.queue.append(video_id)
        if self.worker is None:
            self._next()

    def retry(self) -> None:
        """Try again: the download that stopped continues where it was (yt-dlp's continuation of its .part)."""
        video_id, self.last_stopped = self.last_stopped, None
        if video_id is not None:
            self.download(video_id)

    def resume_interrupted(self) -> None:
        """At start: the downloads a closed or killed Reader left under way, and those that failed (a dropped
        connection, a full disk), continue where they were; one the user cancelled waits for Download Video."""
        store = self.store_getter()
        if store is not None and not store.read_only:
            for row in store.downloads(wanted_only=True):
                if not download_running(row):  # one `reader download-video` is running finishes on its own
                    self.download(row["id"])

    def forget(self, video_id: int) -> None:
        """The entry is being removed: its download stops (nothing of it is said) and it is no longer waiting."""
        if video_id in self.queue:
            self.queue.remove(video_id)
        if video_id == self.current and self.worker is not None:
            self._forgotten = video_id
            self.worker.cancel()

    def running(self, video_id: int) -> bool:
        """Whether this window is downloading the entry's video now, or has it waiting."""
        return video_id == self.current or video_id in self.queue

    def _next(self) -> None:
        store = self.store_getter()
        while self.queue and store is not None:
            video_id = self.queue.pop(0)
            try:
                url, folder, lock = begin(store, video_id)
            except ImportFailed as exc:
                self.stopped.emit(video_id, str(exc), False)
                continue
            self.current, self._job, self.last_stopped, self._last_progress = video_id, (folder, lock), None, None
            title = (store.video(video_id) or {}).get("title") or url
            self.busy_changed.emit(f"the video of “{title}”", "Starting: the transcript is here to read meanwhile…")
            self.started.emit(video_id)
            self._stage("sound" if wants_sound(store.video(video_id) or {}) else "video", url, folder)
            return
        self.current = None
        self.idle.emit()

    def _stage(self, stage: str, url: str, folder) -> None:
        """Run one stage of the current download off the GUI thread: its sound alone (an entry without lines,
        to transcribe at once), or its video."""
        extractors, height = list(self.extractors_from()), self.max_height_from()
        if stage == "sound":
            def fn(report, cancelled):
                return fetch_sound(url, folder, every_step(report), cancelled, extractors)
        else:
            def fn(report, cancelled):
                return fetch_video(url, folder, every_step(report), cancelled, height, extractors)
        worker = Worker(fn, (ImportFailed,), throttle=False)
        worker.signals.progress.connect(self._on_progress)
        worker.signals.finished.connect(self._on_finished)
        worker.signals.failed.connect(self._on_failed)
        self.worker, self._stage_of = worker, (stage, url, folder)
        worker.start()

    def progress_now(self, video_id: int) -> Progress | None:
        """The last progress of the entry's download, if it is the one running here."""
        return self._last_progress if video_id == self.current else None

    def _on_progress(self, p: Progress) -> None:
        self._last_progress = p
        self.progress_changed.emit(p)
        if self.current is not None:
            self.progress_of.emit(self.current, p)
        store = self.store_getter()
        if store is not None and self.current is not None and p.downloaded and not p.sound and time.monotonic() - self._saved > 2:
            self._saved = time.monotonic()
            store.download_progress(self.current, p.downloaded, p.total or 0)

    def _on_finished(self, downloaded) -> None:
        video_id, (_folder, lock) = self.current, self._job
        if self._stage_of[0] == "sound":
            self._sound_came(video_id, downloaded)
            return
        self.worker, self.current = None, None
        store = self.store_getter()
        if store is None or store.video(video_id) is None:  # the library closed meanwhile (the checked file stays, and
            unlock_folder(lock)  # the next start takes it), or the entry was removed
            self._next()
            return
        finish(store, video_id, downloaded, lock)
        self._changed()
        self.ready.emit(video_id, str(downloaded.media))
        self._next()

    def _sound_came(self, video_id: int, sound) -> None:
        """The sound alone is here and checked whole: it is the entry's to transcribe from; the video comes next
        (unless the download was cancelled, the entry removed or the window closed meanwhile)."""
        store, (_stage, url, folder) = self.store_getter(), self._stage_of
        kept = store is not None and store.video(video_id) is not None and self._forgotten != video_id
        if kept:
            try:
                store.set_sound(video_id, str(sound.media))
            except LibraryError:  # a full disk: the sound is not the entry's, and transcribing waits for the video
                kept = False
        if kept:
            self.sounded.add(video_id)
            self.sound_ready.emit(video_id, str(sound.media))
        if store is None or store.video(video_id) is None or self._forgotten == video_id or self.closing \
                or self.worker.cancel_event.is_set():
            self._on_failed(DownloadStopped("The video download was cancelled; the transcript and your notes are kept.",
                                            cancelled=True))
            return
        self._stage("video", url, folder)

    def _on_failed(self, exc: BaseException) -> None:
        video_id, (folder, lock) = self.current, self._job
        if isinstance(exc, NoSoundAlone) and not self.closing:  # the sound cannot come first: the video as before
            self.sound_missing.add(video_id)
            self.sound_missed.emit(video_id, str(exc))
            self._stage("video", *self._stage_of[1:])
            return
        self.worker, self.current = None, None
        store = self.store_getter()
        text = str(exc)
        cancelled = isinstance(exc, DownloadStopped) and exc.cancelled
        forgotten, self._forgotten = self._forgotten == video_id, None
        if self.closing or store is None or forgotten or store.video(video_id) is None:
            unlock_folder(lock)  # the window closes (the entry stays marked downloading, continued at the next start),
            if not self.closing:  # or the entry was removed: nothing to say
                self._next()
            return
        stop(store, video_id, folder, text, lock, cancelled)
        self.last_stopped = None if cancelled else video_id
        self._changed()
        self.stopped.emit(video_id, text, cancelled)
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


def every_step(report):
    """Progress passed on at each tenth of a percent, or every 100 ms: never the last report before a stall
    dropped (the seek bar and the card show what is really here), and never a flood of them."""
    last = [0.0, -1]

    def progress(p: Progress) -> None:
        step, now = int(p.fraction * 1000) if p.fraction is not None else -1, time.monotonic()
        if step != last[1] or now - last[0] >= 0.1:
            last[0], last[1] = now, step
            report(p)

    return progress
