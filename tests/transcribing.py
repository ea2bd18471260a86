"""Shared by the transcription tests: a 100 s talk of tone sentences, the stand-in engine and its gate, and what was stored."""

import os
import time
from pathlib import Path

import pytest

from reader.library.db.store import Store

from conftest import run
from media import make_tone_speech

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 100
# a sentence every 2.5 s: alpha bravo charlie stop.
SENTENCES = list(range(0, 95_000, 2_500))


def _words():
    return [(s + k * 300, i) for s in SENTENCES for k, i in enumerate((0, 1, 2, 7))]


@pytest.fixture
def standin(monkeypatch, tmp_path):
    monkeypatch.setenv("READER_TRANSCRIPTION_TEST_ENGINE", "tests.standin_engine")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    monkeypatch.setenv("READER_STANDIN_LOG", str(tmp_path / "stretches.log"))
    return tmp_path / "stretches.log"


@pytest.fixture
def gate(monkeypatch, tmp_path):
    folder = tmp_path / "gate"
    folder.mkdir()
    monkeypatch.setenv("READER_STANDIN_GATE", str(folder))
    return folder


@pytest.fixture
def talk(tmp_path, capsys):
    """A 100 s recording of tone sentences with two chapters, imported (no subtitles): video 1."""
    media = make_tone_speech(tmp_path / "talk.m4a", _words(), SECONDS, chapters=[(0, "Start"), (50_000, "Middle")])
    code, out, _ = run(capsys, "import", media)
    assert code == 0
    return int(out.split("\t")[0])


def _first_progress(job) -> dict:
    for _ in range(6000):  # waits for the worker; nothing here is timed
        lines = job.poll()
        if lines:
            return lines[0]
        assert job.returncode is None, job.error
        time.sleep(0.02)
    raise AssertionError("no progress from the worker")


def _finish(job) -> list[dict]:
    assert job.wait(300) == 0, job.error
    return job.poll()


def _lines(video_id):
    store = Store()
    try:
        return store.transcript(video_id), store.video(video_id)
    finally:
        store.close()


def _rows():
    store = Store()
    try:
        return list(store.db.query("select * from transcriptions order by id"))
    finally:
        store.close()


def _fake_model(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"\0" * 64)
    (folder / "config.json").write_text("{}")
    (folder / "tokenizer.json").write_text("{}")
    (folder / "vocabulary.txt").write_text("a\n")
    return folder
