"""Recall cards and their scheduling: FSRS due dates through the store, the checks on making a card, the CLI."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Card, Rating, Scheduler

from reader.cards import making as cards, scheduling
from reader.library.db.store import Store

from conftest import add_video, assert_one_sentence, run

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store():
    add_video()
    s = Store()
    yield s
    s.close()


def _history(store, ratings, retention=0.9):
    """Rate a new card at each due time in turn; the due dates the store ends up with."""
    card_id = cards.make_card(store, 1, "Who opens the talk?", "Ada", 0, 10_000, now=T0)
    when, dues = T0, []
    for rating in ratings:
        due = cards.rate_card(store, card_id, rating, now=when, retention=retention, fuzz=False).due
        dues.append(due)
        when = scheduling.parse_iso(due)
    return card_id, dues


def _fsrs_history(ratings, retention=0.9):
    scheduler = Scheduler(desired_retention=retention, enable_fuzzing=False)
    card, when, dues = Card(card_id=1, due=T0), T0, []
    for rating in ratings:
        card, _ = scheduler.review_card(card, Rating(rating), when)
        dues.append(scheduling.iso(card.due))
        when = card.due
    return dues


HISTORIES = [
    (3, 3, 3, 3),
    (1, 1, 3, 3, 4),
    (4, 4, 4),
    (3, 3, 1, 3, 4),
    (2, 2, 2, 2, 2, 2),
    (3, 1, 1, 1, 3, 3, 3),
]


@pytest.mark.parametrize("ratings", HISTORIES)
@pytest.mark.parametrize("retention", [0.8, 0.9, 0.95])
def test_due_dates_through_the_store_match_fsrs(store, ratings, retention):
    _, dues = _history(store, ratings, retention)
    assert dues == _fsrs_history(ratings, retention)


def test_a_known_history_gives_known_dates(store):
    """Pinned, so a change of FSRS's defaults (or of how the state is stored) shows up here."""
    _, dues = _history(store, (3, 3, 1, 3, 4))
    assert dues == ["2026-01-01T09:10:00+00:00", "2026-01-03T09:10:00+00:00", "2026-01-03T09:20:00+00:00",
                    "2026-01-04T09:20:00+00:00", "2026-01-08T09:20:00+00:00"]


def test_every_review_is_logged_with_its_rating_answer_and_next_due(store):
    card_id, dues = _history(store, (3, 1))
    cards.rate_card(store, card_id, "easy", typed_answer="Ada opens it", now=scheduling.parse_iso(dues[-1]), fuzz=False)
    log = store.reviews(card_id)
    assert [r["rating"] for r in log] == [3, 1, 4]
    assert log[-1]["typed_answer"] == "Ada opens it"
    assert [r["due_after"] for r in log[:2]] == dues
    assert store.card(card_id)["due"] == log[-1]["due_after"]
    assert json.loads(store.card(card_id)["fsrs"])["state"] == 2  # in review


def test_a_higher_retention_brings_cards_back_sooner(store):
    _, low = _history(store, (3, 3, 3), 0.8)
    _, high = _history(store, (3, 3, 3), 0.97)
    assert high[-1] < low[-1]


def test_fuzzing_spreads_due_dates_but_stays_near(store):
    card_id = cards.make_card(store, 1, "Who answers?", "Ben", 10_000, 20_000, now=T0)
    when = T0
    for _ in range(4):
        due = cards.rate_card(store, card_id, 3, now=when).due
        when = scheduling.parse_iso(due)
    plain = scheduling.parse_iso(_fsrs_history((3, 3, 3, 3))[-1])
    assert abs(when - plain) <= (plain - T0) * 0.5


@pytest.mark.parametrize("value, expected", [
    (0.9, 0.9), ("0.85", 0.85), (0.2, 0.7), (1.5, 0.99), (float("nan"), 0.9), ("lots", 0.9), (None, 0.9),
])
def test_retention_is_kept_inside_what_fsrs_schedules_sensibly(value, expected):
    assert scheduling.clamp_retention(value) == expected


def test_due_cards_come_grouped_by_video_at_most_the_limit(store):
    add_video("Second", site_id="two")
    made = []
    for minute in range(3):
        for video in (1, 2):
            made.append(cards.make_card(store, video, f"Q{video}{minute}", "", minute * 1000, minute * 1000 + 500,
                                        now=T0 + timedelta(minutes=minute)))
    due = cards.due_now(store, T0 + timedelta(hours=1), limit=20)
    assert [r["video_id"] for r in due] == [1, 1, 1, 2, 2, 2]
    assert [r["start_ms"] for r in due[:3]] == [0, 1000, 2000]
    assert len(cards.due_now(store, T0 + timedelta(hours=1), limit=4)) == 4
    assert cards.due_now(store, T0 - timedelta(hours=1)) == []
    cards.edit_card(store, made[0], status="suspended")
    assert made[0] not in [r["id"] for r in cards.due_now(store, T0 + timedelta(hours=1))]
    assert store.due_count(scheduling.iso(T0 + timedelta(hours=1))) == 5


