"""Lookups by time, paragraph grouping and chapter lists: the domain under the transcript view."""

from hypothesis import given, strategies as st

from reader.transcript.chapters import parse_chapter_list
from reader.transcript.model import Chapter, Cue, Word
from reader.transcript.paragraphs import group
from reader.transcript.timeline import Timeline


def cues(*spans, speaker=None):
    return [Cue(s, e, f"line {i}.", speaker) for i, (s, e) in enumerate(spans)]


def test_cue_at_keeps_the_last_started_line_through_gaps_and_overlaps():
    tl = Timeline(cues((1000, 2000), (2000, 3000), (2500, 2500), (6000, 7000)))
    assert tl.cue_at(0) == -1
    assert tl.cue_at(999) == -1
    assert tl.cue_at(1000) == 0
    assert tl.cue_at(1999) == 0
    assert tl.cue_at(2000) == 1
    assert tl.cue_at(2500) == 2  # zero-length cue lights at its moment
    assert tl.cue_at(5000) == 2  # gap: the last started line stays lit
    assert tl.cue_at(10_000) == 3


def test_word_at():
    c = Cue(0, 3000, "a b c", words=(Word(0, "a"), Word(1000, "b"), Word(2000, "c")))
    tl = Timeline([c])
    assert [tl.word_at(0, ms) for ms in (0, 999, 1000, 2500)] == [0, 0, 1, 2]


@given(st.lists(st.integers(0, 10_000_000), min_size=1, max_size=200), st.integers(-10, 10_000_010))
def test_cue_at_agrees_with_a_linear_scan(starts, ms):
    starts.sort()
    tl = Timeline([Cue(s, s, "x") for s in starts])
    linear = max((i for i, s in enumerate(starts) if s <= ms), default=-1)
    assert tl.cue_at(ms) == linear


def test_paragraphs_break_on_speaker_pause_turn_and_chapter():
    cs = [
        Cue(0, 1000, "Hello.", "Ada"), Cue(1000, 2000, "Still me.", "Ada"),
        Cue(2000, 3000, "Now me.", "Ben"), Cue(9000, 10000, "After a pause.", "Ben"),
        Cue(10000, 11000, "Next chapter.", "Ben"), Cue(11000, 12000, "Someone new.", None, turn=True),
    ]
    paras = group(cs, [Chapter(0, "Start"), Chapter(10000, "Two")])
    assert [(p.first, p.last) for p in paras] == [(0, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
    assert [p.chapter.title if p.chapter else None for p in paras] == ["Start", None, None, "Two", None]
    assert paras[4].speaker is None


def test_long_monologue_is_split_at_sentence_ends():
    cs = [Cue(i * 1000, i * 1000 + 1000, "This is a sentence of some length, said slowly.") for i in range(60)]
    paras = group(cs)
    assert len(paras) > 2
    assert all(cs[p.last].text.endswith(".") for p in paras)


def test_chapter_list_from_a_description():
    text = "Great talk!\n\n0:00 Intro\n1:05 - The problem\n12:30 The answer\n1:02:03 Questions\nThanks for watching"
    assert parse_chapter_list(text) == [
        Chapter(0, "Intro"), Chapter(65_000, "The problem"), Chapter(750_000, "The answer"), Chapter(3_723_000, "Questions")
    ]
    assert parse_chapter_list("5:00 no zero start\n6:00 second") == []
    assert parse_chapter_list("just text") == []
