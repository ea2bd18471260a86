"""ReadingController without a window: opening, the position clock without media, resume, and the sync offset."""

import pytest

from reader.ui.controllers.reading import SAVE_EVERY_MS


def test_opening_a_transcript_makes_an_entry_and_says_so(reading, events, transcript_file, qtbot):
    with qtbot.waitSignal(events.library_changed) as changed, qtbot.waitSignal(reading.session_changed) as opened:
        reading.open_paths(None, transcript_file)
    assert changed.args == [reading]
    session, same_media = opened.args
    assert not same_media and session.video_id is not None and len(session.transcript.cues) == 4
    assert reading.store.count() == 1 and reading.video_id == session.video_id
    assert not reading.has_media() and reading.source_text().startswith("Transcript")


def test_without_media_a_seek_moves_the_clock_and_the_place_is_kept(reading, transcript_file, qtbot):
    reading.open_paths(None, transcript_file)
    video_id = reading.video_id
    with qtbot.waitSignal(reading.position_changed) as moved:
        reading.seek(SAVE_EVERY_MS + 1500)
    assert moved.args == [SAVE_EVERY_MS + 1500] and reading.position() == SAVE_EVERY_MS + 1500
    assert reading.store.video(video_id)["last_position_ms"] == SAVE_EVERY_MS + 1500  # saved: it moved far enough
    reading.seek(SAVE_EVERY_MS + 2000)
    reading.save_position()
    with qtbot.waitSignal(reading.position_changed) as resumed:
        reading.open_video(video_id)
    assert resumed.args == [SAVE_EVERY_MS + 2000]


def test_the_sync_offset_is_remembered_per_video(reading, transcript_file, tmp_path, qtbot):
    reading.open_paths(None, transcript_file)
    first = reading.video_id
    reading.set_offset(700)
    other = tmp_path / "other.en.vtt"
    other.write_text(transcript_file.read_text(encoding="utf-8"), encoding="utf-8")
    with qtbot.waitSignal(reading.offset_changed) as offset:
        reading.open_paths(None, other)
    assert reading.video_id != first and offset.args == [0]
    with qtbot.waitSignal(reading.offset_changed) as offset:
        reading.open_video(first)
    assert offset.args == [700] and reading.offset_ms == 700
    reading.set_offset(0)
    with qtbot.waitSignal(reading.offset_changed) as offset:
        reading.open_video(first)
    assert offset.args == [0]


def test_an_entry_that_is_gone_is_a_message_not_a_crash(reading, qtbot):
    with qtbot.waitSignal(reading.message_changed) as said:
        assert reading.open_video(12345) is False
    assert "no longer in the library" in said.args[0] and reading.session is None


def test_a_file_that_is_neither_media_nor_transcript_is_refused(reading, tmp_path, qtbot):
    junk = tmp_path / "notes.xyz"
    junk.write_text("hello", encoding="utf-8")
    with qtbot.waitSignal(reading.message_changed) as said:
        reading.open_files([junk])
    assert "neither" in said.args[0] and reading.store.count() == 0


def test_removing_the_open_entry_closes_it(reading, events, transcript_file, qtbot):
    reading.open_paths(None, transcript_file)
    with qtbot.waitSignal(events.library_changed):
        reading.remove(reading.video_id)
    assert reading.session is None and reading.store.count() == 0


@pytest.mark.parametrize("documents_exists", [True, False])
def test_file_dialogs_start_in_the_open_file_s_folder_else_the_documents_folder(reading, transcript_file, tmp_path,
                                                                                monkeypatch, documents_exists):
    """Was wrong: a documents folder that does not exist was offered anyway, and the dialog put its name
    ("Documents") in the file-name box; then the home folder is where it starts."""
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    folder = tmp_path / "Documents"
    if documents_exists:
        folder.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(folder))
    expected = str(folder) if documents_exists else str(Path.home())
    assert reading.start_folder() == expected  # nothing open
    reading.open_demo()
    assert reading.start_folder() == expected  # the bundled demo's folder is Reader's own, not the user's
    reading.open_paths(None, transcript_file)
    assert reading.start_folder() == str(transcript_file.resolve().parent)


CHAPTERED = ("## [00:00:00] Opening\n\n[00:00:01] Hello there.\n\n## [00:01:00] Middle\n\n[00:01:01] Middle words.\n\n"
             "## [00:02:00] End\n\n[00:02:01] Final words.\n")


@pytest.mark.parametrize("here, step, expected", [
    (0, 1, 60_000), (30_000, 1, 60_000), (60_000, 1, 120_000), (120_000, 1, None),
    (0, -1, None), (61_000, -1, 0), (65_000, -1, 60_000), (130_000, -1, 120_000), (30_000, -1, 0),
])
def test_previous_and_next_chapter_go_as_youtube_s_keys_do(reading, tmp_path, here, step, expected):
    path = tmp_path / "talk.md"
    path.write_text(CHAPTERED, encoding="utf-8")
    reading.open_paths(None, path)
    assert [c.start_ms for c in reading.session.transcript.chapters] == [0, 60_000, 120_000]
    reading.seek(here)
    assert reading.chapter_target(step) == expected


def test_ctrl_right_in_the_window_goes_to_the_next_chapter(window, tmp_path, qtbot):
    from PySide6.QtCore import Qt

    path = tmp_path / "talk.md"
    path.write_text(CHAPTERED, encoding="utf-8")
    window.reading.open_paths(None, path)
    window.transcript_pane.view.setFocus()
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.position() == 60_000
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.position() == 0


# -- the source line: one wording for the same video, however it was opened and how often (issue 19) ----

def _demo_as_entry(reading):
    reading.open_demo()
    reading.ensure_entry()  # the demo with a note becomes a library entry
    return reading.video_id


OPENINGS = {
    "the demo": lambda reading, f: reading.open_demo(),
    "the demo's entry from the library": lambda reading, f: reading.open_video(_demo_as_entry(reading)),
    "the demo's entry, opened twice": lambda reading, f: [reading.open_video(_demo_as_entry(reading)) for _ in range(2)],
    "the demo's files, opened by name": lambda reading, f: reading.open_paths(f[0], f[1]),
    "the demo's files, without a library": lambda reading, f: (setattr(reading, "store", None), reading.open_paths(*f)),
}


@pytest.mark.parametrize("opening", OPENINGS.values(), ids=OPENINGS.keys())
def test_the_demo_names_its_transcript_the_same_way_however_it_is_opened(reading, opening):
    from reader.base.resources import demo_video

    store = reading.store
    try:
        opening(reading, (demo_video(), demo_video().with_suffix(".vtt")))
        assert reading.source_text() == "Transcript: demo.vtt (webvtt)"
    finally:
        reading.store = store


@pytest.mark.parametrize("source, language, words", [
    ("creator", "en", "Transcript: subtitles by the creator (en)"),
    ("automatic", "de", "Transcript: automatic captions (de)"),
    ("file", "", "Transcript: talk.srt (srt)"),
])
def test_an_entry_names_its_transcript_the_same_way_each_time(reading, source, language, words):
    from reader.library.db.records import VideoRecord
    from reader.transcript.model import Cue, Transcript

    vid = reading.store.add_video(VideoRecord("test", "s", "Talk", transcript_source=source, transcript_language=language,
                                              transcript_path="/somewhere/talk.srt"), Transcript([Cue(0, 900, "Hi.")], format="srt"))
    seen = []
    for _ in range(2):
        reading.open_video(vid)
        seen.append(reading.source_text())
    assert seen == [words, words]
