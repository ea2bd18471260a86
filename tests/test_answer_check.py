"""Check my answer, through the real SDK and the local Messages API server: the request, the feedback streamed with
citations and stored, its suggested rating read (and hidden from the text shown), and `reader review check`."""

import pytest

from reader.asking import questions
from reader.asking.llm import Answer, stream_answer
from reader.base.citations import strip_marks
from reader.cards import answer_check
from reader.cards.answer_check import feedback_text, suggested_rating
from reader.cards.making import CardProblem, make_card
from reader.library.db.store import Store

from conftest import assert_one_sentence, memory_video, run
from fake_anthropic import Reply

KEY = "sk-ant-test-PLANTED-KEY-0123456789"
QUESTION = "Why does testing yourself slow forgetting more than rereading does?"
REFERENCE = "Pulling a memory back out makes it harder to lose; rereading only makes the words look familiar."
FEEDBACK = [("cited", "You have the main point: recalling a memory makes it harder to lose", (0, 1)), ".\n\n",
            ("cited", "You missed why rereading misleads: the words only look familiar", (0, 1)),
            ", and that says little about what you could produce yourself.\n\n", "**Suggested rating:** hard"]


@pytest.fixture
def store():
    vid = memory_video()
    s = Store()
    make_card(s, vid, QUESTION, REFERENCE, 25_000, 40_000)
    yield s
    s.close()


def checked(store, claude, typed="Because recall makes it stick.\nRereading does not."):
    claude.replies = [Reply(FEEDBACK)]
    check_id, request = answer_check.begin(store, 1, typed, "claude-test")
    answer = Answer()
    for event in stream_answer(request, KEY):
        answer.add(event)
        answer_check.record(store, check_id, answer)
    answer.finish()
    answer_check.record(store, check_id, answer)
    return check_id, answer


