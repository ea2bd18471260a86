"""The window's video downloads: an import stores the entry first and its video follows; Cancel keeps the entry; a close is resumed."""

from reader.library.db.store import Store
from reader.library.download import ImportOptions
from reader.ui.controllers.importing import ImportingController
from reader.ui.controllers.video_downloads import VideoDownloadsController

from fake_site import FakeTubeIE
from media import CLIP_VTT


def test_import_commits_the_transcript_then_the_video_follows(qtbot, site, clip_bytes):
    store = Store()
    url = site.add_video("gui", clip_bytes, creator_vtt=CLIP_VTT)
    importing, downloads = ImportingController(lambda: store), VideoDownloadsController(lambda: store)
    importing.extractors = downloads.extractors = [FakeTubeIE()]
    importing.video_pending.connect(downloads.download)
    with qtbot.waitSignal(importing.committed, timeout=20000) as committed:
        importing.add_link(url, ImportOptions())
    vid = committed.args[0]
    assert store.video(vid)["cue_count"] == 4 and store.video(vid)["media_path"] == ""  # readable before the video
    with qtbot.waitSignal(downloads.ready, timeout=20000):
        pass
    assert store.video(vid)["video_state"] == "complete"


def test_cancel_keeps_the_entry_and_a_closed_window_leaves_it_to_resume(qtbot, site, clip_bytes):
    store = Store()
    url = site.add_video("slow", clip_bytes, creator_vtt=CLIP_VTT)
    site.chunk, site.throttle["/media/slow.mp4"] = 4096, 0.2
    importing, downloads = ImportingController(lambda: store), VideoDownloadsController(lambda: store)
    importing.extractors = downloads.extractors = [FakeTubeIE()]
    with qtbot.waitSignal(importing.committed, timeout=20000) as committed:
        importing.add_link(url, ImportOptions())
    vid = committed.args[0]
    with qtbot.waitSignal(downloads.progress_changed, timeout=20000):
        downloads.download(vid)
    with qtbot.waitSignal(downloads.stopped, timeout=20000) as stopped:
        downloads.cancel()
    assert stopped.args[2] and store.video(vid)["cue_count"] == 4 and store.video(vid)["video_state"] in ("partial", "none")
    with qtbot.waitSignal(downloads.progress_changed, timeout=20000):
        downloads.download(vid)
    downloads.close()
    qtbot.waitUntil(lambda: downloads.worker is None or not downloads.busy(), timeout=20000)
    qtbot.wait(500)
    assert store.video(vid)["video_state"] == "downloading"  # as a killed Reader leaves it
    site.throttle.clear()
    again = VideoDownloadsController(lambda: store)
    again.extractors = [FakeTubeIE()]
    with qtbot.waitSignal(again.ready, timeout=20000):
        again.resume_interrupted()
    assert open(store.video(vid)["media_path"], "rb").read() == clip_bytes


def test_a_failed_download_resumes_at_the_next_start_and_a_cancelled_one_waits(qtbot, site, clip_bytes):
    store = Store()
    failing, cancelled = (site.add_video(name, clip_bytes + bytes(300_000), creator_vtt=CLIP_VTT) for name in ("fails", "stops"))
    importing, downloads = ImportingController(lambda: store), VideoDownloadsController(lambda: store)
    importing.extractors = downloads.extractors = [FakeTubeIE()]
    ids = []
    for url in (failing, cancelled):
        with qtbot.waitSignal(importing.committed, timeout=20000) as committed:
            importing.add_link(url, ImportOptions())
        ids.append(committed.args[0])
    site.faults["/media/fails.mp4"] = {"kind": "drop", "at": 100_000, "times": 99}  # every one of its retries too
    with qtbot.waitSignal(downloads.stopped, timeout=20000) as stopped:
        downloads.download(ids[0])
    assert not stopped.args[2] and "broke off" in stopped.args[1] and store.video(ids[0])["video_wanted"] == 1
    site.faults["/media/stops.mp4"] = {"kind": "hold", "at": 100_000, "times": 1}
    seen = []
    downloads.progress_changed.connect(lambda p: seen.append(p.downloaded))
    downloads.download(ids[1])
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] > 0, timeout=20000)
    with qtbot.waitSignal(downloads.stopped, timeout=20000) as stopped:
        downloads.cancel()
        site.released.set()
    assert stopped.args[2] and store.video(ids[1])["video_state"] == "partial" and store.video(ids[1])["video_wanted"] == 0
    site.faults.clear()  # the connection is back
    site.ranges.clear()
    again = VideoDownloadsController(lambda: store)  # the next start
    again.extractors = [FakeTubeIE()]
    with qtbot.waitSignal(again.ready, timeout=20000) as ready:
        again.resume_interrupted()
    assert ready.args[0] == ids[0] and not again.busy() and again.queue == []  # the cancelled one was not started
    assert any(r.startswith("bytes=") and r != "bytes=0-" for r in site.ranges)  # continued from the .part
    assert store.video(ids[0])["video_state"] == "complete" and store.video(ids[1])["video_state"] == "partial"
    again.retry()  # nothing failed this time: Try again has nothing to do
    assert not again.busy()
