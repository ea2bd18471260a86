"""kill -9 of the process that drives a transcription (`reader transcribe ID`, stand-in engine) at several moments,
then resume: no line twice or lost, and no worker left running without its parent."""

import os
import signal
import subprocess
import sys
import time

import pytest

from reader.library.db.store import Store
from reader.transcription import job as jobs
from reader.transcription.models import models_dir

from transcribing import ROOT, SENTENCES, _fake_model, _lines, standin, talk  # noqa: F401 (fixtures)


def _worker_pids(video_id: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            with open(f"/proc/{entry}/stat", encoding="ascii") as f:
                zombie = f.read().rsplit(")", 1)[-1].split()[0] == "Z"
        except OSError:
            continue
        if not zombie and b"reader.transcription.worker" in argv and str(video_id).encode() in argv \
                and os.environ["READER_DATA_DIR"].encode() in open(f"/proc/{entry}/environ", "rb").read():
            found.append(int(entry))
    return found


@pytest.mark.parametrize("moment_s", [0.3, 0.8, 1.5, 2.5])
def test_kill_9_of_the_parent_then_resume(standin, talk, moment_s):
    _fake_model(models_dir() / "tiny.en")
    parent = subprocess.Popen([sys.executable, "-m", "reader", "transcribe", str(talk)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=os.environ, cwd=ROOT)
    time.sleep(moment_s)
    parent.kill()
    parent.wait(30)
    for _ in range(1500):  # the worker notices its parent is gone by its next progress line at the latest
        if not _worker_pids(talk):
            break
        time.sleep(0.02)
    assert not _worker_pids(talk), "a worker is left running without its parent"
    store = Store()
    left = jobs.unfinished(store)
    rows = list(store.db.query("select status from transcriptions"))
    starts = [c.start_ms for c in store.transcript(talk).cues]
    store.close()
    assert starts == sorted(set(starts)) and set(starts) <= set(SENTENCES)
    assert all(r["status"] in ("running", "done") for r in rows), rows  # never "failed" for a parent's death
    if left:
        job = jobs.resume(left[0])
        assert job.wait(300) == 0, job.error
    elif not rows or rows[-1]["status"] != "done":  # killed before the worker wrote its row: start again
        assert jobs.start(talk, str(models_dir() / "tiny.en")).wait(300) == 0
    assert [c.start_ms for c in _lines(talk)[0].cues] == SENTENCES


def test_a_parent_gone_when_the_worker_first_writes_to_stderr_leaves_the_row_to_resume(standin, talk):
    """A killed parent closes both of the worker's pipes; the first write to find it gone may be a note on stderr
    (the test engine's, say) rather than a progress line: that too is the parent's death, not the job's failure."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the parent's end of the worker's stderr is gone from the start
    worker = subprocess.Popen([sys.executable, "-m", "reader.transcription.worker", "--video", str(talk), "--model", "stand-in"],
                              stdout=subprocess.PIPE, stderr=write_end, env=os.environ, cwd=ROOT)
    os.close(write_end)
    first = worker.stdout.readline()
    worker.stdout.close()
    assert worker.wait(60) == 3 and first.startswith(b'{"transcription": ')
    store = Store()
    left = jobs.unfinished(store)
    rows = list(store.db.query("select status, error from transcriptions"))
    store.close()
    assert rows == [{"status": "running", "error": ""}] and len(left) == 1, rows
    assert jobs.resume(left[0]).wait(300) == 0
    assert [c.start_ms for c in _lines(talk)[0].cues] == SENTENCES