# what a hostile or careless user gives, and the sentence that comes back
BAD_CARDS = [
    ({"question": ""}, "question is empty"),
    ({"question": " \n\t "}, "question is empty"),
    ({"question": "x" * 1001}, "at most 1,000"),
    ({"answer": "x" * 5001}, "at most 5,000"),
    ({"start_ms": 5000, "end_ms": 5000}, "end must come after"),
    ({"start_ms": 9000, "end_ms": 1000}, "end must come after"),
    ({"start_ms": -5, "end_ms": 1000}, "end must come after"),
    ({"start_ms": 40_000, "end_ms": 50_000}, "past the end"),
    ({"video_id": 99}, "no video with id 99"),
]


@pytest.mark.parametrize("change, words", BAD_CARDS)
def test_a_card_that_cannot_be_is_refused_with_a_sentence_and_nothing_saved(store, change, words):
    args = {"video_id": 1, "question": "Q?", "answer": "A", "start_ms": 0, "end_ms": 5000, **change}
    with pytest.raises(cards.CardProblem, match=words):
        cards.make_card(store, **args)
    assert store.cards() == []


def test_a_stretch_where_nothing_is_said_makes_no_card():
    store = Store()
    from reader.library.db.records import VideoRecord
    from reader.transcript.model import Cue, Transcript

    vid = store.add_video(VideoRecord("t", "gap", "Gap", duration_ms=60_000), Transcript([Cue(0, 1000, "Hi."), Cue(50_000, 51_000, "Bye.")], []))
    with pytest.raises(cards.CardProblem, match="Nothing is said"):
        cards.make_card(store, vid, "Q?", "", 10_000, 20_000)
    store.close()


def test_nul_characters_are_dropped_and_the_passage_is_kept(store):
    card_id = cards.make_card(store, 1, "Who\x00 opens?", "Ada", 0, 10_000)
    row = store.card(card_id)
    assert row["question"] == "Who opens?" and row["passage"] == "Ada opens the talk."


@pytest.mark.parametrize("rating", ["meh", "0", "5", "", 7, None, "again!"])
def test_a_rating_that_is_not_one_is_refused(store, rating):
    card_id = cards.make_card(store, 1, "Q?", "", 0, 5000)
    with pytest.raises(cards.CardProblem, match="again, hard, good or easy"):
        cards.rate_card(store, card_id, rating)
    assert store.reviews(card_id) == []


def test_a_suspended_card_is_not_reviewed(store):
    card_id = cards.make_card(store, 1, "Q?", "", 0, 5000)
    cards.edit_card(store, card_id, status="suspended")
    with pytest.raises(cards.CardProblem, match="suspended"):
        cards.rate_card(store, card_id, "good")


def test_a_card_from_a_highlight_keeps_its_moments_and_outlives_it(store):
    highlight_id = store.add_highlight(1, 1, 0, 1, 16, 10_000, 20_000, "Ben answers her.", note="Ben replies")
    card_id = cards.card_from_highlight(store, highlight_id, "Who replies to Ada?")
    row = store.card(card_id)
    assert (row["start_ms"], row["end_ms"], row["answer"], row["highlight_id"]) == (10_000, 20_000, "Ben replies", highlight_id)
    store.delete_highlight(highlight_id)
    row = store.card(card_id)
    assert row is not None and row["highlight_id"] is None and row["passage"] == "Ben answers her."


def test_removing_a_video_removes_its_cards_and_their_reviews(store):
    card_id = cards.make_card(store, 1, "Q?", "", 0, 5000)
    cards.rate_card(store, card_id, "good")
    store.remove_video(1)
    assert store.cards() == []
    assert store.db.execute("select count(*) from reviews").fetchone()[0] == 0


def test_deleting_a_card_can_be_undone_with_its_history(store):
    card_id, _ = _history(store, (3, 3))
    row, reviews = store.delete_card(card_id)
    assert store.card(card_id) is None
    store.restore_card(row, reviews)
    assert [r["rating"] for r in store.reviews(card_id)] == [3, 3]


def test_cards_are_found_by_their_words(store):
    cards.make_card(store, 1, "Why does Ada open the talk?", "She chairs it", 0, 5000)
    cards.make_card(store, 1, "Who answers?", "Ben", 10_000, 20_000)
    assert [r["question"] for r in store.cards(query="chair")] == ["Why does Ada open the talk?"]
    assert store.cards(query="\"(") == []


