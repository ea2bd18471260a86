"""Imports never lose what the user made: bad transcripts change nothing, notes follow replaced captions, kills leave whole copies."""

import os
import random
import shutil
import time
from pathlib import Path

import pytest

from reader.cli import main as cli
from reader.library.db.store import Store
from reader.library.importing import ImportFailed, clean_library, commit, entry_folder, media_root, prepare_file
from reader.transcript.model import Cue, Transcript

from conftest import kill_during
from media import CLIP_VTT

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture
def entry(clip_dir, tmp_path):
    """A library entry for a copy of the clip, with its four lines, a highlight with a note, and an answer."""
    folder = tmp_path / "in"
    folder.mkdir()
    media = folder / "talk.mp4"
    shutil.copy(clip_dir / "talk.mp4", media)
    good = folder / "good.vtt"
    good.write_text(CLIP_VTT, encoding="utf-8")
    store = Store()
    video_id = commit(store, prepare_file(media, good))
    hid = store.add_highlight(video_id, 1, 0, 1, 11, 2000, 3500, "Second line", note="my note")
    answer = store.start_answer(video_id, hid, None, "explain", "", "prompt", "model")
    store.save_answer(answer, "An answer.", [], "complete")
    return store, video_id, media, folder


def state(store, video_id):
    """What must not change: the lines, the highlights with their notes, the answers, the entry's files."""
    row = store.video(video_id)
    return ([c.text for c in store.transcript(video_id).cues], store.highlights(video_id),
            store.answers_for_video(video_id), row["media_path"], row["transcript_path"], row["cue_count"])


