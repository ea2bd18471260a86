"""Cards in files: backups keep every schedule and history and refuse a bad card whole; Markdown and Anki carry them."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from reader.cards import making as cards
from reader.exchange.backup import backup
from reader.exchange.errors import ExportError
from reader.exchange.formats import export
from reader.exchange.markdown import markdown
from reader.exchange.restore import restore
from reader.library.db.store import Store
from reader.library.importing import commit, prepare_file

from conftest import add_video, read_apkg

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def library_with_cards(path=None) -> dict:
    """A library with two cards (one from a highlight), reviewed a few times; returns its backup."""
    add_video()
    store = Store()
    highlight_id = store.add_highlight(1, 1, 0, 1, 16, 10_000, 20_000, "Ben answers her.", note="Ben")
    first = cards.card_from_highlight(store, highlight_id, "Who answers Ada?", now=T0)
    second = cards.make_card(store, 1, "What do they agree on?", "Turn-taking", 20_000, 30_000, now=T0)
    when = T0
    for rating in ("good", "again", "good"):
        due = cards.rate_card(store, first, rating, typed_answer=f"typed {rating}", now=when, fuzz=False).due
        when = datetime.fromisoformat(due)
    cards.rate_card(store, second, "easy", now=T0, fuzz=False)
    cards.edit_card(store, second, status="suspended")
    data = json.loads(json.dumps(backup(store)))
    store.close()
    return data


def card_state(store: Store) -> list[tuple]:
    return [(c["uid"], c["question"], c["answer"], c["start_ms"], c["end_ms"], c["status"], c["source"], c["fsrs"], c["due"],
             c["passage"], tuple((r["reviewed_at"], r["rating"], r["typed_answer"], r["due_after"]) for r in store.reviews(c["id"])))
            for c in store.cards()]


def test_a_restore_into_an_empty_library_keeps_every_card_schedule_and_history(tmp_path, monkeypatch):
    data = library_with_cards()
    before = card_state(Store())
    assert len(before) == 2 and len(before[0][-1]) == 3
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "elsewhere"))
    fresh = Store()
    counts = restore(fresh, path)
    assert counts["cards"] == 2
    assert card_state(fresh) == before
    linked = [c for c in fresh.cards() if c["highlight_id"] is not None]
    assert len(linked) == 1 and fresh.highlight(linked[0]["highlight_id"])["text"] == "Ben answers her."
    assert restore(fresh, path)["cards"] == 0  # a second restore adds nothing
    assert card_state(fresh) == before
    # and the restored schedule goes on as it would have
    due = cards.due_now(fresh, datetime.fromisoformat(before[0][8]) + timedelta(minutes=1))
    assert [c["question"] for c in due] == ["Who answers Ada?"]
    fresh.close()


def test_a_restore_never_overwrites_a_card_the_library_has(tmp_path):
    data = library_with_cards()
    store = Store()
    card_id = store.cards()[0]["id"]
    cards.edit_card(store, card_id, question="Who answers Ada, and how?")
    cards.rate_card(store, card_id, "hard", now=T0 + timedelta(days=9), fuzz=False)
    kept = card_state(store)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    assert restore(store, path)["cards"] == 0
    assert card_state(store) == kept
    store.close()


def test_a_version_1_backup_without_cards_restores_as_before(tmp_path):
    data = library_with_cards()
    for item in data["videos"]:
        del item["cards"]
    data["version"] = 1
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    store = Store()
    assert restore(store, path)["cards"] == 0
    store.close()


C = "videos.0.cards.0"
R = f"{C}.reviews.0"
REFUSED = [
    # (what, where in the backup, the value, words the sentence holds)
    ("moments backwards", f"{C}.end_ms", 0, "at videos[0].cards[0], the card's moments end before they start"),
    ("a time as text", f"{C}.start_ms", "10", "at videos[0].cards[0].start_ms, expected a whole number, got text"),
    ("no question", f"{C}.question", None, "at videos[0].cards[0].question, expected text, got nothing"),
    ("unknown status", f"{C}.status", "buried", "'buried' is not one of the values Reader knows (suggested, active or suspended)"),
    ("unknown source", f"{C}.source", "gpt", "'gpt' is not one of the values Reader knows (mine or claude)"),
    ("a highlight the backup lacks", f"{C}.highlight_uid", "00000000000003e7", "it names highlight 00000000000003e7, which the backup"),
    ("schedule not JSON", f"{C}.fsrs", "{", "at videos[0].cards[0].fsrs, the card's schedule is unusable"),
    ("schedule a list", f"{C}.fsrs", "[]", "the card's schedule is unusable: it is not an object"),
    ("difficulty out of range", f"{C}.fsrs", "DIFFICULTY", "its difficulty is out of range"),
    ("due not a date", f"{C}.due", "tomorrow", "at videos[0].cards[0].due, 'tomorrow' is not a date and time"),
    ("evidence not a list", f"{C}.evidence", '{"a": 1}', "at videos[0].cards[0].evidence, it is not a list of quotes"),
    ("uid empty", f"{C}.uid", "", "at videos[0].cards[0].uid, expected text that is not empty"),
    ("uid twice", f"{C}.uid", "SAME", "is in the backup twice"),
    ("rating 5", f"{R}.rating", 5, "at videos[0].cards[0].reviews[0].rating, expected a whole number of at most 4"),
    ("rating 0", f"{R}.rating", 0, "expected a whole number of at least 1"),
    ("review time not a date", f"{R}.reviewed_at", "yesterday", "at videos[0].cards[0].reviews[0].reviewed_at"),
    ("review citations not JSON", f"{R}.citations", "nope", "at videos[0].cards[0].reviews[0].citations, it is not a list of citations"),
    ("review log a list", f"{R}.fsrs_log", "[1]", "at videos[0].cards[0].reviews[0].fsrs_log, it is not a record in braces"),
    ("reviews an object", f"{C}.reviews", {}, "at videos[0].cards[0].reviews, expected a list"),
    ("cards a string", "videos.0.cards", "many", "at videos[0].cards, expected a list, got text"),
]


def _set(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value == "SAME":
        data["videos"][0]["cards"][1]["uid"] = node[last]
        return
    if value == "DIFFICULTY":
        state = json.loads(node[last])
        state["difficulty"] = 99
        value = json.dumps(state)
    node[int(last) if isinstance(node, list) else last] = value


@pytest.mark.parametrize("what, where, value, words", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_card_refuses_the_whole_backup_and_changes_nothing(tmp_path, what, where, value, words):
    data = library_with_cards()
    bad = copy.deepcopy(data)
    _set(bad, where, value)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(bad))
    store = Store()
    store.remove_video(1)  # so that every card in the file would be new
    before = list(sqlite3.connect(store.path).iterdump())
    with pytest.raises(ExportError) as caught:
        restore(store, path)
    message = str(caught.value)
    assert words in message and message.count(". ") == 0 and message.endswith("."), message
    assert list(sqlite3.connect(store.path).iterdump()) == before
    store.close()


def test_markdown_and_anki_carry_active_and_suspended_cards_not_suggestions(clip_dir, tmp_path):
    store = Store()
    vid = commit(store, prepare_file(clip_dir / "talk.mp4"))
    cards.make_card(store, vid, "What does Ada open with?", "Spaced <b>repetition</b>", 0, 3000)
    hidden = cards.make_card(store, vid, "Suspended one?", "", 3000, 6000)
    cards.edit_card(store, hidden, status="suspended")
    cards.make_card(store, vid, "A suggestion not yet accepted?", "", 0, 3000, source="claude", status="suggested")
    text = markdown(store, vid)
    assert "## Recall cards" in text and "What does Ada open with?" in text and "Spaced <b>repetition</b>" not in text
    assert "Suspended one? *(suspended)*" in text and "A suggestion" not in text

    export(store, vid, "anki", tmp_path / "deck.apkg")
    _, rows, sizes = read_apkg(tmp_path / "deck.apkg", tmp_path)
    assert len(rows) == 1  # the active card only (no highlights in this library)
    question, answer, sound, passage, source = rows[0][1].split("\x1f")
    assert question == "What does Ada open with?" and "&lt;b&gt;" in answer and "0:00" in source
    assert sound.startswith("[sound:") and sizes[sound[7:-1]] > 1000 and passage
    export(store, vid, "anki", tmp_path / "again.apkg")
    _, again, _ = read_apkg(tmp_path / "again.apkg", tmp_path)
    assert again[0][0] == rows[0][0]  # the card's uid makes the note's id: Anki updates instead of copying
    store.close()
