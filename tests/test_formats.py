"""Every supported transcript format, from fixtures written here (the shared corpus is tested apart)."""

import json

import pytest

from conftest import ROLLING
from reader.transcript import TranscriptError, parse_text, read_transcript


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def texts(t):
    return [c.text for c in t.cues]


# -- WebVTT ---------------------------------------------------------------------------------

def test_webvtt_settings_notes_styles_voices_and_entities():
    t = parse_text(
        "WEBVTT - a title\n\nSTYLE\n::cue { color: red }\n\nNOTE a comment\nover two lines\n\n"
        "intro\n00:00:01.000 --> 00:00:02.500 align:start line:90%\n<v Dr. Ada Lovelace>Numbers &amp; <i>poetry</i> &lt;3\n\n"
        "00:02.500 --> 00:04.000 position:10%\n<v.loud Ben>Fish &gt; chips&nbsp;today\n"
    )
    assert t.format == "webvtt"
    assert texts(t) == ["Numbers & poetry <3", "Fish > chips today"]
    assert [c.speaker for c in t.cues] == ["Dr. Ada Lovelace", "Ben"]
    assert [(c.start_ms, c.end_ms) for c in t.cues] == [(1000, 2500), (2500, 4000)]


def test_webvtt_lenient_when_timings_break_the_standard():
    t = parse_text("WEBVTT\n\n00:01:39 --> 00:01:41.04\n(deep rumbling)\n\n00:02:04.08 --> 00:02:07.12\nMAN:\nHow did we end up here?\n")
    assert [(c.start_ms, c.end_ms) for c in t.cues] == [(99000, 101040), (124080, 127120)]
    assert any("leniently" in w for w in t.warnings)


def test_webvtt_inline_timestamps_become_words():
    t = parse_text("WEBVTT\n\n00:00:16.500 --> 00:00:18.500\nWhen the moon <00:17.500>hits your eye\n")
    assert texts(t) == ["When the moon hits your eye"]
    assert [(w.start_ms, w.text) for w in t.cues[0].words] == [(16500, "When the moon"), (17500, "hits your eye")]


def test_youtube_rolling_captions_once_each_with_genuine_repeats_kept():
    t = parse_text(ROLLING)
    assert t.format == "youtube-vtt"
    assert texts(t) == ["no no no", "no no no", "that's what she said"]
    assert [c.start_ms for c in t.cues] == [0, 2010, 4010]
    assert [(w.start_ms, w.text) for w in t.cues[2].words] == [(4010, "that's"), (4300, "what"), (4700, "she"), (5000, "said")]


def test_youtube_json3_with_word_timings_and_speaker_turns():
    data = {"events": [
        {"tStartMs": 0, "dDurationMs": 90000, "id": 1, "wpWinPosId": 1},
        {"tStartMs": 80, "dDurationMs": 3000, "segs": [{"utf8": ">> The"}, {"utf8": " diffusion", "tOffsetMs": 240}]},
        {"tStartMs": 2000, "dDurationMs": 900, "aAppend": 1, "segs": [{"utf8": "\n"}]},
        {"tStartMs": 2100, "dDurationMs": 2000, "segs": [{"utf8": "of"}, {"utf8": " ideas", "tOffsetMs": 300}]},
    ]}
    t = parse_text(json.dumps(data))
    assert t.format == "youtube-json3"
    assert texts(t) == ["The diffusion", "of ideas"]
    assert t.cues[0].turn and not t.cues[1].turn
    assert t.cues[0].end_ms == 2100  # trimmed to where the next line starts
    assert [(w.start_ms, w.text) for w in t.cues[1].words] == [(2100, "of"), (2400, "ideas")]


def test_youtube_srv3_and_srv1():
    srv3 = '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>' \
        '<p t="80" d="3839" w="1"><s ac="0">The</s><s t="240" ac="0"> diffusion</s></p>' \
        '<p t="2550" d="1369" w="1" a="1">\n</p><p t="2560" d="2000" w="1"><s>of AI</s></p></body></timedtext>'
    t = parse_text(srv3)
    assert t.format == "youtube-srv3"
    assert texts(t) == ["The diffusion", "of AI"]
    assert [w.start_ms for w in t.cues[0].words] == [80, 320]
    srv1 = '<?xml version="1.0"?><transcript><text start="0" dur="1.5">Hey &amp;amp; &lt;i>you&lt;/i></text>' \
        '<text start="5" dur="0.5"></text><text start="5.7" dur="3.2">there</text></transcript>'
    t = parse_text(srv1)
    assert texts(t) == ["Hey & you", "there"]
    assert [c.start_ms for c in t.cues] == [0, 5700]


# -- SRT and its real-world faults ---------------------------------------------------------------

