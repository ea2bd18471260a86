"""The review session in the window, driven with the keyboard: the question, an answer typed, Space or Ctrl+Enter to
reveal, 1-4 to rate, the next card, the summary; keys that never reach the player; the due count; the clip."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from reader.cards import making as cards, scheduling
from reader.cli import main as cli
from reader.library.db.store import Store
from reader.ui.shortcuts import SHORTCUTS

from conftest import add_video, new_window

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
CTRL = Qt.KeyboardModifier.ControlModifier


def make_cards() -> list[int]:
    """Two videos without media, a card on each (the second made later, so due later), and one card not yet due."""
    first = add_video("First talk", site_id="one")
    second = add_video("Second talk", ("Ben answers.", "Ada replies.", "They part."), site_id="two")
    store = Store()
    try:
        highlight = store.add_highlight(first, 0, 0, 0, 4, 0, 10_000, "Ada opens the talk.", note="Ada goes first")
        ids = [cards.card_from_highlight(store, highlight, "Who opens the talk?", "Ada", now=NOW - timedelta(hours=2)),
               cards.make_card(store, second, "Who answers first?", "Ben", 0, 10_000, now=NOW - timedelta(hours=1))]
        cards.make_card(store, second, "Not yet", "Later", 10_000, 20_000, now=NOW + timedelta(days=1))
        return ids
    finally:
        store.close()


@pytest.fixture
def win(qtbot):
    ids = make_cards()
    w = active_window(qtbot)
    w.reviewing.clock = w.due.clock = w.checkpoint_round.clock = lambda: NOW
    w.reviewing.fuzz = w.checkpoint_round.fuzz = False
    w.due.refresh()
    yield w, ids
    w.player.pause()
    w.close()


def active_window(qtbot, **size):
    """A new window that has the keyboard: shortcuts only reach the active window."""
    from PySide6.QtWidgets import QApplication

    w = new_window(qtbot, **size)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5_000)
    return w


def enabled_keys(window) -> Counter:
    return Counter(k.toString() for a in window.actions_by_name.values() if a.isEnabled() for k in a.shortcuts())


def test_a_session_driven_with_the_keyboard_end_to_end(win, qtbot):
    w, (first, second) = win
    store = w.store
    expected = {first: scheduling.rate(store.card(first)["fsrs"], 3, NOW, 0.9, False).due,
                second: scheduling.rate(store.card(second)["fsrs"], 1, NOW, 0.9, False).due}
    assert w.actions_by_name["review_cards"].text() == "Review &Cards (2 due)…"
    qtbot.keyClick(w, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    page, card = w.review_session, w.review_session.card
    assert w.pages.currentWidget() is page
    # the front: the question, the video and the time, nothing of the answer
    assert card.question.text() == "Who opens the talk?"
    assert card.meta.text() == "First talk · 0:00"
    assert page.progress.text() == "Card 1 of 2 · video 1 of 2"
    assert card.back.isHidden() and card.show_button.isVisible() and not any(b.isVisible() for b in card.rating_buttons.values())
    assert card.typed.hasFocus()
    # typing: Space and digits go into the box, not to reveal or rate
    qtbot.keyClicks(card.typed, "Ada 1 opens")
    assert card.typed.toPlainText() == "Ada 1 opens" and card.stage == "front"
    qtbot.keyClick(card.typed, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter reveals from the box
    assert card.stage == "back" and card.back.isVisible()
    assert card.answer.text() == "Ada"
    assert card.passage.text() == "“Ada opens the talk.”"
    assert card.note.text() == "Ada goes first" and card.note.isVisible()
    assert card.no_media.isVisible() and "no clip" in card.no_media.text() and card.play_button.isHidden()
    labels = [b.text() for b in card.rating_buttons.values()]
    assert labels[0] == "Again  (1)\nin 1 minute" and labels[2].startswith("Good  (3)\nin ")
    assert labels[2].split("\n")[1] == cards.when(expected[first], NOW)
    assert card.typed.isReadOnly() and not card.typed.hasFocus()
    qtbot.keyClick(card, Qt.Key.Key_3)
    # the next card, of the other video; Space reveals it (the focus is not in the box), 1 rates it
    assert card.question.text() == "Who answers first?" and card.stage == "front"
    assert page.progress.text() == "Card 2 of 2 · video 2 of 2"
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Space)
    assert card.stage == "back" and card.answer.text() == "Ben" and card.note.isHidden()
    qtbot.keyClick(card, Qt.Key.Key_1)
    # the summary
    assert page.stack.currentWidget() is page.done
    assert page.done_heading.text() == "2 cards reviewed"
    assert "1 again, 1 good" in page.done_text.text()
    assert "due again now" not in page.done_text.text()  # Again brings it back in a minute, not now
    assert f"The next card is due {cards.when(expected[second], NOW)}." in page.done_text.text()
    reviews = {cid: store.reviews(cid) for cid in (first, second)}
    assert [(r["rating"], r["typed_answer"], r["reviewed_at"], r["due_after"]) for r in reviews[first]] == \
        [(3, "Ada 1 opens", scheduling.iso(NOW), expected[first])]
    assert [(r["rating"], r["typed_answer"]) for r in reviews[second]] == [(1, "")]
    assert store.card(first)["due"] == expected[first]
    assert w.actions_by_name["review_cards"].text() == "Review &Cards…"
    assert w.library_page.due_button.isHidden()
    # a key pressed on the summary does nothing
    qtbot.keyClick(page, Qt.Key.Key_2)
    assert len(store.reviews(second)) == 1


def test_nothing_due_and_no_cards_say_so(qtbot):
    w = new_window(qtbot)
    w.show_review_cards()
    assert w.review_session.done_heading.text() == "No cards yet"
    assert w.review_session.more_button.isHidden()
    w.close()


def test_space_never_reaches_the_player_while_the_session_shows(win, qtbot, qtlog, clip_dir):
    w, (first, _second) = win
    w.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)

    class Ambiguous(list):  # Qt's own word when two enabled actions want one key (neither then fires)
        def __bool__(self):
            return any("Ambiguous" in r.message for r in qtlog.records)

    ambiguous = Ambiguous()
    qtbot.keyClick(w, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    card = w.review_session.card
    card.setFocus()
    for key in (Qt.Key.Key_K, Qt.Key.Key_J, Qt.Key.Key_L, Qt.Key.Key_M, Qt.Key.Key_H, Qt.Key.Key_Space):
        qtbot.keyClick(card, key)
    assert card.stage == "back"  # Space revealed
    assert not w.player.is_playing() and w.player.position() == 0 and not w.player.is_muted()
    assert not ambiguous and not w.banner.isVisible()
    qtbot.keyClick(card, Qt.Key.Key_Space)  # on the back, Space does nothing
    assert not w.player.is_playing() and not ambiguous
    # back to the video: Space plays again; the reviewing keys are off
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert w.pages.currentWidget() is w.splitter
    qtbot.keyClick(w.transcript_pane.view, Qt.Key.Key_Space)
    qtbot.waitUntil(w.player.is_playing, timeout=5_000)
    w.player.pause()
    qtbot.keyClick(w.transcript_pane.view, Qt.Key.Key_3)
    assert w.store.reviews(first) == [] and not ambiguous


def test_no_two_enabled_actions_share_a_key_at_any_stage(win, qtbot, clip_dir):
    w, _ids = win
    w.reading.open_paths(clip_dir / "talk.mp4")
    card = w.review_session.card

    def stage_keys():
        counts = enabled_keys(w)
        assert not [k for k, n in counts.items() if n > 1]
        return set(counts)

    on_video = stage_keys()
    assert {"Space", "K", "H"} <= on_video and not {"1", "Ctrl+Return"} & on_video
    w.show_review_cards()
    front = stage_keys()
    assert {"Space", "Ctrl+Return"} <= front and not {"K", "J", "H", "1", "Left"} & front
    card.request_reveal()
    back = stage_keys()
    assert {"1", "2", "3", "4", "Ctrl+Return"} <= back and "Space" not in back
    for _ in range(2):
        card.request_reveal()
        card.request_rate(4)
    assert w.review_session.stack.currentWidget() is w.review_session.done
    assert not {"Space", "1", "K", "Ctrl+Return"} & stage_keys()
    w.back_to_video()
    assert stage_keys() == on_video


def test_every_reviewing_key_is_in_the_table_and_on_its_button(win):
    w, _ids = win
    card = w.review_session.card
    w.show_review_cards()
    assert "(Space)" in card.show_button.text()
    card.request_reveal()
    assert f"({SHORTCUTS['check_answer'].keys[0]})" in card.check_button.text()
    for number, button in card.rating_buttons.items():
        name = ("rate_again", "rate_hard", "rate_good", "rate_easy")[number - 1]
        assert f"({SHORTCUTS[name].keys[0]})" in button.text()


def test_the_due_count_follows_reviews_restores_and_the_clock(win, qtbot):
    w, (first, second) = win
    assert w.library_page.due_button.text() == "2 cards due"
    w.show_library()
    assert w.library_page.due_button.isVisible()
    qtbot.mouseClick(w.library_page.due_button, Qt.MouseButton.LeftButton)
    assert w.pages.currentWidget() is w.review_session
    w.review_session.card.request_reveal()
    w.review_session.card.request_rate(4)
    assert w.actions_by_name["review_cards"].text() == "Review &Cards (1 due)…"
    # a card added elsewhere (another Reader, a restore) shows after the library changes, or on the timer
    other = Store()
    cards.make_card(other, other.videos()[0]["id"], "Added elsewhere", "", 0, 5_000, now=NOW - timedelta(minutes=5))
    other.close()
    w.events.library_changed.emit(None)
    assert w.library_page.due_button.text() == "2 cards due"
    w.due.clock = lambda: NOW + timedelta(days=400)  # everything has fallen due by then
    w.due._timer.timeout.emit()
    assert w.actions_by_name["review_cards"].text() == "Review &Cards (4 due)…"


def test_the_clip_plays_the_passage_stretch_in_its_own_player(qtbot, clip_dir):
    assert cli.main(["import", str(clip_dir / "talk.mp4")]) == 0
    store = Store()
    vid = store.videos()[0]["id"]
    card_id = cards.make_card(store, vid, "What does Ben do?", "He answers", 3_500, 5_000, now=NOW)
    store.close()
    w = new_window(qtbot)
    w.reviewing.clock = lambda: NOW
    w.show_review_cards()
    card = w.review_session.card
    assert card.question.text() == "What does Ben do?"
    card.request_reveal()
    assert card.play_button.isVisible() and card.no_media.isHidden()
    # at once, the picture at the card's start, paused
    qtbot.waitUntil(lambda: card.clip_stack.currentWidget() is card.clip_video and not card.clip_video.image().isNull(),
                    timeout=10_000)
    assert card.player.position() == 3_500 and not card.player.is_playing()
    seen = []
    card.player.position_changed.connect(lambda ms: seen.append((ms, card.player.is_playing())))
    qtbot.mouseClick(card.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(card.player.is_playing, timeout=10_000)
    qtbot.waitUntil(lambda: not card.player.is_playing(), timeout=10_000)
    played = [ms for ms, playing in seen if playing]
    assert played and min(played) >= 3_500 - 50  # from the card's start…
    assert card.player.position() >= 5_000  # …to its end, where it stopped
    assert card.player.position() < 7_000 and card.play_button.text() == "▶ Play clip"
    assert card.clip_stack.currentWidget() is card.clip_video
    assert not w.player.is_playing() and w.player.source is None  # the reading session's player was left alone
    assert w.store.reviews(card_id) == []
    w.close()


def test_an_audio_only_card_plays_its_sound(qtbot, tmp_path):
    from media import CLIP_VTT, make_clip

    make_clip(tmp_path / "talk.m4a", video=False)
    (tmp_path / "talk.en.vtt").write_text(CLIP_VTT, encoding="utf-8")
    assert cli.main(["import", str(tmp_path / "talk.m4a")]) == 0
    store = Store()
    cards.make_card(store, store.videos()[0]["id"], "Who speaks first?", "Ada", 500, 2_000, now=NOW)
    store.close()
    w = new_window(qtbot)
    w.reviewing.clock = lambda: NOW
    w.show_review_cards()
    card = w.review_session.card
    card.request_reveal()
    card.play_passage()
    qtbot.waitUntil(lambda: "Audio only" in card.clip_card.text() and card.player.is_playing(), timeout=10_000)
    assert card.clip_stack.currentWidget() is card.clip_card
    qtbot.waitUntil(lambda: not card.player.is_playing(), timeout=10_000)
    assert card.player.position() >= 2_000
    w.close()


@pytest.fixture
def clip_card(qtbot, clip_dir):
    """A window over the imported clip, with a card on Ada's two lines (0:00.5-0:03.5), revealed with an answer typed."""
    assert cli.main(["import", str(clip_dir / "talk.mp4")]) == 0
    store = Store()
    card_id = cards.make_card(store, store.videos()[0]["id"], "Who leads, and why?", "Ada: she speaks twice first.",
                              500, 3_500, now=NOW)
    store.close()
    w = active_window(qtbot)
    w.reviewing.clock = lambda: NOW
    w.reviewing.fuzz = False
    w.show_review_cards()
    card = w.review_session.card
    qtbot.keyClicks(card.typed, "Ada leads because she opens")
    qtbot.keyClick(card.typed, Qt.Key.Key_Return, CTRL)
    assert card.stage == "back"
    yield w, card, card_id
    w.close()


