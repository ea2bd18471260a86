"""Imports with real yt-dlp against a site on loopback: what arrives, and every way it can fail."""

import json
from pathlib import Path

import pytest

from reader.library.db.store import Store
from reader.library.download import ImportCancelled, ImportFailed, ImportOptions, is_playlist, probe
from reader.library.importing import commit, entry_folder, media_root, prepare_file, prepare_url, remove

from fake_site import FakeTubeIE
from media import CLIP_VTT

AUTO_JSON3 = json.dumps({"events": [
    {"tStartMs": 0, "dDurationMs": 2000, "segs": [{"utf8": "automatic"}, {"utf8": " words", "tOffsetMs": 600}]},
    {"tStartMs": 2000, "dDurationMs": 2000, "segs": [{"utf8": "second"}, {"utf8": " line", "tOffsetMs": 400}]},
]})


def run_import(url, options=None, **kw):
    prepared = prepare_url(url, options or ImportOptions(), extractors=[FakeTubeIE()], **kw)
    store = Store()
    return store, commit(store, prepared), prepared


def nothing_left_behind(store=None):
    assert not list(media_root().glob(".staging-*"))
    if store is not None:
        assert store.count() == 0


def test_creator_subtitles_media_thumbnail_chapters_and_description(site, clip_bytes):
    url = site.add_video("talk1", clip_bytes, creator_vtt=CLIP_VTT, auto_json3=AUTO_JSON3,
                         chapters=[(0, "Opening"), (3.5, "Reply")], description="A talk.\n\nhttps://example.org/notes")
    progress = []
    store, vid, prepared = run_import(url, on_progress=progress.append)
    row = store.video(vid)
    assert row["site"] == "faketube" and row["site_id"] == "talk1"
    assert row["title"] == "A talk about reading" and row["channel"] == "Reader Test Channel"
    assert row["upload_date"] == "2026-01-02" and row["duration_ms"] == 8000
    assert row["description"].startswith("A talk.")
    assert row["transcript_source"] == "creator" and row["transcript_language"] == "en"
    folder = entry_folder(row)  # a folder of its own, named after the video
    assert folder.parent == media_root() and folder.name.startswith("faketube-talk1-")
    assert row["media_path"] == str(folder / "media.mp4") and (folder / "media.mp4").read_bytes() == clip_bytes
    assert (folder / "captions.en.vtt").read_text() == CLIP_VTT  # the raw caption file is kept
    assert row["thumbnail_path"] == str(folder / "thumbnail.png")
    t = store.transcript(vid)
    assert [c.speaker for c in t.cues] == ["Ada", "Ada", "Ben", "Ben"]
    assert [(c.start_ms, c.title) for c in t.chapters] == [(0, "Opening"), (3500, "Reply")]
    stages = [p.stage for p in progress]
    assert stages[0] == "Reading the page" and "Downloading the transcript" in stages and "Downloading video" in stages
    downloading = [p for p in progress if p.stage == "Downloading video"]
    assert downloading[-1].downloaded == len(clip_bytes) and downloading[-1].total == len(clip_bytes)
    nothing_left_behind()


def test_automatic_captions_prefer_json3_and_keep_word_timings(site, clip_bytes):
    url = site.add_video("auto1", clip_bytes, auto_json3=AUTO_JSON3, auto_vtt="WEBVTT\n\n00:00.000 --> 00:01.000\nvtt\n",
                         description="0:00 Start\n0:04 Later part\n")
    store, vid, _ = run_import(url)
    row = store.video(vid)
    assert row["transcript_source"] == "automatic" and row["transcript_format"] == "youtube-json3"
    t = store.transcript(vid)
    assert [c.text for c in t.cues] == ["automatic words", "second line"]
    assert [(w.start_ms, w.text) for w in t.cues[0].words] == [(0, "automatic"), (600, "words")]
    assert [(c.start_ms, c.title) for c in t.chapters] == [(0, "Start"), (4000, "Later part")]  # from the description


