"""NotesController without a window: highlights read once per change, colours, notes, delete and undo."""

import pytest

from conftest import span
from reader.ui.controllers.notes import NotesController


@pytest.fixture
def notes(reading, streaming, events, transcript_file):
    controller = NotesController(reading, streaming, events)
    reading.session_changed.connect(controller.on_reading_session_changed)
    reading.open_paths(None, transcript_file)
    return controller


def test_a_new_highlight_is_announced_once_and_an_identical_one_reused(notes, events, qtbot):
    shown = []
    notes.highlights_changed.connect(lambda rows, select: shown.append((len(rows), select)))
    with qtbot.waitSignal(events.highlights_changed) as changed:
        highlight_id, new = notes.add(span(1), "pink")
    assert new and changed.args == [notes.reading.video_id, highlight_id, notes]
    assert shown == [(1, highlight_id)] and notes.rows[0]["color"] == "pink"
    assert notes.add(span(1)) == (highlight_id, False) and len(shown) == 1
    assert notes.highlight_at(notes.rows[0]["start_ms"])["id"] == highlight_id


def test_colour_and_note_changes(notes, qtbot):
    highlight_id, _ = notes.add(span(2))
    with qtbot.waitSignal(notes.highlights_changed) as shown:
        notes.set_color(highlight_id, "green")
    assert shown.args[0][0]["color"] == "green" and shown.args[1] == highlight_id
    with qtbot.waitSignal(notes.row_changed) as row:
        notes.edit_note(highlight_id, "remember this")
    assert row.args == [highlight_id, {"note": "remember this"}]
    assert notes.store.highlights(notes.reading.video_id)[0]["note"] == "remember this"


def test_delete_offers_undo_and_undo_brings_it_back(notes, qtbot):
    highlight_id, _ = notes.add(span(0))
    with qtbot.waitSignal(notes.undo_offered), qtbot.waitSignal(notes.highlights_changed) as shown:
        notes.delete(highlight_id)
    assert shown.args[0] == [] and notes.rows == []
    with qtbot.waitSignal(notes.undo_taken), qtbot.waitSignal(notes.highlights_changed) as shown:
        notes.undo()
    assert [r["id"] for r in shown.args[0]] == [highlight_id] and shown.args[1] == highlight_id
    notes.undo()  # nothing left to undo: nothing happens


def test_opening_another_video_clears_the_selection(notes, qtbot, tmp_path, transcript_file):
    highlight_id, _ = notes.add(span(0))
    notes.select(highlight_id)
    assert notes.highlight_id == highlight_id and notes.conversation_id is None
    other = tmp_path / "b.en.vtt"
    other.write_text(transcript_file.read_text(encoding="utf-8"), encoding="utf-8")
    notes.reading.open_paths(None, other)
    assert notes.highlight_id is None and notes.rows == []
