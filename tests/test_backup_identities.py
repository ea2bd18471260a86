"""Stable identities (issue 20): every row a user makes has a uid, backups keep it, and a restore gives back exactly
the rows a backup holds however alike they are; a hostile version 3 file is refused whole, the library untouched."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import datetime, timezone

import pytest

from reader.cards import making as cards
from reader.exchange.errors import ExportError
from reader.exchange.formats import export
from reader.exchange.restore import restore
from reader.library.db.migrations import migrations
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.transcript.model import Cue, Transcript

MOMENT = "2026-01-02T03:04:05+00:00"  # every row made in the same second
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def alike_library(monkeypatch, highlights: int = 120, answered: int = 40) -> Store:
    """Two videos whose highlights, answers, threads, cards, reviews and checks are alike: the same second, the
    same words, the same moments (what a script, or two Explains in one second, make)."""
    for _where in ("reader.library.db.records", "reader.library.db.videos", "reader.library.db.notes"):  # each module that binds now
        monkeypatch.setattr(f"{_where}.now", lambda: MOMENT)
    store = Store()
    for site_id in ("one", "two"):
        vid = store.add_video(VideoRecord("youtube", site_id, "Talk"), Transcript([Cue(0, 1000, "Same words here.")], [], [], "vtt"))
        made = [store.add_highlight(vid, 0, 0, 0, 4, 0, 1000, "Same") for _ in range(highlights)]
        for h in made[:answered]:
            first = store.start_answer(vid, h, None, "explain", "Explain", "p", "m")
            store.save_answer(first, "Same answer.", [], "complete")
            follow = store.start_answer(vid, h, first, "followup", "Why?", "p", "m")
            store.save_answer(follow, "Because.", [], "complete")
        for _ in range(3):  # the same question to the chat, three times in one second
            chat = store.start_answer(vid, None, None, "chat", "Same?", "p", "m")
            store.save_answer(chat, "Yes.", [], "complete")
        for _ in range(2):
            card = cards.make_card(store, vid, "Same question?", "Same.", 0, 1000, highlight_id=made[0], now=T0)
            for _ in range(2):
                check = store.start_check(card, "typed", "m", MOMENT)
                store.save_check(check, "Close.", [], "complete")
            cards.rate_card(store, card, "good", typed_answer="typed", now=T0, fuzz=False, check_id=check)
            cards.rate_card(store, card, "good", typed_answer="typed", now=T0, fuzz=False)
    return store


QUERIES = {  # every row, by uid, with what it refers to by uid, and its content (no library ids)
    "highlights": "select h.uid, v.site_id, h.start_ms, h.end_ms, h.text, h.color, h.note, h.created_at, h.edited_at"
                  " from highlights h join videos v on v.id = h.video_id",
    "answers": "select a.uid, a.thread_uid, t.uid, v.site_id, h.uid, a.kind, a.question, a.answer, a.status, a.created_at"
               " from answers a join videos v on v.id = a.video_id join answers t on t.id = a.thread_id"
               " left join highlights h on h.id = a.highlight_id",
    "cards": "select c.uid, v.site_id, h.uid, c.question, c.answer, c.fsrs, c.due, c.status, c.created_at"
             " from cards c join videos v on v.id = c.video_id left join highlights h on h.id = c.highlight_id",
    "reviews": "select r.uid, c.uid, r.reviewed_at, r.rating, r.typed_answer, r.feedback, r.due_after, r.fsrs_log"
               " from reviews r join cards c on c.id = r.card_id",
    "checks": "select k.uid, c.uid, r.uid, k.typed_answer, k.feedback, k.status, k.created_at"
              " from checks k join cards c on c.id = k.card_id left join reviews r on r.id = k.review_id",
}


def rows(store: Store) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(store.path)
    try:
        return {table: sorted(conn.execute(sql).fetchall(), key=repr) for table, sql in QUERIES.items()}
    finally:
        conn.close()


def dump(store: Store) -> list[str]:
    conn = sqlite3.connect(store.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def fresh(monkeypatch, tmp_path, name: str = "fresh") -> Store:
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / name))
    return Store()


def test_a_round_trip_into_an_empty_library_gives_back_exactly_every_row(data_dir, tmp_path, monkeypatch):
    source = alike_library(monkeypatch)
    target = tmp_path / "backup.json"
    export(source, None, "json", target)
    want = rows(source)
    assert {t: len(r) for t, r in want.items()} == {"highlights": 240, "answers": 166, "cards": 4, "reviews": 8, "checks": 8}
    empty = fresh(monkeypatch, tmp_path)
    assert restore(empty, target) == {"videos": 2, "highlights": 240, "answers": 166, "cards": 4}
    assert rows(empty) == want
    before = dump(empty)
    assert restore(empty, target) == {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}  # twice: nothing new
    assert dump(empty) == before
    source.close()
    empty.close()


def test_a_restore_into_a_library_with_some_of_the_rows_adds_the_rest_and_changes_none(data_dir, tmp_path, monkeypatch):
    source = alike_library(monkeypatch, highlights=20, answered=5)
    target = tmp_path / "backup.json"
    export(source, None, "json", target)
    want = rows(source)
    some = fresh(monkeypatch, tmp_path)
    restore(some, target)
    vid = some.find_video("youtube", "one")
    gone = [h["id"] for h in some.highlights(vid)][-6:]  # six highlights deleted, with the answers on them
    for h in gone:
        some.delete_highlight(h)
    kept = some.highlights(vid)[0]
    some.update_highlight(kept["id"], note="changed since the backup", color="pink")
    some.delete_card(some.cards(vid)[0]["id"])
    counts = restore(some, target)
    assert counts["highlights"] == 6 and counts["cards"] == 1 and counts["videos"] == 0
    assert some.highlight(kept["id"])["note"] == "changed since the backup"  # what the library has is never overwritten
    got = rows(some)
    assert {t: len(r) for t, r in got.items()} == {t: len(r) for t, r in want.items()}
    assert [r for r in got["highlights"] if r[0] != kept["uid"]] == [r for r in want["highlights"] if r[0] != kept["uid"]]
    assert got["answers"] == want["answers"] and got["reviews"] == want["reviews"] and got["checks"] == want["checks"]
    source.close()
    some.close()


def test_every_way_the_store_makes_a_row_gives_it_a_uid_and_a_follow_up_its_threads(data_dir, monkeypatch):
    store = alike_library(monkeypatch, highlights=3, answered=2)
    vid = store.find_video("youtube", "one")
    h = store.highlights(vid)[0]["id"]
    row, answers = store.delete_highlight(h)
    store.restore_highlight(row, answers)  # undo keeps the uids it had
    card = store.cards(vid)[0]["id"]
    card_row, reviews = store.delete_card(card)
    store.restore_card(card_row, reviews)
    got = rows(store)
    for table, listed in got.items():
        uids = [r[0] for r in listed]
        assert all(isinstance(u, str) and len(u) == 16 for u in uids), table
        assert len(set(uids)) == len(uids), table
    assert all(thread_uid == root_uid for _, thread_uid, root_uid, *_ in got["answers"])
    store.close()


def test_the_update_gives_rows_already_there_uids_and_threads_theirs(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = __import__("sqlite_utils").Database(conn)
    migrations.apply(db, stop_before="m009_stable_identities")
    db.execute("insert into videos (id, site, site_id, title, added_at) values (1, 'y', 'a', 'T', 'x')")
    for i in range(1, 4):
        db.execute("insert into highlights (video_id, start_ms, end_ms, text, color, created_at) values (1, 0, 1, 'same', 'yellow', 'x')")
    db.execute("insert into answers (id, video_id, thread_id, kind, question, created_at) values (1, 1, 1, 'chat', 'q', 'x')")
    db.execute("insert into answers (id, video_id, thread_id, kind, question, created_at) values (2, 1, 1, 'chat', 'q', 'x')")
    db.execute("insert into answers (id, video_id, thread_id, kind, question, created_at) values (4, 1, 3, 'chat', 'q', 'x')")
    db.execute("insert into answers (id, video_id, thread_id, kind, question, created_at) values (5, 1, 3, 'chat', 'q', 'x')")
    conn.commit()
    conn.close()
    store = Store(path)
    highlights = [r[0] for r in store.db.execute("select uid from highlights")]
    assert len(set(highlights)) == 3 and all(len(u) == 16 for u in highlights)
    answers = dict(store.db.execute("select id, thread_uid from answers").fetchall())
    uid_of = dict(store.db.execute("select id, uid from answers").fetchall())
    assert answers[1] == answers[2] == uid_of[1]
    assert answers[4] == answers[5] != answers[1]  # a thread whose first answer is gone still has one identity
    store.close()


# -- older versions -----------------------------------------------------------------------------------

VERSION_2 = {  # as Reader wrote it before uids (json.dumps, indent=1): ids, not uids; a card with a review
    "format": "reader-backup", "version": 2, "exported_at": "2026-01-01T00:00:00+00:00",
    "videos": [{
        "video": {"site": "youtube", "site_id": "old", "title": "Old", "transcript_format": "vtt", "added_at": "2025-01-01T00:00:00+00:00"},
        "cues": [{"start_ms": 0, "end_ms": 1000, "text": "Old words."}],
        "highlights": [
            {"id": 3, "start_ms": 0, "end_ms": 1000, "text": "Old", "created_at": MOMENT, "start_cue": 0, "end_offset": 3},
            {"id": 4, "start_ms": 0, "end_ms": 1000, "text": "Old", "created_at": MOMENT, "start_cue": 0, "end_offset": 3},
        ],
        "answers": [
            {"id": 8, "highlight_id": 3, "thread_id": 8, "kind": "explain", "question": "Explain", "answer": "A.", "created_at": MOMENT},
            {"id": 9, "highlight_id": 3, "thread_id": 8, "kind": "followup", "question": "Why?", "answer": "B.", "created_at": MOMENT},
        ],
        "cards": [{"uid": "00000000000000aa", "question": "Q?", "start_ms": 0, "end_ms": 1000, "due": MOMENT, "created_at": MOMENT,
                   "fsrs": "FSRS", "highlight_id": 4,
                   "reviews": [{"reviewed_at": MOMENT, "rating": 3, "due_after": MOMENT}]}],
    }],
}


def version_2(monkeypatch) -> dict:
    from reader.cards import scheduling

    data = copy.deepcopy(VERSION_2)
    data["videos"][0]["cards"][0]["fsrs"] = scheduling.new_state(0xAA, T0)[0]  # a state FSRS can read
    return data


def test_a_version_2_backup_still_restores_matching_as_before(data_dir, tmp_path, monkeypatch):
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(version_2(monkeypatch), indent=1))
    store = fresh(monkeypatch, tmp_path)
    # as before: two highlights alike in time and text are one; the card keeps its uid and finds its highlight
    assert restore(store, path) == {"videos": 1, "highlights": 1, "answers": 2, "cards": 1}
    got = rows(store)
    assert got["cards"][0][0] == "00000000000000aa" and got["cards"][0][2] == got["highlights"][0][0]
    assert all(len(r[0]) == 16 for table in got.values() for r in table)  # rows from an old backup get uids
    assert len({r[1] for r in got["answers"]}) == 1  # one thread
    before = dump(store)
    assert restore(store, path) == {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}
    assert dump(store) == before
    store.close()


# -- hostile version 3 files ---------------------------------------------------------------------------

def small_backup(monkeypatch, tmp_path) -> dict:
    source = alike_library(monkeypatch, highlights=3, answered=2)
    target = tmp_path / "small.json"
    export(source, None, "json", target)
    source.close()
    return json.loads(target.read_text(encoding="utf-8"))


def _set(path: str, value):
    def change(data):
        *parents, last = path.split(".")
        node = _node(data, parents)
        if value is COPY:  # the value of the same field in the next row of that list
            node[last] = _node(data, parents[:-1])[int(parents[-1]) + 1][last]
        elif value is DELETE:
            del node[last]
        else:
            node[last] = value
    return change


def _node(data, parts):
    node = data
    for key in parts:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


COPY, DELETE = object(), object()
H, A, C = "videos.0.highlights", "videos.0.answers", "videos.0.cards"

HOSTILE = [
    # (what, the change, words the sentence holds)
    ("highlight uid twice in a video", _set(f"{H}.0.uid", COPY), "at videos[0].highlights[1].uid, highlight"),
    ("highlight uid twice across videos", lambda d: d["videos"][1]["highlights"][0].update(uid=d["videos"][0]["highlights"][0]["uid"]),
     "at videos[1].highlights[0].uid, highlight"),
    ("answer uid twice", _set(f"{A}.0.uid", COPY), "is in the backup twice"),
    ("card uid twice across videos", lambda d: d["videos"][1]["cards"][0].update(uid=d["videos"][0]["cards"][0]["uid"]),
     "at videos[1].cards[0].uid, card"),
    ("review uid twice", _set(f"{C}.0.reviews.0.uid", COPY), "at videos[0].cards[0].reviews[1].uid, review"),
    ("check uid twice", _set(f"{C}.0.checks.0.uid", COPY), "at videos[0].cards[0].checks[1].uid, check"),
    ("highlight uid missing", _set(f"{H}.0.uid", DELETE), "at videos[0].highlights[0], the field uid is missing"),
    ("highlight uid null", _set(f"{H}.0.uid", None), "at videos[0].highlights[0], the field uid is missing"),
    ("highlight uid empty", _set(f"{H}.0.uid", ""), "is not an identity Reader makes"),
    ("highlight uid in capitals", _set(f"{H}.0.uid", "ABCDEF0123456789"), "is not an identity Reader makes"),
    ("highlight uid too short", _set(f"{H}.0.uid", "abc"), "is not an identity Reader makes"),
    ("highlight uid with a space", _set(f"{H}.0.uid", "abcdef01 23456789"), "is not an identity Reader makes"),
    ("highlight uid with a quote", _set(f"{H}.0.uid", "'; drop table x"), "is not an identity Reader makes"),
    ("highlight uid a number", _set(f"{H}.0.uid", 12345678901234567), "at videos[0].highlights[0].uid, expected text"),
    ("highlight uid huge", _set(f"{H}.0.uid", "a" * 5000), "expected text of at most 2000 characters"),
    ("answer uid malformed", _set(f"{A}.0.uid", "g" * 16), "at videos[0].answers[0].uid"),
    ("review uid missing", _set(f"{C}.0.reviews.0.uid", DELETE), "at videos[0].cards[0].reviews[0], the field uid is missing"),
    ("check uid malformed", _set(f"{C}.0.checks.0.uid", "x"), "at videos[0].cards[0].checks[0].uid"),
    ("thread uid missing", _set(f"{A}.0.thread_uid", DELETE), "the answer's thread has no identity Reader makes"),
    ("a thread over two highlights", lambda d: d["videos"][0]["answers"][2].update(thread_uid=d["videos"][0]["answers"][0]["thread_uid"]),
     "the answer's thread is on another highlight or video"),
    ("an answer's highlight the backup lacks", _set(f"{A}.0.highlight_uid", "00000000000000ff"), "which the backup does not hold"),
    ("a check's review the card lacks", _set(f"{C}.0.checks.0.review_uid", "00000000000000ff"), "it names a review the card does not hold"),
]


@pytest.mark.parametrize("what, change, words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_version_3_backup_is_refused_in_a_sentence_and_the_library_is_untouched(data_dir, tmp_path, monkeypatch,
                                                                                             what, change, words):
    data = small_backup(monkeypatch, tmp_path)
    change(data)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    store = fresh(monkeypatch, tmp_path, "hostile")
    store.add_video(VideoRecord("youtube", "mine", "Mine"), None)
    before = dump(store)
    with pytest.raises(ExportError) as refused:
        restore(store, path)
    said = str(refused.value)
    assert words in said and said.endswith(".") and "\n" not in said and "Error" not in said, said
    assert dump(store) == before
    store.close()


def _collide(table: str, field: str, value):
    """A library that holds the backup's first row of `table` under the same uid, but as something else."""
    def make(store: Store, data: dict) -> None:
        restore_into(store, data)
        store.db.execute(f"update {table} set {field} = ? where uid = ?", [value, first_uid(data, table)])
        store.db.conn.commit()
        for item in data["videos"]:  # the backup's videos are new, so nothing else of it is in the library
            item["video"]["site_id"] += "-elsewhere"
        if table in ("reviews", "checks"):  # only a new card, carrying reviews and checks the library has
            item = data["videos"][0]
            data["videos"] = [item]
            item["highlights"], item["answers"] = [], []
            item["cards"] = [dict(item["cards"][0], uid="00000000000000cc", highlight_uid=None)]
    return make


