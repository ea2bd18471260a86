"""What Reader writes, Reader restores: the schema (migration m010) refuses, in one sentence, every value a backup refuses."""

from __future__ import annotations

import json
import sqlite3

import pytest

from reader.base.colours import COLOUR_NAMES
from reader.cards import making as cards
from reader.exchange.backup import backup, read_backup
from reader.exchange.restore import restore
from reader.library.db import allowed_values
from reader.library.db.allowed_values import RULES, Rule
from reader.library.db.errors import ValueRefused
from reader.library.db.migrations import migrations
from reader.library.db.store import Store

from conftest import add_video


def _bad_values(rule: Rule) -> list:
    if rule.one_of:
        return ["done" if "done" not in rule.one_of else "finished", "", rule.one_of[0].upper(), 3]
    if rule.low is not None:
        return [rule.low - 1, rule.high + 1, 1.5, "soon"]
    values = ["x" * (rule.max_length + 1), b"\x00binary"]  # a number is kept as its digits, text a backup holds
    if rule.min_length:
        values.append("")
    return values


CASES = [(table, column, value) for table, columns in RULES.items() for column, rule in columns.items()
         for value in _bad_values(rule) + ([None] if rule.required else [])]


def _ids(case):
    table, column, value = case
    shown = value if not isinstance(value, str) or len(value) < 20 else f"{len(value):,} characters"
    return f"{table}.{column}={shown!r}"


@pytest.fixture(scope="module")
def full_library(tmp_path_factory):
    """One library with a row in every table (made through Reader's own verbs), copied for each case."""
    import os

    folder = tmp_path_factory.mktemp("library")
    old = os.environ.get("READER_DATA_DIR")
    os.environ["READER_DATA_DIR"] = str(folder)
    try:
        vid = add_video()
        store = Store()
        highlight = store.add_highlight(vid, 0, 0, 0, 5, 0, 1_000, "Ada opens", note="a note")
        store.start_answer(vid, highlight, None, "explain", "Explain this passage", "prompt", "model")
        card = cards.make_card(store, vid, "Who opens the talk?", "Ada", 0, 10_000)
        cards.rate_card(store, card, "good", fuzz=False, retention=0.9)
        store.start_check(card, "Ada", "model", "2026-01-01T00:00:00+00:00")
        store.start_transcription(vid, "base.en", "", "en", 0, 1_000, 1)
        store.start_library_answer(None, "What is said?", "prompt", "", [], "model")
        store.add_tags(vid, ["a tag"])
        store.close()
    finally:
        if old is None:
            del os.environ["READER_DATA_DIR"]
        else:
            os.environ["READER_DATA_DIR"] = old
    return folder / "library.db"


@pytest.mark.parametrize("table,column,value", CASES, ids=[_ids(c) for c in CASES])
def test_every_value_a_backup_refuses_the_store_refuses_in_one_sentence(full_library, data_dir, table, column, value):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "library.db").write_bytes(full_library.read_bytes())
    store = Store()
    before = store.db.execute(f"select * from [{table}]").fetchall()
    assert before, f"the library has no {table} row to change"
    with pytest.raises(ValueRefused) as refused:
        with store.writing():
            store.db.execute(f"update [{table}] set [{column}] = ?", [value])
    sentence = str(refused.value)
    assert sentence == RULES[table][column].sentence()
    assert sentence.count(". ") == 0 and sentence.endswith("so that value was not saved.") and "\n" not in sentence
    assert store.db.execute(f"select * from [{table}]").fetchall() == before  # nothing of it kept
    # and a new row with it is refused as well
    row = dict(zip([d[1] for d in store.db.execute(f"PRAGMA table_info([{table}])")], before[0]))
    row.pop("id", None)
    row.update({column: value, **({"uid": "another"} if table == "cards" and column != "uid" else {}),
                **({"site_id": "another"} if table == "videos" and column != "site_id" else {})})
    with pytest.raises(ValueRefused):
        with store.writing():
            store.db[table].insert(row)
    store.close()


@pytest.mark.parametrize("verb,expected", [
    (lambda s: s.save_answer(1, "words", [], "done"), "An answer's status is streaming, complete, incomplete or error"),
    (lambda s: s.save_check(1, "words", [], "finished"), "An answer check's status is streaming, complete,"),
    (lambda s: s.update_highlight(1, color="mauve"), "A highlight's colour is " + allowed_values.in_words(COLOUR_NAMES)),
    (lambda s: s.add_highlight(1, 0, 0, 0, 5, -1, 1_000, "Ada"), "A highlight's start is a whole number from 0"),
    (lambda s: s.update_card(1, "2026-01-01", status="retired"), "A card's status is suggested, active or suspended"),
    (lambda s: s.record_review(1, reviewed_at="2026-01-01", rating=5, fsrs="{}", due="2026-01-02", fsrs_log={}),
     "A rating is a whole number from 1 to 4"),
    (lambda s: s.end_transcription(1, "paused"), "A transcription's status is running, done, cancelled or failed"),
    (lambda s: s.restore_video_fields(1, -5, "2026-01-01"), "Where a video was left is a whole number from 0"),
])
def test_the_store_s_own_verbs_are_refused_in_one_sentence(full_library, data_dir, verb, expected):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "library.db").write_bytes(full_library.read_bytes())
    store = Store()
    with pytest.raises(ValueRefused, match="^" + expected.replace("(", r"\(").replace(")", r"\)")):
        verb(store)
    store.close()


