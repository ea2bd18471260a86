"""Hostile transcripts: impossible numbers, garbage and non-files end in a warning or a sentence, never a traceback."""

import os
import threading

import pytest

from reader.transcript import TranscriptError, read_transcript
from reader.transcript.chapters import parse_chapter_list

MAX_MS = 2**53
PYTHON_WORDS = ("Errno", "Error:", "Exception", "Traceback", "invalid literal", "codec", "could not convert", "int()", "float()", "NoneType")

HUGE = "9" * 5000
CLOCK_VALUES = ["ab:cd:ef.ghi", "NaN", "inf", "1e400", "-00:00:01.000", HUGE + ":00:00.000", "99999999999:00:00.000", "00:59:60.000", ""]
NUMBER_VALUES = ["abc", "NaN", "inf", "-inf", "1e400", "-1000", HUGE, str(MAX_MS + 1), ""]
JSON_VALUES = ['"abc"', '"NaN"', "NaN", "Infinity", "-Infinity", "1e400", '"1e400"', "-1000", HUGE, str(MAX_MS + 1), '""', "null", "true", "[]", "{}"]

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfirst\n\n{v} --> 00:00:04.000\nhostile\n\n00:00:05.000 --> 00:00:06.000\nlast\n"
VTT_END = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfirst\n\n00:00:03.000 --> {v}\nhostile\n\n00:00:05.000 --> 00:00:06.000\nlast\n"
VTT_WORD = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfirst\n\n00:00:03.000 --> 00:00:04.000\nhostile <{v}>word\n"
SRT = "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n2\n{v} --> 00:00:04,000\nhostile\n\n3\n00:00:05,000 --> 00:00:06,000\nlast\n"
SBV = "0:00:01.000,0:00:02.000\nfirst\n\n{v},0:00:04.000\nhostile\n\n0:00:05.000,0:00:06.000\nlast\n"
ASS = (
    "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,first\nDialogue: 0,{v},0:00:04.00,Default,,0,0,0,,hostile\n"
    "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,last\n"
)
MICRODVD = "{{25}}{{50}}first\n{{{v}}}{{100}}hostile\n{{125}}{{150}}last\n"
LRC = "[ti:Song]\n[00:01.00]first\n[{v}]hostile\n[00:05.00]last\n"
SAMI = '<SAMI><BODY>\n<SYNC Start=1000><P>first\n<SYNC Start="{v}"><P>hostile\n<SYNC Start=5000><P>last\n</BODY></SAMI>\n'
JSON3 = '{{"events": [{{"tStartMs": 1000, "dDurationMs": 1000, "segs": [{{"utf8": "first"}}]}}, {{"tStartMs": {v}, "dDurationMs": 1000, "segs": [{{"utf8": "hostile"}}]}}, {{"tStartMs": 5000, "dDurationMs": 1000, "segs": [{{"utf8": "last"}}]}}]}}'
JSON3_DUR = JSON3.replace('"tStartMs": {v}, "dDurationMs": 1000', '"tStartMs": 3000, "dDurationMs": {v}')
JSON3_WORD = '{{"events": [{{"tStartMs": 1000, "dDurationMs": 1000, "segs": [{{"utf8": "hostile"}}, {{"utf8": " word", "tOffsetMs": {v}}}]}}]}}'
SRV3 = '<timedtext format="3"><body><p t="1000" d="1000">first</p><p t="{v}" d="1000">hostile</p><p t="5000" d="1000">last</p></body></timedtext>'
SRV3_WORD = '<timedtext format="3"><body><p t="1000" d="1000"><s>hostile</s><s t="{v}"> word</s></p></body></timedtext>'
SRV1 = '<?xml version="1.0"?><transcript><text start="1" dur="1">first</text><text start="{v}" dur="1">hostile</text><text start="5" dur="1">last</text></transcript>'
JSON_LIST = '[{{"start_ms": 1000, "end_ms": 2000, "text": "first"}}, {{"start_ms": {v}, "end_ms": 4000, "text": "hostile"}}, {{"start_ms": 5000, "end_ms": 6000, "text": "last"}}]'
JSON_SECONDS = '[{{"start": 1.0, "duration": 1, "text": "first"}}, {{"start": {v}, "duration": 1, "text": "hostile"}}, {{"start": 5.0, "duration": 1, "text": "last"}}]'
JSON_CHAPTERS = '{{"cues": [{{"start_ms": 1000, "end_ms": 2000, "text": "hostile"}}], "chapters": [{{"start_ms": {v}, "title": "Intro"}}]}}'
PLAIN = "Intro\n\n[00:00:01] first\n[{v}] hostile\n[00:00:05] last\n"

