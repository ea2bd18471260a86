"""The CLI with bad input: one `reader:` sentence and exit 2, no request spent, no key or control character shown."""

import json
import os
import re

import pytest

from reader.library.db.store import Store

from conftest import PYTHON_WORDS, add_video, assert_one_sentence, counts, run
from fake_anthropic import Reply

KEY = "sk-ant-test-PLANTED-KEY-0123456789"
BAD_ARGUMENTS = [
    ("--to before --from", ["explain", "{v}", "--from", "0:20", "--to", "0:10"]),
    ("--to before --from, to the millisecond", ["explain", "{v}", "--from", "0:10.001", "--to", "0:10.000"]),
    ("--from past the end", ["explain", "{v}", "--from", "5:00", "--to", "6:00"]),
    ("--to past the end", ["explain", "{v}", "--from", "0:10", "--to", "9:00"]),
    ("time 1e400", ["explain", "{v}", "--from", "1e400", "--to", "0:20"]),
    ("time 12:99", ["explain", "{v}", "--from", "12:99", "--to", "0:20"]),
    ("time abc", ["explain", "{v}", "--from", "0:01", "--to", "abc"]),
    ("time with huge minutes", ["explain", "{v}", "--from", "99999999999999999:00", "--to", "0:20"]),
    ("time huge seconds", ["explain", "{v}", "--from", "0", "--to", "99999999999999999999"]),
    ("negative time", ["explain", "{v}", "--from", "-5", "--to", "0:20"]),
    ("empty time", ["explain", "{v}", "--from", "", "--to", "0:20"]),
    ("missing --to", ["explain", "{v}", "--from", "0:01"]),
    ("empty question", ["explain", "{v}", "--from", "0:01", "--to", "0:20", "--question", "  "]),
    ("id too big", ["explain", "99999999999999999999999", "--from", "0:01", "--to", "0:20"]),
    ("id -1", ["explain", "-1", "--from", "0:01", "--to", "0:20"]),
    ("id 0", ["explain", "0", "--from", "0:01", "--to", "0:20"]),
    ("id not a number", ["explain", "three", "--from", "0:01", "--to", "0:20"]),
    ("id not in the library", ["explain", "424242", "--from", "0:01", "--to", "0:20"]),
    ("study: no such tool", ["study", "{v}", "nope"]),
    ("study: chat without a question", ["study", "{v}", "chat"]),
    ("study: chat with an empty question", ["study", "{v}", "chat", "--question", " "]),
    ("study: id too big", ["study", "99999999999999999999", "preread"]),
    ("study: id not in the library", ["study", "424242", "preread"]),
    ("search: empty", ["search", ""]),
    ("search: spaces", ["search", "   "]),
    ("search: punctuation only", ["search", "!?*"]),
    ("export: id too big", ["export", "99999999999999999999", "--to", "md", "{tmp}/out.md"]),
    ("export: id -1", ["export", "-1", "--to", "md", "{tmp}/out.md"]),
    ("export: id not in the library", ["export", "424242", "--to", "json", "{tmp}/out.json"]),
    ("export: no file", ["export", "{v}", "--to", "md"]),
    ("export: unknown format", ["export", "{v}", "--to", "pdf", "{tmp}/out.pdf"]),
    ("unknown option", ["library", "--colour"]),
]


@pytest.mark.parametrize("argv", [c[1] for c in BAD_ARGUMENTS], ids=[c[0] for c in BAD_ARGUMENTS])
def test_a_bad_argument_is_one_sentence_and_spends_nothing(capsys, claude, tmp_path, argv):
    vid = add_video()
    before = counts()
    code, out, err = run(capsys, *(a.format(v=vid, tmp=tmp_path) for a in argv))
    assert_one_sentence(code, out, err)
    assert claude.requests == []
    assert counts() == before
    assert not list(tmp_path.glob("out.*"))


def test_asking_about_the_same_passage_twice_reuses_its_highlight(capsys, claude):
    vid = add_video()
    for question in ([], ["--question", "Who speaks?"]):
        code, out, err = run(capsys, "explain", vid, "--from", "0:01", "--to", "0:15", *question)
        assert code == 0, err
    assert counts() == (1, 2) and len(claude.requests) == 2


