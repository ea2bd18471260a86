"""Every path that writes a video's lines keeps ranked search in step: after it, search finds the new words and not the removed ones."""

from __future__ import annotations

import pytest

from reader.exchange.formats import export
from reader.exchange.restore import restore
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.library.passages import passages
from reader.library.search import search_library
from reader.transcript.model import Cue, Transcript


def talk(*lines, step=4000):
    return Transcript([Cue(i * step, i * step + step - 500, t) for i, t in enumerate(lines)], [], [], "srt")


def found(store, word) -> list[int]:
    """The videos both ranked search and the passages API name for a word (they must agree)."""
    videos = [v.video_id for v in search_library(store, word + " ").videos if v.line_count]
    assert sorted(videos) == sorted({p.video_id for p in passages(store, word + " ")})
    return videos


@pytest.fixture
def store(data_dir):
    s = Store()
    yield s
    s.close()


def test_add_video_over_an_entry_replaces_its_words(store):
    first = store.add_video(VideoRecord("local", "a", "A"), talk("the walrus speaks of tides"))
    assert found(store, "walrus") == [first]
    again = store.add_video(VideoRecord("local", "a", "A"), talk("a narwhal speaks of ice"))
    assert again == first and found(store, "narwhal") == [first] and found(store, "walrus") == []


def test_set_transcript_replaces_its_words(store):
    vid = store.add_video(VideoRecord("local", "a", "A"), talk("the walrus speaks of tides"))
    store.set_transcript(vid, talk("a narwhal speaks of ice", "and more ice"))
    assert found(store, "narwhal") == [vid] and found(store, "walrus") == []


def test_remove_video_takes_its_words_away(store):
    keep = store.add_video(VideoRecord("local", "k", "K"), talk("the walrus stays"))
    gone = store.add_video(VideoRecord("local", "g", "G"), talk("the walrus goes", "a narwhal too"))
    store.remove_video(gone)
    assert found(store, "walrus") == [keep] and found(store, "narwhal") == []


def test_a_restore_indexes_the_videos_it_adds(store, tmp_path, monkeypatch):
    vid = store.add_video(VideoRecord("youtube", "r1", "Restored"), talk("the walrus speaks of tides"))
    store.add_highlight(vid, 0, 0, 0, 3, 0, 3500, "the", note="a narwhal note")
    target = tmp_path / "backup.json"
    export(store, None, "json", target)
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "other"))
    fresh = Store()
    try:
        assert found(fresh, "walrus") == []
        restore(fresh, target)
        (new,) = found(fresh, "walrus")
        assert fresh.video(new)["title"] == "Restored"
        (result,) = search_library(fresh, "narwhal").videos  # the restored note is found beside the lines
        assert result.video_id == new and [n.kind for n in result.notes] == ["highlight"]
    finally:
        fresh.close()


def test_transcribed_stretches_are_searchable_as_they_come_and_when_redone(store):
    vid = store.add_video(VideoRecord("local", "t", "T"), None)
    job = store.start_transcription(vid, "base.en", "", "en", 0, None, 1)
    store.add_transcribed_stretch(job, vid, talk("the walrus speaks of tides").cues, 0, 30_000, "whisper:base.en", "en", [])
    assert found(store, "walrus") == [vid]
    later = [Cue(30_000 + c.start_ms, 30_000 + c.end_ms, c.text) for c in talk("a narwhal speaks of ice").cues]
    store.add_transcribed_stretch(job, vid, later, 30_000, 60_000, "whisper:base.en", "en", [])  # appended
    assert found(store, "narwhal") == [vid] and found(store, "walrus") == [vid]
    redo = store.start_transcription(vid, "small.en", "", "en", 0, 30_000, 1)  # the first stretch again: replaced
    store.add_transcribed_stretch(redo, vid, talk("an orca speaks of fish").cues, 0, 30_000, "whisper:small.en", "en", [])
    assert found(store, "orca") == [vid] and found(store, "walrus") == [] and found(store, "narwhal") == [vid]
