"""A path the user gives that is a loop of symbolic links is called a loop of links, not "does not exist",
wherever a path is given: a model folder or a file in it, a bare model name, and every command's file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from model_files import _model

from reader.transcription.models import ModelProblem, resolve


def _loop(path: Path) -> Path:
    """path -> path.other -> path: two links that lead to each other."""
    other = path.with_name(path.name + ".other")
    os.symlink(other, path)
    os.symlink(path, other)
    return path


def _self_loop(path: Path) -> Path:
    os.symlink(path, path)
    return path


def _file_loop(name: str):
    def make(folder: Path) -> Path:
        _model(folder, **{name: None})
        _loop(folder / name)
        return folder
    return make


@pytest.mark.parametrize("make", [_loop, _self_loop, _file_loop("model.bin"), _file_loop("config.json"), _file_loop("vocabulary.txt")],
                         ids=["folder loop", "folder links to itself", "model.bin loop", "config.json loop", "vocabulary loop"])
def test_a_model_path_that_is_a_loop_of_links(tmp_path, make):
    folder = make(tmp_path / "mine")
    with pytest.raises(ModelProblem) as caught:
        resolve(str(folder))
    message = str(caught.value)
    assert "loop of symbolic links" in message and "does not exist" not in message, message
    assert message.endswith(".") and "\n" not in message


def test_a_bare_model_name_that_is_a_loop_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _loop(tmp_path / "mymodel")
    with pytest.raises(ModelProblem, match="loop of symbolic links"):
        resolve("mymodel")


COMMANDS = [
    ("transcript", lambda loop, t: ["transcript", loop, "--to", "txt"]),
    ("open", lambda loop, t: ["open", loop]),
    ("open --subs", lambda loop, t: ["open", t / "talk.mp4", "--subs", loop]),
    ("import", lambda loop, t: ["import", loop]),
    ("import --subs", lambda loop, t: ["import", t / "talk.mp4", "--subs", loop]),
    ("restore", lambda loop, t: ["restore", loop]),
    ("transcribe --model", lambda loop, t: ["transcribe", "1", "--model", loop]),
]


@pytest.mark.parametrize("name,args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_given_a_loop_of_links_says_so(tmp_path, clip_dir, name, args):
    import shutil

    shutil.copy(clip_dir / "talk.mp4", tmp_path / "talk.mp4")
    loop = _loop(tmp_path / "looped.srt")
    env = {**os.environ, "READER_DATA_DIR": str(tmp_path / "data"), "READER_CONFIG_DIR": str(tmp_path / "config"), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "reader", *map(str, args(loop, tmp_path))], capture_output=True, text=True,
                         timeout=60, env=env)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and lines[0].startswith("reader: "), out.stderr
    if name != "transcribe --model":  # (no video 1 in an empty library is said first, and that is right)
        assert "loop of symbolic links" in lines[0] and "no such file" not in lines[0], lines[0]