def first_uid(data: dict, table: str) -> str:
    item = data["videos"][0]
    return {"highlights": item["highlights"][0]["uid"], "answers": item["answers"][0]["uid"], "cards": item["cards"][0]["uid"],
            "reviews": item["cards"][0]["reviews"][0]["uid"], "checks": item["cards"][0]["checks"][0]["uid"]}[table]


def restore_into(store: Store, data: dict) -> None:
    path = store.path.parent / "first.json"
    path.write_text(json.dumps(data))
    restore(store, path)


def _same_video(table: str, field: str, value):
    """The library holds the backup's row under its uid on the same video, but with other content."""
    def make(store: Store, data: dict) -> None:
        restore_into(store, data)
        store.db.execute(f"update {table} set {field} = ? where uid = ?", [value, first_uid(data, table)])
        store.db.conn.commit()
    return make


COLLISIONS = [
    # (what, how the library comes to hold a uid of the backup for something else, words)
    ("a highlight's uid on another video", _collide("highlights", "note", ""),
     "at videos[0].highlights[0].uid, highlight"),
    ("a highlight's uid with other words", _same_video("highlights", "text", "Other words"),
     "is already in the library as a different highlight"),
    ("a highlight's uid made at another time", _same_video("highlights", "created_at", "2020-01-01T00:00:00+00:00"),
     "is already in the library as a different highlight"),
    ("an answer's uid with another question", _same_video("answers", "question", "Something else?"),
     "is already in the library as a different answer"),
    ("a card's uid made at another time", _same_video("cards", "created_at", "2020-01-01T00:00:00+00:00"),
     "is already in the library as a different card"),
    ("a new card whose review is in the library", _collide("reviews", "rating", 3), "are already in the library under another card"),
    ("a new card whose check is in the library", _collide("checks", "typed_answer", "typed"), "are already in the library under another card"),
]


