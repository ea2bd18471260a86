"""Making cards in the window: Q on a selection or a highlight, the card dialog's moments and checks, and
Claude's suggestions read, edited, accepted and rejected (Claude stood in for by an object with its interface)."""

import threading
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt

from conftest import new_window, select
from reader import cards
from reader.ui.widgets.notes_pane import CARDS


@dataclass(frozen=True)
class Suggestion:  # the shape reader.card_suggestions gives
    question: str
    answer: str
    start_ms: int
    end_ms: int
    evidence: tuple


@dataclass(frozen=True)
class Suggestions:
    kept: list
    dropped: list


class SuggestionProblem(Exception):
    pass


class StandIn:
    """card_suggestions' interface: suggest() gives what it is told to (or raises it, or waits to be cancelled);
    keep() stores the chosen ones with cards.make_card, as the real one does."""

    SuggestionProblem = SuggestionProblem

    def __init__(self, result=None, wait=False):
        self.result, self.wait, self.asked = result, wait, []
        self.waiting = threading.Event()

    def suggest(self, store, video_id, key, start_ms=None, end_ms=None, count=5, model="", cancelled=lambda: False, client=None):
        self.asked.append((video_id, start_ms, end_ms, count))
        while self.wait and not cancelled():
            self.waiting.set()
            threading.Event().wait(0.01)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result

    def keep(self, store, video_id, chosen, status="active", highlight_id=None):
        return [cards.make_card(store, video_id, s.question, s.answer, s.start_ms, s.end_ms, highlight_id=highlight_id,
                                source="claude", status=status, evidence=s.evidence) for s in chosen]


THREE = Suggestions(
    [Suggestion("Why does Ben answer with a third line?", "Because Ada spoke twice.", 3500, 5000, ("Ben answers with a third line",)),
     Suggestion("What closes the clip?", "The fourth line.", 5000, 7500, ("the fourth line closes the clip",)),
     Suggestion("Who speaks first?", "Ada.", 500, 2000, ("First line from Ada",))],
    ["“Who is Carol?” rests on “Carol says hello”, which is not said between 0:03 and 0:08.",
     "“What year is it?” cites 9:00, past the end of the video."])


@pytest.fixture
def window(qtbot, clip_dir, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-PLANTED-KEY-0123456789")
    w = new_window(qtbot, 1300, 760)
    w.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)
    yield w
    w.carding.cancel()
    w.player.pause()
    w.close()


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


def test_suggestions_for_the_chapter_are_shown_and_only_the_accepted_stored_as_shown(window, qtbot):
    claude = window.carding.suggester = StandIn(THREE)
    window.seek(4_000)  # in the chapter "Reply" (3.5 s to the end)
    qtbot.waitUntil(lambda: window.reading.position() >= 3_900, timeout=5_000)
    window.make_card("chapter")
    dialog = window.suggestions_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=5_000)
    video_id = window.session.video_id
    assert claude.asked == [(video_id, 3_500, window.player.duration(), 5)] and window.player.duration() >= 7_900
    assert "“Reply”" in dialog.heading.text() and "3 cards" in dialog.heading.text()
    shown = [(i.question.toPlainText(), i.answer.toPlainText(), i.time.text(), i.evidence.text()) for i in items(window)]
    assert shown[0] == ("Why does Ben answer with a third line?", "Because Ada spoke twice.", "▶ 0:03–0:05",
                        "<i>Rests on: “Ben answers with a third line”</i>")
    assert [s[0] for s in shown] == [s.question for s in THREE.kept]
    assert dialog.dropped_button.text().startswith("2 more suggestions were dropped") and not dialog.dropped.isVisible()
    dialog.dropped_button.click()
    assert dialog.dropped.isVisible() and "Carol says hello" in dialog.dropped.text() and "past the end" in dialog.dropped.text()
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
        ("Why does Ben need a third line?", "Ada spoke twice first.", 3500, 5000, ["Ben answers with a third line"], "claude", "active"),
        ("Who speaks first?", "Ada.", 500, 2000, ["First line from Ada"], "claude", "active")])
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_rejecting_everything_stores_nothing_and_an_emptied_question_is_refused(window, qtbot):
    window.carding.suggester = StandIn(THREE)
    window.make_card("video")
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=5_000)
    assert window.carding.suggester.asked[0][1:] == (None, None, 10)  # the whole video
    first = items(window)[0]
    first.question.setPlainText("   ")
    qtbot.mouseClick(first.accept_button, Qt.MouseButton.LeftButton)
    assert first.state == "open" and first.problem.text() == "The question is empty: write one."
    for item in items(window):
        qtbot.mouseClick(item.reject_button, Qt.MouseButton.LeftButton)
    assert not window.suggestions_dialog.accept_all.isEnabled()
    qtbot.mouseClick(items(window)[1].undo_button, Qt.MouseButton.LeftButton)  # changed its mind: open again
    assert items(window)[1].state == "open" and items(window)[1].accept_button.isVisible()
    window.suggestions_dialog.reject()
    assert stored(window) == []


