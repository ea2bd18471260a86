"""Hostile input found by a tester: long names, names with escape sequences, empty names, files that are not
media, LRC lyrics, transcripts with escape sequences. Each failure is one `reader:` sentence and exit 2."""

import json
import os
import sys

import pytest

from reader.cli.main import main
from reader.library.db.store import Store

from conftest import PYTHON_WORDS, add_video, assert_one_sentence, run
from fake_anthropic import Reply
from media import CLIP_VTT

ESC = "\x1b]0;PWNED\x07\x1b[31mRED\x1b[0m\nNEWLINE"
LONG = "a" * 300


def _controls(text, keep="\n"):
    return [c for c in text if (ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c in "\u2028\u2029") and c not in keep]


def _library_size() -> int:
    store = Store()
    try:
        return store.count()
    finally:
        store.close()


# -- 4: a name too long for the system -------------------------------------------------------------------------

LONG_NAMES = [
    ("export json", lambda t, v: ["export", v, "--to", "json", t / f"{LONG}.json"]),
    ("export md", lambda t, v: ["export", v, "--to", "md", t / f"{LONG}.md"]),
    ("export anki", lambda t, v: ["export", v, "--to", "anki", t / f"{LONG}.apkg"]),
    ("export --all json", lambda t, v: ["export", "--all", "--to", "json", t / f"{LONG}.json"]),
    ("export md into a long folder", lambda t, v: ["export", v, "--to", "md", t / LONG / "notes.md"]),
    ("restore", lambda t, v: ["restore", t / f"{LONG}.json"]),
    ("transcript", lambda t, v: ["transcript", t / f"{LONG}.vtt"]),
    ("import", lambda t, v: ["import", t / f"{LONG}.mp4"]),
    ("import --subs", lambda t, v: ["import", t / "talk.mp4", "--subs", t / f"{LONG}.vtt"]),
]


@pytest.mark.parametrize("make", [c[1] for c in LONG_NAMES], ids=[c[0] for c in LONG_NAMES])
def test_a_name_too_long_is_one_sentence(capsys, tmp_path, clip_dir, make):
    vid = add_video()
    (tmp_path / "talk.mp4").write_bytes((clip_dir / "talk.mp4").read_bytes())
    code, out, err = run(capsys, *make(tmp_path, vid))
    assert_one_sentence(code, out, err)
    assert "too long" in err


# -- 5: names with escape sequences and line breaks -------------------------------------------------------------

def _missing_backup(t):
    return ["restore", t / f"missing{ESC}.json"]


def _missing_transcript(t):
    return ["transcript", t / f"missing{ESC}.vtt"]


def _empty_transcript(t):
    (t / f"empty{ESC}.vtt").write_bytes(b"")
    return ["transcript", t / f"empty{ESC}.vtt"]


def _bad_json_transcript(t):
    (t / f"bad{ESC}.json").write_text("[1, 2", encoding="utf-8")
    return ["transcript", t / f"bad{ESC}.json"]


def _missing_media(t):
    return ["import", t / f"{ESC}.mp4"]


def _export_into_a_pipe(t):
    os.mkfifo(t / f"pipe{ESC}.json")
    return ["export", "--all", "--to", "json", t / f"pipe{ESC}.json"]


ESCAPED_FAILURES = [_missing_backup, _missing_transcript, _empty_transcript, _bad_json_transcript, _missing_media,
                    _export_into_a_pipe]


@pytest.mark.parametrize("make", ESCAPED_FAILURES, ids=[f.__name__.strip("_") for f in ESCAPED_FAILURES])
def test_a_name_with_escape_sequences_is_shown_escaped_on_one_line(capsys, tmp_path, make):
    add_video()
    code, out, err = run(capsys, *make(tmp_path))
    assert_one_sentence(code, out, err)
    assert not _controls(err) and "\\x1b]0;PWNED" in err


def _imported(t, clip):
    (t / f"{ESC}.mp4").write_bytes(clip)
    return ["import", t / f"{ESC}.mp4"]


