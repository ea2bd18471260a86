"""`reader open VIDEO --subs FILE` where the subtitles cannot be used: the video opens, and a banner (and stderr)
says why the subtitles were not used; a transcript named alone still exits 2 with one sentence."""

import shutil

import pytest

from reader.cli import main as cli

BAD = {
    "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "empty": b"",
    "zeros": b"\x00" * 4096,
    "no timed lines": b"just some words with no times at all\n",
    "broken vtt": b"WEBVTT\n\n00:xx --> yy\nhello\n",
}


@pytest.fixture
def media(clip_dir, tmp_path):
    path = tmp_path / "talk.mp4"
    shutil.copy(clip_dir / "talk.mp4", path)
    return path


@pytest.mark.parametrize("kind", BAD)
def test_the_cli_opens_the_video_and_says_why_the_subtitles_were_not_used(media, tmp_path, capsys, monkeypatch, kind):
    subs = tmp_path / f"bad-{kind}.srt"
    subs.write_bytes(BAD[kind])
    opened = []
    monkeypatch.setattr("reader.ui.app.run", lambda *a, **kw: opened.append((a, kw)) or 0)
    code = cli.main(["open", str(media), "--subs", str(subs)])
    err = capsys.readouterr().err
    assert code == 0 and opened and opened[0][0][0] == media
    assert len(err.strip().splitlines()) == 1 and err.startswith("reader: ") and "opens without these subtitles" in err
    assert "Traceback" not in err and "Error" not in err


def test_a_bad_transcript_named_alone_still_exits_2(tmp_path, capsys, monkeypatch):
    subs = tmp_path / "bad.srt"
    subs.write_bytes(BAD["binary"])
    monkeypatch.setattr("reader.ui.app.run", lambda *a, **kw: pytest.fail("no window for a transcript that cannot be read"))
    assert cli.main(["open", str(subs)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["binary", "zeros"])
def test_the_window_plays_the_video_with_a_banner_saying_why(window, media, tmp_path, qtbot, kind):
    subs = tmp_path / f"bad-{kind}.srt"
    subs.write_bytes(BAD[kind])
    window.reading.open_paths(media, subs)
    qtbot.waitUntil(lambda: window.session is not None and window.session.media == media, timeout=5000)
    assert window.banner.isVisible() and "bad-" in window.banner.text()
