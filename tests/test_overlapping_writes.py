"""Two Readers writing the same rows at once (real processes, started together at a barrier): no lost update."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys

import pytest
from fsrs import Card, Rating, Scheduler

from reader.cards import making as cards, scheduling
from reader.library.db.store import Store

from conftest import add_video

RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}
ROUNDS = 10  # rounds of six cards each, rated by two processes at once
CARDS = 6


def _fresh_cards(n: int) -> list[int]:
    store = Store()
    try:
        return [cards.make_card(store, 1, f"Who opens the talk? ({i})", "Ada", 0, 10_000) for i in range(n)]
    finally:
        store.close()


def _rater(barrier, card_ids, rating, results):
    """A process of its own: open the library, wait for the other, rate every card."""
    store = Store()
    barrier.wait(30)
    for card_id in card_ids:
        try:
            cards.rate_card(store, card_id, rating, retention=0.9, fuzz=False)
            results.put((card_id, rating, "ok"))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which checks the sentence
            results.put((card_id, rating, f"{type(exc).__name__}: {exc}"))
    store.close()


def _in_sequence(initial: str, reviews: list[dict]) -> Card:
    """The card FSRS makes of the reviews applied one after the other, in the order the library logged them."""
    scheduler = Scheduler(desired_retention=0.9, enable_fuzzing=False)
    card = Card.from_dict(json.loads(initial))
    for r in reviews:
        card, _ = scheduler.review_card(card, Rating(r["rating"]), scheduling.parse_iso(r["reviewed_at"]))
    return card


def _lost(card_ids: list[int], initial: dict[int, str]) -> list[int]:
    """The cards whose state is not that of all their reviews applied in turn."""
    store = Store()
    try:
        lost = []
        for card_id in card_ids:
            reviews = store.reviews(card_id)
            stored = Card.from_dict(json.loads(store.card(card_id)["fsrs"]))
            expected = _in_sequence(initial[card_id], reviews)
            if stored.stability != pytest.approx(expected.stability, rel=1e-6) or stored.step != expected.step \
                    or stored.difficulty != pytest.approx(expected.difficulty, rel=1e-6):
                lost.append(card_id)
        return lost
    finally:
        store.close()


def _race(targets: list[tuple], timeout: float = 120) -> list[tuple]:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(targets)), context.Queue()
    processes = [context.Process(target=fn, args=(barrier, *args, results)) for fn, *args in targets]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout)
        assert p.exitcode == 0
    found = []
    while not results.empty():
        found.append(results.get())
    return found


def test_two_processes_rating_the_same_cards_lose_no_review():
    add_video()
    all_ids, initial = [], {}
    for _ in range(ROUNDS):
        ids = _fresh_cards(CARDS)
        store = Store()
        initial.update({i: store.card(i)["fsrs"] for i in ids})
        store.close()
        outcome = _race([(_rater, ids, "good"), (_rater, list(reversed(ids)), "easy")])
        assert sorted(o[2] for o in outcome) == ["ok"] * 2 * CARDS
        all_ids += ids
    store = Store()
    assert [len(store.reviews(i)) for i in all_ids] == [2] * len(all_ids)
    store.close()
    assert _lost(all_ids, initial) == [], f"{len(_lost(all_ids, initial))} of {len(all_ids)} cards lost a review"


def _reader(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reader", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=os.environ.copy())


def test_reader_review_rate_good_and_easy_at_once_keep_both():
    """The issue's own case: `reader review rate N good & reader review rate N easy &` on six fresh cards."""
    add_video()
    ids = _fresh_cards(CARDS)
    store = Store()
    initial = {i: store.card(i)["fsrs"] for i in ids}
    store.close()
    children = [_reader("review", "rate", str(i), rating, "--anyway") for i in ids for rating in ("good", "easy")]
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
    assert _lost(ids, initial) == []
    store = Store()
    # good then easy (or easy then good), each in turn: a learning card's stability after both
    for i in ids:
        assert [r["rating"] for r in store.reviews(i)] in ([3, 4], [4, 3])
    store.close()


# -- a rating racing an edit, a suspension or a deletion in another process ----------------------------------

def _editor(barrier, card_id, change, results):
    store = Store()
    barrier.wait(30)
    try:
        if change == "delete":
            store.delete_card(card_id)
        elif change == "remove video":
            store.remove_video(store.card(card_id)["video_id"])
        else:
            cards.edit_card(store, card_id, **change)
        results.put((card_id, str(change), "ok"))
    except Exception as exc:  # noqa: BLE001
        results.put((card_id, str(change), f"{type(exc).__name__}: {exc}"))
    store.close()


def _check_consistent(store: Store, card_id: int, initial: str, outcome: list[tuple]):
    """Whatever order the two took, the library holds one of the two orders' results, whole."""
    rating = next(o for o in outcome if o[1] == 3)[2]
    row = store.card(card_id)
    orphans = store.db.execute("select count(*) from reviews where card_id not in (select id from cards)").fetchone()[0]
    assert orphans == 0
    if row is None:  # deleted: after the rating (which was saved, then went with the card), or before it (refused)
        assert rating == "ok" or rating.startswith("CardProblem: There is no card")
        return
    reviews = store.reviews(card_id)
    if rating == "ok":
        assert len(reviews) == 1
        expected = _in_sequence(initial, reviews)
        assert Card.from_dict(json.loads(row["fsrs"])).stability == pytest.approx(expected.stability, rel=1e-6)
    else:  # refused, in one sentence, and nothing of it kept
        assert rating.startswith("CardProblem: Card ") and "only active cards are reviewed" in rating
        assert reviews == [] and row["fsrs"] == initial


RACES = [
    ("edit", {"question": "Who closes the talk?", "answer": "Ben"}),
    ("move", {"start_ms": 10_000, "end_ms": 20_000}),
    ("suspend", {"status": "suspended"}),
    ("delete", "delete"),
    ("remove video", "remove video"),
]


@pytest.mark.parametrize("name,change", RACES, ids=[r[0] for r in RACES])
def test_a_rating_racing_a_change_in_another_process(name, change):
    for round_ in range(4):
        add_video(site_id=f"round-{round_}")
        store = Store()
        video_id = store.count()
        card_id = cards.make_card(store, video_id, "Who opens the talk?", "Ada", 0, 10_000)
        initial = store.card(card_id)["fsrs"]
        store.close()
        outcome = _race([(_rater, [card_id], "good"), (_editor, card_id, change)])
        outcome = [(c, RATINGS.get(w, w), result) for c, w, result in outcome]
        editor = next(o for o in outcome if o[1] != 3)[2]
        assert editor == "ok", editor
        store = Store()
        _check_consistent(store, card_id, initial, outcome)
        row = store.card(card_id)
        if row is not None and isinstance(change, dict):  # the change is kept whatever the rating did
            for key, value in change.items():
                assert row[key] == value
        store.close()
