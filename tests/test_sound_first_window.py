"""In the window: a link without subtitles offers Transcribe… once its sound alone is here, its lines appear while the
video still downloads, and the video takes over; a site with no sound alone says so and offers it after the video."""

import pytest

from reader.library.download import ImportOptions

from conftest import new_window
from fake_site import FakeTubeIE
from media import make_tone_speech
from transcribing import standin  # noqa: F401  (a fixture)

WORDS = [(500 + s * 2500 + k * 300, i) for s in range(3) for k, i in enumerate((0, 1, 2, 7))]  # alpha bravo charlie stop.


@pytest.fixture
def window(qtbot):
    w = new_window(qtbot, 1024, 700)
    w.importing.extractors = [FakeTubeIE()]
    yield w
    w.transcribing.stop()
    w.player.pause()
    w.close()


def test_the_sound_first_is_offered_and_transcribed_while_the_video_downloads(window, qtbot, site, clip_bytes, tmp_path, standin):
    sound = make_tone_speech(tmp_path / "sound.m4a", WORDS, 8).read_bytes()
    url = site.add_video("quiet", clip_bytes + bytes(200_000), sound=sound)
    site.faults["/media/quiet.mp4"] = {"kind": "hold", "at": 60_000, "times": 1}  # the video waits at the site
    site.chunk = 2048  # many progress reports before it waits: the library holds only the first of them
    at_sound = []
    window.downloads.sound_ready.connect(lambda vid, _path: at_sound.append(dict(window.store.video(vid))))
    window.start_import(url, ImportOptions())
    panel = window.transcribe_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.action_button.text() == "Transcribe…", timeout=30_000)
    vid = window.reading.video_id
    row = window.store.video(vid)
    assert at_sound and at_sound[0]["video_bytes"] == 0  # the sound counted as none of the video
    assert row["media_path"] == "" and row["sound_path"].endswith("sound.m4a") and "came with no subtitles" in panel.title.text()
    assert window.transcript_pane.transcribe_button.isVisible()  # the empty transcript offers it too
    assert "The video is downloading" in window.video_pane.card.text()
    def video_progress():  # the video's own, not the sound's last (which stands until the video's first comes)
        p = window.downloads.progress_now(vid)
        return p if p is not None and not p.sound else None

    qtbot.waitUntil(lambda: video_progress() is not None and video_progress().downloaded > 20_000, timeout=10_000)
    here = video_progress().fraction
    window.reading.open_video(vid)  # opened again: the card and the seek bar say how much of the video is here now
    slider = window.video_pane.controls.slider
    assert slider.available >= here and f"({int(slider.available * 100)}% so far)" in window.video_pane.card.text()
    assert window.transcribing.start(vid, "stand-in")
    view = window.transcript_pane.view
    qtbot.waitUntil(lambda: len(view.timeline.cues) == 3, timeout=60_000)
    assert view.timeline.cues[0].text == "alpha bravo charlie stop." and window.store.video(vid)["media_path"] == ""
    site.released.set()  # the video comes on, whole: it takes over
    qtbot.waitUntil(lambda: window.store.video(vid)["video_state"] == "complete", timeout=30_000)
    row = window.store.video(vid)
    assert row["sound_path"] == "" and row["media_path"].rsplit("/", 1)[1].startswith("media.") and row["cue_count"] == 3
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: not window.transcribing.busy(), timeout=30_000)  # under load its end may come last
    offered = panel.isVisible() and panel.action_button.isVisible() and panel.action_button.text() == "Transcribe…"
    assert not offered  # not offered a second time


def test_a_site_with_no_sound_alone_says_so_and_offers_transcribing_after_the_video(window, qtbot, site, clip_bytes):
    url = site.add_video("muxed", clip_bytes)
    window.start_import(url, ImportOptions())
    qtbot.waitUntil(lambda: "no sound apart from the picture" in window.banner.label.text(), timeout=30_000)
    panel = window.transcribe_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.action_button.text() == "Transcribe…", timeout=30_000)
    row = window.store.video(window.reading.video_id)
    assert row["video_state"] == "complete" and row["sound_path"] == ""
    assert "no sound apart from the picture, so transcribing had to wait" in panel.detail.text()  # said again
