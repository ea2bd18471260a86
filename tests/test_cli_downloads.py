"""`reader import URL` prints the id once the transcript is stored; --wait and download-video bring the video (a plain page, yt-dlp's generic extractor)."""

from reader.cli.main import main
from reader.library.db.store import Store

from media import CLIP_VTT


def test_import_wait_then_library_then_download_video(site, clip_bytes, capsys):
    url = site.add_html_video("plain", clip_bytes, CLIP_VTT)
    site.faults["/files/plain.mp4"] = {"kind": "drop", "at": 30_000, "times": 99}
    assert main(["import", url, "--wait"]) == 2  # the transcript is stored, the video broke off
    out, err = capsys.readouterr()
    vid = int(out.split("\t")[0])
    assert "reader: video" in err and "broke off" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    store = Store()
    assert store.video(vid)["cue_count"] == 4 and store.video(vid)["media_path"] == ""
    store.close()
    assert main(["library"]) == 0
    line = capsys.readouterr().out.strip()
    assert "video" in line and f"reader download-video {vid}" in line
    site.faults.clear()
    assert main(["download-video", str(vid)]) == 0
    assert "its video is downloaded" in capsys.readouterr().err
    store = Store()
    assert store.video(vid)["video_state"] == "complete" and open(store.video(vid)["media_path"], "rb").read() == clip_bytes
    assert main(["download-video", str(vid)]) == 2 and "already has its video" in capsys.readouterr().err


def test_download_video_of_an_entry_with_no_link_says_so(capsys, clip_dir):
    assert main(["import", str(clip_dir / "talk.mp4")]) == 0
    vid = int(capsys.readouterr().out.split("\t")[0])
    assert main(["download-video", str(vid)]) == 2
    assert "already has its video" in capsys.readouterr().err
    assert main(["download-video", "999"]) == 2 and "no video 999" in capsys.readouterr().err


def test_import_prints_the_id_before_the_video_and_a_detached_download_brings_it(site, clip_bytes, capsys, qtbot):
    url = site.add_html_video("behind", clip_bytes, CLIP_VTT)
    site.faults["/files/behind.mp4"] = {"kind": "hold", "at": 30_000, "times": 1}  # the video waits at the site
    assert main(["import", url]) == 0  # back with the id while the video is still held
    vid = int(capsys.readouterr().out.split("\t")[0])
    store = Store()
    assert store.video(vid)["cue_count"] == 4 and store.video(vid)["media_path"] == ""
    # the detached `reader download-video` starts and takes the folder's lock
    qtbot.waitUntil(lambda: "video downloading" in _library_line(capsys, vid), timeout=60_000)
    assert main(["download", str(vid)]) == 2 and "already being downloaded" in capsys.readouterr().err
    site.released.set()
    qtbot.waitUntil(lambda: store.video(vid)["video_state"] == "complete", timeout=60_000)
    assert open(store.video(vid)["media_path"], "rb").read() == clip_bytes and _library_line(capsys, vid).count("\t") == 5
    store.close()


def _library_line(capsys, vid: int) -> str:
    assert main(["library"]) == 0
    return next(line for line in capsys.readouterr().out.splitlines() if line.startswith(f"{vid}\t"))


def test_a_download_a_killed_reader_left_is_said_as_stopped_and_continues(site, clip_bytes, capsys):
    import json

    from reader.library.video_download import begin

    url = site.add_html_video("killed", clip_bytes, CLIP_VTT)
    assert main(["import", url, "--no-video"]) == 0
    vid = int(capsys.readouterr().out.split("\t")[0])
    assert main(["library", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["video"], row["video_note"]) == ("none", "video not downloaded")
    store = Store()
    _url, folder, lock = begin(store, vid)  # a Reader downloading it...
    store.download_progress(vid, 1000, 4000)
    assert "video downloading (25%)" in _library_line(capsys, vid)
    import os

    os.close(lock)  # ...is killed: its lock goes with it, the library row still says downloading
    assert store.video(vid)["video_state"] == "downloading"
    line = _library_line(capsys, vid)
    assert "video partly downloaded (25%)" in line and f"(reader download-video {vid})" in line
    assert main(["download", str(vid)]) == 0 and store.video(vid)["video_state"] == "complete"
    store.close()
