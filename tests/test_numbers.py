"""Every number from a link, a file or a server is range-checked before SQL: huge, negative, NaN, infinite
or text values are left out or held in range, never an OverflowError from SQLite."""

import json
import math

import pytest

from reader.base.numbers import MAX_MS, amount, clamped, seconds_ms, whole
from reader.cli import main as cli
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.library.download import ImportFailed, ImportOptions, Progress
from reader.library.importing import commit, prepare_url
from reader.transcript.model import Chapter, Cue, Transcript

from fake_site import FakeTubeIE
from media import CLIP_VTT

HOSTILE = [10**30, -(10**30), 2**63, -1, float("nan"), float("inf"), float("-inf"), 1e300, "abc", "9" * 5000, "1e400",
           "NaN", "", None, True, [], {}, "١٢٣"]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_hostile_values_are_defaults(value):
    assert whole(value, 0, MAX_MS, "x") == ("x" if value not in (-1,) else "x")
    assert seconds_ms(value, "x") == "x"
    assert amount(value, default="x") == "x"
    held = clamped(value, 0, MAX_MS, 7)
    assert isinstance(held, int) and 0 <= held <= MAX_MS


@pytest.mark.parametrize("value,ms", [(8, 8000), (8.25, 8250), ("8.5", 8500), (" 12 ", 12000), (0, 0), (MAX_MS // 1000, MAX_MS // 1000 * 1000)])
def test_good_seconds(value, ms):
    assert seconds_ms(value) == ms


@pytest.mark.parametrize("value,expected", [(5, 5), ("42", 42), (3.0, 3), (3.5, None), (2**63, None), ("+7", 7), ("-7", None)])
def test_whole(value, expected):
    assert whole(value, 0, 2**63 - 1) == expected


def test_the_store_holds_every_number_in_range(tmp_path):
    store = Store(tmp_path / "lib.db")
    cue = Cue(0, 1000, "a line")
    cue.start_ms, cue.end_ms = 10**30, float("inf")  # as a buggy reader could leave them
    record = VideoRecord(site="web", site_id="x", title="T", source_url="", channel="", description="",
                         duration_ms=10**40, upload_date="", media_path="", thumbnail_path="", transcript_path="",
                         transcript_source="file", transcript_language="")
    vid = store.add_video(record, Transcript([cue], [Chapter(10**25, "far")], [], "srt"))
    store.set_position(vid, 10**30)
    store.learn_duration(vid, float("inf"))
    row = store.video(vid)
    assert 0 <= row["duration_ms"] <= MAX_MS and 0 <= row["last_position_ms"] <= MAX_MS
    t = store.transcript(vid)
    assert t.cues[0].start_ms <= MAX_MS and t.chapters[0].start_ms <= MAX_MS


# yt-dlp's info as a hostile page sends it: each value in turn for the duration, a chapter's start, and the counts
PAGE_VALUES = [1e300, -5, "NaN", float("nan"), float("inf"), "abc", 10**30, True, "9" * 400]


@pytest.mark.parametrize("value", PAGE_VALUES, ids=repr)
def test_an_import_whose_page_has_hostile_numbers(site, clip_bytes, value, caplog):
    url = site.add_video("n1", clip_bytes, creator_vtt=CLIP_VTT, chapters=[[0, "Opening"], [value, "Hostile"], [3, "Later"]],
                         extra={"duration": value, "view_count": value, "like_count": value, "timestamp": value,
                                "release_timestamp": value, "filesize": value})
    store = Store()
    if isinstance(value, float) and not math.isfinite(value):  # yt-dlp itself cannot do sums on these: one sentence
        with pytest.raises(ImportFailed) as failed:
            prepare_url(url, ImportOptions(video=False), extractors=[FakeTubeIE()])
        assert "not numbers" in str(failed.value) and "Error" not in str(failed.value) and store.count() == 0
        return
    prepared = prepare_url(url, ImportOptions(video=False), extractors=[FakeTubeIE()])
    vid = commit(store, prepared)
    row = store.video(vid)
    assert 0 <= row["duration_ms"] <= MAX_MS
    titles = [c.title for c in store.transcript(vid).chapters]
    assert titles[0] == "Opening" and "Later" in titles
    assert all(0 <= c.start_ms <= MAX_MS for c in store.transcript(vid).chapters)
    assert "OverflowError" not in caplog.text


@pytest.mark.parametrize("d", [
    {"status": "downloading", "downloaded_bytes": float("inf"), "total_bytes": 10**30, "speed": float("nan"), "eta": "soon"},
    {"status": "downloading", "downloaded_bytes": -5, "total_bytes_estimate": 1e300, "speed": -1.0, "eta": 1e300},
    {"status": "downloading", "downloaded_bytes": "12", "total_bytes": "x", "speed": True, "eta": None},
])
def test_download_progress_numbers_are_checked(d):
    from reader.library.download import amount as used  # the hook's own checker

    downloaded, total = used(d.get("downloaded_bytes"), default=0), used(d.get("total_bytes")) or used(d.get("total_bytes_estimate"))
    p = Progress("Downloading video", downloaded, total or None, used(d.get("speed")), used(d.get("eta")))
    assert p.fraction is None or math.isfinite(p.fraction)
    assert json.dumps([p.downloaded, p.total, p.speed, p.eta])


@pytest.mark.parametrize("link,needle", [
    ("reader://video/99999999999999999999999", "names no video"),
    ("reader://video/0", "names no video"),
    ("reader://video/3?t=99999999999999999999999999", "too far out"),
])
def test_a_reader_link_with_huge_numbers_is_one_sentence(capsys, link, needle):
    code = cli.main(["open", link])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err and "Error" not in err
