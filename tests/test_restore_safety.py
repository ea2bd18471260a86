"""Restoring a backup: hostile files are refused in a sentence with the library untouched; a restore merges, never overwrites."""

import copy
import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from reader.exchange.backup import MAX_HIGHLIGHTS, backup, kept_path
from reader.exchange.errors import ExportError
from reader.exchange.restore import restore
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.transcript.model import Chapter, Cue, Transcript, Word

from backup_samples import good


def write(tmp_path, data, name="backup.json"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def snapshot(store: Store) -> list[str]:
    """Every row of every table (the search indexes too), read on a connection of its own."""
    conn = sqlite3.connect(store.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def store(data_dir):
    s = Store()
    mine = s.add_video(VideoRecord("youtube", "mine", "Mine"), Transcript([Cue(0, 1000, "Hello.")], [], [], "vtt"))
    s.add_highlight(mine, 0, 0, 0, 5, 0, 1000, "Hello")
    yield s
    s.close()


def changed(path: str, value):
    """A copy of the good backup with one value set, at a path such as 'videos.0.video.duration_ms'."""
    def make():
        data = good()
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
        return data
    return make


DELETE = object()
V = "videos.0"

REFUSED = [
    # (what, the file's content, words the sentence must hold)
    ("video: duration as text", changed(f"{V}.video.duration_ms", "long"),
     "at videos[0].video.duration_ms, expected a whole number or nothing (null), got text."),
    ("video: title as a number", changed(f"{V}.video.title", 12), "at videos[0].video.title, expected text, got a whole number"),
    ("video: site empty", changed(f"{V}.video.site", ""), "at videos[0].video.site, expected text that is not empty"),
    ("video: record is a list", changed(f"{V}.video", []), "at videos[0].video, expected a record in braces, got a list"),
    ("video: site missing", changed(f"{V}.video.site", DELETE), "at videos[0].video, the field site is missing"),
    ("video: no video record", changed(f"{V}.video", DELETE), "at videos[0], the field video is missing"),
    ("cue: start as text", changed(f"{V}.cues.0.start_ms", "0"), "at videos[0].cues[0].start_ms, expected a whole number, got text"),
    ("cue: ends before it starts", changed(f"{V}.cues.1.end_ms", 10), "at videos[0].cues[1], the line ends before it starts"),
    ("cue: turn as text", changed(f"{V}.cues.0.turn", "yes"), "expected true or false, got text"),
    ("word: text as a number", changed(f"{V}.cues.1.words.0.text", 5), "at videos[0].cues[1].words[0].text, expected text"),
    ("chapter: title null", changed(f"{V}.chapters.0.title", None), "at videos[0].chapters[0].title, expected text, got nothing"),
    ("chapters: an object", changed(f"{V}.chapters", {}), "at videos[0].chapters, expected a list, got a record in braces"),
    ("highlight: unknown colour", changed(f"{V}.highlights.0.color", "purple"),
     "'purple' is not one of the values Reader knows (yellow, green, blue or pink)"),
    ("highlight: start with a fraction", changed(f"{V}.highlights.0.start_ms", 1.5), "expected a whole number, got a number with a fraction"),
    ("highlight: negative time", changed(f"{V}.highlights.0.start_ms", -5), "at videos[0].highlights[0].start_ms, expected a whole number of at least 0"),
    ("highlight: ends before it starts", changed(f"{V}.highlights.1.end_ms", 0), "the highlight ends before it starts"),
    ("highlight: created_at missing", changed(f"{V}.highlights.0.created_at", DELETE), "the field created_at is missing"),
    ("highlight: cue null", changed(f"{V}.highlights.0.start_cue", None), "at videos[0].highlights[0].start_cue, expected a whole number, got nothing"),
    ("highlight: a list of nulls", changed(f"{V}.highlights", [None]), "at videos[0].highlights[0], expected a record in braces, got nothing"),
    ("answer: unknown status", changed(f"{V}.answers.0.status", "thinking"), "(streaming, complete, incomplete or error)"),
    ("answer: question as a list", changed(f"{V}.answers.0.question", ["a"]), "at videos[0].answers[0].question, expected text, got a list"),
    ("answer: id missing", changed(f"{V}.answers.0.id", DELETE), "at videos[0].answers[0], the field id is missing"),
    ("answer: citations not JSON", changed(f"{V}.answers.0.citations", "not json"), "at videos[0].answers[0].citations, it is not a list of citations"),
    ("answer: citation with a negative time", changed(f"{V}.answers.0.citations", '[{"start_ms": -1, "end_ms": 0}]'),
     "at videos[0].answers[0].citations[0].start_ms, expected a whole number of at least 0"),
    ("answer: a highlight the backup lacks", changed(f"{V}.answers.0.highlight_id", 99), "it names highlight 99, which the backup does not hold"),
    ("answer: tokens negative", changed(f"{V}.answers.0.input_tokens", -3), "expected a whole number of at least 0"),
    ("huge number: past 2**53", changed(f"{V}.video.duration_ms", 2**53 + 1), "expected a whole number of at most 9007199254740992"),
    ("huge number: 10**30", changed(f"{V}.cues.0.end_ms", 10**30), "at videos[0].cues[0].end_ms"),
    ("huge number: 1e400", lambda: json.dumps(good()).replace('"duration_ms": 9000', '"duration_ms": 1e400').encode(),
     "at videos[0].video.duration_ms, the number is far too large"),
    ("NaN as a string", changed(f"{V}.cues.0.start_ms", "NaN"), "expected a whole number, got text"),
    ("Infinity as a string", changed(f"{V}.highlights.0.end_ms", "Infinity"), "expected a whole number, got text"),
    ("bare NaN", lambda: json.dumps(good()).replace('"duration_ms": 9000', '"duration_ms": NaN').encode(), "is not valid JSON"),
    ("text past its length", changed(f"{V}.video.site_id", "x" * 2001), "expected text of at most 2000 characters"),
    ("videos: an object", changed("videos", {"a": 1}), "at videos, expected a list, got a record in braces"),
    ("wrong format", changed("format", "something else"), "backup.json is not a Reader backup: it does not say"),
    ("no format", changed("format", DELETE), "is not a Reader backup"),
    ("newer version", changed("version", 5), "backup.json was made by a newer Reader (backup version 5); update Reader to restore it."),
    ("version as text", changed("version", "1"), "at version, expected a whole number of at least 1"),
    ("version zero", changed("version", 0), "at version, expected a whole number of at least 1"),
    ("a list at the top", lambda: b"[1, 2]", "it does not hold a record in braces"),
    ("a string at the top", lambda: b'"reader-backup"', "it does not hold a record in braces"),
    ("not JSON", lambda: b"{not json", "backup.json is not a readable backup: it is not valid JSON (the first fault is at byte 1)."),
    ("cut short", lambda: json.dumps(good()).encode()[:200], "it ends before its JSON does"),
    ("empty file", lambda: b"", "backup.json is not a readable backup: it is empty."),
    ("only spaces", lambda: b"  \n\t ", "it is empty"),
    ("binary", lambda: bytes(range(256)) * 4, "is not a readable backup"),
    ("not UTF-8 inside a string", lambda: json.dumps(good()).encode().replace(b"A talk", b"A \xff\xfe talk"),
     "backup.json is not a readable backup: its text is not UTF-8."),
    ("a lone surrogate", lambda: json.dumps(good()).encode().replace(b"A talk", b"A \\ud800 talk"), "is not a readable backup"),
    ("nested deeply where unknown keys go", lambda: b'{"format": "reader-backup", "version": 1, "extra": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
     "its JSON is nested too deeply"),
    ("nested deeply where videos go", lambda: b'{"format": "reader-backup", "version": 1, "videos": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
     "its JSON is nested too deeply"),
    ("nested a little where videos go", lambda: b'{"format": "reader-backup", "version": 1, "videos": [[[[]]]]}',
     "at videos[0], expected a record in braces, got a list"),
]


def check_sentence(message: str, expected: str) -> None:
    assert expected in message
    assert "\n" not in message and message.endswith("."), message
    for python_words in ("`", "$.", "Expected", "Traceback", "Error", "errno", "None", "dict", "msgspec"):
        assert python_words not in message, message


@pytest.mark.parametrize("what, content, expected", REFUSED, ids=[c[0] for c in REFUSED])
def test_a_hostile_backup_is_refused_in_a_sentence_and_the_library_is_untouched(store, tmp_path, what, content, expected):
    data = content()
    path = write(tmp_path, data)
    before = snapshot(store)
    with pytest.raises(ExportError) as refused:
        restore(store, path)
    check_sentence(str(refused.value), expected)
    assert snapshot(store) == before


def fifo(tmp_path):
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


def folder(tmp_path):
    (tmp_path / "a folder.json").mkdir()
    return tmp_path / "a folder.json"


NOT_FILES = [
    ("a FIFO (nothing writes to it)", fifo, "pipe.json is not a regular file (a device, a pipe or a socket)"),
    ("/dev/zero", lambda tmp_path: "/dev/zero", "zero is not a regular file"),
    ("a folder", folder, "a folder.json is a folder, not a Reader backup."),
    ("no such file", lambda tmp_path: tmp_path / "gone.json", "gone.json: no such file"),
]


@pytest.mark.parametrize("what, where, expected", NOT_FILES, ids=[c[0] for c in NOT_FILES])
def test_what_is_not_a_regular_file_is_refused_before_it_is_read(store, tmp_path, what, where, expected):
    before = snapshot(store)
    started = time.monotonic()
    with pytest.raises(ExportError) as refused:
        restore(store, where(tmp_path))
    assert time.monotonic() - started < 5  # neither hangs on the pipe nor reads /dev/zero for ever
    check_sentence(str(refused.value), expected)
    assert snapshot(store) == before


def test_a_million_highlights_fail_fast_on_the_limit(store, tmp_path):
    data = good()
    one = json.dumps(data["videos"][0]["highlights"][1]).encode()
    data["videos"][0]["highlights"] = ["HIGHLIGHTS"]
    data["videos"][0]["answers"] = []
    path = write(tmp_path, json.dumps(data).encode().replace(b'"HIGHLIGHTS"', b",".join([one] * (10 * MAX_HIGHLIGHTS))))
    before = snapshot(store)
    started = time.monotonic()
    with pytest.raises(ExportError) as refused:
        restore(store, path)
    assert time.monotonic() - started < 30
    check_sentence(str(refused.value), f"at videos[0].highlights, expected a list of at most {MAX_HIGHLIGHTS} items")
    assert snapshot(store) == before


def test_unknown_keys_are_ignored_never_stored(store, tmp_path):
    data = good()
    data["videos"][0]["video"]["evil); drop table videos; --"] = "x"
    data["videos"][0]["video"]["id"] = 1
    data["videos"][0]["highlights"][0]["surprise"] = {"nested": [1, 2, 3]}
    data["videos"][0]["answers"][0]["secret_column"] = "value"
    data["videos"][0]["cues"][0]["colour"] = "red"
    data["top_level_extra"] = [None]
    columns = {t: [c.name for c in store.db[t].columns] for t in ("videos", "highlights", "answers", "cues")}
    counts = restore(store, write(tmp_path, data))
    assert counts == {"videos": 1, "highlights": 2, "answers": 2, "cards": 0}
    assert {t: [c.name for c in store.db[t].columns] for t in columns} == columns
    assert store.count() == 2


@pytest.fixture
def inside(data_dir):
    """Things inside the data folder for a backup's paths to name."""
    (data_dir / "media").mkdir(parents=True, exist_ok=True)
    (data_dir / "media" / "talk.mp4").write_bytes(b"video")
    os.mkfifo(data_dir / "media" / "pipe.mp4")
    (data_dir / "media" / "to-passwd.mp4").symlink_to("/etc/passwd")
    (data_dir / "media" / "a folder").mkdir()
    return data_dir


PATHS = [
    # (what the backup says, relative to the data folder where it starts with @, kept?)
    ("/etc/passwd", False),
    ("../../x", False),
    ("../data/../../etc/passwd", False),
    ("@media/pipe.mp4", False),  # a FIFO inside the data folder
    ("@media/to-passwd.mp4", False),  # a link out of the data folder
    ("@media/a folder", False),
    ("@media/missing.mp4", False),
    ("@", False),  # the data folder itself
    ("/dev/zero", False),
    ("nul\x00byte", False),
    ("", False),
    (None, False),
    ("@media/talk.mp4", True),
    ("media/talk.mp4", True),  # relative: inside the data folder
    ("@media/../media/talk.mp4", True),
]


@pytest.mark.parametrize("given, kept", PATHS, ids=[repr(p[0]) for p in PATHS])
def test_a_path_is_kept_only_when_it_names_a_regular_file_inside_the_data_folder(inside, given, kept):
    value = str(inside / given[1:]) if isinstance(given, str) and given.startswith("@") else given
    assert kept_path(value) == (str((inside / "media" / "talk.mp4").resolve()) if kept else "")


@pytest.mark.parametrize("field", ["media_path", "thumbnail_path", "transcript_path"])
@pytest.mark.parametrize("given, kept", [(p, k) for p, k in PATHS if p is not None and "\x00" not in p][:6] + [("@media/talk.mp4", True)],
                         ids=lambda v: repr(v))
def test_a_restored_video_keeps_only_safe_paths(store, inside, tmp_path, field, given, kept):
    data = good()
    data["videos"][0]["video"][field] = str(inside / given[1:]) if given.startswith("@") else given
    restore(store, write(tmp_path, data))
    row = store.video(store.find_video("youtube", "new1"))
    assert row[field] == (str((inside / "media" / "talk.mp4").resolve()) if kept else "")


def test_restore_over_an_existing_entry_keeps_its_fields_and_adds_only_new_notes(store, data_dir, tmp_path):
    (data_dir / "own.mp4").write_bytes(b"mine")
    (data_dir / "own.jpg").write_bytes(b"mine")
    record = VideoRecord("youtube", "new1", "My own title", media_path=str(data_dir / "own.mp4"),
                         thumbnail_path=str(data_dir / "own.jpg"), transcript_source="file")
    vid = store.add_video(record, Transcript([Cue(0, 800, "My own line.")], [Chapter(0, "Mine")], [], "srt"))
    store.set_position(vid, 777)
    same = good()["videos"][0]["highlights"][0]
    store.insert_restored("highlights", [{k: same[k] for k in ("start_cue", "start_offset", "end_cue", "end_offset", "start_ms",
                                                             "end_ms", "text", "color", "note", "created_at", "edited_at")} | {"video_id": vid}])
    video_before, transcript_before = store.video(vid), store.transcript(vid)
    data = good()
    data["videos"][0]["video"].update(title="Their title", media_path="/etc/passwd", thumbnail_path="", last_position_ms=5,
                                      added_at="1999-01-01T00:00:00+00:00")
    counts = restore(store, write(tmp_path, data))
    assert counts == {"videos": 0, "highlights": 1, "answers": 2, "cards": 0}
    assert store.video(vid) == video_before
    after = store.transcript(vid)
    assert [(c.start_ms, c.text) for c in after.cues] == [(c.start_ms, c.text) for c in transcript_before.cues] == [(0, "My own line.")]
    assert after.chapters == transcript_before.chapters
    highlights = store.highlights(vid)
    assert [h["text"] for h in highlights] == ["First", "Second"]
    assert highlights[0]["answer_count"] == 2  # the answers found the highlight already there
    before = snapshot(store)
    assert restore(store, write(tmp_path, data)) == {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}
    assert snapshot(store) == before


def test_restoring_twice_changes_nothing_the_second_time(store, tmp_path):
    path = write(tmp_path, good())
    assert restore(store, path) == {"videos": 1, "highlights": 2, "answers": 2, "cards": 0}
    before = snapshot(store)
    assert restore(store, path) == {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}
    assert snapshot(store) == before


def test_a_backup_that_repeats_a_note_adds_it_once(store, tmp_path):
    data = good()
    item = data["videos"][0]
    item["highlights"].append(dict(item["highlights"][0], id=9))
    item["answers"].append(dict(item["answers"][1], id=22))
    assert restore(store, write(tmp_path, data)) == {"videos": 1, "highlights": 2, "answers": 2, "cards": 0}


FAILURES = [
    # (the Store method that fails, on which call)
    ("add_video", 1),
    ("restore_video_fields", 1),
    ("insert_restored", 1),  # the first highlight
    ("insert_restored", 2),
    ("insert_restored", 3),  # the first answer
    ("insert_restored", 4),
    ("answer_ids_by_key", 1),
]


@pytest.mark.parametrize("method, nth", FAILURES, ids=[f"{m}#{n}" for m, n in FAILURES])
@pytest.mark.parametrize("error", [sqlite3.OperationalError("disk I/O error"), RuntimeError("injected")], ids=["sqlite", "bug"])
def test_a_failure_in_the_middle_leaves_nothing_written(store, tmp_path, monkeypatch, method, nth, error):
    path = write(tmp_path, good())
    before = snapshot(store)
    real = getattr(Store, method)
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == nth:
            raise error
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, method, failing)
    expected = ExportError if isinstance(error, sqlite3.Error) else RuntimeError
    with pytest.raises(expected) as failed:
        restore(store, path)
    if expected is ExportError:
        check_sentence(str(failed.value), "backup.json could not be restored, so the library is as it was")
    assert len(calls) == nth
    assert snapshot(store) == before
    monkeypatch.setattr(Store, method, real)
    assert restore(store, path) == {"videos": 1, "highlights": 2, "answers": 2, "cards": 0}  # and the library still works


def test_a_restore_stopped_through_its_progress_leaves_nothing_written(store, tmp_path):
    data = good()
    second = copy.deepcopy(data["videos"][0])
    second["video"]["site_id"] = "new2"
    data["videos"].append(second)
    before = snapshot(store)

    def progress(done, total, stage):
        if stage == "restoring" and done == 1:
            raise ExportError("stopped because the window was closed")

    with pytest.raises(ExportError, match="window was closed"):
        restore(store, write(tmp_path, data), progress)
    assert snapshot(store) == before


def fill(store: Store) -> None:
    """A library with two videos, word timings, speakers, chapters, highlights, threads and a study result."""
    cues = [Cue(0, 1000, "Ada opens.", "Ada"), Cue(1000, 2000, "Ben replies.", "Ben", (Word(1000, "Ben"), Word(1400, "replies."))),
            Cue(2000, 3000, "A turn.", None, (), True)]
    a = store.add_video(VideoRecord("youtube", "aaa", "First", duration_ms=3000, transcript_source="creator"),
                        Transcript(cues, [Chapter(0, "Start"), Chapter(2000, "Turn")], [], "vtt"))
    b = store.add_video(VideoRecord("file", "bbb", "Second"), Transcript([Cue(0, 500, "Only line.")], [], [], "srt"))
    store.set_position(a, 1234)
    store.set_sync_offset(a, -1200)  # the transcript shifted against the video (Sync), kept per video
    h1 = store.add_highlight(a, 0, 0, 0, 3, 0, 1000, "Ada", "green", "her note")
    h2 = store.add_highlight(a, 1, 0, 1, 3, 1000, 2000, "Ben", "pink")
    store.add_highlight(b, 0, 0, 0, 4, 0, 500, "Only", "blue")
    assert store.set_transcript(b, Transcript([Cue(0, 500, "Other words.")], [], [], "vtt")).lost  # marked as not placed
    q = store.start_answer(a, h1, None, "explain", "Explain", "prompt", "m")
    store.save_answer(q, "Because \u20631\u2063", [{"start_ms": 0, "end_ms": 1000, "text": "Ada opens."}], "complete",
                      usage={"input_tokens": 12, "output_tokens": 3})
    f = store.start_answer(a, h1, q, "followup", "And then?", "p2", "m")
    store.save_answer(f, "Then this.", [], "complete")
    store.start_answer(a, h2, None, "ask", "Who?", "p3", "m")  # left streaming, as after a crash
    s = store.start_answer(a, None, None, "study:preread", "Pre-read", "p4", "m")
    store.save_answer(s, "Read this first.", [], "error", error="It stopped.")


def notes(store: Store) -> dict:
    """The library's notes without ids: what a round trip must keep."""
    out = {}
    for v in store.videos():
        vid = v["id"]
        t = store.transcript(vid)
        highlights = store.highlights(vid)
        text_of = {h["id"]: h["text"] for h in highlights}
        answers = [dict(a, citations=json.loads(a["citations"])) for a in store.answers_for_video(vid)]
        question_of = {a["id"]: a["question"] for a in answers}
        out[(v["site"], v["site_id"])] = {
            "video": {k: store.video(vid)[k] for k in ("title", "duration_ms", "last_position_ms", "added_at", "transcript_source",
                                                       "transcript_format", "cue_count", "sync_offset_ms")},
            "cues": [(c.start_ms, c.end_ms, c.text, c.speaker, tuple(c.words), c.turn) for c in t.cues],
            "chapters": t.chapters,
            "highlights": [{k: h[k] for k in h if k not in ("id", "video_id")} for h in highlights],
            "answers": [{**{k: a[k] for k in a if k not in ("id", "video_id", "highlight_id", "thread_id", "status")},
                         "highlight": text_of.get(a["highlight_id"]), "thread": question_of[a["thread_id"]]} for a in answers],
        }
    return out


def test_backup_then_restore_into_an_empty_library_round_trips_every_note(data_dir, tmp_path, monkeypatch):
    source = Store()
    fill(source)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(backup(source)), encoding="utf-8")
    statuses = [a["status"] for v in source.videos() for a in source.answers_for_video(v["id"])]
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "fresh"))
    fresh = Store()
    assert restore(fresh, path) == {"videos": 2, "highlights": 3, "answers": 4, "cards": 0}
    source.mark_interrupted()  # as its next start would: the answer left streaming is an attempt that failed
    assert notes(fresh) == notes(source)
    restored = [a["status"] for v in fresh.videos() for a in fresh.answers_for_video(v["id"])]
    assert restored == ["incomplete" if s == "streaming" else s for s in statuses] and "streaming" in statuses
    first = fresh.find_video("youtube", "aaa")
    assert fresh.answers(fresh.threads(first, fresh.highlights(first)[0]["id"])[0])[0]["citations"] == [
        {"start_ms": 0, "end_ms": 1000, "text": "Ada opens."}]
    source.close()
    fresh.close()


def test_reader_restore_on_a_bad_backup_exits_2_with_one_line(data_dir, tmp_path):
    bad = write(tmp_path, changed(f"{V}.video.duration_ms", "long")())
    run = subprocess.run([sys.executable, "-m", "reader", "restore", str(bad)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "at videos[0].video.duration_ms, expected a whole number or nothing (null), got text." in run.stderr


def test_a_restore_first_keeps_a_snapshot_of_the_library_as_it_was(store, tmp_path):
    from reader.library.db.snapshots import list_snapshots

    before = snapshot(store)
    restore(store, write(tmp_path, good()))
    taken = [s for s in list_snapshots(store.path) if s.reason == "restore"]
    assert len(taken) == 1
    conn = sqlite3.connect(taken[0].path)
    try:
        assert list(conn.iterdump()) == before
    finally:
        conn.close()
