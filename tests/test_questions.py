"""questions.begin: one path that records a question and builds its request, about a passage or a whole video."""

from __future__ import annotations

import pytest

from reader.asking import llm, questions
from reader.asking.llm import MAX_TOKENS
from reader.asking.study import Tool
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
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

# what went wrong with a thread's last answer, and what the user can do: error, words that came, wait left -> action, words
PROBLEMS = [
    ("Anthropic did not accept the API key (401). Check it in Preferences (Ctrl+,).", "", 0, "preferences", "(401)"),
    (llm.KEY_FORBIDDEN, "", 0, "preferences", "(403)"),
    (llm.NO_MODEL, "", 0, "preferences", "(404)"),
    ("No connection to Anthropic. Check that you are online, then retry.", "", 0, "retry", "No connection"),
    (llm.DROPPED, "Half of it", 0, "retry", "connection dropped"),
    ("Anthropic had a server error (500). Retry in a little while.", "", 0, "retry", "(500)"),
    ("Anthropic is overloaded right now (529). Retry in a little while.", "", 0, "retry", "overloaded"),
    (llm.RATE_LIMITED + " Try again in 37 seconds.", "", 37, "wait", "Trying again in 37 s."),
    (llm.RATE_LIMITED + " Try again in 37 seconds.", "", 0, "retry", "Try again in 37 seconds."),  # the wait was cancelled
    (llm.TOO_LONG, "", 0, "", "too long"),
    (llm.STOPPED, "Some words", 0, "retry", "You stopped this answer. What arrived is kept."),
    ("", "Arrived before the crash", 0, "retry", "stopped before it was finished"),
    ("Anthropic refused the request (400): bad key sk-ant-api03-AbC_dEf-123456.", "", 0, "retry", "[API key removed]"),
]


@pytest.mark.parametrize("error, answer, wait_left, action, words", PROBLEMS)
def test_a_failed_answer_says_what_to_do(error, answer, wait_left, action, words):
    rows = [{"answer": "An earlier answer.", "status": "complete", "error": ""},
            {"answer": answer, "status": "incomplete" if answer else "error", "error": error}]
    found = questions.problem(rows, streaming=False, wait_left=wait_left)
    assert found is not None and found.action == action and words in found.message
    assert "sk-ant-api03" not in found.message
    assert (found.level == "info") == (error == llm.STOPPED)
    assert questions.problem(rows, streaming=True) is None  # while an answer streams there is nothing to say
    assert questions.problem(rows[:1], streaming=False) is None


def test_again_asks_a_stored_question_in_its_place_after_the_same_turns(library):
    store, vid, hid = library
    first, _ = questions.begin(store, hid, "explain")
    store.save_answer(first, "First answer.", [], "complete")
    thread = store.answers_thread(first)
    second, _ = questions.begin(store, hid, "followup", "And then?", thread)
    store.save_answer(second, "", [], "error", llm.DROPPED)
    same, request = questions.again(store, second)
    assert same == second and [t.question for t in request.turns] == ["Explain this passage", "And then?"]
    assert request.turns[0].answer == "First answer." and request.turns[-1].prompt == "And then?"
    assert store.answer(second)["status"] == "streaming" and len(store.answers(thread)) == 2
    with pytest.raises(ValueError, match="no answer 999"):
        questions.again(store, 999)


def test_only_answers_with_words_count_and_failed_attempts_are_counted_apart(library):
    store, vid, hid = library
    made = [("A real answer.", "complete"), ("Cut sh", "incomplete"), ("", "error"), ("", "incomplete"),
            (" \n\u20631\u2063 ", "error"), ("", "streaming")]
    for text, status in made:
        answer_id, _ = questions.begin(store, hid, "explain")
        store.save_answer(answer_id, text, [], status, "" if text.strip() else "It failed.")
    [row] = store.highlights(vid)
    assert (row["answer_count"], row["failed_count"]) == (2, 3)  # the one streaming is neither yet
    assert store.answer_counts(hid) == (2, 3)
    answers = store.review(kind="answer")
    assert sorted(r["answer"] for r in answers) == ["A real answer.", "Cut sh"]  # failed attempts are not listed as answers


def test_a_tools_result_is_its_latest_whole_one_and_a_newer_failed_run_is_an_attempt(library):
    store, vid, _ = library

    def run(text, status):
        answer_id, _ = questions.begin(store, None, "study", video_id=vid, tool=TOOL)
        store.save_answer(answer_id, text, [], status, "" if text else llm.DROPPED)
        return answer_id

    failed_first = run("", "error")
    [saved] = store.study_threads(vid)
    assert (saved["thread_id"], saved["made_at"], saved["attempt_id"]) == (failed_first, "", None)  # no result yet
    whole = run("1. **Ideas**", "complete")
    failed_again = run("", "error")
    [saved] = store.study_threads(vid)
    assert saved["thread_id"] == whole and saved["made_at"] and saved["attempt_id"] == failed_again
    newer, _ = questions.begin(store, None, "study", video_id=vid, tool=TOOL)
    questions.record(store, newer, llm.Answer("1. **Newer ideas**", status="streaming"))
    assert len(store.answers_for_video(vid)) == 4  # while it arrives, the earlier result is kept
    questions.record(store, newer, llm.Answer("1. **Newer ideas**", status="complete"))
    assert [r["thread_id"] for r in store.answers_for_video(vid)] == [newer]  # whole, it replaced every earlier run
    assert store.study_threads(vid)[0]["attempt_id"] is None
