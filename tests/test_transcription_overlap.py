"""Transcriptions that overlap other work, with the stand-in engine and real worker processes: the same video
twice at once, the video removed or re-imported meanwhile, and kill -9 of the worker at many moments."""

import os
import signal
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from reader.library import importing as library
from reader.library.db.store import Store
from reader.transcription import job as jobs, worker

from conftest import add_video, run
from transcribing import SENTENCES, _first_progress, _lines, _rows, gate, standin, talk  # noqa: F401 (fixtures)


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


def _store_removes(video_id, capsys):
    store = Store()
    store.remove_video(video_id)
    store.close()


def _window_removes(video_id, capsys):
    """As the window's Remove does: the entry, and the files Reader keeps for it."""
    store = Store()
    library.remove(store, video_id)
    store.close()


def _imported_again(video_id, capsys):
    store = Store()
    source = store.video(video_id)["source_url"]
    store.close()
    code, out, err = run(capsys, "import", unquote(urlparse(source).path))
    assert code == 0 and out.startswith(f"{video_id}\t"), err


MEANWHILE = [  # (what happens meanwhile, whether the transcript is kept, how many media folders are left)
    ("the entry removed", _store_removes, False, 1),
    ("the entry and its media removed, as the window's Remove does", _window_removes, False, 0),
    ("the same file imported again", _imported_again, True, 1),
]


@pytest.mark.parametrize("meanwhile, kept, media_left", [c[1:] for c in MEANWHILE], ids=[c[0] for c in MEANWHILE])
def test_the_video_removed_or_imported_again_while_it_is_transcribed(standin, gate, talk, capsys, meanwhile, kept,
                                                                     media_left):
    job = jobs.start(talk, "stand-in")
    _first_progress(job)  # the first stretch is stored; the worker waits before the next
    meanwhile(talk, capsys)
    (gate / "open").touch()
    code = job.wait(120)
    store = Store()
    rows = list(store.db.query("select video_id, status from transcriptions"))
    left = jobs.unfinished(store)
    video = store.video(talk)
    starts = [c.start_ms for c in store.transcript(talk).cues]
    folders = sorted(p.name for p in library.media_root().iterdir() if not p.name.startswith("."))
    store.close()
    assert not left, left  # no row left running for ever
    assert len(folders) == media_left, folders
    if kept:  # one whole transcript, each line once, on the entry's new copy of the file
        assert code == 0, job.error
        assert starts == SENTENCES and rows == [{"video_id": talk, "status": "done"}]
        assert video["cue_count"] == len(SENTENCES) and video["transcript_source"].startswith("transcribed, stand-in")
        assert folders == [Path(video["media_path"]).parent.name]  # the new copy (the old one went with the import)
    else:  # one sentence, and no line on a video that is gone
        assert code == 2 and "\n" not in job.error and "Traceback" not in job.error, job.error
        assert "no longer in the library" in job.error, job.error
        assert video is None and starts == [] and rows == []


def test_no_transcription_row_is_made_for_a_video_removed_since_its_job_looked():
    video_id = add_video()
    store = Store()
    store.remove_video(video_id)
    with pytest.raises(LookupError, match=f"video {video_id} is no longer in the library"):
        store.start_transcription(video_id, "stand-in", "stand-in", None, 0, None, os.getpid())
    assert list(store.db.query("select * from transcriptions")) == []
    store.close()


def test_a_stretch_whose_file_and_video_are_gone_says_the_video_is_gone(tmp_path):
    video_id = add_video()
    store = Store()
    store.remove_video(video_id)
    with pytest.raises(LookupError, match=f"video {video_id} is no longer in the library"):
        worker._sound(store, video_id, tmp_path / "media.m4a", 30_000, 60_000)
    store.close()


MOMENTS_S = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.7, 2.0]


def test_kill_9_of_the_worker_at_20_moments_then_resume(standin, talk, monkeypatch):
    """One transcription killed 20 times, each at another moment of its run (starting, loading, between and inside
    stretches, storing), each time resumed from its row: in the end every line is there once."""
    import time

    # each stretch takes a third of a second, so that the moments fall while it runs however fast the machine
    # starts the worker (with Python's bytecode cached, the stand-in finished before half of them came)
    monkeypatch.setenv("READER_STANDIN_DELAY_S", "0.3")

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
