"""Media with nothing to transcribe, given to transcription with the stand-in engine: no audio stream at all, and
hours of silence. Each ends in one sentence, reads the sound a stretch at a time (bounded memory), and adds no line."""

import os
import subprocess
import sys

import pytest

from reader.library.db.store import Store
from reader.transcription.models import models_dir
from reader.transcription.worker import STRETCH_MS

from conftest import run
from media import make_clip, make_silence
from transcribing import ROOT, _fake_model, _lines, standin  # noqa: F401 (fixtures)

RATE = 16_000


def _no_audio(tmp_path):
    return make_clip(tmp_path / "mute.mp4", seconds=3, audio=False)


def _two_hours_of_silence(tmp_path):
    return make_silence(tmp_path / "silence.flac", 2 * 3600)


@pytest.mark.parametrize("make, said, stretches", [
    (_no_audio, "has no sound to transcribe", 0),
    (_two_hours_of_silence, "no speech was heard", 2 * 3600 * 1000 // STRETCH_MS),
], ids=["no audio stream", "two hours of silence"])
def test_nothing_to_transcribe_says_so_in_one_sentence(standin, tmp_path, capsys, make, said, stretches):
    code, out, err = run(capsys, "import", make(tmp_path))
    assert code == 0, err
    video = int(out.split("\t")[0])
    _fake_model(models_dir() / "tiny.en")
    done = subprocess.run([sys.executable, "-m", "reader", "transcribe", str(video)], capture_output=True, text=True,
                          env=os.environ, timeout=300, cwd=ROOT)
    said_lines = [line for line in done.stderr.splitlines() if line.startswith("reader:")]
    assert done.returncode == 2 and len(said_lines) == 1 and said in said_lines[0], done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert said_lines[0].endswith(".") and done.stdout == ""
    log = [line.split() for line in standin.read_text().splitlines()] if standin.exists() else []
    assert len(log) == stretches  # a stretch at a time, each at most STRETCH_MS of samples: memory stays bounded
    assert all(int(n) <= STRETCH_MS * RATE // 1000 for _, n in log)
    assert not _lines(video)[0].cues
    store = Store()
    assert [r["status"] for r in store.db.query("select status from transcriptions")] in ([], ["failed"], ["done"])
    store.close()
