"""Ranked search across the library: passages kept in step, videos best first, phrases, prefixes, FTS syntax as words."""

import pytest

from reader.library.db.passages import PASSAGE_WORDS, match_query
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.library.passages import Passage, passages
from reader.library.search import search_library
from reader.transcript.model import Cue, Transcript

FILLER = "we talk about the weather and the trains and what the morning looks like"


def talk(*lines):
    return Transcript([Cue(i * 4000, i * 4000 + 3500, t) for i, t in enumerate(lines)], [], [], "srt")


def add(store, n, lines):
    return store.add_video(VideoRecord(site="local", site_id=f"v{n}", title=f"Talk {n}"), talk(*lines))


@pytest.fixture
def library(data_dir):
    """30 videos: every one says 'memory' a few times, video k says it k times more; a phrase in a few."""
    store = Store()
    ids = {}
    for k in range(30):
        lines = [FILLER] * 40
        for j in range(k):
            lines[j] = "memory fades unless memory is used"
        lines[5] = "and memory " + FILLER
        if k in (3, 17):
            lines[20] = "spaced repetition keeps what we learn"
        if k == 9:
            lines[21] = "repetition that is spaced out is not the phrase"
        if k == 11:
            lines[30] = "consolidation happens while we sleep"
        ids[k] = add(store, k, lines)
    yield store, ids
    store.close()


def test_a_word_spoken_everywhere_names_many_videos_best_first(library):
    store, ids = library
    found = search_library(store, "memory")
    names = [v.video_id for v in found.videos]
    assert len(names) == 20 and found.video_count == 30  # the first page: twenty videos, not two
    assert names[:5] == [ids[29], ids[28], ids[27], ids[26], ids[25]]  # the videos that say it most, first
    top = found.videos[0]
    assert top.line_count == 29 and len(top.lines) == 3  # 29 lines: the sixth was overwritten
    assert [h.start_ms for h in top.lines] == sorted(h.start_ms for h in top.lines)  # time order inside a video
    assert all("\x02" in h.snippet for h in top.lines)


def test_a_phrase_finds_the_phrase_and_not_its_words_apart(library):
    store, ids = library
    found = search_library(store, '"spaced repetition"')
    assert sorted(v.video_id for v in found.videos) == sorted([ids[3], ids[17]])
    assert all(v.lines[0].text == "spaced repetition keeps what we learn" for v in found.videos)
    words = search_library(store, "spaced repetition ")  # words, not a phrase: video 9 too
    assert ids[9] in [v.video_id for v in words.videos]


def test_a_prefix_finds_the_word_being_typed_and_its_forms(library):
    store, ids = library
    assert [v.video_id for v in search_library(store, "consol").videos] == [ids[11]]
    assert [v.video_id for v in search_library(store, "sleeping ").videos] == [ids[11]]  # porter: sleeping, sleep
    assert search_library(store, "consol ").videos == []  # a finished word is not a prefix
    # typed past its stem ('consolid'): every letter of 'consolidation' as it is typed still finds it
    assert all([v.video_id for v in search_library(store, "consolidation"[:n]).videos] == [ids[11]] for n in range(6, 14))


@pytest.mark.parametrize("query, expected", [
    ('"spaced repetition', ['"spaced"', '"repetition"*']),  # unbalanced quote: words
    ("memory NEAR sleep", ['"memory"', '"NEAR"', '"sleep"*']),
    ("NEAR(memory sleep, 5)", ['"NEAR"', '"memory"', '"sleep"', '"5"']),
    ("memory -sleep", ['"memory"', '"sleep"*']),
    ("mem* OR sleep", ['"mem"', '"OR"', '"sleep"*']),
    ("text:memory", ['"text"', '"memory"*']),
    ("^memory AND NOT x", ['"memory"', '"AND"', '"NOT"', '"x"*']),
    ('"" memory', ['"memory"*']),
    ('{text} : "a" + b', ['"text"', '"a"', '"b"*']),
    ("***", []),
    ("", []),
])
def test_fts_syntax_is_searched_as_words(query, expected):
    assert match_query(query) == " ".join(expected)


@pytest.mark.parametrize("query", ['"spaced', "NEAR(", "memory -", "*", "text:", "a OR", "AND", '"a" "', "(memory", "memory)",
                                   "x" * 5000, "sleep:" * 50, "\x00memory", "mémoire ünïcode"])
def test_hostile_queries_never_fail(library, query):
    store, _ = library
    search_library(store, query)
    passages(store, query)


def test_passages_keep_in_step_with_transcripts(library):
    store, ids = library
    assert store.db.execute("select count(*) from passages where video_id = ?", [ids[11]]).fetchone()[0] > 1
    store.set_transcript(ids[11], talk("a new talk about consolidation of debts"))
    (only,) = passages(store, "debts")
    assert only.video_id == ids[11] and only.text == "a new talk about consolidation of debts"
    assert passages(store, "sleep") == []  # the old lines left the index
    store.remove_video(ids[11])
    assert passages(store, "debts") == [] and search_library(store, "consolidation").videos == []
    assert store.db.execute("select count(*) from passages where video_id = ?", [ids[11]]).fetchone()[0] == 0
    # the contentless per-video index forgot the video: no stale row answers
    assert store.db.execute("select count(*) from video_words_fts where video_words_fts match 'debts'").fetchone()[0] == 0
    assert store.set_transcript(ids[3], talk()).kept  # no lines never replace some: the passages stay
    assert passages(store, '"spaced repetition"', scope={ids[3]})


