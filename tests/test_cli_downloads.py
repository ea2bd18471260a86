"""`reader import URL` prints the id once the transcript is stored; --wait and download-video bring the video (a plain page, yt-dlp's generic extractor)."""

from media import CLIP_VTT
from reader.cli import main
from reader.store import Store


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