FEEDBACK = [("cited", "**Mostly right.** Ada opens", (0, 1)), ("cited", " and Ben only answers later", (1, 2)),
            ".\n\nMissing: that she keeps the floor for a second line.\n\nSuggested rating: good"]


def test_check_my_answer_streams_cited_feedback_and_keeps_it_with_the_review(clip_card, claude, qtbot):
    from fake_anthropic import Reply

    w, card, card_id = clip_card
    claude.replies = [Reply(FEEDBACK)]
    qtbot.keyClick(card, Qt.Key.Key_Return, CTRL)  # once the answer shows, Ctrl+Enter checks it
    assert w.reviewing.checker.busy() and card.check_status.text() == "Claude is reading your answer…"
    # (the first request of a run loads the Claude SDK, which takes a while on a busy machine)
    qtbot.waitUntil(lambda: not w.reviewing.checker.busy() and card.feedback.isVisible(), timeout=60_000)
    sent = claude.requests[-1]["messages"][0]["content"]
    assert sent[0]["type"] == "document" and "Ada leads because she opens" in sent[-1]["text"]
    shown = card.feedback.text()
    assert "Mostly right." in shown and "keeps the floor" in shown
    assert 'href="cite:1"' in shown and 'href="cite:2"' in shown and "[0:00]" in shown
    assert "Suggested rating" not in shown  # the buttons say it
    assert card.rating_buttons[3].property("suggested") is True and not card.rating_buttons[2].property("suggested")
    assert card.check_status.text().startswith("Claude suggests Good")
    assert card.problem.isHidden()
    # a citation plays its moment in the clip player
    moment = card.citations[1]
    card.feedback.linkActivated.emit("cite:2")
    qtbot.waitUntil(card.player.is_playing, timeout=10_000)
    qtbot.waitUntil(lambda: not card.player.is_playing(), timeout=15_000)
    assert card.player.position() >= moment["end_ms"] or card.player.position() >= card.player.duration() - 100
    # the learner's rating schedules (Hard, though Claude suggested Good); the feedback goes with the review
    qtbot.keyClick(card, Qt.Key.Key_2)
    review = w.store.reviews(card_id)[0]
    assert review["rating"] == 2 and review["typed_answer"] == "Ada leads because she opens"
    assert "Mostly right." in review["feedback"] and len(review["citations"]) == 2