def test_suggestions_for_a_highlight_are_linked_to_it_and_counted(window, qtbot):
    window.carding.suggester = StandIn(THREE)
    select(window.transcript_pane.view, 2, 3)
    window.make_card("highlight")
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=5_000)
    highlight = window.store.highlights(window.session.video_id)[0]
    assert window.carding.suggester.asked[0][1:] == (3500, 7500, 3)
    qtbot.mouseClick(items(window)[0].accept_button, Qt.MouseButton.LeftButton)
    assert [c["highlight_id"] for c in stored(window)] == [highlight["id"]]
    assert window.notes_pane.list.item(0).data(CARDS) == 1


def test_a_suggestion_s_time_plays_the_video_there_and_pauses_on_a_second_click(window, qtbot):
    window.carding.suggester = StandIn(THREE)
    window.make_card("video")
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=5_000)
    second = items(window)[1]
    qtbot.mouseClick(second.time, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.player.is_playing() and window.player.position() >= 5_000, timeout=5_000)
    assert second.time.text().startswith("⏸") and items(window)[0].time.text().startswith("▶")
    qtbot.mouseClick(second.time, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=5_000)
    assert second.time.text().startswith("▶")


def test_without_a_key_the_dialog_offers_preferences_and_tries_again_after(window, qtbot, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    claude = window.carding.suggester = StandIn(THREE)
    window.make_card("video")
    dialog = window.suggestions_dialog
    assert dialog.failure.isVisible() and "API key" in dialog.failure_text.text()
    assert dialog.failure.objectName() == "banner" and dialog.settings_button.isVisible() and not dialog.retry_button.isVisible()
    assert claude.asked == []
    monkeypatch.setattr(window, "show_settings", lambda: monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-NEW-KEY-0123456789"))
    dialog.settings_requested.disconnect()
    dialog.settings_requested.connect(window.show_settings)
    qtbot.mouseClick(dialog.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=5_000)
    assert not dialog.failure.isVisible() and len(claude.asked) == 1


def test_a_failed_request_offers_retry(window, qtbot):
    claude = window.carding.suggester = StandIn(SuggestionProblem("Claude could not be reached: check the network connection."))
    window.make_card("video")
    dialog = window.suggestions_dialog
    qtbot.waitUntil(lambda: dialog.failure.isVisible(), timeout=5_000)
    assert dialog.failure_text.text() == "Claude could not be reached: check the network connection."
    assert dialog.retry_button.isVisible() and not dialog.settings_button.isVisible() and not dialog.waiting.isVisible()
    claude.result = THREE
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(items(window)) == 3, timeout=5_000)
    assert not dialog.failure.isVisible() and stored(window) == []


def test_cancel_stops_waiting_and_what_comes_later_is_dropped(window, qtbot):
    claude = window.carding.suggester = StandIn(THREE, wait=True)
    window.make_card("video")
    dialog = window.suggestions_dialog
    assert dialog.waiting.isVisible() and dialog.progress.maximum() == 0  # a busy bar
    assert claude.waiting.wait(5)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not window.carding.busy()
    qtbot.waitUntil(lambda: window.carding.worker is None, timeout=2_000)
    from reader.ui.worker import pool

    pool().waitForDone(5_000)  # the stand-in saw the cancel and returned its suggestions anyway
    qtbot.wait(50)
    assert items(window) == [] and not dialog.isVisible() and stored(window) == []


def test_no_suggestions_left_after_the_check_says_so(window, qtbot):
    window.carding.suggester = StandIn(Suggestions([], ["“Who is Carol?” rests on words not in the transcript."]))
    window.make_card("video")
    dialog = window.suggestions_dialog
    qtbot.waitUntil(lambda: not dialog.waiting.isVisible(), timeout=5_000)
    assert "all failed the check" in dialog.heading.text() and dialog.dropped_button.text().startswith("1 more suggestion was dropped")
    assert dialog.retry_button.isVisible() and not dialog.scroll.isVisible()
