"""Every real-world file in ../shared/corpus reads as its MANIFEST.md says, or fails as it says.

Where Reader deliberately differs from the manifest's element counts, the row says why: a reader
drops cues with no text (the manifest counts them), and decodes legacy code pages properly.
"""

import json

import pytest

from reader.transcript import TranscriptError, read_transcript

# file: (cue count, (first start ms, first text prefix), (last start ms, last text prefix)) or an error fragment
EXPECTED = {
    "ass-ssa/astisub__example-in-carriage-return.ssa": (3, (0, "Did one of the last stories strike you as"), (10733, "at a busy bus stop or anywhere")),
    "ass-ssa/astisub__example-in.ssa": (6, (99000, "(deep rumbling)"), (151400, "(computer playing\nelectronic melody)")),
    "ass-ssa/pysubs2__subtitle_with_attached_fonts_aegisub.ass": (1, (0, "Test subtitle."), (0, "Test subtitle.")),
    "ass-ssa/pysubs2__subtitle_with_attached_images_aegisub.ass": (0, None, None),  # its one event has no text
    "ass-ssa/pysubs2__subtitle_with_attached_images_pysubs2_ref.expected.ass": (0, None, None),
    "ass-ssa/subsrt__sample.ass": (1, (1180, "Like an Angel with pity on nob"), (1180, "Like an Angel")),
    "ass-ssa/subsrt__sample.ssa": (1, (1180, "Like an angel with pity on nob"), (1180, "Like an angel")),
    "other-formats/subsrt__sample.json": (5, (599, "Hi, my name is Alice Miller and this is John"), (16700, "Okay, so we have all the ingredients laid out")),
    "other-formats/subsrt__sample.lrc": (6, (12000, "Line 1 lyrics"), (29020, "Line 6 lyrics")),
    "other-formats/subsrt__sample.sbv": (5, (599, "Hi, my name is Alice Miller\nand"), (16700, "Okay, so we have all the ingredients")),
    # SAMI: 11 SYNCs, of which 5 are &nbsp; screen-clears that only end the line before them.
    "other-formats/subsrt__sample.smi": (6, (185113, "500년 전,"), (335453, "빨리! 빨리!")),
    "other-formats/subsrt__sample.srt": (5, (599, "Hi, my name is Alice Miller and thi"), (16700, "Okay, so we have all the ingredients")),
    # MicroDVD without an fps line, read at 25 fps: the writer's quirk makes times 1000x (see MANIFEST).
    "other-formats/subsrt__sample.sub": (5, (599000, "Hi, my name is Alice Miller and this is John"), (16700000, "Okay, so we have all the ingredients")),
    "other-formats/subsrt__sample.vtt": (5, (1000, "— Hi, my name is Alice Miller and this is Joh"), (24000, "Okay, so we have all the ingredients laid out")),
    "other-formats/webvtt-py__sample.sbv": (5, (378, "Caption text #1"), (17484, "Caption text #5")),
    "srt/astisub__example-in-carriage-return.srt": (3, (0, "Did one of the last stories strike you as\nmor"), (10733, "at a busy bus stop or anywhere\nelse for that")),
    "srt/astisub__example-in-html-entities.srt": (3, (331, "The man in black fled across the desert,"), (6331, "there are other < worlds than these.")),
    "srt/astisub__example-in-non-utf8.srt": (6, (99000, "(deep rumbling)"), (151400, "(computer playing\nelectronic melody)")),
    "srt/astisub__example-in-styled.srt": (10, (17985, "[instrumental music]"), (720000, "x^3 * x = 100")),
    "srt/astisub__example-in.srt": (6, (99000, "(deep rumbling)"), (151400, "(computer playing\nelectronic melody)")),
    "srt/astisub__missing-sequence-in.srt": (6, (99000, "(deep rumbling)"), (151400, "(computer playing\nelectronic melody)")),
    "srt/cdown-srt__ascii.srt": (3, (27000, "ascii"), (34100, "ascii everywhere")),
    # GB2312: the manifest shows the cp1252 mojibake of a naive reading; Reader decodes the Chinese.
    "srt/cdown-srt__gb2312.srt": (3, (27000, "宇宙守护神"), (34100, "轻轻一跳就能飞跃高楼")),
    "srt/webvtt-py__invalid_timeframe.srt": (5, (500, "Caption text #1"), (21580, "Caption text #5")),
    "srt/webvtt-py__missing_caption_text.srt": (4, (500, "Caption text #1"), (21580, "Caption text #5")),  # 5 with the empty one
    "srt/webvtt-py__missing_timeframe.srt": (4, (500, "Caption text #1\nCaption text #2"), (21580, "Caption text #5")),
    "transcripts/lattifai__DQacCB9tDaw_16K_First05Mins.md": (50, (0, "[Applause]"), (304701, "And we're very, very excited")),
    "webvtt-misc/astisub__broken-1-in.vtt": "must start with the line WEBVTT",
    "webvtt-misc/astisub__example-in-carriage-return.vtt": (3, (0, "Did one of the last stories strike you as\nmore"), (10733, "at a busy bus stop or anywhere\nelse")),
    "webvtt-misc/astisub__example-in-non-utf8.vtt": "must be UTF-8",
    # Strict WebVTT gives 0 cues (no milliseconds); lenient readers give 6, which is what a person wants.
    "webvtt-misc/astisub__example-in.vtt": (6, (99000, "(deep rumbling)"), (151400, "(computer playing\nelectronic melody)")),
    "webvtt-misc/webvtt-py__captions_with_bom.vtt": (4, (500, "Caption text #1"), (16320, "Caption text #4")),
    "webvtt-misc/webvtt-py__comments.vtt": (3, (135000, "- Ta en kopp varmt te.\n- Det är inte varmt."), (145000, "- Ta en kopp")),
    "webvtt-misc/webvtt-py__cue_tags.vtt": (3, (16500, "When the moon hits your eye"), (20500, "That's amore")),
    "webvtt-misc/webvtt-py__invalid_timeframe_in_cue_text.vtt": (3, (500, "Caption text #1"), (11890, "Caption text #3")),  # 4 with the empty one
    "webvtt-misc/webvtt-py__metadata_headers_multiline.vtt": (2, (500, "Caption text #1"), (7000, "Caption text #2")),
    "webvtt-misc/webvtt-py__missing_caption_text.vtt": (4, (500, "Caption text #1"), (21580, "Caption text #5")),  # 5 with the empty one
    "webvtt-misc/webvtt-py__netflix_chicas_del_cable.vtt": (865, (7960, "[Alba] En 1928,"), (3147320, "Alba.")),
    "webvtt-misc/webvtt-py__styles.vtt": (1, (0, "- Hello world."), (0, "- Hello world.")),
    "webvtt-misc/webvtt-py__using_identifiers.vtt": (6, (500, "Caption text #1"), (23880, "Caption text #6")),
    "youtube/lattifai-captions__a16z_sample.json3": (11, (80, "The diffusion of AI capability is going"), (17279, "wild one in the next couple years.")),
    "youtube/lattifai___xYSQe9oq6c.en.vtt": (327, (10240, "It’s been a hell of a decade for roguelikes."), (1641489, "*chill vibes from Going Under*")),
    # Rolling auto-captions: each spoken line once (see simonw__demo.expected.json).
    "youtube/simonw__demo.en.vtt": (2, (0, "my career in side projects and open"), (1839, "source basically this is so i've been")),
    "youtube/webvtt-py__youtube_dl.vtt": (3, (286070, "yeah"), (304080, "this will happen is I'm telling")),
    # srv1: 4 <text> elements, one empty (dropped, as youtube-transcript-api does).
    "youtube/youtube-transcript-api__transcript.xml": (3, (0, "Hey, this is just a test"), (5700, "just something shorter, I made up for testing")),
}

