"""The library database: migrations, transactions, search, positions, removal."""

import sqlite3

import pytest
import sqlite_utils

from reader.library.db.cards import fts_query
from reader.library.db.errors import LibraryError
from reader.library.db.migrations import migrations
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.transcript.model import Chapter, Cue, Transcript, Word


def transcript(*texts, start=0):
    cues = [Cue(start + i * 1000, start + i * 1000 + 900, t, "Ada" if i == 0 else None, (Word(start + i * 1000, t.split()[0]),)) for i, t in enumerate(texts)]
    return Transcript(cues, [Chapter(0, "Start")], [], "webvtt")


def test_blank_database_is_migrated(data_dir):
    store = Store()
    db = store.db
    assert {"videos", "cues", "chapters", "cues_fts", "_sqlite_migrations"} <= set(db.table_names())
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert (data_dir / "library.db").exists()


@pytest.mark.parametrize("stop_before", [m.name for m in migrations._migrations])
def test_older_databases_upgrade_and_keep_their_data(tmp_path, stop_before):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before=stop_before)
    had_videos = "videos" in db.table_names()
    if had_videos:
        db["videos"].insert({"site": "local", "site_id": "x", "title": "Kept", "added_at": "2026-01-01"})
    db.close()
    store = Store(path)
    assert not migrations.pending(store.db)
    if had_videos:
        assert [r["title"] for r in store.videos()] == ["Kept"]


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "library.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="cannot be opened"):
        Store(path)


def test_reimport_updates_without_duplicating_and_keeps_the_place():
    store = Store()
    vid = store.add_video(VideoRecord("youtube", "abc", "First title"), transcript("one line here", "two lines here"))
    store.set_position(vid, 61_000)
    store.mark_opened(vid)
    again = store.add_video(VideoRecord("youtube", "abc", "Better title"), transcript("only one now"))
    assert again == vid and store.count() == 1
    row = store.video(vid)
    assert row["title"] == "Better title" and row["cue_count"] == 1 and row["last_position_ms"] == 61_000
    assert [c.text for c in store.transcript(vid).cues] == ["only one now"]
    assert [h.text for h in store.search("lines")] == []  # the old cues left the index too
    assert store.last_opened() == vid


def test_transcript_round_trip_keeps_speakers_words_and_chapters():
    store = Store()
    vid = store.add_video(VideoRecord("local", "f", "T"), transcript("hello there", "general idea"))
    t = store.transcript(vid)
    assert [(c.start_ms, c.end_ms, c.text, c.speaker) for c in t.cues] == [(0, 900, "hello there", "Ada"), (1000, 1900, "general idea", None)]
    assert t.cues[1].words == (Word(1000, "general"),)
    assert t.chapters == [Chapter(0, "Start")]


def test_search_words_prefixes_and_hostile_queries():
    store = Store()
    a = store.add_video(VideoRecord("s", "1", "Alpha"), transcript("Spaced repetition works", "nothing else"))
    b = store.add_video(VideoRecord("s", "2", "Beta"), transcript("We talked about repetitions", "and naïve café ideas", start=5000))
    assert [(h.video_id, h.start_ms) for h in store.search("repetition")] == [(a, 0), (b, 5000)]  # stemmed and prefixed
    assert [h.video_id for h in store.search("spaced rep")] == [a]
    assert [h.text for h in store.search("cafe naive")] == ["and naïve café ideas"]
    assert "\x02" in store.search("spaced")[0].snippet
    for hostile in ['"', "*", "NEAR(", "a OR b", "x' --", ")", "^", "col:text"]:
        store.search(hostile)  # never an error
    assert store.search("   ") == []
    assert [h.video_id for h in store.search("repetition", video_id=b)] == [b]
    assert fts_query('say "hi"') == '"say" "hi"*'


def test_remove_takes_cues_and_chapters_with_it():
    store = Store()
    vid = store.add_video(VideoRecord("s", "1", "Gone"), transcript("to be removed"))
    assert store.remove_video(vid)["title"] == "Gone"
    assert store.count() == 0 and store.search("removed") == []
    assert store.db.execute("select count(*) from chapters").fetchone()[0] == 0


def test_a_failing_write_leaves_nothing_half_made(monkeypatch):
    store = Store()

    class Boom(Exception):
        pass

    def failing_insert_all(*args, **kwargs):
        raise Boom()

    monkeypatch.setattr(store.db["chapters"].__class__, "insert_all", failing_insert_all)
    with pytest.raises(Boom):  # the video row is written, then the transcript's rows fail
        store.add_video(VideoRecord("s", "1", "Half"), transcript("fine"))
    monkeypatch.undo()
    assert store.count() == 0
    assert store.db.execute("select count(*) from cues").fetchone()[0] == 0


def test_two_stores_on_one_folder_see_each_others_writes():
    first, second = Store(), Store()
    vid = first.add_video(VideoRecord("s", "1", "Shared"), transcript("visible to both"))
    assert [h.video_id for h in second.search("visible")] == [vid]
    with pytest.raises(sqlite3.IntegrityError):
        second.db.execute("insert into cues (video_id, seq, start_ms, end_ms, text) values (999, 0, 0, 1, 'orphan')")


@pytest.mark.parametrize("query, found", [
    ('"spaced"', True), ("spaced*", True), ("(spaced)", True), ("^spaced", True), ("spaced -repetition", True),
    ("spaced: repetition", True), ("'spaced'", True), ("spa", True), ('sp"aced', False), ("NEAR(spaced repetition)", False),
    ("spaced OR nothing", False), ("col:spaced", False), ("spaced AND", False), ("*", None), ('"', None), ("()", None),
])
def test_a_query_with_fts_syntax_is_searched_as_words(query, found):
    """Every query is words to FTS5, never its syntax: operators are words that must appear, quotes and
    brackets are dropped, and nothing raises (found None: no words at all, so nothing is searched)."""
    store = Store()
    a = store.add_video(VideoRecord("s", "1", "Alpha"), transcript("Spaced repetition works", "nothing else"))
    store.add_highlight(a, 0, 0, 0, 6, 0, 900, "Spaced repetition works", note="spaced note")
    hits = [h.video_id for h in store.search(query)]
    notes = [i["id"] for i in store.review(query=query)]
    if found is None:
        assert fts_query(query) == "" and hits == []
    else:
        assert (hits == [a]) is found and bool(notes) is found


@pytest.mark.parametrize("damage, call", [
    ("drop table cues_fts", lambda s: s.search("spaced")),
    ("drop table highlights_fts", lambda s: s.review(query="spaced")),
    ("drop table answers_fts", lambda s: s.review(query="spaced", kind="answer")),
])
def test_a_search_the_library_cannot_do_is_said_not_hidden(damage, call):
    """A real database problem is a LibraryError with a sentence, not an empty list that looks like no hits."""
    store = Store()
    store.add_video(VideoRecord("s", "1", "Alpha"), transcript("Spaced repetition works"))
    store.db.execute(damage)
    with pytest.raises(LibraryError, match=r"could not be searched: .+\.$"):
        call(store)