def test_transcript_only_downloads_no_media(site, clip_bytes):
    url = site.add_video("text1", clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = run_import(url, ImportOptions(video=False))
    row = store.video(vid)
    assert row["media_path"] == "" and row["cue_count"] == 4
    assert not any(r.startswith("/media/") for r in site.requests)


def test_a_direct_media_link_with_no_subtitles_imports_with_a_notice(site, clip_bytes):
    url = site.add("/files/lecture.mp4", clip_bytes, "video/mp4")
    prepared = prepare_url(url, ImportOptions())
    store = Store()
    vid = commit(store, prepared)
    assert store.video(vid)["media_path"].endswith(".mp4") and store.video(vid)["transcript_source"] == "none"
    assert any("no subtitles" in n for n in prepared.notices)


def test_reimport_updates_the_same_entry_and_keeps_the_place(site, clip_bytes):
    url = site.add_video("again", clip_bytes, creator_vtt=CLIP_VTT)
    store, vid, _ = run_import(url)
    store.set_position(vid, 4_000)
    site.add_video("again", clip_bytes, creator_vtt=CLIP_VTT, title="Renamed talk")
    again = commit(store, prepare_url(url, ImportOptions(), extractors=[FakeTubeIE()]))
    assert again == vid and store.count() == 1
    assert store.video(vid)["title"] == "Renamed talk" and store.video(vid)["last_position_ms"] == 4_000
    folder = entry_folder(store.video(vid))  # the new copy's folder; the old one is gone
    assert [p.name for p in media_root().iterdir()] == [folder.name] and folder.name.startswith("faketube-again-")
    remove(store, vid)
    assert store.count() == 0 and not list(media_root().iterdir())


@pytest.mark.parametrize("case,needle", [
    ("removed", "unavailable"),
    ("rate-limited", "limiting requests"),
    ("private", "private"),
    ("no-subtitles", "no subtitles"),
    ("offline", "No connection"),
    ("not-a-link", "not a web address"),
    ("unsupported", "does not know how to import"),
])
def test_failures_explain_themselves_and_leave_nothing(site, clip_bytes, case, needle):
    options = ImportOptions()
    if case == "removed":
        url = site.base + "/watch?v=gone"
    elif case == "rate-limited":
        url = site.add_video("busy", clip_bytes, creator_vtt=CLIP_VTT, status=429)
    elif case == "private":
        url = site.add_video("secret", clip_bytes)
        site.add("/watch?v=secret", json.dumps({"id": "secret", "private": True}).encode(), "application/json")
    elif case == "no-subtitles":
        url = site.add_video("mute", clip_bytes)
        options = ImportOptions(video=False)
    elif case == "offline":
        url = "http://127.0.0.1:9/watch?v=nowhere"  # the discard port: nothing listens
    elif case == "not-a-link":
        url = "talk about reading"
    else:
        url = site.add("/page.html", b"<html><body>no video here</body></html>", "text/html")
    with pytest.raises(ImportFailed) as err:
        prepare_url(url, options, extractors=[FakeTubeIE()])
    assert needle.lower() in str(err.value).lower()
    assert "Traceback" not in str(err.value)
    nothing_left_behind(Store())


def test_a_full_disk_fails_clearly(site, clip_bytes, monkeypatch):
    import errno

    from yt_dlp.downloader.http import HttpFD

    def no_space(self, filename, info_dict):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(HttpFD, "real_download", no_space)
    url = site.add_video("full", clip_bytes, creator_vtt=CLIP_VTT)
    with pytest.raises(ImportFailed, match="disk is full"):
        prepare_url(url, ImportOptions(), extractors=[FakeTubeIE()])
    nothing_left_behind(Store())


def test_cancel_stops_the_download_and_removes_partial_files(site):
    big = bytes(4_000_000)
    url = site.add_video("slow", big, creator_vtt=CLIP_VTT)
    site.throttle["/media/slow.mp4"] = 0.02
    seen = []

    def progress(p):
        seen.append(p)

    with pytest.raises(ImportCancelled):
        prepare_url(url, ImportOptions(), progress, cancelled=lambda: any(p.downloaded > 200_000 for p in seen), extractors=[FakeTubeIE()])
    downloaded = max(p.downloaded for p in seen)
    assert 200_000 < downloaded < len(big)  # it really stopped midway
    nothing_left_behind(Store())


def test_a_playlist_link_lists_its_entries(site, clip_bytes):
    for v in ("p1", "p2"):
        site.add_video(v, clip_bytes, creator_vtt=CLIP_VTT)
    url = site.add_playlist("PL1", ["p1", "p2"])
    info = probe(url, [FakeTubeIE()])
    assert is_playlist(info)
    assert [e["url"] for e in info["entries"]] == [site.base + "/watch?v=p1", site.base + "/watch?v=p2"]
    with pytest.raises(ImportFailed, match="playlist"):
        prepare_url(url, ImportOptions(), extractors=[FakeTubeIE()])


def test_a_local_file_is_titled_by_its_own_metadata_else_its_name_and_timed_by_its_transcript(tmp_path):
    from media import CLIP_VTT, make_clip

    titled = make_clip(tmp_path / "rec_0042.mp4", seconds=2, title="A Talk\x07 on\nSpaced   Repetition")
    row = Store().video(commit(Store(), prepare_file(titled)))
    assert row["title"] == "A Talk on Spaced Repetition" and abs(row["duration_ms"] - 2_000) < 200
    sound = make_clip(tmp_path / "episode.m4a", seconds=2, video=False)
    row = Store().video(commit(Store(), prepare_file(sound)))
    assert row["title"] == "episode" and row["thumbnail_path"] == ""  # no picture to take
    subs_only = tmp_path / "notes_from_class.en.vtt"
    subs_only.write_text(CLIP_VTT, encoding="utf-8")
    row = Store().video(commit(Store(), prepare_file(None, subs_only)))
    assert row["title"] == "notes from class" and row["duration_ms"] == 7_500
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all")
    (tmp_path / "broken.vtt").write_text(CLIP_VTT, encoding="utf-8")
    row = Store().video(commit(Store(), prepare_file(broken)))
    assert row["title"] == "broken" and row["duration_ms"] == 7_500  # no metadata to read: the name, the transcript's end


def test_local_files_are_linked_in_and_reimport_is_the_same_entry(clip_dir):
    store = Store()
    vid = commit(store, prepare_file(clip_dir / "talk.mp4"))
    row = store.video(vid)
    assert row["site"] == "local" and row["title"] == "talk" and row["cue_count"] == 4
    assert abs(row["duration_ms"] - 8_000) < 200  # read from the file, so the library shows length and progress
    thumbnail = Path(row["thumbnail_path"])  # a frame from the video, kept with it
    assert thumbnail.parent == Path(row["media_path"]).parent and thumbnail.read_bytes()[:2] == b"\xff\xd8"
    assert row["media_path"].startswith(str(media_root())) and row["transcript_source"] == "file"
    assert commit(store, prepare_file(clip_dir / "talk.mp4")) == vid and store.count() == 1
    opened = commit(store, prepare_file(clip_dir / "talk.mp4", copy=False))  # `reader open`: refers in place
    assert store.video(opened)["media_path"] == str((clip_dir / "talk.mp4").resolve())
    picture = Path(store.video(opened)["thumbnail_path"])  # kept in Reader's folder, not beside the file
    assert picture.is_file() and picture.parent.name == "thumbnails"
    remove(store, opened)
    assert (clip_dir / "talk.mp4").exists()  # never deletes a file the user opened in place
    assert not picture.exists()  # but does delete its own picture of it
    nothing_left_behind()


@pytest.mark.parametrize("case", ["media", "media and its transcript", "a transcript that cannot be read", "a transcript alone",
                                  "a missing file"])
def test_opening_in_place_is_one_rule(clip_dir, tmp_path, case):
    """`reader open` and the window's Open both go through open_in_place: an entry that refers to the
    files where they are; a named transcript that cannot be used changes nothing and says why."""
    from reader.library.importing import open_in_place, opened_entry

    store = Store()
    media, subs = clip_dir / "talk.mp4", clip_dir / "talk.en.vtt"
    bad = tmp_path / "bad.vtt"
    bad.write_bytes(b"\x00\x01 not a transcript")
    first = open_in_place(store, media)
    assert first.problem == "" and first.video_id == opened_entry(store, media)
    assert store.video(first.video_id)["media_path"] == str(media.resolve())
    given = {"media": (media, None), "media and its transcript": (media, subs), "a transcript that cannot be read": (media, bad),
             "a transcript alone": (None, subs), "a missing file": (tmp_path / "gone.mp4", None)}[case]
    opened = open_in_place(store, *given)
    if case in ("media", "media and its transcript"):
        assert opened.video_id == first.video_id and not opened.problem and opened.prepared is not None
    elif case == "a transcript that cannot be read":
        assert opened.video_id == first.video_id and opened.prepared is None  # the entry it had, unchanged
        assert opened.problem.endswith(".") and store.video(first.video_id)["cue_count"] == 4
    elif case == "a transcript alone":
        assert opened.video_id not in (None, first.video_id) and store.video(opened.video_id)["media_path"] == ""
    else:
        assert opened.video_id is None and "no such file" in opened.problem
    store.close()
