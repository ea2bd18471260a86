"""The reviewing controllers without the window: a round (previews, ratings, what goes wrong), checkpoints at
chapter ends with real playback, and the setting that turns them on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from reader.cards import making as cards, scheduling
from reader.library.db.store import Store
from reader.ui.controllers.checkpoints import CheckpointController
from reader.ui.controllers.reviewing import ReviewingController
from reader.ui.settings import settings

from conftest import add_video, new_window

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def round_(qapp):
    vid = add_video()
    store = Store()
    ids = [cards.make_card(store, vid, f"Question {n}", f"Answer {n}", n * 10_000, n * 10_000 + 5_000, now=NOW) for n in range(2)]
    controller = ReviewingController(lambda: store)
    controller.clock = lambda: NOW
    controller.fuzz = False
    shown, backs, done, problems = [], [], [], []
    controller.card_shown.connect(shown.append)
    controller.revealed.connect(backs.append)
    controller.finished.connect(done.append)
    controller.problem.connect(problems.append)
    yield controller, store, ids, shown, backs, done, problems
    store.close()


def test_the_previews_are_fsrs_on_a_copy_of_the_card(round_):
    controller, store, ids, shown, backs, _done, _problems = round_
    assert controller.start_due() == 2
    before = store.card(ids[0])["fsrs"]
    controller.reveal()
    expected = {n: cards.when(scheduling.rate(before, n, NOW, 0.9, False).due, NOW) for n in range(1, 5)}
    assert backs[0].previews == expected
    assert expected[1] == "in 1 minute" and expected[3] == "in 10 minutes"
    assert store.card(ids[0])["fsrs"] == before and store.reviews(ids[0]) == []  # looking changes nothing


def test_a_rating_needs_the_answer_revealed_first(round_):
    controller, store, ids, shown, _backs, _done, _problems = round_
    controller.start_due()
    controller.rate(4)
    assert store.reviews(ids[0]) == [] and len(shown) == 1
    controller.reveal()
    controller.rate(4)
    assert [r["rating"] for r in store.reviews(ids[0])] == [4] and shown[-1].card_id == ids[1]


def test_a_card_deleted_during_the_round_is_said_and_skipped(round_):
    controller, store, ids, _shown, _backs, done, problems = round_
    controller.start_due()
    controller.reveal()
    store.delete_card(ids[0])
    controller.rate(3)
    assert problems and problems[0].startswith("This review could not be saved: There is no card")
    controller.reveal()
    controller.rate(3)
    assert done[0].reviewed == 1 and done[0].ratings == {3: 1}


def test_a_checkpoint_round_asks_one_card_due_or_not(round_):
    controller, store, ids, shown, _backs, done, _problems = round_
    later = cards.make_card(store, store.videos()[0]["id"], "Not due", "x", 20_000, 25_000, now=NOW + timedelta(days=3))
    assert controller.start_card(later) == 1 and shown[-1].question == "Not due"
    controller.reveal()
    controller.rate(3)
    assert done[-1].reviewed == 1 and len(store.reviews(later)) == 1


@pytest.fixture
def watching(reading, clip_dir):
    """The clip open for reading (chapters Opening 0-3.5 s and Reply 3.5-8 s), a card in each chapter, and
    checkpoints on it (turned on and off through `on`)."""
    reading.open_paths(clip_dir / "talk.mp4")
    vid = reading.video_id
    ids = [cards.make_card(reading.store, vid, "Who speaks first?", "Ada", 500, 2_000, now=NOW),
           cards.make_card(reading.store, vid, "What does Ben do?", "He answers", 3_500, 5_000, now=NOW)]
    on = [False]
    checkpoints = CheckpointController(reading, enabled=lambda: on[0])
    reading.position_changed.connect(checkpoints.on_position_changed)
    reading.session_changed.connect(checkpoints.on_reading_session_changed)
    reading.player.ended.connect(checkpoints.on_player_ended)
    asked = []
    checkpoints.reached.connect(asked.append)
    return reading, checkpoints, ids, on, asked


def play_from(qtbot, player, ms: int, until_ms: int) -> None:
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=10_000)
    player.seek(ms)
    player.play()
    qtbot.waitUntil(lambda: player.position() >= until_ms or not player.is_playing(), timeout=15_000)


def test_a_checkpoint_asks_at_a_chapter_end_only_with_the_setting_on(watching, qtbot):
    reading, checkpoints, ids, on, asked = watching
    player = reading.player
    assert checkpoints.chapters()[0] == (0, 3_500)
    play_from(qtbot, player, 2_800, 4_000)  # off: playing across the chapter's end asks nothing
    player.pause()
    assert asked == []
    on[0] = True
    play_from(qtbot, player, 1_000, 1_400)
    player.seek(4_500)  # a seek across the end is not playback crossing it
    qtbot.waitUntil(lambda: player.position() >= 4_700, timeout=10_000)
    player.pause()
    assert asked == []
    with qtbot.waitSignal(checkpoints.reached, timeout=15_000) as signal:
        player.seek(2_800)
        player.play()
    assert signal.args == [ids[0]]
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=5_000)
    assert 3_400 <= player.position() < 4_200  # paused at the chapter’s end (as the backend has it), not later
    play_from(qtbot, player, 2_800, 4_000)  # each chapter asks once per opening
    assert asked == [ids[0]]
    with qtbot.waitSignal(checkpoints.reached, timeout=15_000) as signal:
        player.play()  # the last chapter ends with the media
    assert signal.args == [ids[1]]


def test_a_chapter_without_cards_asks_nothing(watching, qtbot):
    reading, checkpoints, ids, on, asked = watching
    on[0] = True
    for card_id in ids:
        cards.edit_card(reading.store, card_id, status="suspended")
    play_from(qtbot, reading.player, 2_800, 4_000)
    reading.player.pause()
    assert asked == []


def test_checkpoints_are_off_by_default_and_a_preference(qtbot):
    from reader.ui.widgets.settings_dialog import SettingsDialog

    assert settings().get("review/checkpoints") is False
    dialog = SettingsDialog(settings())
    qtbot.addWidget(dialog)
    assert not dialog.checkpoints.isChecked()
    dialog.checkpoints.setChecked(True)
    dialog._save()
    assert settings().get("review/checkpoints") is True


def test_the_window_pauses_asks_in_a_dialog_and_goes_on(qtbot, clip_dir):
    settings().set("review/checkpoints", True)
    w = new_window(qtbot)
    w.reading.open_paths(clip_dir / "talk.mp4")
    card_id = cards.make_card(w.store, w.reading.video_id, "Who speaks first?", "Ada", 500, 2_000, now=NOW)
    w.checkpoint_round.clock = lambda: NOW
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=10_000)
    w.seek(2_800)
    w.player.play()
    qtbot.waitUntil(lambda: w.review_session.checkpoint_dialog is not None and w.review_session.checkpoint_dialog.isVisible(),
                    timeout=15_000)
    dialog = w.review_session.checkpoint_dialog
    assert not w.player.is_playing()
    assert dialog.card.question.text() == "Who speaks first?" and dialog.card.stage == "front"
    qtbot.keyClicks(dialog.card.typed, "Ada")
    dialog.card.setFocus()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=10_000)  # its keys are the dialog's shortcuts: they need it active
    qtbot.keyClick(dialog.card, Qt.Key.Key_Space)
    assert dialog.card.stage == "back" and dialog.card.answer.text() == "Ada"
    qtbot.keyClick(dialog.card, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    assert [(r["rating"], r["typed_answer"]) for r in w.store.reviews(card_id)] == [(3, "Ada")]
    qtbot.waitUntil(w.player.is_playing, timeout=5_000)  # and the video goes on
    w.player.pause()
    w.close()


def _remove_in_another_process(video_id: int) -> None:
    import multiprocessing

    from reader.library import importing as library

    def remove():
        other = Store()
        library.remove(other, video_id)
        other.close()

    child = multiprocessing.get_context("fork").Process(target=remove)
    child.start()
    child.join(60)
    assert child.exitcode == 0


@pytest.mark.parametrize("when", ["before reveal", "after reveal"])
def test_a_video_removed_in_another_process_while_its_cards_are_in_the_round(qapp, when):
    """The round goes on: the card on show says it is gone and its rating is not saved (never a review of nothing),
    the video's other cards are left out with one sentence, and the other video's card is rated as usual."""
    first, second = add_video(site_id="first"), add_video(title="Another talk", site_id="second")
    store = Store()
    ids = [cards.make_card(store, vid, f"Question {n}", "Answer", n * 10_000, n * 10_000 + 5_000, now=NOW)
           for vid, n in ((first, 0), (first, 1), (second, 0))]
    controller = ReviewingController(lambda: store)
    controller.clock, controller.fuzz = (lambda: NOW), False
    shown, backs, done, problems = [], [], [], []
    for signal, into in ((controller.card_shown, shown), (controller.revealed, backs), (controller.finished, done),
                         (controller.problem, problems)):
        signal.connect(into.append)
    assert controller.start_due() == 3 and shown[0].card_id == ids[0]
    if when == "after reveal":
        controller.reveal()
    _remove_in_another_process(first)
    if when == "before reveal":
        controller.reveal()
        assert backs[0].media is None and backs[0].no_media.startswith("This card was deleted in another window")
    controller.rate(3)
    assert problems[0].startswith("This review could not be saved: There is no card")
    assert problems[1] == "1 card was deleted in another window (or its video removed) and is left out of this round."
    assert shown[-1].card_id == ids[2]
    controller.reveal()
    controller.rate(3)
    assert done and done[0].reviewed == 1
    assert store.db.execute("select card_id from reviews").fetchall() == [(ids[2],)]
    store.close()
