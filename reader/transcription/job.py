"""A transcription running in its own process: start, poll its progress lines, cancel at once, resume an unfinished one."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading


class Job:
    """One worker process. poll() never blocks; cancel() ends the process at once (its finished stretches stay)."""

    def __init__(self, video_id: int, argv: list[str], row: int | None = None):
        self.video_id = video_id
        self.row = row  # the transcriptions row, known from the worker's first line (or given when resuming)
        self.error = ""
        self.cancelled = False
        self._lines: queue.Queue = queue.Queue()
        self._stderr: list[str] = []
        # the packaged app is one executable without `python -m`: it runs the worker when given this first argument
        command = [sys.executable, "--transcription-worker"] if getattr(sys, "frozen", False) else [
            sys.executable, "-m", "reader.transcription.worker"]
        self.process = subprocess.Popen(
            [*command, *argv], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
            start_new_session=True)
        self._out = threading.Thread(target=self._read_stdout, daemon=True)
        self._err = threading.Thread(target=self._read_stderr, daemon=True)
        self._out.start()
        self._err.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_stdout(self) -> None:
        for line in self.process.stdout:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict) and "transcription" in data:
                self.row = data["transcription"]
            elif isinstance(data, dict):
                self._lines.put(data)

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            if line.strip():
                self._stderr.append(line.strip())

    def poll(self) -> list[dict]:
        """The progress lines that came since the last call: {"done_ms", "total_ms", "lines_added", "elapsed_s"}."""
        out = []
        while True:
            try:
                out.append(self._lines.get_nowait())
            except queue.Empty:
                return out

    @property
    def returncode(self) -> int | None:
        code = self.process.poll()
        if code is not None:
            self._settle(code)
        return code

    def _settle(self, code: int) -> None:
        self._out.join(5)
        self._err.join(5)
        if code != 0 and not self.cancelled and not self.error:
            said = [s for s in self._stderr if s.startswith("reader:")]
            self.error = (said[-1].removeprefix("reader:").strip() if said
                          else f"The transcription stopped unexpectedly (exit status {code}).")

    def wait(self, timeout: float | None = None) -> int | None:
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._settle(code)
        return code

    def cancel(self) -> None:
        """End the worker now; the stretches it finished stay in the library, and its row says cancelled."""
        if self.process.poll() is None:
            self.cancelled = True
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.wait()
        self._settle(self.process.returncode)
        if self.cancelled and self.row is not None:
            from reader.library.db.errors import LibraryError
            from reader.library.db.store import Store

            try:
                store = Store()
                try:
                    store.end_transcription(self.row, "cancelled")
                finally:
                    store.close()
            except LibraryError:
                pass  # the row stays "running" and is offered for resuming: nothing is lost


def _argv(video_id: int, model: str, from_ms: int, to_ms: int | None, language: str | None, row: int | None = None) -> list[str]:
    argv = ["--video", str(video_id), "--model", model, "--from", str(int(from_ms))]
    if to_ms is not None:
        argv += ["--to", str(int(to_ms))]
    if language:
        argv += ["--language", language]
    if row is not None:
        argv += ["--row", str(row)]
    return argv


def start(video_id: int, model: str, from_ms: int = 0, to_ms: int | None = None, language: str | None = None) -> Job:
    """Transcribe video_id's media from from_ms (to to_ms, or its end) with model (a name or a folder)."""
    return Job(video_id, _argv(video_id, model, from_ms, to_ms, language))


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a worker killed while its parent lives on is a zombie until reaped: not alive
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def unfinished(store) -> list[dict]:
    """Transcriptions a closed or killed Reader left running (their process is gone), to resume from done_ms."""
    return [row for row in store.running_transcriptions() if not _alive(row.get("pid"))]


def resume(row: dict) -> Job:
    """Go on with an unfinished transcription from its last finished stretch, in the same row."""
    return Job(row["video_id"], _argv(row["video_id"], row.get("model_path") or row["model"], row["done_ms"],
                                      row.get("to_ms"), row.get("language") or None, row["id"]), row["id"])
