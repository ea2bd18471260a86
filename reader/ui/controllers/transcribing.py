"""Transcribing: the background job for one video, its progress and time left, its lines reaching the open transcript, and resuming."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

POLL_MS = 400


def _start_job(video_id, model, from_ms=0, to_ms=None, language=None):
    from reader.transcription import job  # loaded when transcription starts: start-up does not pay for it

    return job.start(video_id, model, from_ms=from_ms, to_ms=to_ms, language=language)


def _resume_job(row: dict):
    from reader.transcription import job

    return job.resume(row)


def _end_for_now(job) -> None:
    """End a job's process as a kill would, without calling it cancelled: its row stays to be resumed."""
    import os
    import signal

    pid = getattr(job, "pid", None)
    if pid is None:  # a stand-in job
        job.cancel()
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    job.wait(5)


def _unfinished(store) -> list[dict]:
    try:
        from reader.transcription import job
    except ImportError:  # no engine in this build: nothing can have been left unfinished
        return []
    return job.unfinished(store)


@dataclass
class Running:
    job: object
    video_id: int
    model: str
    from_ms: int
    to_ms: int | None
    done_ms: int = 0
    total_ms: int = 0


def time_left(from_ms: int, done_ms: int, total_ms: int, elapsed_s: float) -> float | None:
    """Seconds left at the speed so far (None until there is a speed to go by)."""
    done = done_ms - from_ms
    if done <= 0 or elapsed_s <= 0 or total_ms <= 0:
        return None
    return max(0.0, (total_ms - done_ms) / (done / elapsed_s))


def progress_words(done_ms: int, total_ms: int, left_s: float | None) -> str:
    """"2:10 of 14:00 transcribed · about 1:40 left"."""
    from reader.transcript.writers import short_clock

    text = f"{short_clock(done_ms)} of {short_clock(total_ms)} transcribed" if total_ms else "Starting…"
    if left_s is not None:
        m, s = divmod(int(round(left_s)), 60)
        text += f" · about {m}:{s:02d} left"
    return text