def test_the_backup_schema_and_the_store_share_one_list():
    """reader/exchange/backup.py's allowed values are allowed_values' own (so the two cannot drift apart)."""
    import typing

    from reader.exchange import backup as module

    assert typing.get_args(module.Status) == allowed_values.ANSWER_STATUSES
    hints = typing.get_type_hints(module.CardRecord)
    assert typing.get_args(hints["status"]) == allowed_values.CARD_STATUSES
    assert typing.get_args(hints["source"]) == allowed_values.CARD_SOURCES
    assert (module.SHORT, module.LINE, module.LONG, module.MAX_MS) == (
        allowed_values.SHORT, allowed_values.LINE, allowed_values.LONG, allowed_values.MAX_MS)


def test_a_library_s_own_backup_always_restores(data_dir, tmp_path):
    """Every status, colour and rating Reader writes, at the edges of every range, backs up and restores whole."""
    vid = add_video()
    store = Store()
    store.set_sync_offset(vid, -allowed_values.MAX_SYNC_OFFSET_MS)
    for n, colour in enumerate(COLOUR_NAMES):
        h = store.add_highlight(vid, 0, 0, 0, 5, n, n + 1_000, f"Ada opens {n}", color=colour, note="")
        for status in allowed_values.ANSWER_STATUSES:
            answer = store.start_answer(vid, h, None, "explain", f"Explain {status} {n}", "prompt", "model")
            store.save_answer(answer, f"words {status}", [], status)
    for n, status in enumerate(allowed_values.CARD_STATUSES):
        card = cards.make_card(store, vid, f"Who opens the talk? {n}", "Ada", 0, 10_000, source=allowed_values.CARD_SOURCES[n % 2])
        for rating in range(allowed_values.RATING_MIN, allowed_values.RATING_MAX + 1):
            cards.rate_card(store, card, rating, fuzz=False, retention=0.9)
        cards.edit_card(store, card, status=status)
    saved = tmp_path / "backup.json"
    saved.write_text(json.dumps(backup(store)))
    read_backup(saved)  # the library's own backup passes the backup's schema
    store.close()
    other = Store(tmp_path / "other" / "library.db")
    counts = restore(other, saved)
    assert counts["highlights"] == len(COLOUR_NAMES)
    assert other.db.execute("select count(*) from answers").fetchone()[0] == len(COLOUR_NAMES) * len(allowed_values.ANSWER_STATUSES)
    assert other.db.execute("select count(*) from reviews").fetchone()[0] == 4 * len(allowed_values.CARD_STATUSES)
    assert other.db.execute("select sync_offset_ms from videos").fetchone()[0] == -allowed_values.MAX_SYNC_OFFSET_MS
    other.close()


def test_an_older_library_with_a_status_no_reader_knows_is_mended_so_its_backup_restores(data_dir, tmp_path):
    """A library an older Reader (before m010) left with answers 'done': the update makes them 'incomplete', words kept."""
    vid = add_video()
    store = Store()
    h = store.add_highlight(vid, 0, 0, 0, 5, 0, 1_000, "Ada opens")
    answer = store.start_answer(vid, h, None, "explain", "Explain", "prompt", "model")
    store.db.execute("drop trigger check_answers_status_update")  # as an older Reader's library had none
    store.db.execute("update answers set answer = 'kept words', status = 'done'")
    store.db.execute(f"delete from [{migrations.migrations_table}] where name = 'm010_checks'")
    store.db.conn.commit()
    store.close()
    store = Store()  # m010 again
    assert store.answer(answer)["status"] == "incomplete" and store.answer(answer)["answer"] == "kept words"
    saved = tmp_path / "backup.json"
    saved.write_text(json.dumps(backup(store)))
    store.close()
    other = Store(tmp_path / "other" / "library.db")
    assert restore(other, saved)["answers"] == 1
    other.close()


def test_the_checks_are_triggers_in_the_library_itself(data_dir):
    """Another program writing the library (sqlite3 itself) is refused too."""
    add_video()
    Store().close()
    conn = sqlite3.connect(data_dir / "library.db")
    with pytest.raises(sqlite3.IntegrityError, match="A video's sync offset is a whole number"):
        conn.execute("update videos set sync_offset_ms = ?", [10**12])
    conn.close()