SRT = "1\n00:00:01,000 --> 00:00:02,000\n<i>Hello</i> <font color=\"red\">there</font>\n\n7\n00:00:02.500 --> 00:00:04,25\nSecond line\nwraps here\n\n00:00:05,000 --> 00:00:06,000\nno index at all"


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-32-le", b"\xff\xfe\x00\x00"),
])
def test_srt_faults_and_unicode_encodings(tmp_path, encoding, bom):
    path = write(tmp_path, "a.srt", bom + SRT.replace("\n", "\r\n").encode(encoding))
    t = read_transcript(path)
    assert t.format == "srt"
    assert texts(t) == ["Hello there", "Second line\nwraps here", "no index at all"]
    assert [(c.start_ms, c.end_ms) for c in t.cues] == [(1000, 2000), (2500, 4250), (5000, 6000)]


@pytest.mark.parametrize("encoding,text", [
    ("cp1252", "Café crème, naïve façade — déjà vu. Ça coûte très cher, ô combien."),
    ("cp1250", "Příliš žluťoučký kůň úpěl ďábelské ódy. Zažloutlý kůň se řítí přes pole."),
    ("cp1256", "مرحبا بكم في هذا البرنامج عن التعلم من الفيديو الطويل والنصوص المكتوبة."),
    ("gb2312", "宇宙守护神保护我们远离邪恶，轻轻一跳就能飞跃高楼。我们今天学习很多新的知识。"),
])
def test_srt_legacy_encodings_are_detected(tmp_path, encoding, text):
    body = f"1\n00:00:01,000 --> 00:00:02,000\n{text}\n\n2\n00:00:03,000 --> 00:00:04,000\n{text}\n"
    t = read_transcript(write(tmp_path, "legacy.srt", body.encode(encoding)))
    assert t.cues[0].text == text


def test_srt_missing_timing_line_joins_text_with_a_warning():
    t = parse_text("1\n00:00:00,500 --> 00:00:01,000\nOne\n\n2\nTwo\n\n3\n00:00:02,000 --> 00:00:03,000\nThree\n")
    assert texts(t) == ["One\nTwo", "Three"]
    assert t.warnings


def test_srt_speaker_labels():
    t = parse_text("1\n00:00:00,500 --> 00:00:01,000\n>> ALICE: Hi there\n\n2\n00:00:01,000 --> 00:00:02,000\nJOHN: Hello\n")
    assert [(c.speaker, c.text) for c in t.cues] == [("Alice", "Hi there"), ("John", "Hello")]