def test_every_subcommand_explains_its_arguments(capsys):
    code, out, _ = run(capsys, "study", "--help")
    assert code == 0 and all(name in out for name in ("preread", "central-ideas", "vocabulary", "references", "people", "chat"))
    for command in ("open", "import", "library", "search", "explain", "study", "export", "restore", "transcript"):
        code, out, _ = run(capsys, command, "--help")
        options = re.findall(r"^  (\S+.*?)(?:\s{2,}(.*))?$", out.split("positional arguments:")[-1], re.M)
        assert code == 0 and options
        undocumented = [name for name, text in options if not text and not name.startswith("-h")]
        assert not undocumented, (command, undocumented)


# -- files that are not there, not files, or not readable ------------------------------------------------

def _missing(tmp_path):
    return tmp_path / "gone" / "nothing.srt"


def _folder(tmp_path):
    (tmp_path / "a folder").mkdir()
    return tmp_path / "a folder"


def _fifo(tmp_path):
    path = tmp_path / "pipe.srt"
    os.mkfifo(path)
    return path


def _unreadable(tmp_path, monkeypatch):
    path = tmp_path / "locked.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n", encoding="utf-8")
    path.chmod(0)
    real_open = os.open

    def refuse(file, *args, **kwargs):  # root reads any file, so the refusal a user would get is played here
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    return path


def _garbage(tmp_path, monkeypatch=None):
    path = tmp_path / "backup.json"
    path.write_text('{"version": 1}\n{"more": 2}\n\xff', encoding="latin-1")
    return path


PATHS = {"missing": lambda t, m: _missing(t), "folder": lambda t, m: _folder(t), "fifo": lambda t, m: _fifo(t),
         "unreadable": _unreadable, "garbage": _garbage}
COMMANDS = {
    "transcript": lambda p, v, t: ["transcript", p],
    "restore": lambda p, v, t: ["restore", p],
    "import": lambda p, v, t: ["import", p],
    "import --subs": lambda p, v, t: ["import", t / "talk.mp4", "--subs", p],
    "export md": lambda p, v, t: ["export", v, "--to", "md", p / "notes.md" if p.is_dir() else p],
    "export json": lambda p, v, t: ["export", "--all", "--to", "json", p],
}
CASES = [(c, k) for c in COMMANDS for k in PATHS
         if not (c.startswith("export") and k in ("garbage", "unreadable"))]  # writing over those is allowed


@pytest.mark.parametrize("command, kind", CASES)
def test_file_problems_are_sentences(capsys, tmp_path, monkeypatch, command, kind):
    vid = add_video()
    path = PATHS[kind](tmp_path, monkeypatch)
    if command.startswith("export") and kind == "missing":
        path = tmp_path / "no folder" / "out.md"
    (tmp_path / "talk.mp4").write_bytes(b"\x00" * 64)  # the media beside a --subs that is the problem
    code, out, err = run(capsys, *COMMANDS[command](path, vid, tmp_path))
    if command == "export md" and kind == "folder":  # into a folder: a file in it
        assert code == 0 and not PYTHON_WORDS.search(err)
        return
    assert_one_sentence(code, out, err)
    if kind != "missing":
        assert "no such file" not in err.lower()


# -- what reaches the terminal ------------------------------------------------------------------------------

NASTY = "\x1b]0;owned\x07\x1b[2J\x9b31mred\x85next\u2028line\rback\ttab\x00nul"


def _no_controls(text, keep="\n"):
    return [c for c in text if (ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c in "\u2028\u2029") and c not in keep]


@pytest.mark.parametrize("where", ["title", "line"])
def test_control_characters_do_not_reach_the_terminal(capsys, where):
    title = "Talk " + NASTY if where == "title" else "Plain talk"
    add_video(title=title, lines=("budget " + NASTY + "\nsecond line", "budget again"))
    add_video(title="Other", site_id="two")
    code, out, _ = run(capsys, "library")
    assert code == 0 and not _no_controls(out, keep="\n\t") and len(out.splitlines()) == 2
    assert all(len(line.split("\t")) == 6 for line in out.splitlines())
    code, out, _ = run(capsys, "search", "budget")
    assert code == 0 and not _no_controls(out, keep="\n\t") and len(out.splitlines()) == 3  # the video, its two lines
    for command in (["library", "--json"], ["search", "budget", "--json"]):
        code, out, _ = run(capsys, *command)
        values = " ".join(str(v) for r in json.loads(out) for v in r.values())
        values += " ".join(str(h["text"]) for r in json.loads(out) for h in r.get("lines", []))
        # a title keeps its bytes in JSON (escaped there); a transcript line never holds a control at all
        assert code == 0 and not _no_controls(out, keep="\n") and (NASTY in values) == (where == "title")


