"""The `reader transcript` command: every output format, and exit status 2 with one line for bad input."""

import json
import subprocess
import sys

import pytest

from conftest import ROLLING


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


@pytest.fixture
def rolling(tmp_path):
    path = tmp_path / "talk.en.vtt"
    path.write_text(ROLLING, encoding="utf-8")
    return path


def test_transcript_to_json(rolling):
    result = run("transcript", str(rolling))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"cues", "chapters", "warnings"}
    assert [c["text"] for c in data["cues"]] == ["no no no", "no no no", "that's what she said"]
    first = data["cues"][0]
    assert set(first) == {"start_ms", "end_ms", "speaker", "text", "words"}
    assert first["words"][1] == {"start_ms": 400, "text": "no"}


@pytest.mark.parametrize("fmt,needle", [
    ("srt", "2\n00:00:02,010 --> 00:00:04,000\nno no no"),
    ("vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nno no no"),
    ("txt", "[0:04] that's what she said"),
])
def test_transcript_to_other_formats(rolling, fmt, needle):
    result = run("transcript", str(rolling), "--to", fmt)
    assert result.returncode == 0
    assert needle in result.stdout


def test_written_vtt_and_srt_read_back_the_same(rolling, tmp_path):
    for fmt in ("vtt", "srt"):
        out = tmp_path / f"again.{fmt}"
        out.write_text(run("transcript", str(rolling), "--to", fmt).stdout, encoding="utf-8")
        again = json.loads(run("transcript", str(out)).stdout)
        assert [c["text"] for c in again["cues"]] == ["no no no", "no no no", "that's what she said"]


@pytest.mark.parametrize("content", [None, b"", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, b"hello world\n"])
def test_unreadable_input_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "input.srt"
    if content is not None:
        path.write_bytes(content)
    result = run("transcript", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader: input.srt")
    assert "Traceback" not in result.stderr


def test_warnings_go_to_stderr(tmp_path):
    path = tmp_path / "x.srt"
    path.write_text("1\n00:00:05,000 --> 00:00:06,000\nb\n\n2\n00:00:01,000 --> 00:00:02,000\na\n")
    result = run("transcript", str(path), "--to", "txt")
    assert result.returncode == 0 and "sorted" in result.stderr
    assert result.stdout.splitlines() == ["[0:01] a", "[0:05] b"]


def test_open_missing_file_exits_2(tmp_path):
    result = run("open", str(tmp_path / "nope.mp4"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_import_library_and_search_on_the_command_line(tmp_path, clip_dir):
    import os

    from fake_site import Site

    env_dir = tmp_path / "data"
    env = dict(os.environ, READER_DATA_DIR=str(env_dir))

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=120, env=env)

    site = Site()
    try:
        url = site.add("/files/clip.mp4", (clip_dir / "talk.mp4").read_bytes(), "video/mp4")
        result = cli("import", url)
        assert result.returncode == 0, result.stderr
        assert "no subtitles" in result.stderr
        bad = cli("import", site.base + "/files/missing.mp4")
        assert bad.returncode == 2 and "unavailable" in bad.stderr and "Traceback" not in bad.stderr
    finally:
        site.close()
    local = cli("import", str(clip_dir / "talk.mp4"))
    assert local.returncode == 0, local.stderr
    rows = json.loads(cli("library", "--json").stdout)
    assert {r["title"] for r in rows} == {"clip", "talk"}
    assert {r["cues"] for r in rows} == {0, 4} and all(set(r) == {"id", "title", "source", "duration_ms", "cues", "highlights", "notes", "video", "video_bytes", "video_note", "tags"} for r in rows)
    videos = json.loads(cli("search", "Ben answers", "--json").stdout)
    assert [(v["title"], v["line_count"]) for v in videos] == [("talk", 1)]
    assert [(h["start_ms"], h["text"]) for h in videos[0]["lines"]] == [(3500, "Ben answers with a third line.")]
    plain = cli("search", "fourth")
    assert plain.returncode == 0 and "\ttalk\t1 line\n\t0:05\tAnd the fourth line closes the clip." in plain.stdout
    none = cli("search", "zebra")
    assert none.returncode == 0 and none.stdout == "" and "nothing in the library" in none.stderr
    assert cli("import", str(tmp_path / "nope.mp4")).returncode == 2


def test_open_a_reader_link_from_an_exported_note(monkeypatch):
    from reader.cli import main as cli

    opened = {}
    monkeypatch.setattr("reader.ui.app.run", lambda **kw: opened.update(kw) or 0)
    assert cli.main(["open", "reader://video/7?t=754"]) == 0
    assert opened == {"video_id": 7, "position_ms": 754_000}