# -- ASS/SSA, SBV, LRC, SAMI, JSON, MicroDVD -----------------------------------------------------

ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.18,0:00:06.85,Default,Ada,0,0,0,,{\\pos(400,570)}Like an {\\i1}angel{\\i0}\\Nwith pity, on nobody
Comment: 0,0:00:07.00,0:00:08.00,Default,,0,0,0,,not shown
Dialogue: 0,0:00:08.00,0:00:09.50,Default,,0,0,0,,Second\\hline
"""


def test_ass_drops_override_tags_and_keeps_names():
    t = parse_text(ASS)
    assert t.format == "ass"
    assert texts(t) == ["Like an angel\nwith pity, on nobody", "Second line"]
    assert t.cues[0].speaker == "Ada"
    assert (t.cues[0].start_ms, t.cues[0].end_ms) == (1180, 6850)


def test_ssa_with_indented_lines():
    ssa = "\n".join(" " + line for line in ASS.replace("v4.00+", "v4.00").replace("[V4+ Styles]", "[V4 Styles]").splitlines())
    t = parse_text(ssa, ".ssa")
    assert texts(t)[0] == "Like an angel\nwith pity, on nobody"


def test_sbv_lrc_sami_json_microdvd():
    sbv = parse_text("0:00:00.599,0:00:04.160\n>> ALICE: Hi, my name is Alice[br]and this is John\n\n0:00:04.160,0:00:06.770\nWelcome.\n")
    assert sbv.format == "sbv" and sbv.cues[0].speaker == "Alice" and sbv.cues[0].text == "Hi, my name is Alice\nand this is John"
    lrc = parse_text("[ti:Song]\n[offset:+500]\n[00:12.00]Line one\n[00:17.20][00:30.00]Twice\n")
    assert lrc.format == "lrc" and [(c.start_ms, c.text) for c in lrc.cues] == [(11500, "Line one"), (16700, "Twice"), (29500, "Twice")]
    sami = parse_text("<SAMI><BODY><SYNC Start=1000><P Class=KR>Hello<br>world\n<SYNC Start=2000><P Class=KR>&nbsp;\n<SYNC Start=3000><P>Again</BODY></SAMI>")
    assert sami.format == "sami" and [(c.start_ms, c.end_ms, c.text) for c in sami.cues] == [(1000, 2000, "Hello\nworld"), (3000, 8000, "Again")]
    js = parse_text(json.dumps([{"start": 599, "end": 4160, "text": "Hi"}, {"start": 4.5, "duration": 1.0, "text": "float seconds"}]))
    assert js.format == "json" and [(c.start_ms, c.end_ms) for c in js.cues] == [(599, 4160), (4500, 5500)]
    sub = parse_text("{25}{50}First|line\n{75}{100}Second\n", ".sub")
    assert sub.format == "microdvd" and [(c.start_ms, c.text) for c in sub.cues] == [(1000, "First\nline"), (3000, "Second")]


def test_reader_json_round_trip():
    from reader.transcript.writers import to_json

    original = parse_text(ROLLING)
    again = parse_text(to_json(original), ".json")
    assert texts(again) == texts(original)
    assert [c.start_ms for c in again.cues] == [c.start_ms for c in original.cues]


# -- plain transcripts ---------------------------------------------------------------------------

def test_podcast_speaker_transcript_spreads_time_over_sentences():
    text = (
        "Episode 12: Reading\n\n"
        "Jane Doe [00:00:10]:\nWelcome back. This is a much longer second sentence than the first one.\n\n"
        "John Smith [00:00:20]:\nThanks! Glad to be here.\n"
    )
    t = parse_text(text, ".txt")
    assert t.format == "plain"
    assert texts(t) == ["Welcome back.", "This is a much longer second sentence than the first one.", "Thanks!", "Glad to be here."]
    assert [c.speaker for c in t.cues] == ["Jane Doe", "Jane Doe", "John Smith", "John Smith"]
    first, second = t.cues[0], t.cues[1]
    assert first.start_ms == 10_000 and second.end_ms == 20_000
    # the longer sentence gets the larger share of the paragraph's ten seconds
    assert second.end_ms - second.start_ms > 3 * (first.end_ms - first.start_ms)


def test_youtube_transcript_panel_copy():
    t = parse_text("0:00\n2 seconds\nhello and welcome\n0:12\n12 seconds\ntoday we talk about tea\n1:02:03\nthe end\n", ".txt")
    assert [(c.start_ms, c.text) for c in t.cues] == [(0, "hello and welcome"), (12_000, "today we talk about tea"), (3_723_000, "the end")]


def test_markdown_transcript_with_chapters_and_end_times():
    md = (
        "A Talk\n\n## Table of Contents\n* [00:00:00] Opening\n* [00:00:30] Main part\n\n"
        "## [00:00:00] Opening\n\n[Applause] [00:00:05]\n\n**Mira:** Hi everyone. Thank you. [00:00:12]\n\n"
        "It is great to be here. [00:00:30]\n\n## [00:00:30] Main part\n\nSo, let us begin. [00:00:40]\n"
    )
    t = parse_text(md, ".md")
    assert [(ch.start_ms, ch.title) for ch in t.chapters] == [(0, "Opening"), (30_000, "Main part")]
    assert texts(t)[:3] == ["[Applause]", "Hi everyone.", "Thank you."]
    assert t.cues[0].speaker is None and t.cues[1].speaker == "Mira" and t.cues[3].speaker == "Mira"
    assert t.cues[1].start_ms == 5_000 and t.cues[2].end_ms == 12_000
    assert t.cues[-1].start_ms == 30_000 and t.cues[-1].end_ms == 40_000


# -- detection, repair and refusal ---------------------------------------------------------------------

def test_format_comes_from_content_not_the_name(tmp_path):
    assert read_transcript(write(tmp_path, "really-srt.vtt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n")).format == "srt"
    assert read_transcript(write(tmp_path, "really-vtt.srt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n")).format == "webvtt"
    assert read_transcript(write(tmp_path, "notes.txt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n")).format == "srt"


def test_out_of_order_backwards_and_absurd_times_warn_but_load():
    t = parse_text(
        "1\n00:00:05,000 --> 00:00:06,000\nlater\n\n2\n00:00:01,000 --> 00:00:00,500\nbackwards\n\n"
        "3\n99:00:00,000 --> 99:00:01,000\nfar away\n\n4\n00:00:02,000 --> 00:00:02,000\nzero length\n"
    )
    assert texts(t) == ["backwards", "zero length", "later", "far away"]
    assert t.cues[0].end_ms == t.cues[0].start_ms
    joined = " ".join(t.warnings)
    assert "sorted" in joined and "ended before" in joined and "72 hours" in joined


@pytest.mark.parametrize("name,data,needle", [
    ("movie.srt", b"\x00\x01\x02\x03" * 300 + bytes(range(256)) * 20, "movie.srt"),
    ("empty.vtt", b"", "empty"),
    ("words.txt", b"just some notes\nwith no times at all\n", "no timed lines"),
    ("broken.vtt", b" \nBROKENVTT\nWEBVTT\n\n00:00:00.000 --> 00:00:01.000\nx\n", "WEBVTT"),
    ("bad.json", b'{"events": 12}', "json3"),
    ("bad.xml", b"<timedtext><body><p t='1'>unclosed</body>", "XML"),
])
def test_unreadable_input_gives_a_clear_error_naming_the_file(tmp_path, name, data, needle):
    with pytest.raises(TranscriptError) as err:
        read_transcript(write(tmp_path, name, data))
    message = str(err.value)
    assert message.startswith(name) and needle.lower() in message.lower()
    assert "\n" not in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(TranscriptError, match="nope.srt: no such file"):
        read_transcript(tmp_path / "nope.srt")
    with pytest.raises(TranscriptError, match="folder"):
        read_transcript(tmp_path)
