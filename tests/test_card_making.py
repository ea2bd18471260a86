"""Making cards in the window: Q on a selection or a highlight, the card dialog's moments and checks, and
Claude's suggestions (the real SDK against the local Messages API server) read, edited, accepted and rejected."""

import json

import pytest
from PySide6.QtCore import Qt

from reader.cards import making as cards
from reader.ui.widgets.notes_pane import CARDS

from conftest import select
from fake_anthropic import Reply


def item(question, answer, start, end, *evidence):
    return {"question": question, "answer": answer, "start": start, "end": end, "evidence": list(evidence)}


REPLY = [  # what Claude sends: three that pass the check (the clip's passages are [0:00] Ada's, [0:03] Ben's), two that do not
    item("Why does Ben answer with a third line?", "Because Ada spoke twice.", "[0:03]", "[0:03]", "Ben answers with a third line"),
    item("What closes the clip?", "The fourth line.", "[0:03]", "[0:03]", "the fourth line closes the clip"),
    item("Who speaks first?", "Ada.", "[0:00]", "[0:00]", "First line from Ada"),
    item("Who is Carol?", "A friend.", "[0:03]", "[0:03]", "Carol says hello to everyone"),
    item("What year is it?", "Now.", "[9:00]", "[9:00]", "it is the year of the talk"),
]
SHOWN = [("Why does Ben answer with a third line?", "Because Ada spoke twice.", "▶ 0:03–0:07"),
         ("What closes the clip?", "The fourth line.", "▶ 0:03–0:07"), ("Who speaks first?", "Ada.", "▶ 0:00–0:03")]


def says(claude, items=REPLY, **reply):
    claude.replies = [Reply([json.dumps(items)], **reply)]


@pytest.fixture
def window(talk_window):
    return talk_window


def stored(window):
    return window.store.cards(window.session.video_id) if window.session.video_id else []


def test_q_turns_the_selection_into_a_highlight_and_makes_a_card_from_it(window, qtbot):
    view, dialog = window.transcript_pane.view, window.card_dialog
    select(view, 1, 1)
    qtbot.keyClick(view, Qt.Key.Key_Q)
    assert dialog.isVisible() and dialog.windowTitle() == "Make a Card"
    highlight = window.store.highlights(window.session.video_id)[0]
    assert highlight["text"] == "Second line, still Ada." and window.notes_pane.current_id == highlight["id"]
    assert dialog.moments.text() == "0:02 – 0:03" and dialog.passage.toPlainText() == "Second line, still Ada."
    assert dialog.answer.toPlainText() == "" and dialog.focusWidget() is dialog.question
    qtbot.keyClicks(dialog.question, "Who speaks second?")
    qtbot.keyClicks(dialog.answer, "Ada again.")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    [card] = stored(window)
    assert (card["question"], card["answer"], card["start_ms"], card["end_ms"], card["highlight_id"], card["source"], card["status"]) == (
        "Who speaks second?", "Ada again.", 2000, 3500, highlight["id"], "mine", "active")
    assert card["passage"] == "Second line, still Ada."
    assert window.notes_pane.list.item(0).data(CARDS) == 1  # the highlight's row counts its cards


