"""Captions on the video: the line at the position (after the sync offset), toggled with C and remembered,
drawn over the picture's bottom and wrapped, never clipped."""

import pytest
from PySide6.QtCore import QRectF, Qt

from conftest import new_window
from reader.ui.controllers.captions import HOLD_MS, CaptionsController
from reader.ui.settings import settings

FIRST, SECOND, LAST = "First line from Ada.", "Second line, still Ada.", "And the fourth line closes the clip."


@pytest.fixture
def captions(reading, transcript_file):
    reading.open_paths(None, transcript_file)  # lines at 0.5-2.0, 2.0-3.5, 3.5-5.0, 5.0-7.5 s
    controller = CaptionsController(reading)
    controller.on_reading_session_changed(reading.session, False)
    return controller


def test_the_caption_is_the_line_at_the_position(captions, reading):
    assert [captions.text_at(ms) for ms in (0, 499, 500, 1_999, 2_000, 5_200)] == ["", "", FIRST, FIRST, SECOND, LAST]
    assert captions.text_at(7_500 + HOLD_MS - 1) == LAST  # a moment's pause keeps the line up
    assert captions.text_at(7_500 + HOLD_MS) == ""  # a long one clears it
    seen = []
    captions.text_changed.connect(seen.append)
    captions.set_enabled(True)
    for ms in (600, 900, 2_100, 2_200, 9_000):
        reading.seek(ms)
    assert seen == [FIRST, SECOND, ""]  # announced when it changes, not on every tick
    assert captions.text == ""


def test_the_caption_follows_the_sync_offset(captions, reading):
    captions.set_enabled(True)
    reading.seek(2_300)
    assert captions.text == SECOND
    captions.set_offset(1_000)  # the lines come a second later
    assert captions.text == FIRST
    assert captions.text_at(1_400) == "" and captions.text_at(1_500) == FIRST


def test_off_means_no_text_and_the_choice_is_remembered(captions, reading):
    reading.seek(600)
    assert captions.text == ""  # off by default
    captions.toggle()
    assert captions.enabled and captions.text == FIRST
    assert settings().get("player/captions") is True
    assert CaptionsController(reading).enabled  # the next start
    captions.toggle()
    assert not captions.enabled and captions.text == "" and settings().get("player/captions") is False


def test_c_turns_captions_on_and_off_over_the_picture(window, qtbot, clip_dir):
    window.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: window.reading.has_video, timeout=10_000)
    pane, action = window.video_pane, window.actions_by_name["captions"]
    window.seek(5_200)
    assert not pane.captions.isVisible() and not action.isChecked() and not pane.controls.captions_button.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert pane.captions.isVisible() and action.isChecked() and pane.controls.captions_button.isChecked()
    assert pane.captions.text == LAST
    qtbot.waitUntil(lambda: not pane.video.image().isNull(), timeout=5_000)
    picture = pane.picture_rect()
    assert pane.captions.geometry().bottom() == picture.bottom()  # over the bottom of the picture
    plates = [plate.toRect() for plate, _layout, _n in pane.captions.lines()]
    assert len(plates) == 1 and all(picture.contains(p.translated(pane.captions.pos())) for p in plates)
    window.transcript_pane.offset.setValue(2_000)  # the reader shifts the lines: the caption follows
    assert pane.captions.text == SECOND
    qtbot.mouseClick(pane.controls.captions_button, Qt.MouseButton.LeftButton)
    assert not pane.captions.isVisible() and not action.isChecked()
    action.trigger()  # View ▸ Captions on Video
    assert pane.captions.isVisible() and pane.controls.captions_button.isChecked()


def test_captions_show_when_the_window_opens_with_them_on(qtbot, clip_dir):
    settings().set("player/captions", True)
    window = new_window(qtbot)
    try:
        assert window.actions_by_name["captions"].isChecked() and window.video_pane.controls.captions_button.isChecked()
        assert not window.video_pane.captions.isHidden()  # (the video pane itself shows once something opens)
    finally:
        window.close()


@pytest.mark.parametrize("text", [
    "A much longer caption line that cannot fit on one line of the picture, so it wraps onto several lines",
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3,  # one word wider than the picture: broken anywhere
])
def test_a_long_line_wraps_and_nothing_is_clipped(qapp, text):
    from reader.ui.widgets.captions import Captions

    widget = Captions()
    widget.resize(260, 150)
    widget.set_basis(150)
    widget.set_text(text)
    lines = widget.lines()
    assert len(lines) >= 2
    bounds = QRectF(widget.rect())
    assert all(bounds.contains(plate) for plate, _layout, _n in lines)
    drawn = "".join(layout.text()[layout.lineAt(n).textStart():][:layout.lineAt(n).textLength()] for _p, layout, n in lines)
    assert drawn.replace(" ", "") == text.replace(" ", "")  # every character is on some line
    assert all(layout.lineAt(n).naturalTextWidth() <= plate.width() for plate, layout, n in lines)


def test_the_type_grows_with_the_picture(qapp):
    from reader.ui.widgets.captions import Captions

    widget = Captions()
    sizes = []
    for height in (120, 360, 720, 1440):
        widget.set_basis(height)
        sizes.append(widget.caption_font().pixelSize())
    assert sizes == sorted(sizes) and sizes[0] >= 12 and sizes[-1] <= 44 and sizes[1] < sizes[2]
