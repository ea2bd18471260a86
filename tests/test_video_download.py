"""The transcript first, the video after it: real yt-dlp against a site on loopback that drops, stalls, lies and refuses."""

import json

import pytest

from reader.library.db.downloads import download_words, lacks_video
from reader.library.db.store import Store
from reader.library.download import ImportOptions
from reader.library.importing import commit, entry_folder, media_root, prepare_url, remove
from reader.library.video_download import DownloadStopped, download_entry, download_running, whole_video_problem

from fake_site import FakeTubeIE
from media import CLIP_VTT

IE = [FakeTubeIE()]


def transcript_first(url, store=None):
    store = store or Store()
    prepared = prepare_url(url, ImportOptions(later=True), extractors=IE)
    return store, commit(store, prepared), prepared


def download(store, vid, **kw):
    return download_entry(store, vid, extractors=IE, socket_timeout=kw.pop("socket_timeout", 2), retries=kw.pop("retries", 0), **kw)


def test_the_transcript_is_stored_before_any_video_byte(site, clip_bytes):
    url = site.add_video("first", clip_bytes, creator_vtt=CLIP_VTT, chapters=[(0, "Opening")])
    store, vid, prepared = transcript_first(url)
    row = store.video(vid)
    assert row["cue_count"] == 4 and row["media_path"] == "" and row["video_state"] == "none"
    assert not any(r.startswith("/media/") for r in site.requests)  # the transcript came without the video
    assert lacks_video(row) and download_words(row) == "video not downloaded"
    assert [h.video_id for h in store.search("Ada")] or store.transcript(vid).cues  # searchable at once
    done = download(store, vid)
    row = store.video(vid)
    assert row["video_state"] == "complete" and row["media_path"] == str(done.media)
    assert done.media.read_bytes() == clip_bytes and done.media.parent == entry_folder(row)
    assert not lacks_video(row) and row["cue_count"] == 4
    remove(store, vid)
    assert not list(media_root().iterdir())


def test_a_cancelled_download_keeps_the_entry_and_resumes_where_it_stopped(site, clip_bytes):
    url = site.add_video("stop", clip_bytes, creator_vtt=CLIP_VTT)
    site.chunk, site.throttle[f"/media/stop.mp4"] = 16384, 0.05
    store, vid, _ = transcript_first(url)
    seen = []

    def cancel_midway():
        return bool(seen) and seen[-1] > 10_000  # blocks double: the next one stops it well before the end

    with pytest.raises(DownloadStopped) as stopped:
        download(store, vid, on_progress=lambda p: seen.append(p.downloaded), cancelled=cancel_midway)
    assert stopped.value.cancelled and "transcript and your notes are kept" in str(stopped.value)
    row = store.video(vid)
    assert row["video_state"] == "partial" and 0 < row["video_bytes"] < len(clip_bytes) and row["cue_count"] == 4
    assert download_words(row).startswith("video partly downloaded")
    site.throttle.clear()
    site.ranges.clear()
    done = download(store, vid)
    assert done.media.read_bytes() == clip_bytes
    resumed = [r for p, r in zip(site.requests[-len(site.ranges):], site.ranges) if p == "/media/stop.mp4"]
    assert resumed and resumed[0].startswith("bytes=") and resumed[0] != "bytes=0-"  # continued, not started again
    assert store.video(vid)["video_state"] == "complete"


FAULTS = [
    ("drop", {"kind": "drop", "at": 30_000}, "broke off"),
    ("stall", {"kind": "stall", "at": 30_000, "for": 6}, "No connection"),
    ("lie", {"kind": "lie", "at": 10**9, "extra": 50_000}, "broke off"),
    ("truncate", {"kind": "truncate", "at": 30_000, "times": 99}, "not whole"),
]