CASES = (
    [("webvtt start", ".vtt", VTT, v) for v in CLOCK_VALUES]
    + [("webvtt end", ".vtt", VTT_END, v) for v in CLOCK_VALUES]
    + [("webvtt word", ".vtt", VTT_WORD, v) for v in CLOCK_VALUES]
    + [("srt", ".srt", SRT, v.replace(".", ",")) for v in CLOCK_VALUES]
    + [("sbv", ".sbv", SBV, v) for v in CLOCK_VALUES]
    + [("ass", ".ass", ASS, v.replace("000", "00")) for v in CLOCK_VALUES]
    + [("microdvd", ".sub", MICRODVD, v) for v in NUMBER_VALUES]
    + [("lrc", ".lrc", LRC, v[3:] if v[:3] == "00:" else v) for v in CLOCK_VALUES + [HUGE + ":00.00", "-1:00.00"]]
    + [("sami", ".smi", SAMI, v) for v in NUMBER_VALUES]
    + [("json3 start", ".json3", JSON3, v) for v in JSON_VALUES]
    + [("json3 duration", ".json3", JSON3_DUR, v) for v in JSON_VALUES]
    + [("json3 word", ".json3", JSON3_WORD, v) for v in JSON_VALUES]
    + [("srv3 start", ".srv3", SRV3, v) for v in NUMBER_VALUES]
    + [("srv3 word", ".srv3", SRV3_WORD, v) for v in NUMBER_VALUES]
    + [("srv1 start", ".xml", SRV1, v) for v in NUMBER_VALUES]
    + [("json list ms", ".json", JSON_LIST, v) for v in JSON_VALUES]
    + [("json list seconds", ".json", JSON_SECONDS, v) for v in JSON_VALUES + ['"1:xx"', '"1:2:3:4"', '"::"']]
    + [("json chapters", ".json", JSON_CHAPTERS, v) for v in JSON_VALUES]
    + [("plain", ".md", PLAIN, v) for v in CLOCK_VALUES]
)


def assert_sentence(message: str, name: str) -> None:
    assert message.startswith(name), message
    assert "\n" not in message and len(message) < 400, message
    for word in PYTHON_WORDS:
        assert word not in message, (word, message)


def assert_sane(t) -> None:
    for cue in t.cues:
        assert isinstance(cue.start_ms, int) and isinstance(cue.end_ms, int)
        assert 0 <= cue.start_ms <= cue.end_ms <= MAX_MS, cue
        assert all(isinstance(w.start_ms, int) and -MAX_MS <= w.start_ms <= MAX_MS for w in cue.words), cue.words
    assert all(isinstance(ch.start_ms, int) and 0 <= ch.start_ms <= MAX_MS for ch in t.chapters)
    for warning in t.warnings:
        assert (warning[:1].isupper() or warning[:1].isdigit()) and warning.endswith("."), warning
        assert not any(word in warning for word in PYTHON_WORDS), warning


@pytest.mark.parametrize("kind,suffix,template,value", CASES, ids=[f"{c[0]}-{c[3][:20]}" for c in CASES])
def test_a_hostile_time_gives_a_warning_or_a_sentence(tmp_path, kind, suffix, template, value):
    path = tmp_path / f"hostile{suffix}"
    path.write_text(template.format(v=value), encoding="utf-8")
    try:
        t = read_transcript(path)
    except TranscriptError as exc:
        assert_sentence(str(exc), path.name)
        return
    assert_sane(t)
    shown = " ".join(c.text for c in t.cues)
    # Nothing vanishes silently: the hostile cue is there with a usable time, or a warning says what was left out.
    assert "hostile" in shown or t.warnings, (t.cues, t.warnings)
    if "hostile" not in shown:
        assert any(("skipped" in w or "left out" in w or "joined" in w or "no text" in w) for w in t.warnings), t.warnings


def test_the_w3c_drop_of_a_60th_second_is_counted():
    path_text = VTT.format(v="00:59:60.000")
    from reader.transcript import parse_text

    t = parse_text(path_text, ".vtt")
    assert [c.text for c in t.cues] == ["first", "last"]
    assert t.warnings == ["1 cue with an impossible or malformed time was skipped (at line 6)."]


