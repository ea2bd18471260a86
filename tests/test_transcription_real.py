"""The real Whisper engine on espeak-ng speech, when READER_WHISPER_MODEL_DIR names a model folder (skipped otherwise)."""

import os
import re
import shutil
from pathlib import Path

import pytest

from reader.transcription.audio import duration_ms, read_stretch
from reader.transcription.lines import to_lines

from media import make_speech

MODEL = os.environ.get("READER_WHISPER_MODEL_DIR", "")
SENTENCES = ["The quick brown fox jumps over the lazy dog.", "Reading along with a lecture is easier.",
             "Seven apples fell from the tree."]
KNOWN = {"quick", "fox", "lazy", "dog", "reading", "lecture", "apples", "tree"}

pytestmark = [
    pytest.mark.skipif(not MODEL, reason="set READER_WHISPER_MODEL_DIR to a faster-whisper model folder to run the real engine"),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)"),
]


def test_spoken_words_come_back_inside_the_spoken_stretch(tmp_path):
    from reader.transcription.engine import whisper_engine
    from reader.transcription.models import resolve

    name, folder = resolve(MODEL)
    wav, spans = make_speech(tmp_path / "speech.wav", SENTENCES)
    engine = whisper_engine(folder, name)
    offset = 60_000  # as if this were a stretch a minute in: times come back absolute
    pieces, language = engine.transcribe(read_stretch(wav, 0, duration_ms(wav)), offset, "en")
    assert language == "en"
    lines = to_lines(pieces)
    words = [w for line in lines for w in line.words]
    heard = {re.sub(r"\W", "", w.text.lower()) for w in words}
    assert len(KNOWN & heard) >= 6, heard
    first, last = offset + spans[0][0], offset + spans[-1][1]
    for w in words:
        assert first - 600 <= w.start_ms <= last + 300, (w, first, last)
    starts = [w.start_ms for w in words]
    assert starts == sorted(starts)
    fox = next(w for w in words if "fox" in w.text.lower())
    assert offset + spans[0][0] - 600 <= fox.start_ms <= offset + spans[0][1]  # in the first sentence, not later
    assert any(line.text.endswith(".") for line in lines)


def test_a_model_folder_is_accepted_by_name_or_path():
    from reader.transcription.models import resolve

    name, folder = resolve(MODEL)
    assert folder == Path(MODEL).resolve() and name == folder.name


def test_a_recording_is_transcribed_into_the_library(tmp_path, capsys):
    from reader.library.db.store import Store

    from conftest import run

    wav, spans = make_speech(tmp_path / "speech.wav", SENTENCES)
    code, out, err = run(capsys, "import", wav, "--transcribe", "--model", MODEL)
    assert code == 0, err
    store = Store()
    video = store.video(int(out.split("\t")[0]))
    lines = store.transcript(video["id"]).cues
    store.close()
    assert video["transcript_source"].startswith(f"transcribed, {Path(MODEL).resolve().name}, ")
    assert video["transcript_language"] == "en" and video["cue_count"] == len(lines) >= 2
    assert all(line.words for line in lines)
    assert "fox" in " ".join(line.text.lower() for line in lines)
