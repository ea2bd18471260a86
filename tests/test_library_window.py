"""The library in the window: importing with progress and cancel, listing, searching, resuming, removing."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from reader.library.db.store import Store
from reader.library.download import ImportOptions
from reader.library.importing import commit, entry_folder, media_root, prepare_file

from conftest import new_window as shown_window
from fake_site import FakeTubeIE
from media import CLIP_VTT


def new_window(qtbot):
    w = shown_window(qtbot)
    w.importing.extractors = [FakeTubeIE()]
    return w


@pytest.fixture
def window(window):
    """conftest's window, importing through the loopback site's extractor."""
    window.importing.extractors = [FakeTubeIE()]
    return window


def test_import_shows_progress_then_opens_the_video(window, qtbot, site, clip_bytes):
    padded = clip_bytes + bytes(1_500_000)  # trailing bytes after the MP4 do not stop it playing
    url = site.add_video("ui1", padded, creator_vtt=CLIP_VTT, chapters=[(0, "Opening"), (3.5, "Reply")],
                         description="What this talk is about.")
    site.throttle["/media/ui1.mp4"] = 0.02
    window.start_import(url, ImportOptions())
    assert window.import_panel.isVisible()
    # the transcript first: the entry opens while its video downloads behind it (issue 24)
    qtbot.waitUntil(lambda: window.session is not None and window.session.video_id is not None, timeout=20_000)
    qtbot.waitUntil(lambda: "Downloading video" in window.download_panel.detail.text(), timeout=15_000)
    assert window.store.video(window.session.video_id)["media_path"] == ""
    assert "The video is downloading" in window.video_pane.card.text() and "play" in window.video_pane.card_buttons
    pane = window.transcript_pane
    assert pane.title.text() == "A talk about reading"
    assert "Reader Test Channel" in pane.source_label.text() and "subtitles by the creator (en)" in pane.source_label.text()
    assert len(pane.view.timeline.cues) == 4 and pane.chapters.count() == 2
    assert pane.description.toPlainText() == "What this talk is about." and pane.about_button.isVisible()
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=10_000)
    assert window.library_page.model.rowCount() == 1


def test_cancel_in_the_panel_stops_the_video_and_keeps_the_entry(window, qtbot, site, clip_bytes):
    url = site.add_video("big", clip_bytes + bytes(6_000_000), creator_vtt=CLIP_VTT)  # trailing bytes: it still decodes
    site.throttle["/media/big.mp4"] = 0.03
    window.start_import(url, ImportOptions())
    bar = window.download_panel.bar
    qtbot.waitUntil(lambda: bar.maximum() == 1000 and bar.value() > 0, timeout=15_000)
    assert " of " in window.download_panel.detail.text()  # "1.2 MB of 5.7 MB · 2.0 MB/s · 0:02 left"
    assert "the video of “A talk about reading”" in window.download_panel.title.text()
    qtbot.mouseClick(window.download_panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.download_panel.isVisible(), timeout=15_000)
    row = window.store.videos()[0]  # the entry and its transcript stay, marked as lacking its video
    assert window.store.count() == 1 and row["cue_count"] == 4 and row["video_state"] == "partial" and not row["video_wanted"]
    assert "cancelled" in window.banner.label.text() and not list(media_root().glob(".staging-*"))
    # the entry says what it lacks and offers it; Download Video continues where the download stopped
    qtbot.waitUntil(lambda: "Video partly downloaded" in window.video_pane.card.text(), timeout=5_000)
    site.throttle.clear()
    site.ranges.clear()
    qtbot.mouseClick(window.video_pane.card_buttons["download"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store.video(row["id"])["video_state"] == "complete", timeout=20_000)
    assert any(r.startswith("bytes=") and r != "bytes=0-" for r in site.ranges)


def test_a_failed_import_says_why_and_can_be_retried(window, qtbot, site, clip_bytes):
    url = site.base + "/watch?v=later"
    window.start_import(url, ImportOptions())
    qtbot.waitUntil(lambda: window.import_panel.title.text().startswith("Import failed"), timeout=15_000)
    assert "unavailable" in window.import_panel.detail.text()
    assert window.import_panel.retry_button.isVisible() and window.store.count() == 0
    site.add_video("later", clip_bytes, creator_vtt=CLIP_VTT)  # the video appears; try again
    qtbot.mouseClick(window.import_panel.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store.count() == 1, timeout=20_000)


WINDOW_FAULTS = [
    ("drop", {"kind": "drop", "at": 30_000}, "broke off"),
    ("truncate", {"kind": "truncate", "at": 30_000}, "not whole"),
    ("lie", {"kind": "lie", "at": 10**9, "extra": 50_000}, "broke off"),
    ("gone", {"kind": "404"}, "unavailable"),
]


@pytest.mark.parametrize("case,fault,says", WINDOW_FAULTS, ids=[f[0] for f in WINDOW_FAULTS])
def test_a_video_download_that_fails_says_why_keeps_the_entry_and_try_again_continues(window, qtbot, site, clip_bytes, case, fault, says):
    url = site.add_video(case, clip_bytes, creator_vtt=CLIP_VTT)
    media = f"/media/{case}.mp4"
    saved = site.routes[media]
    if fault["kind"] == "404":
        site.routes[media] = (404, "text/plain", b"not found")
    else:
        site.faults[media] = dict(fault, times=99)
    window.start_import(url, ImportOptions())
    panel = window.download_panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.retry_button.isVisible(), timeout=60_000)
    assert says in panel.detail.text() and "stopped downloading" in panel.title.text() and "Error" not in panel.detail.text()
    vid = window.session.video_id
    row = window.store.video(vid)  # the entry, its transcript and its place are all there
    assert row["cue_count"] == 4 and row["media_path"] == "" and row["video_wanted"] == 1 and says in row["video_error"]
    assert "Download Video" in window.video_pane.card_buttons["download"].text() and says in window.video_pane.card.text()
    site.faults.clear()
    site.routes[media] = saved  # the site mends: Try again brings the whole video
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store.video(vid)["video_state"] == "complete", timeout=30_000)
    assert open(window.store.video(vid)["media_path"], "rb").read() == clip_bytes
    qtbot.waitUntil(lambda: window.player.duration() > 0 and not panel.isVisible(), timeout=10_000)  # the entry plays it


def test_removing_an_entry_while_its_video_downloads_stops_it_and_says_nothing_more(window, qtbot, site, clip_bytes, monkeypatch):
    url = site.add_video("rm", clip_bytes + bytes(400_000), creator_vtt=CLIP_VTT)
    site.faults["/media/rm.mp4"] = {"kind": "hold", "at": 100_000, "times": 1}
    window.start_import(url, ImportOptions())
    qtbot.waitUntil(lambda: window.video_pane.controls.slider.available > 0, timeout=20_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.remove_video(window.session.video_id)
    site.released.set()
    qtbot.waitUntil(lambda: not window.downloads.busy() and not window.download_panel.isVisible(), timeout=20_000)
    assert window.store.count() == 0 and not [f for f in media_root().iterdir() if not f.name.startswith(".")]
    assert not window.banner.isVisible() or "stopped" not in window.banner.label.text()


def test_a_playlist_link_offers_its_videos(window, qtbot, site, clip_bytes, monkeypatch):
    for v in ("pa", "pb"):
        site.add_video(v, clip_bytes, creator_vtt=CLIP_VTT)
    url = site.add_playlist("PL9", ["pa", "pb"])
    offered = []
    monkeypatch.setattr("reader.ui.main_window.PlaylistDialog.exec", lambda self: (offered.append(self.chosen()), 1)[1])
    window.start_import(url, ImportOptions(video=False))
    qtbot.waitUntil(lambda: window.store.count() == 2, timeout=30_000)
    assert offered == [[site.base + "/watch?v=pa", site.base + "/watch?v=pb"]]


def add_local(clip_dir, tmp_path, name, vtt=CLIP_VTT):
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.mp4").write_bytes((clip_dir / "talk.mp4").read_bytes() + name.encode())
    (folder / f"{name}.vtt").write_text(vtt, encoding="utf-8")
    store = Store()
    vid = commit(store, prepare_file(folder / f"{name}.mp4"))
    store.close()
    return vid


def test_library_lists_filters_sorts_and_searches_transcripts(window, qtbot, clip_dir, tmp_path):
    a = add_local(clip_dir, tmp_path, "alpha")
    add_local(clip_dir, tmp_path, "beta", CLIP_VTT.replace("fourth line", "final remark"))
    window.show_library()
    page = window.library_page
    assert page.visible_titles() == ["beta", "alpha"]  # newest first
    page.sort.setCurrentIndex(page.sort.findText("Title"))
    assert page.visible_titles() == ["alpha", "beta"]
    qtbot.keyClicks(page.search, "alp")
    assert page.visible_titles() == ["alpha"]
    page.search.setText("fourth")
    qtbot.waitUntil(lambda: page.hits.isVisible(), timeout=3_000)
    hits = page.hit_items()
    assert [h.data(0, Qt.ItemDataRole.UserRole) for h in hits] == [(a, 5000)]
    assert "<b>fourth</b>" in hits[0].data(0, Qt.ItemDataRole.UserRole + 2)
    page._on_hit(hits[0])
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.transcript_pane.view.current_cue() == 3, timeout=5_000)  # opened at the line


def test_reopening_resumes_and_the_app_starts_on_the_last_video(qtbot, clip_dir, tmp_path):
    vid = add_local(clip_dir, tmp_path, "resume")
    first = new_window(qtbot)
    first.reading.open_video(vid)
    qtbot.waitUntil(lambda: first.player.duration() > 0, timeout=10_000)
    first.player.seek(4_200)
    first.show_library()  # leaving the video saves the place
    first.close()
    second = new_window(qtbot)
    second.start()
    assert second.session.video_id == vid
    qtbot.waitUntil(lambda: abs(second.player.position() - 4_200) < 200, timeout=10_000)
    assert second.transcript_pane.view.current_cue() == 2
    second.close()


def test_remove_asks_first_and_deletes_the_files(window, qtbot, clip_dir, tmp_path, monkeypatch):
    vid = add_local(clip_dir, tmp_path, "doomed")
    folder = entry_folder(Store().video(vid))
    assert folder.is_dir()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.remove_video(vid)
    assert window.store.count() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.remove_video(vid)
    assert window.store.count() == 0 and not folder.exists()
    assert (tmp_path / "doomed" / "doomed.mp4").exists()


def test_missing_media_still_opens_the_transcript(window, qtbot, clip_dir, tmp_path):
    vid = add_local(clip_dir, tmp_path, "moved")
    Path(Store().video(vid)["media_path"]).unlink()
    window.reading.open_video(vid)
    assert "missing" in window.banner.text()
    assert len(window.transcript_pane.view.timeline.cues) == 4


def test_a_link_pasted_in_the_library_starts_an_import(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(window, "import_dialog", lambda url="": asked.append(url))
    window.library_page.import_requested.disconnect()
    window.library_page.import_requested.connect(window.import_dialog)
    window.show_library()
    window.library_page.search.setText("https://www.youtube.com/watch?v=abc")
    assert asked == ["https://www.youtube.com/watch?v=abc"] and window.library_page.search.text() == ""


def test_opening_a_file_makes_an_entry_and_a_dropped_subtitle_is_kept(window, qtbot, clip_dir, tmp_path):
    video = tmp_path / "lecture.mp4"
    video.write_bytes((clip_dir / "talk.mp4").read_bytes())
    window.reading.open_paths(video)
    vid = window.session.video_id
    assert vid is not None and window.store.video(vid)["media_path"] == str(video.resolve())
    subs = tmp_path / "late.srt"
    subs.write_text("1\n00:00:01,000 --> 00:00:02,000\nArrived later.\n", encoding="utf-8")
    window.reading.open_files([subs])
    assert [c.text for c in window.store.transcript(vid).cues] == ["Arrived later."]
    assert window.session.video_id == vid


def test_an_entry_without_a_length_learns_it_when_played(window, qtbot, clip_dir, tmp_path):
    vid = add_local(clip_dir, tmp_path, "lengthless")
    with window.store.writing():
        window.store.db.execute("update videos set duration_ms = 0 where id = ?", [vid])
    window.reading.open_video(vid)
    qtbot.waitUntil(lambda: window.store.video(vid)["duration_ms"] > 0, timeout=10_000)
    assert abs(window.store.video(vid)["duration_ms"] - window.player.duration()) < 50


def test_library_search_shows_videos_ranked_with_their_lines_and_opens_at_a_line(window, qtbot):
    from reader.library.db.records import VideoRecord
    from reader.transcript.model import Cue, Transcript

    store = window.store
    ids = []
    for k in range(6):  # video k says "harbour" k + 1 times among ten lines
        lines = ["harbour boats at dawn" if i <= k else "other words entirely" for i in range(10)]
        ids.append(store.add_video(VideoRecord(site="local", site_id=f"h{k}", title=f"Harbour talk {k}"),
                                   Transcript([Cue(i * 2000, i * 2000 + 1500, t) for i, t in enumerate(lines)], [], [], "srt")))
    window.on_events_library_changed()
    window.show_library()
    page = window.library_page
    page.search.setText("harbo")  # as typed: a prefix
    qtbot.waitUntil(lambda: page.hits.isVisible(), timeout=3_000)
    tops = [page.hits.topLevelItem(i) for i in range(page.hits.topLevelItemCount())]
    assert [t.data(0, Qt.ItemDataRole.UserRole)[0] for t in tops] == ids[::-1]  # best first
    assert tops[0].text(0).endswith("6 lines") and tops[0].childCount() == 3
    assert "6 videos" in page.hits_label.text()
    titles, results = page.split.sizes()
    assert results >= 2 * titles  # the results take the room, the matching titles a third at most
    first_line = tops[0].child(0).data(0, Qt.ItemDataRole.UserRole)
    assert first_line == (ids[5], 0)
    page.search.setText('"boats harbour"')  # a phrase not spoken
    qtbot.waitUntil(lambda: not page.hits.isVisible(), timeout=3_000)
    assert "Nothing" in page.hits_label.text()


def test_the_library_page_reads_the_library_again_only_once_it_has_changed(qtbot, tmp_path):
    """Showing the library twice reads it once; a change made here, one another Reader commits, and a restore
    (pages copied in, no row written through this connection) are each read."""
    from functools import partial

    from reader.library.search import search_library
    from reader.ui.widgets.library_page import LibraryPage

    from conftest import add_video

    add_video("First", site_id="one")
    store = Store()
    reads = []

    def videos():
        reads.append(1)
        return store.videos()

    page = LibraryPage()
    qtbot.addWidget(page)
    page.set_source(videos, partial(search_library, store), store.change_mark)
    page.refresh()
    assert len(reads) == 1 and page.model.rowCount() == 1
    with store.writing():
        store.db.execute("update videos set title = 'Renamed'")
    page.refresh()
    assert len(reads) == 2 and page.model.rows[0]["title"] == "Renamed"
    add_video("Second", site_id="two")  # another connection commits
    page.refresh()
    assert len(reads) == 3 and page.model.rowCount() == 2
    page.refresh()
    assert len(reads) == 3
    other = tmp_path / "other.db"
    Store(other).close()
    store.replace_with(other)  # a restore: the library's pages replaced, nothing written row by row
    page.refresh()
    assert len(reads) == 4 and page.model.rowCount() == 0
    store.close()