def _exported(t, clip):
    return ["export", "--all", "--to", "json", t / f"backup{ESC}.json"]


def _restored(t, clip):
    assert main(["export", "--all", "--to", "json", str(t / f"backup{ESC}.json")]) == 0
    return ["restore", t / f"backup{ESC}.json"]


ESCAPED_RECORDS = [_imported, _exported, _restored]


@pytest.mark.parametrize("make", ESCAPED_RECORDS, ids=[f.__name__.strip("_") for f in ESCAPED_RECORDS])
def test_a_record_printed_with_an_escaped_name_is_one_line(capsys, tmp_path, clip_bytes, make):
    add_video()
    argv = make(tmp_path, clip_bytes)
    capsys.readouterr()
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert len(out.splitlines()) == 1 and not _controls(out, keep="\n\t") and "\\x1b[31mRED" in out
    assert not _controls(err)


@pytest.mark.parametrize("second_name", ["renamed.mp4", f"x{ESC}.mp4", "talk copy.mp4"])
def test_importing_the_same_bytes_again_keeps_the_title(capsys, tmp_path, clip_bytes, second_name):
    (tmp_path / "Original talk.mp4").write_bytes(clip_bytes)
    (tmp_path / second_name).write_bytes(clip_bytes)
    assert run(capsys, "import", tmp_path / "Original talk.mp4")[0] == 0
    code, out, err = run(capsys, "import", tmp_path / second_name)
    assert code == 0, err
    vid, title = out.strip().split("\t")
    assert title == "Original talk"
    store = Store()
    assert store.count() == 1 and store.video(int(vid))["title"] == "Original talk"
    store.close()


# -- 6: LRC lyrics, and parser wording ---------------------------------------------------------------------------

LRC = [
    ("plain", "plain.lrc", "[00:01.00]First lyric\n[00:02.50]Second lyric\n"),
    ("no fraction", "plain.lrc", "[00:01]First lyric\n[00:02]Second lyric\n"),
    ("header tags", "song.lrc", "[ti:A song]\n[ar:Someone]\n[00:01.00]First lyric\n[00:02.50]Second lyric\n"),
    ("unknown tag first", "song.lrc", "[xx:whatever]\n[00:01.00]First lyric\n[00:02.50]Second lyric\n"),
    ("untimed line first", "song.lrc", "Lyrics by someone\n[00:01.00]First lyric\n[00:02.50]Second lyric\n"),
    ("other suffix", "lyrics.txt", "[00:01.00]First lyric\n[00:02.50]Second lyric\n"),
    ("no suffix", "lyrics", "[00:01.00]First lyric\n[00:02.50]Second lyric\n"),
    ("several times a line", "song.lrc", "[00:01.00][00:03.00]First lyric\n[00:02.50]Second lyric\n"),
]


@pytest.mark.parametrize("name, text", [c[1:] for c in LRC], ids=[c[0] for c in LRC])
def test_lrc_lyrics_are_read_as_lrc(capsys, tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "transcript", tmp_path / name)
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == "lrc" and [c["text"] for c in data["cues"]][:2] == ["First lyric", "Second lyric"]


PARSER_WORDING = [
    ("broken JSON", "bad.json", "[1, 2", "not valid JSON"),
    ("JSON object", "bad.json", '{"a": }', "not valid JSON"),
    ("broken XML", "bad.srv3", "<timedtext><body><p t='1'>x</body>", "not well-formed XML"),
]


@pytest.mark.parametrize("name, text, said", [c[1:] for c in PARSER_WORDING], ids=[c[0] for c in PARSER_WORDING])
def test_a_parser_mistake_reads_as_a_sentence(capsys, tmp_path, name, text, said):
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "transcript", tmp_path / name)
    assert_one_sentence(code, out, err)
    assert f"{name} is {said}" in err and "column" not in err and err.rstrip().endswith(".")


# -- 7: nothing usable imported ----------------------------------------------------------------------------------