@pytest.mark.parametrize("when_due, words", [
    (T0, "now"), (T0 + timedelta(minutes=10), "in 10 minutes"), (T0 + timedelta(hours=1), "in 1 hour"),
    (T0 + timedelta(hours=5), "in 5 hours"), (T0 + timedelta(days=1), "tomorrow"), (T0 + timedelta(days=12), "in 12 days"),
    (T0 + timedelta(days=120), "in 4 months"), (T0 + timedelta(days=800), "in 2 years"),
])
def test_when_a_card_comes_back_in_words(when_due, words):
    assert cards.when(scheduling.iso(when_due), T0) == words


# -- the command line ---------------------------------------------------------------------------------

def test_the_cli_adds_lists_shows_due_and_rates(capsys):
    add_video()
    code, out, _ = run(capsys, "cards", "add", 1, "--from", "0:00", "--to", "0:09", "--question", "Who opens?", "--answer", "Ada")
    assert code == 0 and out.strip() == "1"
    code, out, _ = run(capsys, "cards", "list", "--json")  # its moments are the whole line (0:00-0:10) that --to 0:09 takes
    assert json.loads(out)[0] | {"due": None, "due_in": None} == {
        "id": 1, "video_id": 1, "title": "A talk", "question": "Who opens?", "answer": "Ada", "start_ms": 0, "end_ms": 10000,
        "state": "active", "source": "mine", "due": None, "due_in": None, "reviews": 0}
    code, out, _ = run(capsys, "review", "--json")
    assert code == 0 and json.loads(out) == [{"id": 1, "video_id": 1, "title": "A talk", "start_ms": 0, "question": "Who opens?"}]
    code, out, _ = run(capsys, "review", "rate", 1, "good")
    assert code == 0 and out.startswith("Card 1 is next due in 10 minutes")
    code, out, _ = run(capsys, "review")
    assert code == 0 and out.strip() == "Nothing is due. The next card is due in 10 minutes."


CLI_MISTAKES = [
    ("cards", "add", 1, "--from", "0:05", "--to", "0:01", "--question", "Q"),
    ("cards", "add", 1, "--from", "soon", "--to", "0:01", "--question", "Q"),
    ("cards", "add", 1, "--from", "0:00", "--to", "0:05", "--question", ""),
    ("cards", "add", 1, "--from", "0:00", "--to", "0:05"),
    ("cards", "add", 99, "--from", "0:00", "--to", "0:05", "--question", "Q"),
    ("cards", "add", 1, "--from", "9:00", "--to", "9:05", "--question", "Q"),
    ("cards", "add", "one", "--from", "0:00", "--to", "0:05", "--question", "Q"),
    ("cards", "list", 99),
    ("cards",),
    ("review", "--limit", "0"),
    ("review", "--limit", "x"),
    ("review", "rate", 1, "meh"),
    ("review", "rate", 42, "good"),
    ("review", "rate", "-3", "good"),
    ("review", "rate", "99999999999999999999", "good"),
]


@pytest.mark.parametrize("argv", CLI_MISTAKES, ids=lambda a: " ".join(map(str, a)))
def test_cli_mistakes_are_one_sentence_and_exit_2(capsys, argv):
    add_video()
    code, out, err = run(capsys, *argv)
    assert_one_sentence(code, out, err)
    store = Store()
    assert store.cards() == [] and store.db.execute("select count(*) from reviews").fetchone()[0] == 0
    store.close()


def test_a_checked_answer_s_feedback_joins_the_review_that_follows(store):
    card_id = cards.make_card(store, 1, "Who opens?", "Ada", 0, 10_000, now=T0)
    check_id = store.start_check(card_id, "Ada, I think", "claude-x", scheduling.iso(T0))
    store.save_check(check_id, "Right: Ada opens \u20631\u2063.", [{"start_ms": 0, "end_ms": 10_000, "text": "Ada opens"}], "complete")
    other = cards.make_card(store, 1, "Who answers?", "Ben", 10_000, 20_000, now=T0)
    cards.rate_card(store, other, "good", now=T0, fuzz=False, check_id=check_id)  # another card's check is not taken
    assert store.reviews(other)[0]["feedback"] == ""
    cards.rate_card(store, card_id, "good", typed_answer="Ada, I think", now=T0, fuzz=False, check_id=check_id)
    review = store.reviews(card_id)[0]
    assert review["feedback"].startswith("Right") and review["citations"][0]["start_ms"] == 0
    assert store.check(check_id)["review_id"] == review["id"]


def test_a_check_left_streaming_by_a_killed_reader_is_marked_incomplete(store):
    card_id = cards.make_card(store, 1, "Who opens?", "Ada", 0, 10_000, now=T0)
    check_id = store.start_check(card_id, "Ada", "m", scheduling.iso(T0))
    store.mark_interrupted()
    assert store.check(check_id)["status"] == "incomplete"
