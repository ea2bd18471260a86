"""questions.begin: one path that records a question and builds its request, about a passage or a whole video."""

from __future__ import annotations

import pytest

from reader import questions
from reader.llm import MAX_TOKENS
from reader.store import Store, VideoRecord
from reader.study import Tool
from reader.transcript.model import Cue, Transcript

TOOL = Tool("central-ideas", "Central ideas", "Name the central ideas of “{title}”.")


@pytest.fixture
def library():
    store = Store()
    vid, _ = store.put_video(VideoRecord(site="test", site_id="a", title="Talk"),
                             Transcript([Cue(0, 1500, "Ada speaks."), Cue(1500, 3000, "Ben replies."), Cue(3000, 4000, "Done.")],
                                        format="test"))
    span = questions.passage_between(store, vid, 100, 2000)
    hid = questions.save_highlight(store, vid, span)
    yield store, vid, hid
    store.close()


# kind, highlight?, extra arguments, stored kind, stored question, words of the prompt, max_tokens
CASES = [
    ("explain", True, {}, "explain", "Explain this passage", "Ada speaks. Ben replies.", MAX_TOKENS),
    ("ask", True, {"question": "Who is Ben?"}, "ask", "Who is Ben?", "Who is Ben?", MAX_TOKENS),
    ("study", False, {"tool": TOOL}, "study:central-ideas", "Central ideas", "central ideas of “Talk”", questions.STUDY_MAX_TOKENS),
    ("chat", False, {"question": "Who talks?"}, "chat", "Who talks?", "Who talks?", MAX_TOKENS),
]


@pytest.mark.parametrize("kind, about_highlight, extra, stored, question, words, max_tokens", CASES)
def test_a_question_is_recorded_before_it_is_asked(library, kind, about_highlight, extra, stored, question, words, max_tokens):
    store, vid, hid = library
    if about_highlight:
        answer_id, request = questions.begin(store, hid, kind, **extra)
    else:
        answer_id, request = questions.begin(store, None, kind, video_id=vid, **extra)
    row = store.answers(store.answers_thread(answer_id))[0]
    assert (row["kind"], row["question"], row["status"], row["video_id"]) == (stored, question, "streaming", vid)
    assert row["highlight_id"] == (hid if about_highlight else None)
    assert words in request.turns[-1].prompt and request.max_tokens == max_tokens and request.title == "Talk"
    # a follow-up in the same thread sends the first turn, and its words as they are
    store.save_answer(answer_id, "First answer.", [], "complete")
    follow_kind = "followup" if about_highlight else "chat"
    again, request = questions.begin(store, hid if about_highlight else None, follow_kind, "And then?", row["thread_id"],
                                     video_id=None if about_highlight else vid)
    assert [t.question for t in request.turns] == [question, "And then?"] and request.turns[-1].prompt == "And then?"
    assert request.turns[0].answer == "First answer." and store.answers_thread(again) == row["thread_id"]
    # asked again in place: same row, same question, the answer emptied
    same, request = questions.begin(store, hid if about_highlight else None, follow_kind, "", row["thread_id"], answer_id=again,
                                    video_id=None if about_highlight else vid)
    assert same == again and request.turns[-1].question == "And then?" and store.answers(row["thread_id"])[1]["answer"] == ""


@pytest.mark.parametrize("args, kwargs, words", [
    ((None, "explain"), {}, "no highlight"),
    ((999, "ask"), {}, "no highlight 999"),
    ((None, "study"), {"video_id": 1}, "study tool"),
    ((None, "chat"), {}, "needs a video"),
    ((None, "poem"), {}, "not a kind of question"),
])
def test_a_question_that_cannot_be_asked_says_why(library, args, kwargs, words):
    store = library[0]
    with pytest.raises(ValueError, match=words):
        questions.begin(store, *args, **kwargs)
    assert not store.answers_for_video(library[1])


def test_the_same_passage_is_one_highlight_and_a_study_tool_is_a_kind_of_question(library):
    store, vid, hid = library
    assert questions.save_highlight(store, vid, questions.passage_between(store, vid, 0, 1600), "pink") == hid
    assert questions.passage_between(store, vid, 5000, 6000) is None
    answer_id, request = questions.begin(store, None, "study", video_id=vid, tool=TOOL)
    assert store.answers(store.answers_thread(answer_id))[0]["kind"] == "study:central-ideas"