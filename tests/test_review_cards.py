"""Cards in Review: listed with the notes, filtered and searched, edited, suspended, deleted and brought back."""

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt

from reader.cards import making as cards
from reader.library.db.store import Store
from reader.ui.widgets.review_page import CARD_ROLE, HTML_ROLE

from conftest import add_video, new_window

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


@pytest.fixture
def window(qtbot, library):
    w = new_window(qtbot, 1100, 700)
    w.show_review()
    yield w
    w.player.pause()
    w.close()


def card_rows(page) -> dict[int, object]:
    """The tree's card rows by card id."""
    found = {}
    for i in range(page.tree.topLevelItemCount()):
        top = page.tree.topLevelItem(i)
        for j in range(top.childCount()):
            data = top.child(j).data(0, CARD_ROLE)
            if data is not None:
                found[data[0]] = top.child(j)
    return found


def test_the_cards_kind_lists_only_cards_each_with_its_question_answer_status_and_due(window, library, qtbot):
    page = window.review_page
    assert len(card_rows(page)) == 3 and page.count.text() == "4 items"
    page.kind.setCurrentIndex(page.kind.findData("card"))
    assert page.count.text() == "3 items" and len(card_rows(page)) == 3
    groups = {page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())}
    assert groups == {"Turn-taking", "Another talk"}
    rows = {card_id: item.data(0, HTML_ROLE) for card_id, item in card_rows(page).items()}
    assert "0:20 · Card · due " in rows[library["turns"]] and "<b>Why do they agree on turn-taking?</b><br>So both are heard." in rows[library["turns"]]
    assert "Card · due in " in rows[library["turns"]]  # rated good: due again later
    assert "Card · suspended" in rows[library["ben"]] and "(no answer written)" in rows[library["ben"]]
    assert "Card · due now · by Claude" in rows[library["dan"]]
    page.search.setText("memory")
    qtbot.waitUntil(lambda: list(card_rows(page)) == [library["dan"]], timeout=3_000)
    page.kind.setCurrentIndex(page.kind.findData("highlight"))
    assert card_rows(page) == {}


def test_a_card_row_chooses_the_card_and_its_actions_suspend_and_edit_it(window, library, qtbot):
    page = window.review_page
    item = card_rows(page)[library["turns"]]
    page.tree.itemClicked.emit(item, 0)  # a click chooses a card rather than leaving the page
    page.tree.setCurrentItem(item)
    assert window.pages.currentWidget() is page and page.card_bar.isVisible()
    assert page.card_buttons["suspend"].text() == "Suspend"
    qtbot.mouseClick(page.card_buttons["suspend"], Qt.MouseButton.LeftButton)
    store = window.store
    assert store.card(library["turns"])["status"] == "suspended"
    assert page.current_card() == (library["turns"], "suspended") and page.card_buttons["suspend"].text() == "Unsuspend"
    assert "Card · suspended" in card_rows(page)[library["turns"]].data(0, HTML_ROLE)
    qtbot.mouseClick(page.card_buttons["suspend"], Qt.MouseButton.LeftButton)
    assert store.card(library["turns"])["status"] == "active"
    qtbot.mouseClick(page.card_buttons["edit"], Qt.MouseButton.LeftButton)
    dialog = window.card_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Edit Card" and dialog.heading.text() == "Turn-taking"
    assert (dialog.question.toPlainText(), dialog.answer.toPlainText(), dialog.moments.text()) == (
        "Why do they agree on turn-taking?", "So both are heard.", "0:20 – 0:30")
    dialog.question.setPlainText("")
    dialog.try_save()
    assert dialog.problem.text() == "The question is empty: write one." and store.card(library["turns"])["question"].startswith("Why")
    dialog.question.setPlainText("Why agree on turns?")
    qtbot.mouseClick(dialog.steps["start_earlier"], Qt.MouseButton.LeftButton)
    dialog.try_save()
    card = store.card(library["turns"])
    assert not dialog.isVisible() and (card["question"], card["start_ms"], card["end_ms"]) == ("Why agree on turns?", 10_000, 30_000)
    assert card["passage"] == "Ben answers her. They agree on turn-taking." and len(store.reviews(card["id"])) == 1
    assert "<b>Why agree on turns?</b>" in card_rows(page)[library["turns"]].data(0, HTML_ROLE)


def test_delete_a_card_then_undo_brings_it_back_with_its_reviews(window, library, qtbot):
    page, store = window.review_page, window.store
    page.tree.setCurrentItem(card_rows(page)[library["turns"]])
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    assert store.card(library["turns"]) is None and library["turns"] not in card_rows(page)
    assert page.undo_button.isVisible() and page.undo_label.text() == "Card deleted." and not page.card_buttons["delete"].isVisible()
    page.card_buttons["delete"].click()  # nothing chosen now: nothing happens
    assert len(card_rows(page)) == 2
    page.tree.setCurrentItem(card_rows(page)[library["dan"]])
    qtbot.mouseClick(page.card_buttons["delete"], Qt.MouseButton.LeftButton)
    assert store.cards(library["second"]) == []
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)  # the last one first
    assert store.card(library["dan"])["question"] == "What does Dan reply about?" and not page.undo_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Edit ▸ Undo Delete, on this page a card
    card = store.card(library["turns"])
    assert card["question"] == "Why do they agree on turn-taking?" and [r["rating"] for r in store.reviews(card["id"])] == [3]
    assert set(card_rows(page)) == {library["turns"], library["ben"], library["dan"]}


def test_double_click_or_open_goes_to_the_card_s_moment(window, library, qtbot):
    page = window.review_page
    page.tree.setCurrentItem(card_rows(page)[library["turns"]])
    qtbot.mouseClick(page.card_buttons["open"], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.splitter and window.reading.video_id == library["first"]
    qtbot.waitUntil(lambda: window.reading.position() == 20_000, timeout=5_000)
    window.show_review()
    page.tree.itemActivated.emit(card_rows(page)[library["dan"]], 0)
    assert window.reading.video_id == library["second"]


def test_cards_of_a_highlight_are_counted_in_the_notes_list(window, library, qtbot):
    from reader.ui.widgets.notes_pane import CARDS

    window.reading.open_video(library["first"])
    pane = window.notes_pane
    assert pane.list.count() == 1 and pane.list.item(0).data(CARDS) == 0
    highlight = pane.list.item(0).data(Qt.ItemDataRole.UserRole + 1)["id"]
    window.carding.draft_from_highlight(highlight)
    window.card_dialog.question.setPlainText("What does Ben do?")
    window.card_dialog.try_save()
    window.carding.draft_from_highlight(highlight)
    window.card_dialog.question.setPlainText("And then?")
    window.card_dialog.try_save()
    assert pane.list.item(0).data(CARDS) == 2
    window.show_review()
    page = window.review_page
    page.kind.setCurrentIndex(page.kind.findData("card"))
    newest = max(card_rows(page))
    page.tree.setCurrentItem(card_rows(page)[newest])
    qtbot.mouseClick(page.card_buttons["delete"], Qt.MouseButton.LeftButton)
    assert pane.list.item(0).data(CARDS) == 1
