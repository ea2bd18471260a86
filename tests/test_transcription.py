"""Local transcription's pipeline with a stand-in engine: stretches in order, lines stored as they finish, kill and resume, cancel, re-transcribing a stretch."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.transcript.model import Chapter, Cue, Transcript
from reader.transcription import job as jobs
from reader.transcription.models import models_dir

from conftest import add_video, run
from media import TONE_WORDS, make_tone_speech
from transcribing import (  # noqa: F401 (fixtures)
    SECONDS,
    SENTENCES,
    _fake_model,
    _finish,
    _first_progress,
    _lines,
    _rows,
    _words,
    gate,
    standin,
    talk,
)

ROOT = Path(__file__).resolve().parents[1]
def test_stretches_in_order_and_each_stored_as_it_finishes(standin, gate, talk):
    job = jobs.start(talk, "stand-in")
    first = _first_progress(job)
    # the worker waits before its second stretch: the library already has the first stretch's lines, and only those
    transcript, video = _lines(talk)
    assert first["lines_added"] == len(transcript.cues) > 0
    assert all(c.end_ms <= first["done_ms"] for c in transcript.cues)
    assert video["transcript_source"].startswith("transcribed, stand-in (test engine tests.standin_engine), ")
    (gate / "open").touch()
    rest = _finish(job)
    offsets = [int(line.split()[0]) for line in standin.read_text().split("\n") if line]
    assert offsets == sorted(offsets) and offsets[0] == 0 and len(offsets) >= 4
    done = [first["done_ms"]] + [p["done_ms"] for p in rest]
    assert done == sorted(done) and done[-1] == rest[-1]["total_ms"]
    transcript, video = _lines(talk)
    assert [c.start_ms for c in transcript.cues] == SENTENCES  # one line a sentence, none twice, none lost
    assert {c.text for c in transcript.cues} == {" ".join(TONE_WORDS[i] for i in (0, 1, 2, 7))}
    for cue, start in zip(transcript.cues, SENTENCES):
        assert [w.text for w in cue.words] == ["alpha", "bravo", "charlie", "stop."]
        assert all(abs(w.start_ms - (start + k * 300)) <= 30 for k, w in enumerate(cue.words))
    assert transcript.chapters == [Chapter(0, "Start"), Chapter(50_000, "Middle")]
    assert video["transcript_language"] == "xx" and video["cue_count"] == len(SENTENCES)
    assert video["transcript_format"] == "whisper"
    row = _rows()[-1]
    assert (row["status"], row["done_ms"], row["model"]) == ("done", SECONDS * 1000, "stand-in")


def test_a_chosen_language_is_used_and_recorded(standin, talk):
    _finish(jobs.start(talk, "stand-in", language="de"))
    assert _lines(talk)[1]["transcript_language"] == "de"


def test_a_killed_worker_resumes_from_its_last_finished_stretch(standin, gate, talk):
    job = jobs.start(talk, "stand-in")
    first = _first_progress(job)
    os.kill(job.pid, signal.SIGKILL)
    job.wait(60)
    store = Store()
    left = jobs.unfinished(store)
    store.close()
    assert [(r["video_id"], r["done_ms"]) for r in left] == [(talk, first["done_ms"])]
    (gate / "open").touch()
    standin.write_text("")
    _finish(jobs.resume(left[0]))
    offsets = [int(line.split()[0]) for line in standin.read_text().split("\n") if line]
    assert offsets[0] == first["done_ms"]  # nothing before the last finished stretch is done again
    transcript, _ = _lines(talk)
    assert [c.start_ms for c in transcript.cues] == SENTENCES
    assert [r["status"] for r in _rows()] == ["done"]
    store = Store()
    assert jobs.unfinished(store) == []
    store.close()


def test_cancel_ends_the_worker_at_once_and_keeps_the_finished_stretches(standin, gate, talk):
    job = jobs.start(talk, "stand-in")
    first = _first_progress(job)
    job.cancel()
    assert job.returncode not in (None, 0) and job.error == ""
    transcript, _ = _lines(talk)
    assert len(transcript.cues) == first["lines_added"]
    assert [r["status"] for r in _rows()] == ["cancelled"]
    store = Store()
    assert jobs.unfinished(store) == []  # a cancelled job is not offered for resuming
    store.close()


def _video_with_transcript(tmp_path, source="creator") -> tuple[int, int]:
    """A recording whose transcript came from elsewhere: punctuated differently, and with a '[music]' line inside
    45-60 s; a highlight on "bravo charlie" in the line at 50 s. Returns (video id, highlight id)."""
    media = make_tone_speech(tmp_path / "talk.m4a", _words(), SECONDS)
    cues = []
    for s in SENTENCES:
        cues.append(Cue(s, s + 1100, "Alpha, bravo, charlie; stop!"))
        if 45_000 <= s < 60_000:
            cues.append(Cue(s + 1500, s + 2000, "[music]"))
    store = Store()
    vid = store.add_video(VideoRecord("test", "old", "A talk", duration_ms=SECONDS * 1000, media_path=str(media),
                                      transcript_source=source), Transcript(cues, [Chapter(0, "Start")], format="webvtt"))
    line = next(i for i, c in enumerate(store.transcript(vid).cues) if c.start_ms == 50_000)
    hid = store.add_highlight(vid, line, 7, line, 21, 50_000, 51_100, "bravo, charlie")
    store.close()
    return vid, hid


def test_re_transcribing_a_stretch_replaces_just_its_lines_and_re_anchors_highlights(standin, tmp_path):
    vid, hid = _video_with_transcript(tmp_path)
    _finish(jobs.start(vid, "stand-in", from_ms=45_000, to_ms=60_000))
    transcript, video = _lines(vid)
    inside = [c for c in transcript.cues if 45_000 <= c.start_ms < 60_000]
    outside = [c for c in transcript.cues if not 45_000 <= c.start_ms < 60_000]
    assert [c.text for c in inside] == ["alpha bravo charlie stop."] * 6  # the [music] lines went with the rest
    assert {c.text for c in outside} == {"Alpha, bravo, charlie; stop!"} and len(outside) == len(SENTENCES) - 6
    assert [c.start_ms for c in transcript.cues] == SENTENCES
    assert video["transcript_source"] == "creator"  # still mostly theirs
    store = Store()
    h = store.highlight(hid)
    store.close()
    line = transcript.cues[h["start_cue"]]
    assert line.start_ms == 50_000 and line.text[h["start_offset"]:h["end_offset"]] == "bravo charlie"
    assert h["anchor_lost_at"] is None


def test_a_video_with_a_transcript_from_elsewhere_is_never_transcribed_whole(standin, tmp_path):
    vid, _ = _video_with_transcript(tmp_path)
    before, _ = _lines(vid)
    job = jobs.start(vid, "stand-in")
    assert job.wait(120) == 2
    assert "already has a transcript" in job.error and "--from" in job.error
    after, video = _lines(vid)
    assert [c.text for c in after.cues] == [c.text for c in before.cues] and video["transcript_source"] == "creator"


def test_cli_transcribe_shows_progress_and_stores_the_lines(standin, talk):
    _fake_model(models_dir() / "tiny.en")
    code = subprocess.run([sys.executable, "-m", "reader", "transcribe", str(talk)], capture_output=True, text=True,
                          env=os.environ, timeout=300, cwd=ROOT)
    assert code.returncode == 0, code.stderr
    assert code.stdout == f"{talk}\t{len(SENTENCES)} lines transcribed\n"
    progress = [line for line in code.stderr.splitlines() if line.startswith("transcribed ")]
    assert progress and progress[-1].startswith("transcribed 1:40 of 1:40") and "left" in progress[0]
    assert _lines(talk)[1]["transcript_source"].startswith("transcribed, tiny.en (test engine tests.standin_engine), ")


def test_import_transcribes_a_file_without_subtitles(standin, tmp_path, capsys):
    model = _fake_model(tmp_path / "my-model")
    media = make_tone_speech(tmp_path / "talk.m4a", _words(), SECONDS)
    code, out, err = run(capsys, "import", media, "--transcribe", "--model", model)
    assert code == 0, err
    vid = int(out.split("\t")[0])
    assert len(_lines(vid)[0].cues) == len(SENTENCES)
    assert _lines(vid)[1]["transcript_source"].startswith("transcribed, my-model (test engine tests.standin_engine), ")


@pytest.mark.parametrize("argv, says", [
    (["transcribe", "1"], "reader models download"),  # no model installed at all
    (["transcribe", "1", "--model", "huge"], "no model called"),
    (["transcribe", "1", "--model", "small.en"], "reader models download small.en"),
    (["transcribe", "1", "--model", "/nowhere/at/all"], "does not exist"),
    (["transcribe", "0"], "not a video id"),
    (["transcribe", "1", "--from", "soon"], "not a time"),
    (["models", "download"], "say which model"),
    (["models", "download", "medium"], "no model called"),
    (["transcribe", "99"], "no video 99"),  # said before any model is looked for
    (["transcribe", "1", "--from", "9:00", "--to", "9:10"], "past the end of video 1"),
])
def test_cli_failures_are_one_line_and_exit_2(capsys, argv, says):
    add_video()  # video 1, 30 s long
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("reader: ") and says in err.lower()


def test_cli_refuses_a_stretch_that_ends_before_it_starts(capsys):
    add_video()
    _fake_model(models_dir() / "base")
    code, out, err = run(capsys, "transcribe", "1", "--from", "0:20", "--to", "0:10")
    assert code == 2 and err.startswith("reader: --to must be after --from")


def test_models_list_says_size_speed_and_what_is_installed(capsys):
    _fake_model(models_dir() / "base.en")
    (models_dir() / ".small.abc.part").mkdir()  # a download under way is not a model
    code, out, _ = run(capsys, "models", "list")
    assert code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert list(rows) == ["tiny", "tiny.en", "base", "base.en", "small", "small.en"]
    assert rows["base.en"][3] == "installed" and rows["small"][3] == "not installed"
    assert rows["tiny"][1] == "75 MB" and "faster than real time" in rows["tiny"][4]


def test_the_window_does_not_load_the_engine():
    code = ("import sys, reader.ui.main_window, reader.cli.main, reader.transcription.job, reader.transcription.models; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('faster_whisper', 'ctranslate2', 'huggingface_hub')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]", out.stderr


def _silent_video(path):
    from media import make_clip

    return make_clip(path, seconds=2, audio=False)


def _garbage(path):
    path.write_bytes(b"\x00\x01 not media at all " * 500)
    return path


@pytest.mark.parametrize("make, says", [
    (lambda p: p / "gone.m4a", "media file of video"),
    (lambda p: _silent_video(p / "silent.mp4"), "no sound to transcribe"),
    (lambda p: _garbage(p / "broken.m4a"), "cannot be read"),
])
def test_a_job_that_cannot_run_fails_in_one_sentence_and_changes_nothing(standin, tmp_path, make, says):
    media = make(tmp_path)
    store = Store()
    vid = store.add_video(VideoRecord("test", "x", "A talk", media_path=str(media)), None)
    store.close()
    job = jobs.start(vid, "stand-in")
    assert job.wait(120) == 2
    assert says in job.error and "\n" not in job.error and "Traceback" not in job.error and job.error.endswith(".")
    transcript, video = _lines(vid)
    assert transcript.cues == [] and video["transcript_source"] == "none"
    assert all(r["status"] == "failed" for r in _rows())


def test_a_job_for_a_video_not_in_the_library_fails_in_one_sentence(standin):
    job = jobs.start(999, "stand-in")
    assert job.wait(120) == 2 and job.error == "There is no video 999 in the library."


def test_a_model_folder_whose_model_cannot_be_loaded_fails_in_one_sentence(talk, tmp_path, capsys):
    model = _fake_model(tmp_path / "not-really")  # the real engine this time: its model.bin is 64 zero bytes
    code, out, err = run(capsys, "transcribe", talk, "--model", model)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"reader: The model in {model} cannot be loaded ({err.split('(', 1)[1].split(')')[0]})."]
    transcript, video = _lines(talk)
    assert transcript.cues == [] and _rows()[-1]["status"] == "failed"


def test_captions_imported_while_transcribing_are_left_alone(standin, gate, talk):
    job = jobs.start(talk, "stand-in")
    _first_progress(job)
    store = Store()
    store.set_transcript(talk, Transcript([Cue(1000, 2000, "The creator's own words.")], format="webvtt"), source="creator")
    store.close()
    (gate / "open").touch()
    assert job.wait(120) == 2 and "from elsewhere meanwhile" in job.error
    transcript, video = _lines(talk)
    assert [c.text for c in transcript.cues] == ["The creator's own words."] and video["transcript_source"] == "creator"
    assert _rows()[-1]["status"] == "failed"


def test_the_packaged_app_runs_the_worker_through_its_one_command(standin, talk):
    # a packaged Reader has no `python -m`: `Reader --transcription-worker ...` is the worker
    out = subprocess.run([sys.executable, "-m", "reader", "--transcription-worker", "--video", str(talk), "--model", "stand-in"],
                         capture_output=True, text=True, env=os.environ, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1].startswith('{"done_ms": 100000')
    assert len(_lines(talk)[0].cues) == len(SENTENCES)
