"""Cards in Review: listed with the notes, filtered and searched, edited, suspended, deleted and brought back."""

from datetime import datetime, timezone

import pytest

from conftest import add_video
from reader import cards
from reader.store import Store

NOW = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def library():
    """Two videos: a highlight with a note on one, three cards (one suspended, one due in two days, one from Claude)."""
    first = add_video("Turn-taking", site_id="one")
    second = add_video("Another talk", ("Carol starts.", "Dan replies about memory."), site_id="two")
    store = Store()
    store.add_highlight(first, 1, 0, 1, 16, 10_000, 20_000, "Ben answers her.", "green", "the reply")
    made = {
        "turns": cards.make_card(store, first, "Why do they agree on turn-taking?", "So both are heard.", 20_000, 30_000, now=NOW),
        "ben": cards.make_card(store, first, "Whom does Ben answer?", "", 10_000, 20_000, now=NOW),
        "dan": cards.make_card(store, second, "What does Dan reply about?", "Memory.", 15_000, 30_000, source="claude",
                               evidence=["replies about memory"], now=NOW),
    }
    cards.rate_card(store, made["turns"], "good", retention=0.9, fuzz=False)  # due again in minutes from now
    cards.edit_card(store, made["ben"], status="suspended")
    store.close()
    return {"first": first, "second": second, **made}


def test_review_items_merge_cards_with_the_notes_and_follow_the_filters(library):
    store = Store()
    everything = store.review_items()
    assert {(i["kind"], i.get("question") or i["text"]) for i in everything} == {
        ("highlight", "Ben answers her."), ("card", "Why do they agree on turn-taking?"), ("card", "Whom does Ben answer?"),
        ("card", "What does Dan reply about?")}
    assert [i["id"] for i in store.review_items(kind="card")] == [library["dan"], library["ben"], library["turns"]]  # newest first
    assert [i["id"] for i in store.review_items(kind="card", newest_first=False)] == [library["ben"], library["turns"], library["dan"]]
    assert [i["kind"] for i in store.review_items(kind="highlight")] == ["highlight"]
    assert [i["kind"] for i in store.review_items(color="green")] == ["highlight"]  # cards have no colour
    assert {i["id"] for i in store.review_items(video_id=library["second"])} == {library["dan"]}
    assert [i["id"] for i in store.review_items(query="memory")] == [library["dan"]]  # the answer is searched
    assert [i["id"] for i in store.review_items(query="turn-tak")] == [library["turns"]]  # the question, by a prefix
    assert store.review_items(since="2999-01-01") == [] and len(store.review_items(query="“”")) == len(everything)
    dan = store.review_items(video_id=library["second"])[0]
    assert (dan["status"], dan["source"], dan["title"], dan["start_ms"], dan["text"]) == (
        "active", "claude", "Another talk", 15_000, "Dan replies about memory.")
    highlight = store.highlights(library["first"])[0]["id"]
    cards.card_from_highlight(store, highlight, "What does Ben do?")
    assert store.card_counts(library["first"]) == {highlight: 1}
    store.close()