def test_a_card_from_a_chosen_highlight_takes_its_note_and_moves_by_whole_lines(window, qtbot):
    view, pane, dialog = window.transcript_pane.view, window.notes_pane, window.card_dialog
    select(view, 2, 2, 4, 11)  # "answers" inside Ben's line
    window.note_on_selection()
    qtbot.keyClicks(pane.note, "He answers")
    pane.flush_note()
    qtbot.waitUntil(lambda: pane.card_button.height() > 0)  # the pane has been laid out
    qtbot.mouseClick(pane.card_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.answer.toPlainText() == "He answers"
    assert not dialog.steps["end_earlier"].isEnabled() and not dialog.steps["start_later"].isEnabled()
    qtbot.mouseClick(dialog.steps["end_later"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.steps["start_earlier"], Qt.MouseButton.LeftButton)
    assert dialog.moments.text() == "0:02 – 0:07"
    assert dialog.passage.toPlainText() == "Second line, still Ada. Ben answers with a third line. And the fourth line closes the clip."
    assert not dialog.steps["end_later"].isEnabled()  # the last line of the video
    dialog.question.setPlainText("How does Ben reply?")
    qtbot.keyClick(dialog.question, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    assert not dialog.isVisible()
    [card] = stored(window)
    assert dialog.question.toPlainText() == "How does Ben reply?"  # Ctrl+Enter typed no line break
    assert (card["start_ms"], card["end_ms"], card["question"], card["answer"]) == (2000, 7500, "How does Ben reply?", "He answers")
    assert card["passage"].startswith("Second line, still Ada.") and card["passage"].endswith("closes the clip.")


def test_q_with_nothing_chosen_says_what_to_do(window, qtbot):
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Q)
    assert not window.card_dialog.isVisible() and "Select some words" in window.banner.text()


def test_the_dialog_says_what_is_wrong_inline_and_keeps_what_was_typed(window, qtbot):
    view, dialog = window.transcript_pane.view, window.card_dialog
    select(view, 0, 0)
    window.make_card()
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    dialog.answer.setPlainText("Ada")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.isVisible() and dialog.problem.text() == "The question is empty: write one."
    dialog.question.setPlainText("Q" * (cards.MAX_QUESTION + 1))
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "holds at most 1,000" in dialog.problem.text() and dialog.answer.toPlainText() == "Ada"
    assert stored(window) == []
    dialog.question.setPlainText("Who opens the talk?")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and [c["question"] for c in stored(window)] == ["Who opens the talk?"]
    window.make_card()  # the same highlight (still chosen): a second card, then Cancel keeps nothing
    assert dialog.isVisible() and dialog.question.toPlainText() == "" and not dialog.problem.isVisible()
    dialog.question.setPlainText("Never saved")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert [c["question"] for c in stored(window)] == ["Who opens the talk?"]


# -- Claude's suggestions -------------------------------------------------------------------------------------

def items(window):
    return window.suggestions_dialog.items


def asked(claude) -> str:
    """The prompt of the last request."""
    return claude.requests[-1]["messages"][0]["content"][1]["text"]


def test_suggestions_for_the_chapter_are_shown_and_only_the_accepted_stored_as_shown(window, qtbot, claude):
    says(claude)
    window.seek(4_000)  # in the chapter "Reply" (3.5 s to the end)
    qtbot.waitUntil(lambda: window.reading.position() >= 3_900, timeout=5_000)
    window.make_card("chapter")
    dialog = window.suggestions_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=15_000)
    assert "Write 5 recall questions about the chapter “Reply” (0:03 to 0:07)" in asked(claude)
    assert "“Reply”" in dialog.heading.text() and "3 cards" in dialog.heading.text()
    assert [(i.question.toPlainText(), i.answer.toPlainText(), i.time.text()) for i in items(window)] == SHOWN
    assert items(window)[0].evidence.text() == "<i>Rests on: “Ben answers with a third line”</i>"
    assert dialog.dropped_button.text().startswith("2 more suggestions were dropped") and not dialog.dropped.isVisible()
    dialog.dropped_button.click()
    assert dialog.dropped.isVisible() and "“Who is Carol?” quotes words that are not in" in dialog.dropped.text()
    assert "“What year is it?” rests on 9:00, past the end" in dialog.dropped.text()
    assert stored(window) == []  # nothing is kept before it is accepted
    first, second, third = items(window)
    first.question.setPlainText("Why does Ben need a third line?")  # edited before accepting
    first.answer.setPlainText("Ada spoke twice first.")
    qtbot.mouseClick(first.accept_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(second.reject_button, Qt.MouseButton.LeftButton)
    assert first.state == "accepted" and first.question.isReadOnly() and second.state == "rejected"
    assert dialog.summary.text() == "1 accepted, 1 rejected, 1 to decide"
    qtbot.mouseClick(dialog.accept_all, Qt.MouseButton.LeftButton)
    assert third.state == "accepted" and second.state == "rejected" and dialog.close_button.text() == "Done"
    kept = [(c["question"], c["answer"], c["start_ms"], c["end_ms"], c["evidence"], c["source"], c["status"]) for c in stored(window)]
    assert sorted(kept) == sorted([
        ("Why does Ben need a third line?", "Ada spoke twice first.", 3500, 7500, ["Ben answers with a third line"], "claude", "active"),
        ("Who speaks first?", "Ada.", 500, 3500, ["First line from Ada"], "claude", "active")])
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_rejecting_everything_stores_nothing_and_an_emptied_question_is_refused(window, qtbot, claude):
    says(claude)
    window.make_card("video")
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=15_000)
    assert "Write 10 recall questions about the whole video" in asked(claude)
    first = items(window)[0]
    first.question.setPlainText("   ")
    qtbot.mouseClick(first.accept_button, Qt.MouseButton.LeftButton)
    assert first.state == "open" and first.problem.text() == "The question is empty: write one."
    for it in items(window):
        qtbot.mouseClick(it.reject_button, Qt.MouseButton.LeftButton)
    assert not window.suggestions_dialog.accept_all.isEnabled()
    qtbot.mouseClick(items(window)[1].undo_button, Qt.MouseButton.LeftButton)  # changed its mind: open again
    assert items(window)[1].state == "open" and items(window)[1].accept_button.isVisible()
    window.suggestions_dialog.reject()
    assert stored(window) == []


def test_suggestions_for_a_highlight_are_linked_to_it_and_counted(window, qtbot, claude):
    says(claude)
    select(window.transcript_pane.view, 2, 2)
    window.make_card("highlight")
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=15_000)
    highlight = window.store.highlights(window.session.video_id)[0]
    assert "Write 3 recall questions about the stretch from 0:03 to 0:05" in asked(claude)
    assert "2 more" in window.suggestions_dialog.dropped_button.text()  # Ada's line is near enough; Carol and 9:00 are not
    qtbot.mouseClick(items(window)[0].accept_button, Qt.MouseButton.LeftButton)
    assert [c["highlight_id"] for c in stored(window)] == [highlight["id"]]
    assert window.notes_pane.list.item(0).data(CARDS) == 1