def test_a_streamed_answer_is_printed_without_control_characters(capsys, claude):
    vid = add_video()
    claude.replies = [Reply(["Red: \x1b[31m", "danger\x1b[0m\x9b2J\x07", "\nnext paragraph\tok"])]
    code, out, err = run(capsys, "explain", vid, "--from", "0:01", "--to", "0:15")
    assert code == 0, err
    assert not _no_controls(out, keep="\n\t") and "next paragraph\tok" in out


# -- the API key ------------------------------------------------------------------------------------

ECHOES = {
    "400 body": Reply(status=400, error_type="invalid_request_error", message="Bad key {key} was sent"),
    "401 body": Reply(status=401, error_type="authentication_error", message="invalid x-api-key: {key}"),
    "500 body": Reply(status=500, message="upstream proxy failed for {key}"),
    "403 body": Reply(status=403, error_type="permission_error", message="key {key} may not"),
    "422 body": Reply(status=422, error_type="invalid_request_error", message="{key}"),
    "stream error event": Reply(["Half an ans", "wer"], fail_after=1, event_error_type="invalid_request_error",
                                message="proxy lost {key} midway"),
    "stream error before text": Reply(["x"], fail_after=0, event_error_type="api_error", message="{key}!"),
    "dropped connection": Reply(["Half", " more"], drop_after=1),
}


@pytest.mark.parametrize("key", [KEY, "proxy-token-NOT-SHAPED-LIKE-A-KEY-42"])
@pytest.mark.parametrize("reply", list(ECHOES))
def test_the_key_echoed_back_is_never_shown_stored_or_exported(capsys, claude, monkeypatch, tmp_path, data_dir, key, reply):
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    vid = add_video()
    claude.replies = [ECHOES[reply]]
    code, out, err = run(capsys, "explain", vid, "--from", "0:01", "--to", "0:15")
    assert code == 2 and len(claude.requests) == 1
    assert any(key in v for v in claude.headers[0].values())  # the server did have it to echo
    assert key not in out + err and not PYTHON_WORDS.search(err)
    if ECHOES[reply].status in (400, 422, 200) and "{key}" in ECHOES[reply].message:
        assert "[API key removed]" in err  # the server's own message is passed on, without the key
    for fmt in ("md", "json"):
        assert run(capsys, "export", vid, "--to", fmt, tmp_path / f"notes.{fmt}")[0] == 0
        assert key not in (tmp_path / f"notes.{fmt}").read_text(encoding="utf-8")
    store = Store()
    errors = [r[0] for r in store.db.execute("select error from answers")]
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    assert errors and all(errors) and not any(key in e for e in errors)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_redact_removes_every_key_it_knows():
    from reader.base.redaction import redact, remember

    remember("my-own-proxy-secret-123")
    cases = [("plain", "plain"), ("", ""), (f"a {KEY} b {KEY}", "a [API key removed] b [API key removed]"),
             ("x my-own-proxy-secret-123 y", "x [API key removed] y"), ("sk-ant-api03-AbC_dEf-123456", "[API key removed]")]
    for text, expected in cases:
        assert redact(text) == expected


# -- answers that failed are not answers ------------------------------------------------------------------

def test_failed_attempts_are_not_counted_as_answers(capsys, claude):
    vid = add_video()
    claude.replies = [Reply(status=500), Reply(status=529), Reply(["x"], fail_after=0), Reply(["Part", "ial"], drop_after=1),
                      Reply(["A full answer."])]
    codes = [run(capsys, "explain", vid, "--from", "0:01", "--to", "0:15")[0] for _ in range(5)]
    assert codes == [2, 2, 2, 2, 0]
    store = Store()
    [row] = store.highlights(vid)
    assert (row["answer_count"], row["failed_count"]) == (2, 3)
    assert store.answer_counts(row["id"]) == (2, 3)
    store.close()


# -- the window: one bad row, any size of title ---------------------------------------------------------------