@pytest.mark.parametrize("what, make, words", COLLISIONS, ids=[c[0] for c in COLLISIONS])
def test_a_uid_the_library_holds_for_something_else_refuses_the_restore_untouched(data_dir, tmp_path, monkeypatch, what, make, words):
    data = small_backup(monkeypatch, tmp_path)
    store = fresh(monkeypatch, tmp_path, "colliding")
    make(store, data)
    path = tmp_path / "colliding.json"
    path.write_text(json.dumps(data))
    before = dump(store)
    with pytest.raises(ExportError) as refused:
        restore(store, path)
    said = str(refused.value)
    assert words in said and said.endswith(".") and "\n" not in said, said
    assert dump(store) == before
    store.close()


def test_a_thread_the_library_holds_on_another_highlight_refuses_the_restore(data_dir, tmp_path, monkeypatch):
    data = small_backup(monkeypatch, tmp_path)
    store = fresh(monkeypatch, tmp_path, "threads")
    restore_into(store, data)
    answers = data["videos"][0]["answers"]
    follow = next(a for a in answers if a["kind"] == "followup")
    other = next(a for a in answers if a["highlight_uid"] not in (None, follow["highlight_uid"]))
    follow["uid"], follow["highlight_uid"] = "00000000000000dd", other["highlight_uid"]
    for a in answers:  # the backup's own thread is on that highlight too, so the file alone is sound
        if a["thread_uid"] == follow["thread_uid"] and a is not follow:
            a["thread_uid"] = "00000000000000de"
    path = tmp_path / "threads.json"
    path.write_text(json.dumps(data))
    before = dump(store)
    with pytest.raises(ExportError, match="is already in the library on another highlight or video"):
        restore(store, path)
    assert dump(store) == before
    store.close()
