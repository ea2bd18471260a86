"""The picture matches the position: the first frame before playing, the frame after a paused seek, where a
video reopens, and the last frame at the end (a clip whose every second has a colour of its own)."""

import pytest

from media import CLIP_VTT, make_clip, second_colour


@pytest.fixture(scope="module")
def coloured_clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coloured")
    make_clip(folder / "colours.mp4", coloured=True)
    (folder / "colours.en.vtt").write_text(CLIP_VTT, encoding="utf-8")
    return folder / "colours.mp4"


def shown_colour(window):
    """The colour in the middle of the frame the video pane draws, or None without one."""
    image = window.video_pane.video.image()
    if image.isNull():
        return None
    c = image.pixelColor(image.width() // 2, image.height() // 2)
    return c.red(), c.green(), c.blue()


def shows(window, ms):
    """Whether the picture is the frame of the second `ms` falls in."""
    colour = shown_colour(window)
    return colour is not None and all(abs(a - b) <= 30 for a, b in zip(colour, second_colour(ms)))


def open_paused(window, qtbot, clip):
    window.reading.open_paths(clip)
    qtbot.waitUntil(lambda: window.player.duration() > 0 and window.reading.has_video, timeout=10_000)


def test_the_first_frame_shows_before_playing(window, qtbot, coloured_clip):
    open_paused(window, qtbot, coloured_clip)
    qtbot.waitUntil(lambda: shows(window, 0), timeout=5_000)
    assert window.video_pane.stack.currentWidget() is window.video_pane.video  # the picture, not a card
    assert not window.player.is_playing()


@pytest.mark.parametrize("ms", [4_200, 2_600, 6_100, 4_000, 2_000, 6_000])  # a cue starts on a second
def test_a_seek_while_paused_shows_the_frame_there(window, qtbot, coloured_clip, ms):
    open_paused(window, qtbot, coloured_clip)
    qtbot.waitUntil(lambda: shows(window, 0), timeout=5_000)
    window.seek(ms)  # as a citation click, a line's double-click or the seek bar do
    qtbot.waitUntil(lambda: shows(window, ms), timeout=5_000)
    assert not window.player.is_playing()


def test_a_video_reopens_on_the_frame_where_it_was_left(window, qtbot, coloured_clip, clip_dir):
    open_paused(window, qtbot, coloured_clip)
    video_id = window.reading.video_id
    window.seek(4_500)
    window.reading.open_paths(clip_dir / "talk.mp4")  # another video: the first one's place is saved
    qtbot.waitUntil(lambda: window.reading.has_video and window.session.media.name == "talk.mp4", timeout=10_000)
    assert not shows(window, 4_500)
    window.reading.open_video(video_id)
    qtbot.waitUntil(lambda: shows(window, 4_500), timeout=10_000)
    assert abs(window.player.position() - 4_500) < 100
    assert not window.player.is_playing()


def test_the_last_frame_stays_at_the_end_and_play_starts_again(window, qtbot, coloured_clip):
    open_paused(window, qtbot, coloured_clip)
    ended = []
    window.player.ended.connect(lambda: ended.append(True))
    window.seek(7_400)
    window.player.play()
    qtbot.waitUntil(lambda: bool(ended) and not window.player.is_playing(), timeout=10_000)
    qtbot.waitUntil(lambda: window.player.position() >= 7_900, timeout=5_000)
    assert shows(window, 7_999)  # not black, not the first frame
    assert window.video_pane.controls.time_label.text() == "0:08 / 0:08"
    window.seek(1_500)  # after the end, a paused seek still shows its frame
    qtbot.waitUntil(lambda: shows(window, 1_500), timeout=5_000)
    window.seek(7_600)
    window.player.play()
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=10_000)
    window.player.play()  # at the end, play means from the start again
    qtbot.waitUntil(lambda: window.player.is_playing() and 0 < window.player.position() < 3_000, timeout=5_000)
    window.player.pause()


def test_the_picture_keeps_its_shape(window, qtbot, coloured_clip):
    open_paused(window, qtbot, coloured_clip)
    qtbot.waitUntil(lambda: shown_colour(window) is not None, timeout=5_000)
    surface = window.video_pane.video
    rect = surface.picture_rect()
    assert surface.rect().contains(rect)
    assert rect.width() / rect.height() == pytest.approx(160 / 90, rel=0.03)
    assert rect.width() == surface.width() or rect.height() == surface.height()  # as large as fits