def test_the_check_asks_over_the_same_cached_document_with_the_card_and_the_typed_answer(claude, store):
    check_id, _ = checked(store, claude)
    span = questions.passage_between(store, 1, 5000, 9000)
    _, explain = questions.begin(store, questions.save_highlight(store, 1, span), "explain")
    claude.replies = [Reply(["fine"])]
    list(stream_answer(explain, KEY))
    check, asked = claude.requests
    assert check["messages"][0]["content"][0] == asked["messages"][0]["content"][0] and check["system"] == asked["system"]
    assert check["model"] == "claude-test" and check["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}
    prompt = check["messages"][0]["content"][1]["text"]
    for words in (f"Question: {QUESTION}", f"Reference answer: {REFERENCE}", "from 0:25 to 0:40",
                  "> Each time you pull a memory back out, it becomes harder to lose. Rereading feels productive",
                  "> Because recall makes it stick.\n> Rereading does not.", "Suggested rating: again|hard|good|easy"):
        assert words in prompt


def test_the_feedback_streams_with_citations_is_stored_and_its_rating_read(claude, store):
    check_id, answer = checked(store, claude)
    row = store.check(check_id)
    assert row["status"] == "complete" and row["card_id"] == 1 and row["model"] == "claude-test"
    assert row["typed_answer"] == "Because recall makes it stick.\nRereading does not."
    assert row["feedback"] == answer.text and row["citations"] == answer.citations
    assert [(c["start_ms"], c["end_ms"]) for c in row["citations"]] == [(0, 39_800), (0, 39_800)]
    assert suggested_rating(row["feedback"]) == "hard"
    shown = strip_marks(feedback_text(row["feedback"]))
    assert shown.startswith("You have the main point") and shown.endswith("what you could produce yourself.")
    assert "Suggested" not in shown and feedback_text(row["feedback"]).count("\u2063") == 4  # both marks kept in place


def test_a_failed_check_keeps_what_arrived_marked(claude, store):
    claude.replies = [Reply(FEEDBACK, fail_after=2)]
    check_id, request = answer_check.begin(store, 1, "Recall.", "claude-test")
    answer = Answer()
    for event in stream_answer(request, KEY):
        answer.add(event)
    answer_check.record(store, check_id, answer)
    row = store.check(check_id)
    assert row["status"] == "incomplete" and row["feedback"].startswith("You have the main point") and "overloaded" in row["error"]


def test_a_key_in_the_feedback_is_never_stored(claude, store):
    claude.replies = [Reply(["Your key is {key}, by the way.\n\n", "Suggested rating: good"])]
    check_id, request = answer_check.begin(store, 1, "Recall.", "claude-test")
    answer = Answer()
    for event in stream_answer(request, KEY):
        answer.add(event)
    answer.finish()
    answer_check.record(store, check_id, answer)
    assert KEY not in store.check(check_id)["feedback"] and suggested_rating(store.check(check_id)["feedback"]) == "good"


@pytest.mark.parametrize("card_id, typed, words", [
    (99, "An answer.", "no card with id 99"),
    (1, "", "empty"), (1, " \n\t", "empty"), (1, "\x00", "empty"),
    (1, "x" * 5001, "5,001 characters long"),
])
def test_what_cannot_be_checked_is_refused_and_nothing_is_stored(claude, store, card_id, typed, words):
    with pytest.raises(CardProblem, match=words):
        answer_check.begin(store, card_id, typed, "claude-test")
    assert store.check(1) is None and claude.requests == []


@pytest.mark.parametrize("text, rating", [
    ("Good work.\n\nSuggested rating: good", "good"),
    ("Good work.\n\nSuggested rating: Easy.", "easy"),
    ("Good work.\n\n**Suggested rating:** again", "again"),
    ("Good work.\n\n**Suggested rating: hard**", "hard"),
    ("Good work.\n\n- Suggested rating — hard", "hard"),
    ("Good work.\nsuggested   rating:good!\n\n  \n", "good"),
    ("Good work.\n\nSuggested rating: good\u20631\u2063", "good"),  # a citation mark on the line
    ("Suggested rating: good", "good"),
    ("Good work.\n\nSuggested rating: again|hard|good|easy", None),  # the prompt's own line, echoed
    ("Good work.\n\nSuggested rating: great", None),
    ("Suggested rating: good\n\nBut on reflection, it could be better.", None),  # not the last line
    ("Good work. Suggested rating: good", None),  # not a line of its own
    ("Good work.\n\nSuggested rating: good or hard", None),
    ("", None), ("Suggested rating:", None),
])
def test_the_suggested_rating_is_read_from_the_last_line_only(text, rating):
    assert suggested_rating(text) == rating
    if rating is not None:
        assert "rating" not in feedback_text(text).lower()
    else:
        assert feedback_text(text) == text


def test_what_is_shown_while_streaming_only_grows_and_never_shows_the_rating_line():
    text = "Right about recall\u20631\u2063.\n\nMissing: spacing.\n\nSo, some more.\nSuggest nothing else.\n\n**Suggested rating:** good"
    shown = [feedback_text(text[:n], streaming=True) for n in range(len(text) + 1)]
    for before, after in zip(shown, shown[1:]):
        assert after.startswith(before)
    assert "Suggest nothing else." in shown[-1] and "rating" not in shown[-1]
    assert feedback_text(text) == shown[-1].rstrip()
    assert feedback_text("Fine.\nSugg", streaming=True) == "Fine.\n" and feedback_text("Fine.\nSugg") == "Fine.\nSugg"


# -- reader review check ---------------------------------------------------------------------------

def test_reader_review_check_streams_with_citations_stores_and_suggests_a_rating_last(capsys, claude):
    test_store = Store()
    make_card(test_store, memory_video(), QUESTION, REFERENCE, 25_000, 40_000)
    test_store.close()
    claude.replies = [Reply(FEEDBACK)]
    code, out, err = run(capsys, "review", "check", "1", "--answer", "Recall makes it stick.", "--model", "claude-test")
    assert code == 0, err
    assert out == ("You have the main point: recalling a memory makes it harder to lose [0:00].\n\n"
                   "You missed why rereading misleads: the words only look familiar [0:00], and that says little about "
                   "what you could produce yourself.\n\nSuggested rating: hard\n")
    assert "saved as check 1" in err and "reader review rate 1 again|hard|good|easy --check 1" in err and KEY not in err
    s = Store()
    row = s.check(1)
    assert row["status"] == "complete" and suggested_rating(row["feedback"]) == "hard" and len(row["citations"]) == 2
    s.close()
    code, out, err = run(capsys, "review", "rate", "1", "good", "--check", "1")
    assert code == 0, err
    s = Store()
    (review,) = s.reviews(1)
    assert review["feedback"] == row["feedback"] and review["typed_answer"] == "Recall makes it stick." and review["rating"] == 3
    assert s.check(1)["review_id"] == review["id"]
    s.close()
    code, out, err = run(capsys, "review", "rate", "1", "good", "--check", "1")
    assert_one_sentence(code, out, err)
    assert "already went with a review" in err


def test_a_check_without_a_suggested_rating_says_so(capsys, claude):
    s = Store()
    make_card(s, memory_video(), QUESTION, REFERENCE, 25_000, 40_000)
    s.close()
    claude.replies = [Reply(["Mostly right."])]
    code, out, err = run(capsys, "review", "check", "1", "--answer", "Recall.")
    assert code == 0 and out == "Mostly right.\n\nClaude suggested no rating.\n"


CHECK_MISTAKES = {
    "no card": (["review", "check", "99", "--answer", "x"], None, "There is no card with id 99"),
    "not a card id": (["review", "check", "one", "--answer", "x"], None, "'one' is not a card id"),
    "an empty answer": (["review", "check", "1", "--answer", "  "], None, "--answer is empty"),
    "no answer": (["review", "check", "1"], None, "needs --answer"),
    "a long answer": (["review", "check", "1", "--answer", "x" * 6000], None, "6,000 characters long"),
    "a server error": (["review", "check", "1", "--answer", "x"], Reply(status=500), "server error (500)"),
    "an error at once": (["review", "check", "1", "--answer", "x"], Reply(["x"], fail_after=0), "overloaded"),
    "the key echoed": (["review", "check", "1", "--answer", "x"],
                       Reply(status=401, error_type="authentication_error", message="bad {key}"), "did not accept the API key"),
    "a check of another card": (["review", "rate", "1", "good", "--check", "7"], None, "Check 7 is not a check of card 1"),
    "a check id that is not one": (["review", "rate", "1", "good", "--check", "x"], None, "'x' is not a check id"),
}


@pytest.mark.parametrize("argv, reply, words", CHECK_MISTAKES.values(), ids=CHECK_MISTAKES.keys())
def test_reader_review_check_mistakes_are_one_sentence(capsys, claude, argv, reply, words):
    s = Store()
    make_card(s, memory_video(), QUESTION, REFERENCE, 25_000, 40_000)
    s.close()
    if reply is not None:
        claude.replies = [reply]
    code, out, err = run(capsys, *argv)
    assert_one_sentence(code, out, err)
    assert words in err and out == "" and KEY not in err
    assert len(claude.requests) == (reply is not None)
    s = Store()
    assert s.reviews(1) == [] and (s.check(1) is None) == (reply is None)
    s.close()


def test_reader_review_check_without_a_key_says_how_to_set_one_before_any_request(capsys, claude, monkeypatch):
    s = Store()
    make_card(s, memory_video(), QUESTION, REFERENCE, 25_000, 40_000)
    s.close()
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    code, out, err = run(capsys, "review", "check", "1", "--answer", "Recall.")
    assert_one_sentence(code, out, err)
    assert "ANTHROPIC_API_KEY" in err and claude.requests == []
    s = Store()
    assert s.check(1) is None
    s.close()