@pytest.mark.parametrize("case,fault,needle", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_server_that_misbehaves_ends_in_one_sentence_and_nothing_lost(site, clip_bytes, case, fault, needle):
    url = site.add_video(case, clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = transcript_first(url)
    hid = store.add_highlight(vid, 0, 0, 0, 3, 0, 1000, "Ada")
    site.faults[f"/media/{case}.mp4"] = dict(fault, times=fault.get("times", 99))
    with pytest.raises(DownloadStopped) as stopped:
        download(store, vid)
    text = str(stopped.value)
    assert needle in text and text.count(". ") <= 2 and "Error" not in text and "Traceback" not in text
    row = store.video(vid)
    assert row["media_path"] == "" and row["video_state"] in ("partial", "none") and row["video_error"] == text
    assert row["cue_count"] == 4 and store.highlight(hid) is not None  # the transcript and the note stay
    site.faults.clear()  # the server mends: Download Video again brings the whole video
    assert download(store, vid).media.read_bytes() == clip_bytes


def test_a_server_answering_416_to_a_resume_still_ends_with_the_whole_video(site, clip_bytes):
    url = site.add_video("r416", clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = transcript_first(url)
    site.faults["/media/r416.mp4"] = {"kind": "drop", "at": 30_000, "times": 1}
    with pytest.raises(DownloadStopped):
        download(store, vid)
    assert store.video(vid)["video_state"] == "partial"
    site.faults["/media/r416.mp4"] = {"kind": "416", "times": 1}
    try:  # yt-dlp starts over on a 416, and may write the rest of the file as if it were all of it
        whole = download(store, vid, retries=2).media.read_bytes()
    except DownloadStopped as exc:
        assert "not whole" in str(exc) and store.video(vid)["media_path"] == ""  # caught, never used
        whole = download(store, vid).media.read_bytes()  # the next try starts again and brings it whole
    assert whole == clip_bytes and store.video(vid)["video_state"] == "complete"


@pytest.mark.parametrize("cut", ["tail", "half", "empty", "garbage"])
def test_a_half_video_is_never_taken_for_a_whole_one(tmp_path, clip_bytes, cut):
    body = {"tail": clip_bytes[:-4000], "half": clip_bytes[: len(clip_bytes) // 2], "empty": b"",
            "garbage": b"\x00\x01" * 5000}[cut]
    path = tmp_path / "media.mp4"
    path.write_bytes(body)
    assert whole_video_problem(path, 0, 8000)
    assert whole_video_problem(path, len(clip_bytes), 0)
    path.write_bytes(clip_bytes)
    assert whole_video_problem(path, len(clip_bytes), 8000) == ""


def test_a_link_with_no_subtitles_is_stored_and_its_video_follows(site, clip_bytes):
    url = site.add_video("mute", clip_bytes)
    store, vid, prepared = transcript_first(url)
    assert store.video(vid)["cue_count"] == 0 and any("can be transcribed" in n for n in prepared.notices)
    download(store, vid)
    assert store.video(vid)["media_path"] and store.may_transcribe(vid, True) == ""


def test_importing_again_keeps_the_video_the_entry_has(site, clip_bytes):
    url = site.add_video("twice", clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = transcript_first(url)
    media = download(store, vid).media
    again = commit(store, prepare_url(url, ImportOptions(later=True), extractors=IE))
    row = store.video(again)
    assert again == vid and row["media_path"] == str(media) and media.is_file() and row["video_state"] == "complete"


def test_a_second_downloader_of_the_same_entry_is_refused(site, clip_bytes):
    from reader.library.video_download import begin, unlock_folder

    url = site.add_video("busy", clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = transcript_first(url)
    _url, _folder, lock = begin(store, vid)
    try:
        with pytest.raises(Exception, match="already being downloaded"):
            download(store, vid)
    finally:
        unlock_folder(lock)


@pytest.mark.parametrize("state", ["none", "partial", None, "bogus"])
def test_backups_carry_the_download_state_and_restore_reads_it_or_its_absence(site, clip_bytes, tmp_path, state):
    from reader.exchange.backup import ExportError, backup
    from reader.exchange.restore import restore

    url = site.add_video("kept", clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = transcript_first(url)
    data = backup(store)
    assert data["videos"][0]["video"]["video_state"] == "none"
    if state is None:
        del data["videos"][0]["video"]["video_state"]  # a backup from before the field
    else:
        data["videos"][0]["video"]["video_state"] = state
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data))
    remove(store, vid)
    if state == "bogus":
        with pytest.raises(ExportError):
            restore(store, path)
        assert store.count() == 0
        return
    restore(store, path)
    row = store.videos()[0]
    assert row["cue_count"] == 4 and row["video_state"] == "none" and lacks_video(row)  # offered for download again


@pytest.mark.parametrize("cut_short", [False, True], ids=["not downloaded", "cut short"])
def test_an_entry_without_its_video_exports_backs_up_and_restores_as_one(site, clip_bytes, tmp_path, data_dir, monkeypatch, cut_short):
    """Markdown and Anki (no audio clips, no failure), the backup's state, and a restore elsewhere that offers the
    video again; Download Video there brings it whole into a folder of that library's own."""
    import zipfile

    from reader.exchange.formats import export
    from reader.exchange.restore import restore

    url = site.add_video("away", clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = transcript_first(url)
    store.add_highlight(vid, 0, 0, 0, 3, 0, 1000, "Ada", note="the opening")
    if cut_short:
        site.faults["/media/away.mp4"] = {"kind": "drop", "at": 30_000, "times": 99}
        with pytest.raises(DownloadStopped):
            download(store, vid)
        site.faults.clear()
    assert "Ada" in export(store, vid, "md", tmp_path / "away.md")[0].read_text()
    deck = export(store, vid, "anki", tmp_path / "away.apkg")[0]
    assert zipfile.ZipFile(deck).read("media") == b"{}"  # a deck without sound, since there is no video yet
    export(store, None, "json", tmp_path / "backup.json")
    saved = json.loads((tmp_path / "backup.json").read_text())["videos"][0]["video"]
    assert saved["video_state"] == ("partial" if cut_short else "none") and saved["media_path"] == ""
    store.close()
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "elsewhere"))  # another library, another machine
    other = Store()
    restore(other, tmp_path / "backup.json")
    row = other.videos()[0]
    assert lacks_video(row) and download_words(row) == "video not downloaded" and row["video_folder"] == ""
    assert other.highlights(row["id"])[0]["note"] == "the opening"
    done = download(other, row["id"])
    assert done.media.read_bytes() == clip_bytes and str(tmp_path / "elsewhere") in str(done.media)


def test_a_full_disk_midway_ends_in_one_sentence_keeps_the_entry_and_resumes_once_there_is_room(site, clip_bytes, tmpfs,
                                                                                                  monkeypatch):
    import subprocess

    disk = tmpfs("6m", "small")
    monkeypatch.setenv("READER_DATA_DIR", str(disk / "data"))
    big = clip_bytes + bytes(8_000_000)  # trailing bytes: it still decodes, and it is larger than the disk
    url = site.add_video("full", big, creator_vtt=CLIP_VTT)
    store, vid, _ = transcript_first(url)
    hid = store.add_highlight(vid, 0, 0, 0, 3, 0, 1000, "Ada", note="kept")
    with pytest.raises(DownloadStopped) as stopped:
        download(store, vid)
    text = str(stopped.value)
    assert "full" in text and "Traceback" not in text and "Errno" not in text and text.count(". ") <= 2
    row = store.video(vid)
    assert row["media_path"] == "" and row["cue_count"] == 4 and store.highlight(hid)["note"] == "kept"
    # the full disk holds the library too, so its row may still say downloading: no Reader holds it, so it reads as stopped
    assert row["video_state"] in ("partial", "none") or not download_running(row)
    store.close()
    again = Store()  # the library opens, whole, with the disk still full
    assert again.db.execute("pragma quick_check").fetchone()[0] == "ok" and again.video(vid)["cue_count"] == 4
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)  # room again: Download Video brings it whole
    assert download(again, vid).media.read_bytes() == big
    assert again.video(vid)["video_state"] == "complete"
    again.close()