def test_a_suggestion_s_time_plays_the_video_there_and_pauses_on_a_second_click(window, qtbot, claude):
    says(claude)
    window.make_card("video")
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=15_000)
    second = items(window)[1]
    qtbot.mouseClick(second.time, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.player.is_playing() and window.player.position() >= 3_500, timeout=5_000)
    assert second.time.text().startswith("⏸") and items(window)[0].time.text().startswith("▶")
    qtbot.mouseClick(second.time, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=5_000)
    assert second.time.text().startswith("▶")


def test_without_a_key_the_dialog_offers_preferences_and_tries_again_after(window, qtbot, claude, monkeypatch):
    says(claude)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    window.make_card("video")
    dialog = window.suggestions_dialog
    assert dialog.failure.isVisible() and "API key" in dialog.failure_text.text()
    assert dialog.failure.objectName() == "banner" and dialog.settings_button.isVisible() and not dialog.retry_button.isVisible()
    assert claude.requests == []
    # Preferences is modal; here it "takes" a key at once
    monkeypatch.setattr(window, "show_settings", lambda: monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-NEW-KEY-0123456789"))
    dialog.settings_requested.disconnect()
    dialog.settings_requested.connect(window.show_settings)
    qtbot.mouseClick(dialog.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=15_000)
    assert not dialog.failure.isVisible() and len(claude.requests) == 1


def test_a_failed_request_offers_retry(window, qtbot, claude):
    claude.replies = [Reply(status=529, error_type="overloaded_error", message="Overloaded"), Reply([json.dumps(REPLY)])]
    window.make_card("video")
    dialog = window.suggestions_dialog
    qtbot.waitUntil(lambda: dialog.failure.isVisible(), timeout=15_000)
    assert dialog.failure_text.text().endswith("No suggestions were kept.") and "Traceback" not in dialog.failure_text.text()
    assert dialog.retry_button.isVisible() and not dialog.settings_button.isVisible() and not dialog.waiting.isVisible()
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=15_000)
    assert not dialog.failure.isVisible() and stored(window) == [] and len(claude.requests) == 2


def test_cancel_stops_waiting_and_what_comes_later_is_dropped(window, qtbot, claude):
    text = json.dumps(REPLY)
    claude.replies = [Reply([text[i:i + 20] for i in range(0, len(text), 20)], delay=0.1)]  # a slow reply
    window.make_card("video")
    dialog = window.suggestions_dialog
    assert dialog.waiting.isVisible() and dialog.progress.maximum() == 0  # a busy bar
    qtbot.waitUntil(lambda: len(claude.requests) == 1, timeout=15_000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not window.carding.busy()
    from reader.ui.worker import pool

    claude.gate.set()  # the rest of the reply comes at once; the stream sees the cancel and stops
    pool().waitForDone(10_000)
    qtbot.waitUntil(lambda: not window.carding.running, timeout=5_000)  # the cancelled worker was kept until it ended
    assert items(window) == [] and not dialog.isVisible() and stored(window) == []
    assert dialog.failure.isHidden() and dialog.heading.text().startswith("Asking Claude")  # its "Stopped" was dropped too


def test_no_suggestions_left_after_the_check_says_so(window, qtbot, claude):
    says(claude, REPLY[3:])
    window.make_card("video")
    dialog = window.suggestions_dialog
    qtbot.waitUntil(lambda: not dialog.waiting.isVisible(), timeout=15_000)
    assert "all failed the check" in dialog.heading.text() and dialog.dropped_button.text().startswith("2 more suggestions were dropped")
    assert dialog.retry_button.isVisible() and not dialog.scroll.isVisible()