def _damage(vid, how):
    import sqlite3

    from reader.base.paths import data_dir

    db = sqlite3.connect(data_dir() / "library.db")
    # damage as another program (or a library from before m010's checks) could leave it: without Reader's checks
    for (name,) in db.execute("select name from sqlite_master where type = 'trigger' and name like 'check_%'").fetchall():
        db.execute(f"drop trigger [{name}]")
    with db:
        if how == "1 MB title":
            db.execute("update videos set title = ?, channel = ? where id = ?", ["T" * (1 << 20), "C\n" * 50_000, vid])
        elif how == "controls in the title":
            db.execute("update videos set title = ? where id = ?", ["\n".join(["line"] * 500) + NASTY, vid])
        elif how == "junk words":
            db.execute("update cues set words = ? where video_id = ?", ["{not json[", vid])
        elif how == "wrong words":
            db.execute("update cues set words = ? where video_id = ?", ['[[1e400, 2], "x", [null]]', vid])
        elif how == "NULL text":
            db.execute("update cues set text = NULL, speaker = 7 where video_id = ?", [vid])
        elif how == "text times":
            db.execute("update cues set start_ms = 'soon', end_ms = NULL where video_id = ?", [vid])
        elif how == "row without a transcript":
            db.execute("update videos set cue_count = 99 where id = ?", [vid])
            db.execute("delete from cues where video_id = ?", [vid])
        db.execute("update videos set opened_at = '2999-01-01' where id = ?", [vid])
    db.close()


DAMAGE = ["1 MB title", "controls in the title", "junk words", "wrong words", "NULL text", "text times", "row without a transcript"]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_last_video_does_not_brick_the_window(qtbot, how):
    from conftest import new_window

    add_video(title="Fine", site_id="fine")
    vid = add_video(title="Damaged")
    _damage(vid, how)
    w = new_window(qtbot)
    try:
        w.start()
        qtbot.waitUntil(lambda: w.session is not None or w.banner.isVisible())
        assert len(w.windowTitle()) < 200 and "\n" not in w.windowTitle()
        if w.session is not None:
            assert len(w.session.title) <= 200 and "\n" not in w.session.title and "\x1b" not in w.session.title
            w.transcript_pane.view.repaint()
        w.show_library()
        w.library_page.refresh()
        w.library_page.repaint()
        w.reading.open_video(vid)  # again, by hand: it opens, or fails alone with a message
        assert w.session is not None or w.banner.isVisible()
    finally:
        w.player.pause()
        w.close()


def test_long_titles_are_stored_within_limits():
    vid = add_video(title="T" * (1 << 20))
    store = Store()
    assert len(store.video(vid)["title"]) <= 2000
    store.close()


def test_a_video_that_fails_to_open_shows_the_library_and_a_message(qtbot, monkeypatch):
    from reader.ui.controllers import reading

    from conftest import new_window

    vid = add_video()
    _damage(vid, "junk words")
    monkeypatch.setattr(reading, "library_session", lambda store, video_id: 1 / 0)
    w = new_window(qtbot)
    try:
        w.start()
        assert w.banner.isVisible() and w.pages.currentWidget() is w.library_page
    finally:
        w.close()


@pytest.mark.parametrize("cut", [1, 7, 20, len(KEY) - 1])
def test_a_key_echoed_inside_the_answer_text_is_removed_even_across_chunks(monkeypatch, cut):
    from reader.asking.llm import Answer, DoneEvent, TextEvent

    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    answer = Answer()
    for piece in ("The proxy says your key is ", KEY[:cut], KEY[cut:], " and more text follows. " * 20):
        answer.add(TextEvent(piece))
        assert KEY[:max(cut, 8)] not in answer.text  # not even its start, while the rest is on its way
    answer.add(DoneEvent("end_turn"))
    assert answer.text.startswith("The proxy says your key is [API key removed] and more text follows.")
    assert answer.text.endswith("follows. ")


@pytest.mark.parametrize("ending", ["", "s", "sk-", "sk-ant-api"])
def test_text_held_back_as_a_possible_key_is_let_go_when_the_stream_ends(monkeypatch, ending):
    from reader.asking.llm import Answer, TextEvent

    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    answer = Answer()
    answer.add(TextEvent("cats and dog" + ending))
    answer.finish()
    assert answer.text == "cats and dog" + ending if ending != "sk-ant-api" else answer.text.startswith("cats and dog")


def test_the_command_line_never_prints_or_stores_a_key_streamed_in_the_answer(capsys, claude, monkeypatch, data_dir):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    vid = add_video()
    claude.replies = [Reply(["Your key is ", KEY[:9], KEY[9:25], KEY[25:], ("cited", ", I saw it", (0, 0)), " here."])]
    code, out, err = run(capsys, "explain", vid, "--from", "0:01", "--to", "0:15")
    assert code == 0 and KEY not in out + err and KEY[:9] not in out
    assert "Your key is [API key removed], I saw it [0:" in out
    store = Store()
    assert [KEY in r[0] for r in store.db.execute("select answer from answers")] == [False]
    store.close()
