"""Play before the download ends (issue 24): the entry streams what yt-dlp resolves, then switches to the checked file at the same moment."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reader.library.download import ImportOptions

from fake_site import FakeTubeIE
from media import CLIP_VTT


@pytest.fixture
def window(window):
    """conftest's window, importing through the loopback site's extractor."""
    window.importing.extractors = [FakeTubeIE()]
    return window


def held_import(window, qtbot, site, clip_bytes, name):
    """Import a link whose video download waits midway (the site holds it) until site.released is set."""
    url = site.add_video(name, clip_bytes + bytes(400_000), creator_vtt=CLIP_VTT)  # trailing bytes: it still decodes
    site.faults[f"/media/{name}.mp4"] = {"kind": "hold", "at": 200_000, "times": 1}  # the download's request only
    window.start_import(url, ImportOptions())
    qtbot.waitUntil(lambda: "The video is downloading" in window.video_pane.card.text(), timeout=20_000)
    slider = window.video_pane.controls.slider
    qtbot.waitUntil(lambda: 0.2 < slider.available < 0.5, timeout=10_000)  # the seek bar shows how much is here
    assert f"({int(slider.available * 100)}% so far)" in window.video_pane.card.text()
    return window.session.video_id


def test_play_now_streams_while_it_downloads_then_the_file_takes_over_at_the_same_moment(window, qtbot, site, clip_bytes):
    vid = held_import(window, qtbot, site, clip_bytes, "early")
    assert window.store.video(vid)["media_path"] == "" and window.session.transcript is not None  # readable first
    assert window.video_pane.controls.time_label.text() == "0:00 / 0:08"  # the length the library knows, before any video
    slider = window.video_pane.controls.slider
    window.actions_by_name["play"].trigger()  # Space: Play Now, as the card's button
    qtbot.waitUntil(lambda: isinstance(window.player.source, str) and window.player.is_playing(), timeout=20_000)
    assert window.player.source.endswith("/media/early.mp4") and window.video_pane.controls.play_button.isEnabled()
    qtbot.waitUntil(lambda: window.player.position() > 500, timeout=10_000)
    window.seek(4000)  # past what is downloaded: the stream plays it
    qtbot.waitUntil(lambda: window.player.position() >= 4000, timeout=10_000)
    assert window.store.video(vid)["media_path"] == ""
    site.released.set()  # the download goes on and ends: checked whole, the entry switches to it
    qtbot.waitUntil(lambda: isinstance(window.player.source, Path), timeout=20_000)
    # where the stream was when the file took its place (the session hands it to the player once the file loads,
    # which it may already have done)
    at = window.session.resume_ms or window.player.position()
    assert at >= 4000 and window.reading.stream is None
    qtbot.waitUntil(lambda: window.player.loaded() and window.player.is_playing(), timeout=10_000)
    assert window.player.position() >= at  # from the same moment on, never back to the start
    assert window.player.source == Path(window.store.video(vid)["media_path"]) and slider.available == -1


def test_the_card_offers_download_video_and_says_when_the_stream_cannot_be_had(window, qtbot, site, clip_bytes):
    vid = held_import(window, qtbot, site, clip_bytes, "gone")
    site.routes["/watch?v=gone"] = (404, "text/plain", b"not found")  # the page is gone: no address to stream from
    qtbot.mouseClick(window.video_pane.card_buttons["play"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "unavailable" in window.video_pane.card.text(), timeout=20_000)
    card = window.video_pane.card.text()
    assert "The video is downloading" in card and "play" not in window.video_pane.card_buttons and "Error" not in card
    window.downloads.cancel()
    site.released.set()
    qtbot.waitUntil(lambda: "download" in window.video_pane.card_buttons, timeout=20_000)
    assert window.video_pane.card.text().startswith("Video partly downloaded")
    assert window.store.video(vid)["video_state"] == "partial"


def test_file_download_the_video_is_on_for_an_entry_lacking_its_video_and_fetches_it(window, qtbot, site, clip_bytes):
    action = window.actions_by_name["download_video"]
    assert not action.isEnabled()  # nothing open
    url = site.add_video("menu", clip_bytes, creator_vtt=CLIP_VTT)
    window.start_import(url, ImportOptions(later=True))  # the transcript alone
    qtbot.waitUntil(lambda: window.session is not None and window.session.video_id is not None, timeout=20_000)
    vid = window.session.video_id
    qtbot.waitUntil(action.isEnabled, timeout=10_000)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and action in a.menu().actions())
    assert window.actions_by_name["transcribe"] in file_menu.actions()
    action.trigger()
    qtbot.waitUntil(lambda: window.store.video(vid)["video_state"] == "complete", timeout=30_000)
    qtbot.waitUntil(lambda: not action.isEnabled(), timeout=10_000)  # its video is here: nothing to fetch