def _text_file(t):
    (t / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    return ["import", t / "passwd"]


def _empty_media(t):
    (t / "empty.mp4").write_bytes(b"")
    return ["import", t / "empty.mp4"]


def _random_media(t):
    (t / "rand.mp4").write_bytes(os.urandom(10 * 1024))
    return ["import", t / "rand.mp4"]


def _random_audio(t):
    (t / "rand.mp3").write_bytes(os.urandom(10 * 1024))
    return ["import", t / "rand.mp3"]


def _text_as_picture(t):  # ffmpeg shows text files as a picture (its tty format): not media
    (t / "notes.ans").write_text("Some notes\nmore notes\n")
    return ["import", t / "notes.ans"]


def _transcript_with_subs(t):
    (t / "talk.vtt").write_text(CLIP_VTT, encoding="utf-8")
    (t / "talk.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n", encoding="utf-8")
    return ["import", t / "talk.vtt", "--subs", t / "talk.srt"]


NOT_USABLE = [_text_file, _empty_media, _random_media, _random_audio, _text_as_picture, _transcript_with_subs]


@pytest.mark.parametrize("make", NOT_USABLE, ids=[f.__name__.strip("_") for f in NOT_USABLE])
def test_an_import_with_nothing_usable_is_refused(capsys, tmp_path, make):
    code, out, err = run(capsys, *make(tmp_path))
    assert_one_sentence(code, out, err)
    assert out == "" and _library_size() == 0


def test_a_transcript_as_source_with_subs_says_what_to_do(capsys, tmp_path):
    code, out, err = run(capsys, *_transcript_with_subs(tmp_path))
    assert_one_sentence(code, out, err)
    assert "give the video as the source and the transcript with --subs" in err


@pytest.mark.parametrize("what", ["unplayable media with a transcript beside it", "a timed transcript with no suffix"])
def test_an_import_with_something_usable_still_works(capsys, tmp_path, what):
    if what.startswith("unplayable"):
        (tmp_path / "broken.mp4").write_bytes(b"not a video at all")
        (tmp_path / "broken.vtt").write_text(CLIP_VTT, encoding="utf-8")
        source = tmp_path / "broken.mp4"
    else:
        source = tmp_path / "captions"
        source.write_text("1\n00:00:01,000 --> 00:00:02,000\nhello there\n", encoding="utf-8")
    code, out, err = run(capsys, "import", source)
    assert code == 0, err
    store = Store()
    [row] = store.videos()
    assert row["cue_count"] > 0
    store.close()


# -- 8: transcript lines with escape sequences -------------------------------------------------------------------

NASTY_SRT = "1\n00:00:01,000 --> 00:00:02,000\nred \x1b[31mtext\x1b[0m \x1b]0;PWNED\x07 bell\x9b2J\n"


@pytest.mark.parametrize("to", ["txt", "srt", "vtt", "json"])
def test_transcript_lines_do_not_drive_the_terminal(capsys, tmp_path, monkeypatch, to):
    (tmp_path / "nasty.srt").write_text(NASTY_SRT, encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(capsys, "transcript", tmp_path / "nasty.srt", "--to", to)
    assert code == 0, err
    assert not _controls(out), repr(out)


@pytest.mark.parametrize("to", ["txt", "srt", "vtt"])
def test_transcript_conversion_to_a_pipe_carries_no_escapes_either(capsys, tmp_path, to):
    """`reader transcript FILE --to txt > out.txt` (issue 20): no line holds a terminal escape on any path, piped too."""
    (tmp_path / "nasty.srt").write_text(NASTY_SRT, encoding="utf-8")
    code, out, err = run(capsys, "transcript", tmp_path / "nasty.srt", "--to", to)
    assert code == 0, err
    assert "red text bell" in out and not _controls(out), repr(out)


# -- 9: empty names ----------------------------------------------------------------------------------------------

EMPTY_NAMES = [
    ("export", ["export", "{v}", "--to", "json", ""]),
    ("export spaces", ["export", "{v}", "--to", "md", "  "]),
    ("export --all", ["export", "--all", "--to", "json", ""]),
    ("restore", ["restore", ""]),
    ("transcript", ["transcript", ""]),
    ("import", ["import", ""]),
    ("import --subs", ["import", "{tmp}/talk.mp4", "--subs", ""]),
    ("open", ["open", ""]),
    ("open --subs", ["open", "{tmp}/talk.mp4", "--subs", ""]),
]


@pytest.mark.parametrize("argv", [c[1] for c in EMPTY_NAMES], ids=[c[0] for c in EMPTY_NAMES])
def test_an_empty_file_name_is_refused_with_a_sentence(capsys, tmp_path, clip_bytes, argv):
    vid = add_video()
    (tmp_path / "talk.mp4").write_bytes(clip_bytes)
    code, out, err = run(capsys, *[a.format(v=vid, tmp=tmp_path) for a in argv])
    assert_one_sentence(code, out, err)
    assert "empty" in err and "folder" not in err and "reader:  " not in err


# -- the minor ones ----------------------------------------------------------------------------------------------

EMPTY_TRANSCRIPTS = [("empty", b""), ("blank", b"\n \n\t\n")]


@pytest.mark.parametrize("data", [c[1] for c in EMPTY_TRANSCRIPTS], ids=[c[0] for c in EMPTY_TRANSCRIPTS])
def test_is_empty_is_a_sentence(capsys, tmp_path, data):
    (tmp_path / "talk.vtt").write_bytes(data)
    code, out, err = run(capsys, "transcript", tmp_path / "talk.vtt")
    assert_one_sentence(code, out, err)
    assert err.rstrip().endswith("is empty.")


NO_TEXT = [
    ("vtt with no cues", "talk.vtt", "WEBVTT\n\n"),
    ("vtt with empty cues", "talk.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n"),
    ("srt with backwards times", "talk.srt", "1\n00:00:05,000 --> 00:00:01,000\n\n"),
    ("empty JSON list", "talk.json", "[]"),
]


@pytest.mark.parametrize("name, text", [c[1:] for c in NO_TEXT], ids=[c[0] for c in NO_TEXT])
def test_a_transcript_with_no_text_has_nothing_to_convert(capsys, tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "transcript", tmp_path / name)
    assert_one_sentence(code, out, err)
    assert out == "" and "nothing to convert" in err


STUDY_TOOLS = [("no\x1bpe", "'no\\x1bpe'"), ("x\ny", "'x\\x0ay'"), ("bell\x07", "'bell\\x07'"), ("c1\x9b", "'c1\\x9b'")]


@pytest.mark.parametrize("tool, shown", STUDY_TOOLS, ids=["escape", "newline", "bell", "C1"])
def test_a_study_tool_name_with_control_characters_is_escaped_once(capsys, tool, shown):
    vid = add_video()
    code, out, err = run(capsys, "study", vid, tool)
    assert_one_sentence(code, out, err)
    assert shown in err and "\\\\" not in err


@pytest.mark.parametrize("reply", [Reply(status=500), Reply(["x"], fail_after=0)], ids=["HTTP 500", "error event"])
@pytest.mark.parametrize("command", [["explain", "{v}", "--from", "0:01", "--to", "0:15"], ["study", "{v}", "preread"]],
                         ids=["explain", "study"])
def test_a_failed_answer_prints_nothing_on_stdout(capsys, claude, reply, command):
    vid = add_video()
    claude.replies = [reply]
    code, out, err = run(capsys, *[a.format(v=vid) for a in command])
    assert_one_sentence(code, out, err)
    assert out == ""


@pytest.mark.parametrize("link", ["ftp://example.com/x", "file:///etc/passwd", "sftp://host/video.mp4", "rtsp://cam/live"])
def test_only_web_links_are_imported(capsys, link):
    code, out, err = run(capsys, "import", link)
    assert_one_sentence(code, out, err)
    assert "http" in err and "no such file" not in err and not PYTHON_WORDS.search(err)