def bad_subs(kind: str, folder: Path) -> Path:
    path = folder / f"bad-{kind}.vtt"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank":
        path.write_bytes(b"\n \n\t\n")
    elif kind == "binary":
        path.write_bytes(PNG)
    elif kind == "malformed":
        path.write_bytes(b"WEBVTT\n\n00:xx --> yy\nhello\n")
    elif kind == "backwards":
        path.write_bytes(b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n\n")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    return path  # "missing": not made


BAD = [("empty", "is empty"), ("blank", "is empty"), ("binary", "not text"), ("malformed", "no lines"),
       ("backwards", "no lines"), ("missing", "no such file"), ("fifo", "not a regular file"), ("folder", "is a folder")]


@pytest.mark.parametrize("kind,needle", BAD)
def test_a_bad_transcript_over_an_entry_exits_2_with_one_line_and_changes_nothing(entry, capsys, kind, needle):
    store, video_id, media, folder = entry
    before = state(store, video_id)
    subs = bad_subs(kind, folder)
    capsys.readouterr()
    assert cli.main(["import", str(media), "--subs", str(subs)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("reader: ") and needle in err.lower(), err
    assert "Traceback" not in err and "Errno" not in err and "Error" not in err
    assert state(Store(), video_id) == before
    with pytest.raises(ImportFailed, match=needle if kind != "missing" else "no such file"):  # the same through the library
        commit(store, prepare_file(media, subs))
    assert state(store, video_id) == before
    assert not list(media_root().glob(".staging-*"))


@pytest.mark.parametrize("kind", ["empty", "binary", "malformed", "fifo"])
def test_a_bad_transcript_given_as_the_source_exits_2(entry, capsys, kind):
    store, video_id, media, folder = entry
    before = state(store, video_id)
    count = store.count()
    assert cli.main(["import", str(bad_subs(kind, folder))]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert state(Store(), video_id) == before and Store().count() == count


@pytest.mark.parametrize("replacement", ["none", "no lines"])
def test_the_store_never_replaces_lines_with_none(entry, replacement):
    store, video_id, media, _ = entry
    before = state(store, video_id)
    empty = None if replacement == "none" else Transcript([], [], [], "webvtt")
    record = prepare_file(media, copy=False).record  # any record for the same entry
    row = store.video(video_id)
    record.site, record.site_id = row["site"], row["site_id"]
    record.media_path, record.transcript_path = row["media_path"], row["transcript_path"]
    _, change = store.put_video(record, empty)
    assert change.kept and state(store, video_id) == before
    if empty is not None:
        assert store.set_transcript(video_id, empty, "/elsewhere.vtt").kept
        assert state(store, video_id) == before


def test_a_reimport_without_a_readable_transcript_keeps_the_entrys_lines_and_files(entry, capsys):
    store, video_id, media, folder = entry
    before = state(store, video_id)
    (folder / "good.vtt").unlink()
    (folder / "talk.vtt").write_bytes(PNG)  # an unreadable file beside the video: not named, so a notice
    assert cli.main(["import", str(media)]) == 0
    err = capsys.readouterr().err
    assert "could not be read" in err and "is kept" in err
    store = Store()
    now = state(store, video_id)
    assert now[:3] == before[:3] and now[5] == before[5]
    assert Path(now[3]).is_file() and Path(now[4]).read_text(encoding="utf-8") == CLIP_VTT  # its file came along
    assert [p.name for p in media_root().iterdir()] == [entry_folder(store.video(video_id)).name]


# -- highlights follow a replaced transcript ---------------------------------------------------------

SHIFTED = CLIP_VTT.replace("00:00:0", "00:00:1")  # every line ten seconds later, same words
RESPLIT = """WEBVTT

00:00:00.400 --> 00:00:01.500
First line

00:00:01.500 --> 00:00:02.600
from Ada. Second

00:00:02.600 --> 00:00:04.000
line, still ADA. Ben answers

00:00:04.000 --> 00:00:07.500
with a third line. And the fourth line closes the clip.
"""
REWORDED = CLIP_VTT.replace("Second line, still Ada.", "Then Ada goes on.")
FAR = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nSomething else.\n\n00:05:00.000 --> 00:05:02.000\nSecond line, still Ada.\n"


@pytest.mark.parametrize("captions,highlight,placed_text,placed_ms", [
    (SHIFTED, (1, 0, 1, 11, 2000, 3500, "Second line"), "Second line", 12000),
    (RESPLIT, (1, 0, 1, 11, 2000, 3500, "Second line"), "Second\nline", 1500),  # now across two lines
    (RESPLIT, (0, 10, 2, 5, 500, 5000, "from Ada. Second line, still Ada. Ben"), "from Ada. Second\nline, still ADA. Ben", 1500),
    (RESPLIT, (3, 0, 3, 7, 5000, 7500, "and the FOURTH line"), "And the fourth line", 4000),
    (REWORDED, (1, 0, 1, 11, 2000, 3500, "Second line"), None, None),  # the words are gone
    (FAR, (1, 0, 1, 11, 2000, 3500, "Second line"), None, None),  # said again, minutes away: another passage
])
def test_highlights_are_replaced_by_text_near_their_time_or_kept_and_marked(entry, tmp_path, capsys,
                                                                            captions, highlight, placed_text, placed_ms):
    store, video_id, media, folder = entry
    for h in store.highlights(video_id):
        store.delete_highlight(h["id"])
    hid = store.add_highlight(video_id, *highlight, note="kept note")
    answer = store.start_answer(video_id, hid, None, "explain", "", "prompt", "model")
    new = folder / "better.vtt"
    new.write_text(captions, encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["import", str(media), "--subs", str(new)]) == 0
    err = capsys.readouterr().err
    store = Store()
    row = store.highlight(hid)
    assert row["note"] == "kept note" and row["text"] == highlight[6]
    assert store.answers(answer)[0]["highlight_id"] == hid  # answers keep their highlight either way
    cues = store.transcript(video_id).cues
    if placed_text is None:
        assert row["anchor_lost_at"] and (row["start_ms"], row["end_ms"]) == highlight[4:6]
        assert [r["id"] for r in store.lost_highlights(video_id)] == [hid]
        assert "1 highlight could not be placed" in err and f"not placed: 0:02 “{highlight[6]}”" in err
    else:
        assert row["anchor_lost_at"] is None and row["start_ms"] == placed_ms and not store.lost_highlights(video_id)
        texts = [c.text for c in cues[row["start_cue"]:row["end_cue"] + 1]]
        if len(texts) == 1:
            got = texts[0][row["start_offset"]:row["end_offset"]]
        else:
            got = "\n".join([texts[0][row["start_offset"]:], *texts[1:-1], texts[-1][:row["end_offset"]]])
        assert got == placed_text
        assert "not placed" not in err


def test_a_lost_highlight_is_found_again_when_better_captions_have_its_words(entry, tmp_path):
    store, video_id, media, folder = entry
    hid = store.highlights(video_id)[0]["id"]
    reworded = Transcript([Cue(c.start_ms, c.end_ms, c.text.replace("Second", "2nd")) for c in store.transcript(video_id).cues], [], [], "webvtt")
    assert [r["id"] for r in store.set_transcript(video_id, reworded).lost] == [hid]
    original = Transcript(list(Store().transcript(video_id).cues), [], [], "webvtt")
    original.cues[1] = Cue(2000, 3500, "Second line, still Ada.")
    change = store.set_transcript(video_id, original)
    assert change.placed == 1 and not change.lost and store.highlight(hid)["anchor_lost_at"] is None


def test_the_window_lists_a_lost_highlight_and_draws_it_nowhere(entry, window, qtbot, tmp_path):
    store, video_id, media, folder = entry
    window.reading.open_video(video_id)
    new = folder / "reworded.vtt"
    new.write_text(REWORDED, encoding="utf-8")
    window.reading.attach_transcript(video_id, new)
    assert "1 highlight could not be placed" in window.banner.text()
    assert window.notes_pane.list.count() == 1  # still listed
    assert window.transcript_pane.view._marks == []  # and drawn on no line
    bad = folder / "empty.vtt"
    bad.write_bytes(b"")
    before = state(window.store, video_id)
    window.reading.attach_transcript(video_id, bad)
    assert "is kept" in window.banner.text() and state(window.store, video_id) == before
    bad.write_bytes(b"\x00\x01binary\xff\xfe" * 100)
    window.reading.attach_transcript(video_id, bad)
    said = window.banner.text()
    assert "could not be read" in said and "is kept" in said and ".." not in said
    assert state(window.store, video_id) == before


# -- exactly the files named ---------------------------------------------------------------------

SRT = "1\n00:00:00,500 --> 00:00:02,000\nThe SRT's line.\n"


@pytest.mark.parametrize("source,beside,lines", [
    ("good.vtt", {"good.srt": SRT}, ["First line from Ada.", "Second line, still Ada."]),
    ("talk.en.vtt", {"talk.en.srt": SRT}, ["First line from Ada.", "Second line, still Ada."]),
    ("good.srt", {"good.vtt": CLIP_VTT}, ["The SRT's line."]),
])
def test_a_transcript_source_is_read_as_the_transcript_and_nothing_beside_it(tmp_path, capsys, source, beside, lines):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / source).write_text(SRT if source.endswith(".srt") else CLIP_VTT, encoding="utf-8")
    for name, text in beside.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert cli.main(["import", str(folder / source)]) == 0
    video_id = int(capsys.readouterr().out.split("\t")[0])
    store = Store()
    row = store.video(video_id)
    assert row["media_path"] == "" and Path(row["transcript_path"]).read_text(encoding="utf-8") == (folder / source).read_text(encoding="utf-8")
    assert [c.text for c in store.transcript(video_id).cues][:2] == lines


def test_named_subs_win_over_the_sidecar(clip_dir, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(clip_dir / "talk.mp4", folder / "talk.mp4")
    (folder / "talk.vtt").write_text(CLIP_VTT, encoding="utf-8")
    (folder / "other.srt").write_text(SRT, encoding="utf-8")
    assert cli.main(["import", str(folder / "talk.mp4"), "--subs", str(folder / "other.srt")]) == 0
    video_id = int(capsys.readouterr().out.split("\t")[0])
    assert [c.text for c in Store().transcript(video_id).cues] == ["The SRT's line."]


# -- media replaced crash-safely -----------------------------------------------------------------------

def test_the_cleaner_removes_leftovers_and_superseded_copies_only(entry):
    store, video_id, media, folder = entry
    kept = entry_folder(store.video(video_id))
    earlier_copy = kept.name[:-10] + "0123456789"  # the same entry, another copy: a re-import cut short
    no_entry = "local-x-0123456789"  # an entry this library does not have (one restored from a snapshot may)
    for name in (".staging-abc", earlier_copy, no_entry, "faketube-y.old-1234abcd"):
        (media_root() / name).mkdir()
        (media_root() / name / "media.mp4").write_bytes(b"partial")
        os.utime(media_root() / name, (time.time() - 3600, time.time() - 3600))  # left by an import long gone
    prepared = prepare_file(media)  # an import in progress: its staging folder is held, so it is left alone
    removed = clean_library(store)
    assert sorted(p.name for p in removed) == sorted([".staging-abc", "faketube-y.old-1234abcd", earlier_copy])
    assert sorted(p.name for p in media_root().iterdir()) == sorted([kept.name, no_entry, prepared.staging.name])
    assert commit(store, prepared) == video_id
    assert sorted(p.name for p in media_root().iterdir()) == sorted([entry_folder(store.video(video_id)).name, no_entry])
    assert entry_folder(store.video(video_id)) != kept


def test_the_cleaner_removes_no_media_when_the_library_is_empty(tmp_path):
    (media_root() / "local-a-0123456789").mkdir()
    assert clean_library(Store()) == [] and (media_root() / "local-a-0123456789").is_dir()


KILLS = 24


def test_sigkill_during_reimports_leaves_the_entry_on_a_complete_copy(clip_dir, tmp_path, data_dir):
    media = tmp_path / "talk.mp4"
    shutil.copy(clip_dir / "talk.mp4", media)
    (tmp_path / "talk.vtt").write_text(CLIP_VTT, encoding="utf-8")
    whole = media.read_bytes()
    env = dict(os.environ, READER_DATA_DIR=str(data_dir))
    child_script = Path(__file__).resolve().parent / "import_crash_child.py"
    rng = random.Random(20260311)
    imported = interrupted = 0
    for run in range(KILLS):
        ready, lines = kill_during(child_script, [media], env, rng.uniform(0.0, 0.5))
        assert ready
        imported += sum(1 for line in lines if line.startswith("IMPORTED"))
        store = Store()
        assert store.count() == 1, lines
        row = store.videos()[0]
        assert Path(row["media_path"]).read_bytes() == whole  # never a missing or partial copy
        assert store.video(row["id"])["cue_count"] == 4 and Path(store.video(row["id"])["transcript_path"]).is_file()
        interrupted += len(list(media_root().iterdir())) > 1  # killed with an import half done
        if run % 3 == 2:  # now and then the next start cleans up before the next kill
            for left in media_root().glob(".staging-*"):  # a killed import's, as a later start finds it (not seconds old)
                os.utime(left, (time.time() - 3600, time.time() - 3600))
            clean_library(store)
            assert [p.name for p in media_root().iterdir()] == [entry_folder(store.video(row["id"])).name]
        store.close()
    store = Store()
    clean_library(store)
    row = store.videos()[0]
    assert [p.name for p in media_root().iterdir()] == [entry_folder(store.video(row["id"])).name]
    assert Path(row["media_path"]).read_bytes() == whole
    assert imported > KILLS // 2, "the kills came too early to interrupt re-imports"
    assert interrupted, "no kill landed inside an import"
