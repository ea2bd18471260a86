"""LinesController without a window: line starts for the line keys, pausing at each line's end, saving the spoken line."""

import pytest

from reader.ui.controllers.lines import CAPTURE_AGAIN_S, LinesController
from reader.ui.controllers.notes import NotesController
from reader.ui.settings import settings

# CLIP_VTT's lines: 0.5–2.0 s, 2.0–3.5, 3.5–5.0, 5.0–7.5
STARTS = [500, 2000, 3500, 5000]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def lines(reading, streaming, events, transcript_file, clock):
    notes = NotesController(reading, streaming, events)
    reading.session_changed.connect(notes.on_reading_session_changed)
    controller = LinesController(reading, notes, clock=clock)
    reading.open_paths(None, transcript_file)  # no media: a seek moves the position by itself
    return controller


@pytest.mark.parametrize("at, offset, before, this, after", [
    (0, 0, 500, 500, 500),  # before the first line, every key goes to it
    (600, 0, 500, 500, 2000),
    (2000, 0, 500, 2000, 3500),  # on a line's first moment: back is the line before
    (3400, 0, 500, 2000, 3500),
    (4000, 0, 2000, 3500, 5000),
    (7000, 0, 3500, 5000, None),  # on the last line there is no next
    (9000, 0, 3500, 5000, None),  # after it, the last line stays the current one
    (3000, 1000, 1500, 3000, 4500),  # lines shown a second later: their times move with them
])
def test_the_line_keys_go_to_line_starts(lines, at, offset, before, this, after):
    lines.reading.offset_ms = offset
    lines.reading.seek(at)
    assert (lines.line_start(-1), lines.line_start(0), lines.line_start(1)) == (before, this, after)


def test_without_a_transcript_the_line_keys_do_nothing(reading, streaming, events, clock):
    controller = LinesController(reading, NotesController(reading, streaming, events), clock=clock)
    assert controller.line_start(1) is None and controller.capture() is None


class Playing:
    """Stands in for the player's state: playing until paused."""

    def __init__(self):
        self.playing = True
        self.pauses = 0

    def is_playing(self):
        return self.playing

    def pause(self):
        self.playing = False
        self.pauses += 1


@pytest.fixture
def playing(lines, monkeypatch):
    state = Playing()
    monkeypatch.setattr(lines.reading.player, "is_playing", state.is_playing)
    monkeypatch.setattr(lines.reading.player, "pause", state.pause)
    return state


def play(lines, start, stop, step=40):
    """Reports of the position as playback gives them, every `step` ms."""
    for ms in range(start, stop + 1, step):
        lines.reading.on_player_position_changed(ms)


def test_pausing_at_the_end_of_each_line(lines, playing):
    lines.set_pause_each_line(True)
    play(lines, 500, 1960)
    assert playing.pauses == 0  # the first line is still being said
    play(lines, 2000, 2000)
    assert playing.pauses == 1 and not playing.playing  # its end passed: paused there
    playing.playing = True  # play again: it goes on, and stops at the next line's end
    play(lines, 2040, 3480)
    assert playing.pauses == 1
    play(lines, 3520, 3520)
    assert playing.pauses == 2


def test_a_seek_is_not_the_end_of_a_line(lines, playing):
    lines.set_pause_each_line(True)
    play(lines, 1800, 1880)
    lines.reading.seek(STARTS[1])  # the next line key: across the first line's end, but not by playing
    lines.reading.seek(STARTS[3])
    assert playing.pauses == 0
    lines.set_pause_each_line(False)
    play(lines, 5000, 7600)
    assert playing.pauses == 0  # the mode off: nothing pauses


def test_pausing_at_line_ends_is_remembered(lines, reading, streaming, events, clock):
    assert settings().get("playback/pause_each_line") is False
    seen = []
    lines.pause_each_line_changed.connect(seen.append)
    lines.set_pause_each_line(True)
    assert seen == [True] and settings().get("playback/pause_each_line") is True
    again = LinesController(reading, NotesController(reading, streaming, events), clock=clock)
    assert again.pause_each_line is True


def _saved(lines):
    return [(r["start_cue"], r["end_cue"], r["text"], r["color"]) for r in lines.notes.store.highlights(lines.reading.video_id)]


def test_s_saves_the_spoken_line_and_again_grows_it_back_over_the_lines_before(lines, clock, events, qtbot):
    lines.reading.seek(5200)
    with qtbot.waitSignal(events.highlights_changed) as changed:
        first = lines.capture()
    assert changed.args[1] == first  # announced like any highlight, so the notes pane and the transcript show it
    assert _saved(lines) == [(3, 3, "And the fourth line closes the clip.", "yellow")]
    clock.now += CAPTURE_AGAIN_S - 0.5
    grown = lines.capture()
    assert _saved(lines) == [(2, 3, "Ben answers with a third line. And the fourth line closes the clip.", "yellow")]
    clock.now += 1
    lines.capture()
    clock.now += 1
    lines.capture()
    clock.now += 1
    lines.capture()  # no line before the first: it stays as it is
    assert [(a, b) for a, b, _t, _c in _saved(lines)] == [(0, 3)]
    assert grown is not None and not lines.notes.undo_stack  # growing is not a deletion to undo


def test_after_a_pause_s_saves_a_new_line(lines, clock):
    lines.reading.seek(2100)
    lines.capture()
    clock.now += CAPTURE_AGAIN_S + 0.1
    lines.reading.seek(5100)
    lines.capture()
    assert [(a, b) for a, b, _t, _c in _saved(lines)] == [(1, 1), (3, 3)]


def test_growing_keeps_the_reader_s_own_highlight_and_one_with_a_note(lines, clock):
    lines.reading.seek(3600)
    own, _new = lines.notes.add({"start_cue": 2, "start_offset": 0, "end_cue": 2, "end_offset": len("Ben answers with a third line."),
                                 "start_ms": 3500, "end_ms": 5000, "text": "Ben answers with a third line."}, "blue")
    assert lines.capture() == own  # the line was highlighted already: S finds it
    clock.now += 1
    lines.capture()
    assert [(a, b, c) for a, b, _t, c in _saved(lines)] == [(1, 2, "yellow"), (2, 2, "blue")]  # grown beside it, not over it
    lines.reading.seek(500)
    clock.now += 10
    noted = lines.capture()
    lines.notes.edit_note(noted, "keep me")
    clock.now += 1
    lines.reading.seek(700)
    lines.capture()
    assert lines.notes.store.highlight(noted)["note"] == "keep me"


def test_a_deleted_capture_is_not_grown_and_undo_brings_it_back(lines, clock):
    lines.reading.seek(3600)
    saved = lines.capture()
    lines.notes.delete(saved)
    clock.now += 1
    lines.capture()  # the capture is gone: this saves the line afresh
    assert [(a, b) for a, b, _t, _c in _saved(lines)] == [(2, 2)]
    lines.notes.delete(lines.notes.store.highlights(lines.reading.video_id)[0]["id"])
    lines.notes.undo()
    assert [(a, b) for a, b, _t, _c in _saved(lines)] == [(2, 2)]