def test_passages_api(library):
    store, ids = library
    found = passages(store, "memory", limit=10)
    assert len(found) == 10 and all(isinstance(p, Passage) for p in found)
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    assert found[0].video_id == ids[29] and found[0].title == "Talk 29" and found[0].start_ms == 0
    assert all(p.end_ms > p.start_ms and "memory" in p.text for p in found)
    assert len({p.video_id for p in found}) >= 4  # at most three from one video
    scoped = passages(store, "memory", scope={ids[2], ids[4]})
    assert {p.video_id for p in scoped} == {ids[2], ids[4]}
    assert passages(store, "memory", scope=set()) == [] and passages(store, "") == []
    assert set(found[0].to_json()) == {"video_id", "title", "start_ms", "end_ms", "text", "score"}


def test_a_passage_is_a_few_hundred_words_with_its_moments(data_dir):
    store = Store()
    video = add(store, 1, [f"line {i} " + FILLER for i in range(100)])
    rows = store.db.execute("select start_ms, end_ms, text from passages where video_id = ? order by seq", [video]).fetchall()
    assert len(rows) > 3 and all(len(r[2].split()) >= PASSAGE_WORDS for r in rows[:-1])
    assert all(len(r[2].split()) < PASSAGE_WORDS + 20 for r in rows)
    assert rows[0][0] == 0 and all(a[1] < b[0] for a, b in zip(rows, rows[1:])) and rows[-1][1] == 99 * 4000 + 3500


def test_notes_answers_and_cards_are_found_beside_the_lines(library):
    store, ids = library
    store.add_highlight(ids[4], 0, 0, 0, 6, 0, 3500, "memory", note="a zebra of a note")
    found = search_library(store, "zebra")
    assert [(v.video_id, [n.kind for n in v.notes]) for v in found.videos] == [(ids[4], ["highlight"])]
    store.add_highlight(ids[29], 0, 0, 0, 6, 0, 3500, "memory", note="remember the fading")
    top = search_library(store, "memory").videos[0]  # a note in a video of the results sits beside its lines
    assert top.video_id == ids[29] and [(n.kind, n.detail) for n in top.notes] == [("highlight", "remember the fading")]


def test_the_migration_indexes_a_library_made_before_it(tmp_path):
    import sqlite_utils

    from reader.library.db.migrations import migrations

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m011_passages")
    video = db["videos"].insert({"site": "local", "site_id": "x", "title": "Old", "added_at": "2026-01-01"}).last_pk
    db["cues"].insert_all({"video_id": video, "seq": i, "start_ms": i * 1000, "end_ms": i * 1000 + 900,
                           "text": "an old line about serendipity" if i == 7 else FILLER} for i in range(50))
    db.close()
    store = Store(path)
    (p,) = passages(store, "serendipity")
    assert p.video_id == video and p.title == "Old" and p.start_ms <= 7000 <= p.end_ms


def test_a_phrase_spoken_over_two_lines_shows_those_lines_not_its_passage(data_dir):
    store = Store()
    lines = [FILLER] * 30
    lines[10], lines[11] = "and that is why we call it spaced", "repetition when the gaps grow"
    video = add(store, 1, lines)
    (result,) = search_library(store, '"spaced repetition"').videos
    assert result.video_id == video and result.line_count == 0 and result.found_in() == "over several lines"
    assert [h.text for h in result.lines] == [lines[10], lines[11]]  # the two lines, not 200 words of passage
    assert all("\x02" in h.snippet for h in result.lines)
    store.close()


# words a line may say that are FTS5 syntax when typed bare; each query is searched as the words it holds
SYNTAX_LINES = {"near": "the tide is NEAR the shore or not at all", "column": "the text says tide",
                "star": "a star and a tide", "plain": "the shore alone"}


@pytest.mark.parametrize("query, expected", [
    ("tide NEAR shore", {"near"}),  # NEAR is a word here: only the line that says it
    ("NEAR(tide shore)", {"near"}),
    ("tide -shore", {"near"}),  # '-' is no NOT: both words
    ("tide NOT shore ", {"near"}),  # NOT is a word too
    ("text:tide", {"column"}),  # no column filter: the word 'text' and the word 'tide'
    ("tide OR shore ", {"near"}),  # OR is a word: 'or' is spoken on one line
    ("sta*", set()),  # '*' typed makes no prefix: the word 'sta' is said nowhere
    ("star*", {"star"}),
    ('"tide is near', {"near"}),  # an unbalanced quote: words
    ('"shore tide"', set()),  # a phrase: those two words in that order, nowhere
])
def test_fts_syntax_is_searched_as_words_in_the_library(data_dir, query, expected):
    store = Store()
    ids = {name: add(store, n, [line, FILLER]) for n, (name, line) in enumerate(SYNTAX_LINES.items())}
    found = {name for name, vid in ids.items() if vid in [v.video_id for v in search_library(store, query).videos]}
    assert found == expected
    store.close()
