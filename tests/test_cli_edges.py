"""Rough edges of the command line a new user met (issue 19): labelled ids, a video id given to `transcript`,
Markdown of videos with nothing in them, and rating a card that is not due."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cards import making as cards
from reader.exchange.markdown import NOTHING_YET
from reader.library.db.store import Store

from conftest import add_video, assert_one_sentence, run


def _card(video_id: int, question: str = "Who opens?") -> int:
    store = Store()
    try:
        return cards.make_card(store, video_id, question, "Ada", 0, 9000)
    finally:
        store.close()


# -- cards list and review: each id says what it is ------------------------------------------------

def test_cards_list_and_review_label_their_ids_and_json_stays_as_it_was(capsys):
    add_video(site_id="zero")  # so the video id (2) differs from the card id (1)
    vid = add_video(site_id="one")
    _card(vid)
    code, out, err = run(capsys, "cards", "list")
    assert code == 0, err
    assert out.split("\t")[:2] == ["card 1", f"video {vid}"] and out.split("\t")[2:5] == ["0:00–0:09", "active", "due now"]
    code, out, _ = run(capsys, "review")
    assert out.split("\t")[:3] == ["card 1", f"video {vid}", "0:00"]
    code, out, _ = run(capsys, "cards", "list", "--json")
    assert set(json.loads(out)[0]) == {"id", "video_id", "title", "question", "answer", "start_ms", "end_ms", "state",
                                       "source", "due", "due_in", "reviews"}
    assert (json.loads(out)[0]["id"], json.loads(out)[0]["video_id"]) == (1, vid)
    code, out, _ = run(capsys, "review", "--json")
    assert json.loads(out) == [{"id": 1, "video_id": vid, "title": "A talk", "start_ms": 0, "question": "Who opens?"}]


# -- reader transcript takes a file --------------------------------------------------------------------

@pytest.mark.parametrize("given", ["1", "42", "007"])
def test_reader_transcript_given_a_video_id_says_it_takes_a_file_and_how_to_get_the_transcript(capsys, tmp_path, monkeypatch, given):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "transcript", given)
    assert_one_sentence(code, out, err)
    assert "reads a transcript or subtitle file" in err and f"reader export {given} --to md" in err and "--transcript" in err
    assert "(.)" not in err


def test_a_file_called_like_a_number_is_still_read(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "1").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n", encoding="utf-8")
    code, out, err = run(capsys, "transcript", "1", "--to", "txt")
    assert code == 0 and "Hello." in out, err


def test_the_export_the_message_names_gives_the_transcript(capsys, tmp_path, monkeypatch):
    vid = add_video()
    monkeypatch.chdir(tmp_path)
    run(capsys, "transcript", str(vid))
    code, out, err = run(capsys, "export", str(vid), "--to", "md", f"video-{vid}.md", "--transcript")
    assert code == 0, err
    assert "Ben answers her." in (tmp_path / f"video-{vid}.md").read_text(encoding="utf-8")


# -- Markdown of videos with nothing in them -------------------------------------------------------------

def _marked_and_bare() -> tuple[int, int]:
    marked, bare = add_video("Marked", site_id="m"), add_video("Bare", site_id="b")
    store = Store()
    store.add_highlight(marked, 0, 0, 0, 3, 0, 5000, "Ada", "yellow", "the opener")
    store.close()
    return marked, bare


def test_export_all_to_markdown_leaves_out_a_video_with_nothing_in_it_and_says_so(capsys, tmp_path):
    marked, bare = _marked_and_bare()
    code, out, err = run(capsys, "export", "--all", "--to", "md", tmp_path / "notes")
    assert code == 0, err
    assert [Path(p).name for p in out.split()] == [f"Marked-{marked}.md"]
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == [f"Marked-{marked}.md"]
    assert err == "reader: note: 1 video with nothing in it yet (no highlights, notes, answers or cards) was left out: “Bare”.\n"
    code, out, err = run(capsys, "export", "--all", "--to", "md", tmp_path / "with", "--transcript")
    assert code == 0 and err == "" and len(list((tmp_path / "with").iterdir())) == 2  # the transcript is something in it


def test_export_all_to_markdown_of_a_library_with_nothing_in_it_writes_nothing(capsys, tmp_path):
    add_video()
    code, out, err = run(capsys, "export", "--all", "--to", "md", tmp_path / "notes")
    assert_one_sentence(code, out, err)
    assert "no Markdown file was written" in err and not (tmp_path / "notes").exists()


def test_a_named_video_with_nothing_in_it_says_so_under_its_title(capsys, tmp_path):
    _, bare = _marked_and_bare()
    code, out, err = run(capsys, "export", str(bare), "--to", "md", tmp_path / "bare.md")
    assert code == 0, err
    text = (tmp_path / "bare.md").read_text(encoding="utf-8")
    assert text.endswith(f"# Bare\n\n{NOTHING_YET}\n") and "## " not in text


# -- rating a card that is not due -----------------------------------------------------------------------

def test_rating_a_card_that_is_not_due_is_refused_unless_anyway(capsys):
    _card(add_video())
    code, out, err = run(capsys, "review", "rate", "1", "good")
    assert code == 0, err  # due now: rated
    store = Store()
    due = store.card(1)["due"]
    store.close()
    code, out, err = run(capsys, "review", "rate", "1", "easy")
    assert_one_sentence(code, out, err)
    assert err == ("reader: Card 1 is not due yet (it comes back in 10 minutes); to rate it now anyway, add --anyway: "
                   "reader review rate 1 easy --anyway.\n")
    store = Store()
    assert len(store.reviews(1)) == 1 and store.card(1)["due"] == due  # nothing was recorded
    store.close()
    code, out, err = run(capsys, "review", "rate", "1", "easy", "--anyway")
    assert code == 0 and out.startswith("Card 1 is next due"), err
    store = Store()
    assert [r["rating"] for r in store.reviews(1)] == [3, 4]
    store.close()


def test_the_subprocess_entry_point_refuses_an_early_rating_in_one_line(tmp_path):
    import os

    _card(add_video())
    env = dict(os.environ)
    first = subprocess.run([sys.executable, "-m", "reader", "review", "rate", "1", "good"], capture_output=True, text=True,
                           timeout=120, env=env)
    again = subprocess.run([sys.executable, "-m", "reader", "review", "rate", "1", "good"], capture_output=True, text=True,
                           timeout=120, env=env)
    assert first.returncode == 0 and again.returncode == 2 and again.stderr.count("\n") == 1 and "--anyway" in again.stderr