def test_without_a_key_the_check_says_what_is_missing_and_rating_works(clip_card, qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from reader.ui.widgets.settings_dialog import SettingsDialog

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setattr("reader.asking.keys.get_key", lambda: None)
    monkeypatch.setattr("reader.ui.controllers.checking.get_key", lambda: None)
    w, card, card_id = clip_card
    card.check_button.click()
    assert card.problem.isVisible() and "needs a Claude API key" in card.problem.text()
    assert card.problem_action.text() == "Open Preferences" and card.feedback.isHidden()
    opened = []

    def close_preferences():
        dialog = QApplication.activeModalWidget()
        opened.append(type(dialog))
        dialog.reject()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, close_preferences)
    card.problem_action.click()
    assert opened == [SettingsDialog]
    w.activateWindow()  # offscreen Qt has no window manager to hand the keyboard back once the dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5_000)
    qtbot.keyClick(card, Qt.Key.Key_3)
    review = w.store.reviews(card_id)[0]
    assert review["rating"] == 3 and review["feedback"] == ""


def test_without_a_network_the_check_offers_retry(clip_card, claude, qtbot, monkeypatch):
    from fake_anthropic import Reply

    w, card, card_id = clip_card
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    card.request_check()
    qtbot.waitUntil(lambda: card.problem.isVisible(), timeout=60_000)
    assert card.problem_action.text() == "Retry" and not w.reviewing.checker.busy()
    monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.url)
    claude.replies = [Reply(FEEDBACK)]
    card.problem_action.click()
    qtbot.waitUntil(lambda: not w.reviewing.checker.busy() and "Mostly right." in card.feedback.text(), timeout=60_000)
    assert card.problem.isHidden()
    card.request_rate(4)
    assert "Mostly right." in w.store.reviews(card_id)[0]["feedback"]


def test_a_review_that_cannot_be_saved_is_said_in_the_banner(win, qtbot):
    w, (first, second) = win
    w.show_review_cards()
    card = w.review_session.card
    card.request_reveal()
    w.store.delete_card(first)  # gone meanwhile (another Reader, say)
    qtbot.keyClick(card, Qt.Key.Key_3)
    assert w.banner.isVisible() and w.banner.text().startswith("This review could not be saved")
    assert card.question.text() == "Who answers first?"  # and the session goes on


@pytest.mark.parametrize("count, button, item", [
    (1, "1 card due", "Review &Cards (1 due)…"),
    (2000, "2,000 cards due", "Review &Cards (2,000 due)…"),
    (0, "0 cards due", "Review &Cards…"),
])
def test_the_due_count_reads_as_a_number_of_cards(win, count, button, item):
    from reader.ui.menus import show_due_count

    w, _ = win
    show_due_count(w, count)
    assert w.actions_by_name["review_cards"].text() == item
    assert w.library_page.due_button.isVisibleTo(w.library_page) == (count > 0)
    if count:
        assert w.library_page.due_button.text() == button