SKIP = {"webvtt-wpt", "long-talks", "MANIFEST.md", "simonw__demo.expected.json"}  # these have their own tests


def test_every_corpus_file_has_an_expectation(corpus):
    files = {
        str(p.relative_to(corpus))
        for p in corpus.rglob("*")
        if p.is_file() and not any(part in SKIP for part in p.relative_to(corpus).parts) and p.name not in SKIP
    }
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(corpus, name):
    expected = EXPECTED[name]
    if isinstance(expected, str):
        with pytest.raises(TranscriptError) as err:
            read_transcript(corpus / name)
        assert expected in str(err.value) and str(err.value).startswith(name.split("/")[-1])
        return
    t = read_transcript(corpus / name)
    count, first, last = expected
    assert len(t.cues) == count
    if count:
        assert (t.cues[0].start_ms, t.cues[0].text[: len(first[1])]) == first
        assert (t.cues[-1].start_ms, t.cues[-1].text[: len(last[1])]) == last


def test_every_long_talk_reads_whole(corpus):
    """The 24 hour-long podcast transcripts: every cue the file times, 40-90 minutes each, no empty line.

    (MANIFEST says 500-1,000 cues; the files hold 603-1,825 timed cues, one per `-->` line.)"""
    talks = sorted((corpus / "long-talks").glob("*.vtt"))
    assert len(talks) == 24
    for path in talks:
        t = read_transcript(path)
        timed = sum("-->" in line for line in path.read_text(encoding="utf-8").splitlines())
        assert len(t.cues) == timed, path.name
        assert 40 <= t.cues[-1].end_ms / 60_000 <= 90, path.name
        assert all(c.text.strip() for c in t.cues), path.name
        assert all(a.start_ms <= b.start_ms for a, b in zip(t.cues, t.cues[1:])), path.name


def test_youtube_dedupe_matches_upstream_expectation(corpus):
    expected = json.loads((corpus / "youtube" / "simonw__demo.expected.json").read_text())
    t = read_transcript(corpus / "youtube" / "simonw__demo.en.vtt")
    assert [c.text for c in t.cues] == [line for cue in expected["dedupe"] for line in cue["lines"]]
    assert t.cues[0].words[1].text == "career" and t.cues[0].words[1].start_ms == 160


def test_netflix_file_strips_tags_like_webvtt_py(corpus):
    t = read_transcript(corpus / "webvtt-misc" / "webvtt-py__netflix_chicas_del_cable.vtt")
    assert t.cues[-2].text == "Diez años no son suficientes\npara olvidarte..."


def test_markdown_transcript_chapters_and_speaker(corpus):
    t = read_transcript(corpus / "transcripts" / "lattifai__DQacCB9tDaw_16K_First05Mins.md")
    assert [c.title for c in t.chapters][:2] == ["Introduction and Mission", "Desktop App and UI Refresh"]
    assert {c.speaker for c in t.cues} == {None, "Mira Murati"}