@pytest.mark.parametrize("template,value,needle", [
    (SRT, HUGE + ":00:00,000", "1 cue with an impossible time was skipped (at line 6)."),
    (SRT.replace("{v}", "{v} --> 00:00:03,000\nhostile too\n\n9\n{v}"), "99999999999:00:00,000", "2 cues with impossible times were skipped (the first at line 6)."),
    (ASS, "abc", "1 cue with an impossible time was skipped (at line 7)."),
    (LRC, HUGE + ":00.00", "1 timed line with an impossible time was skipped (at line 3)."),
    (JSON3, "1e400", "1 cue with an impossible time was skipped (at event 2)."),
    (SRV1, "nan", "1 cue with an impossible time was skipped (at text element 2)."),
    (JSON_LIST, '"NaN"', "1 cue with an impossible time was skipped (at item 2)."),
])
def test_warnings_count_and_locate(template, value, needle):
    from reader.transcript import parse_text

    t = parse_text(template.format(v=value))
    assert needle in t.warnings


def _garbage(name):
    return {
        "empty": b"",
        "blank": b" \n\t\n",
        "binary": bytes(range(256)) * 40,
        "zeros": b"\0" * 5000,
        "truncated srt": b"1\n00:00:01,000 --> 00:00:0",
        "truncated vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhel",
        "truncated json3": b'{"events": [{"tStartMs": 10, "segs": [{"utf8": "hi"',
        "truncated srv3": b'<timedtext format="3"><body><p t="10" d="5">hi',
        "truncated utf-16": b"\xff\xfe1\x00\n",
        "bad utf-8 bom": b"\xef\xbb\xbfWEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xff\xfe\n",
        "huge line srt": b"1\n00:00:01,000 --> 00:00:02,000\n" + b"x" * 3_000_000 + b"\n",
        "huge line no newline": b"y" * 3_000_000,
        "deep json": b"[" * 50_000,
        "deep xml": b"<timedtext>" + b"<p>" * 50_000,
        "only arrows": b"-->\n" * 1000,
        "webvtt only": b"WEBVTT",
    }[name]


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".json", ".xml", ".txt"])
@pytest.mark.parametrize("name", ["empty", "blank", "binary", "zeros", "truncated srt", "truncated vtt", "truncated json3", "truncated srv3",
                                  "truncated utf-16", "bad utf-8 bom", "huge line srt", "huge line no newline", "deep json", "deep xml",
                                  "only arrows", "webvtt only"])
def test_garbage_reads_or_fails_in_a_sentence(tmp_path, name, suffix):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(_garbage(name))
    try:
        t = read_transcript(path)
    except TranscriptError as exc:
        assert_sentence(str(exc), path.name)
        return
    assert_sane(t)
    assert t.cues or t.warnings


def _promptly(fn, seconds=5.0):
    """Run fn in a thread; fail if it has not finished in `seconds` (a read that blocks or never ends)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the read did not finish"
    return outcome


def _fifo(tmp_path):
    path = tmp_path / "pipe.srt"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("make,needle", [
    (_fifo, "not a regular file"),
    (lambda tmp_path: "/dev/zero", "not a regular file"),
    (lambda tmp_path: "/dev/null", "not a regular file"),
    (lambda tmp_path: tmp_path, "folder"),
    (lambda tmp_path: tmp_path / "missing.vtt", "no such file"),
])
def test_non_files_are_refused_before_reading(tmp_path, make, needle):
    target = make(tmp_path)
    outcome = _promptly(lambda: read_transcript(target))
    error = outcome.get("error")
    assert isinstance(error, TranscriptError), outcome
    assert needle in str(error)
    assert_sentence(str(error), os.path.basename(str(target)))


def test_a_file_over_the_limit_is_refused(tmp_path, monkeypatch):
    import reader.transcript as transcript

    monkeypatch.setattr(transcript, "MAX_BYTES", 1000)
    path = tmp_path / "big.srt"
    path.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\n" + b"x" * 2000)
    with pytest.raises(TranscriptError, match="too large") as err:
        read_transcript(path)
    assert_sentence(str(err.value), path.name)


@pytest.mark.parametrize("text,expected", [
    ("0:00 Intro\n" + HUGE + ":00 Broken\n1:00 Next\n", [0, 60_000]),
    ("0:00 Intro\n99:99:99 Far\n", [0, 362_439_000]),
    ("0:00 Intro\nNaN Broken\n1:00 Next\n", [0, 60_000]),
    ("1e400 Intro\n0:30 Next\n", []),
])
def test_chapter_lists_keep_only_real_times(text, expected):
    assert [ch.start_ms for ch in parse_chapter_list(text)] == expected
