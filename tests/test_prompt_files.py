"""Prompt files in the config folder's prompts/ that cannot be prompts (binary, huge, a FIFO, unpaired braces,
control characters, a folder, a loop of links): one sentence on stderr, and the bundled prompt is used, or the
study tool is left out when Reader has none of that name; never a hang, a traceback or a prompt sent unfilled."""

import os

import pytest

from reader.asking import prompts, study
from reader.base.paths import config_dir
from reader.base.resources import resource


def _write(path, kind):
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe" + bytes(range(256)))
    elif kind == "nul and escapes":
        path.write_text("Explain {text}\x00\x1b]0;x\x07", encoding="utf-8")
    elif kind == "huge":
        path.write_bytes(b"Explain {text}. " + b"a" * (prompts.MAX_PROMPT_BYTES + 1))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "open brace":
        path.write_text("Explain {text and stop", encoding="utf-8")
    elif kind == "close brace":
        path.write_text("Explain } {text}", encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
    elif kind == "loop":
        os.symlink(path, path)
    return path


KINDS = ["binary", "nul and escapes", "huge", "fifo", "open brace", "close brace", "folder", "loop"]


@pytest.fixture(autouse=True)
def fresh():
    prompts._said.clear()


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_prompt_copy_falls_back_to_the_bundled_prompt(kind, capsys):
    _write(config_dir() / "prompts" / "explain.md", kind)
    text = prompts.template("explain")
    assert text == resource("prompts", "explain.md").read_text(encoding="utf-8")
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("reader: explain.md") and "Reader uses its own explain prompt" in err[0], err
    assert "Error" not in err[0] and "Traceback" not in err[0]
    prompts.template("explain")
    assert not capsys.readouterr().err  # said once a run, not once a request


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_study_tool_file_is_left_out_or_replaced_by_the_bundled_one(kind, capsys):
    bundled = sorted(p.name for p in resource("prompts", "tools").glob("*.md"))
    _write(config_dir() / "prompts" / "tools" / bundled[0], kind)
    _write(config_dir() / "prompts" / "tools" / "99-mine.md", kind)
    names = [t.key for t in study.tools()]
    assert len(names) == len(bundled) and "mine" not in names  # the bundled tool stays; the user's own is left out
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("reader: ") for line in err), err


def test_a_good_copy_is_used():
    _write(config_dir() / "prompts" / "explain.md", "open brace").write_text("Mine: {{literal}} {selection}", encoding="utf-8")
    assert prompts.fill("explain", selection="words") == "Mine: {literal} words"