class TranscribingController(QObject):
    """Starts a transcription in its own process and polls it with a timer, so the window never waits.
    Lines are stored by the job; this re-reads them for the open video and announces them."""

    started = Signal(int, str)  # video id, model
    progress_changed = Signal(int, int, object)  # done ms, total ms, seconds left (None: not known yet)
    transcript_grown = Signal(object, str)  # the open video's transcript so far, its source line
    finished = Signal(int)  # video id
    failed = Signal(int, str)  # video id, what went wrong
    cancelled = Signal(int)  # video id
    resume_offered = Signal(list)  # unfinished jobs (dicts with video_id, model, done_ms…)

    def __init__(self, reading, start_job=_start_job, unfinished=_unfinished, resume_job=_resume_job, parent=None):
        super().__init__(parent)
        self.reading = reading
        self.start_job = start_job
        self.resume_job = resume_job
        self.find_unfinished = unfinished
        self.running: Running | None = None
        self.last: tuple | None = None  # what to try again: video id, model, from ms, to ms, language
        self.offered: list[dict] = []  # unfinished jobs offered for resuming
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def busy(self) -> bool:
        return self.running is not None

    def can_transcribe(self) -> bool:
        """Whether the open video can be transcribed now: its media is open, or its entry's sound came before its
        video (checked whole); and no transcription runs."""
        from reader.library.video_download import sound_of

        reading = self.reading
        if self.running is not None or reading.session is None:
            return False
        if reading.session.media is not None:
            return True
        row = reading.store.video(reading.video_id) if reading.store is not None and reading.video_id is not None else None
        return row is not None and sound_of(row) is not None

    def start(self, video_id: int, model: str, from_ms: int = 0, to_ms: int | None = None, language: str | None = None) -> bool:
        """Start transcribing (one job at a time); a job that cannot start is announced as failed."""
        if self.running is not None:
            self.failed.emit(video_id, "A transcription is already running; cancel it or wait for it to finish.")
            return False
        return self._begin(lambda: self.start_job(video_id, model, from_ms=from_ms, to_ms=to_ms, language=language),
                           video_id, model, from_ms, to_ms, language)

    def _begin(self, make_job, video_id: int, model: str, from_ms: int, to_ms: int | None, language: str | None) -> bool:
        try:
            job = make_job()
        except Exception as exc:  # no model, a folder that is not one, no room: said, never a crash
            self.failed.emit(video_id, str(exc))
            return False
        self.running = Running(job, video_id, model, from_ms, to_ms, from_ms)
        self.last = (video_id, model, from_ms, to_ms, language)
        self.started.emit(video_id, model)
        self.progress_changed.emit(from_ms, 0, None)
        self.timer.start()
        return True

    def poll(self) -> None:
        """Read what the job reported since the last look; new lines reach the open transcript."""
        run = self.running
        if run is None:
            self.timer.stop()
            return
        added, left = 0, None
        for report in run.job.poll():
            run.done_ms = int(report.get("done_ms", run.done_ms))
            run.total_ms = int(report.get("total_ms", run.total_ms) or run.total_ms)
            added += int(report.get("lines_added", 0) or 0)
            left = time_left(run.from_ms, run.done_ms, run.total_ms, float(report.get("elapsed_s", 0) or 0))
        if added:
            self.reload(run.video_id)
        if run.job.returncode is None:
            if added or left is not None:
                self.progress_changed.emit(run.done_ms, run.total_ms, left)
            return
        self.timer.stop()
        self.running = None
        error = getattr(run.job, "error", "") or ""
        if run.job.returncode == 0 and not error:
            self.reload(run.video_id)
            self.finished.emit(run.video_id)
        else:
            if self.last is not None:  # trying again goes on from the last finished stretch
                self.last = (run.video_id, run.model, run.done_ms, run.to_ms, self.last[4])
            self.failed.emit(run.video_id, error or f"Transcription stopped unexpectedly (exit code {run.job.returncode}).")

    def cancel(self) -> None:
        """Stop at once: the job's process ends; the lines it stored so far stay."""
        run, self.running = self.running, None
        self.timer.stop()
        if run is None:
            return
        run.job.cancel()
        self.reload(run.video_id)
        self.cancelled.emit(run.video_id)

    def stop(self) -> None:
        """Reader is closing: the job's process ends with it, and is offered for resuming at the next start."""
        run, self.running = self.running, None
        self.timer.stop()
        if run is not None:
            _end_for_now(run.job)

    def reload(self, video_id: int) -> None:
        """The open video's lines as stored now, with its source line, announced if it is the one transcribed."""
        from reader.library.opened import library_session

        reading = self.reading
        store = reading.store
        if store is None or reading.session is None or reading.video_id != video_id:
            return
        fresh = library_session(store, video_id)
        if fresh is None or fresh.transcript is None:
            return
        reading.session.transcript = fresh.transcript
        reading.session.details = fresh.details
        run = self.running
        source = f"Transcribing with {run.model}: lines appear as they are ready" if run is not None else reading.source_text()
        self.transcript_grown.emit(fresh.transcript, source)

    # -- start-up ------------------------------------------------------------------------------
    def check_unfinished(self) -> list[dict]:
        """Jobs a closed or killed Reader left unfinished: offered to resume (announced, not started)."""
        store = self.reading.store
        if store is None or self.running is not None:
            return []
        try:
            jobs = [j for j in self.find_unfinished(store) if store.video(j["video_id"]) is not None]
        except Exception:  # a damaged record of a job must not stop the window opening
            return []
        self.offered = jobs
        if jobs:
            self.resume_offered.emit(jobs)
        return jobs

    def retry(self) -> bool:
        return self.start(*self.last) if self.last is not None else False

    def resume(self, jobs: list[dict] | None = None) -> bool:
        """Go on with the first unfinished job (the offered one) from its last finished stretch."""
        for row in self.offered if jobs is None else jobs:
            self.offered = []
            if self.running is not None:
                return False
            return self._begin(lambda: self.resume_job(row), row["video_id"], row["model"], int(row.get("done_ms") or 0),
                               row.get("to_ms"), row.get("language") or None)
        return False

    def title(self, video_id: int) -> str:
        store = self.reading.store
        row = store.video(video_id) if store is not None else None
        return row["title"] if row else "this video"
