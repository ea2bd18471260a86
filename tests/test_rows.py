"""The typed rows at the Store boundary name exactly the keys the Store returns."""

from __future__ import annotations

import typing

import pytest

from reader.library.db.records import VideoRecord
from reader.library.db.rows import AnswerRow, HighlightListRow, HighlightRow, Span, span_key
from reader.library.db.store import Store
from reader.transcript.model import Cue, Transcript

SPAN = Span(start_cue=0, start_offset=0, end_cue=1, end_offset=4, start_ms=0, end_ms=2000, text="Ada. Ben.")


@pytest.fixture
def filled():
    store = Store()
    vid, _ = store.put_video(VideoRecord(site="test", site_id="a", title="A"),
                             Transcript([Cue(0, 1000, "Ada."), Cue(1000, 2000, "Ben.")], format="test"))
    hid = store.add_highlight(vid, color="green", note="n", **SPAN)
    aid = store.start_answer(vid, hid, None, "explain", "Explain", "prompt", "model")
    store.save_answer(aid, "An answer.", [{"start_ms": 0, "end_ms": 1000, "text": "Ada."}], "complete")
    yield store, vid, hid, aid
    store.close()


@pytest.mark.parametrize("shape, read", [
    (HighlightRow, lambda s, vid, hid, aid: s.highlight(hid)),
    (HighlightListRow, lambda s, vid, hid, aid: s.highlights(vid)[0]),
    (AnswerRow, lambda s, vid, hid, aid: s.answers(s.answers_thread(aid))[0]),
])
def test_a_row_has_exactly_the_keys_its_type_names(filled, shape, read):
    row = read(*filled)
    assert set(row) == set(typing.get_type_hints(shape)), set(row) ^ set(typing.get_type_hints(shape))
    assert isinstance(row, dict)  # still a plain dict: the window indexes it


def test_a_span_is_what_add_highlight_takes_and_find_highlight_finds(filled):
    store, vid, hid, _ = filled
    row = store.highlight(hid)
    assert {k: row[k] for k in Span.__annotations__} == SPAN and row["color"] == "green"
    assert store.find_highlight(vid, *span_key(SPAN)) == hid
    assert store.answers(store.answers_thread(filled[3]))[0]["citations"][0]["text"] == "Ada."
