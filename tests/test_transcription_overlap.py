"""Transcriptions that overlap other work, with the stand-in engine and real worker processes: the same video
twice at once, the video removed or re-imported meanwhile, and kill -9 of the worker at many moments."""

import os
import signal

from transcribing import SENTENCES, _first_progress, _lines, _rows, gate, standin, talk  # noqa: F401 (fixtures)

from reader.store import Store
from reader.transcription import job as jobs


def test_the_same_video_transcribed_twice_at_once(standin, talk):
    first = jobs.start(talk, "stand-in")
    second = jobs.start(talk, "stand-in")
    code1, code2 = first.wait(300), second.wait(300)
    transcript, _ = _lines(talk)
    starts = [c.start_ms for c in transcript.cues]
    assert starts == SENTENCES, (code1, code2, first.error, second.error)  # each line once, none lost
    assert sorted((code1, code2)) == [0, 2] or (code1, code2) == (0, 0), (code1, code2, second.error)
    if code2 == 2:
        assert "\n" not in second.error and second.error.endswith(".") and "Traceback" not in second.error


def test_the_video_removed_while_it_is_transcribed(standin, gate, talk, capsys):
    job = jobs.start(talk, "stand-in")
    _first_progress(job)
    store = Store()
    store.remove_video(talk) if hasattr(store, "remove_video") else store.delete_video(talk)
    store.close()
    (gate / "open").touch()
    code = job.wait(120)
    assert code == 2 and "\n" not in job.error and "Traceback" not in job.error, job.error
    store = Store()
    assert store.video(talk) is None and not list(store.db.query("select * from cues where video_id = ?", [talk]))
    store.close()


MOMENTS_S = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.7, 2.0]


def test_kill_9_of_the_worker_at_20_moments_then_resume(standin, talk):
    """One transcription killed 20 times, each at another moment of its run (starting, loading, between and inside
    stretches, storing), each time resumed from its row: in the end every line is there once."""
    import time

    job = jobs.start(talk, "stand-in")
    killed = 0
    for delay in MOMENTS_S:
        time.sleep(delay)
        if job.returncode is None and job.pid:
            try:
                os.kill(job.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        killed += job.wait(60) == -signal.SIGKILL
        store = Store()
        left = jobs.unfinished(store)
        transcript = store.transcript(talk)
        store.close()
        starts = [c.start_ms for c in transcript.cues]
        assert starts == sorted(set(starts)) and set(starts) <= set(SENTENCES)  # never a line twice, even mid-way
        assert len(left) <= 1
        if left:
            job = jobs.resume(left[0])
        elif job.returncode == 0:  # it finished before this moment came
            break
        else:  # killed before it wrote its row: nothing was done, so it starts again
            job = jobs.start(talk, "stand-in")
    if job.wait(300) != 0:
        store = Store()
        left = jobs.unfinished(store)
        store.close()
        assert jobs.resume(left[0]).wait(300) == 0 if left else jobs.start(talk, "stand-in").wait(300) == 0
    transcript, _ = _lines(talk)
    assert [c.start_ms for c in transcript.cues] == SENTENCES
    assert killed >= 10, killed  # most moments came while it ran (the stand-in is quick; a late one may find it done)
