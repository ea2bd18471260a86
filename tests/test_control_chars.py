"""No transcript line keeps a C0/C1 control character, whichever path made it: every reader, YouTube json3 words,
a transcription's lines, a backup's restored cues, rows read back from the store, and `reader transcript --to txt`."""

import json
import re
import subprocess
import sys

import pytest

from reader.transcript import parse_text
from reader.transcript.controls import without_controls
from reader.transcript.model import Chapter, Cue

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
CLIP = "\x1b]52;c;ZXZpbCBjb21tYW5k\x07"  # writes the clipboard
C1 = "\x9b31m\x9d0;t\x9c"  # the same as C1 characters
BARE = "\x00\x07\x08\x7f\x1b"
ESCAPES = [TITLE, CLEAR, CLIP, C1, BARE, "\x1b]0;unterminated"]

FORMATS = {  # (suffix, template): {e} is where the escape goes, inside a line's text
    "webvtt": (".vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nsay{e} hello\n\n00:00:02.000 --> 00:00:03.000\n<v Ann{e}>next <00:00:02.500>word{e}s\n"),
    "srt": (".srt", "1\n00:00:01,000 --> 00:00:02,000\nsay{e} hello\n\n2\n00:00:02,000 --> 00:00:03,000\nnext\n"),
    "ass": (".ass", "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
                    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,Ann{e},0,0,0,,say{e} hello\n"),
    "microdvd": (".sub", "{25}{50}say{e} hello\n{50}{75}next\n"),
    "sbv": (".sbv", "0:00:01.000,0:00:02.000\nsay{e} hello\n\n0:00:02.000,0:00:03.000\nnext\n"),
    "lrc": (".lrc", "[00:01.00]say{e} hello\n[00:02.00]next\n"),
    "sami": (".smi", "<SAMI><BODY>\n<SYNC Start=1000><P>say{e} hello\n<SYNC Start=2000><P>next\n</BODY></SAMI>\n"),
    "json3": (".json3", json.dumps({"events": [{"tStartMs": 1000, "dDurationMs": 1000, "segs": [{"utf8": "say{e}"}, {"utf8": " hello{e}", "tOffsetMs": 300}]}]})),
    "srv3": (".srv3", '<timedtext format="3"><body><p t="1000" d="1000"><s>say{e}</s><s t="300"> hello</s></p></body></timedtext>'),
    "srv1": (".xml", '<?xml version="1.0"?><transcript><text start="1" dur="1">say{e} hello</text></transcript>'),
    "json list": (".json", json.dumps([{"start_ms": 1000, "end_ms": 2000, "text": "say{e} hello", "speaker": "Ann{e}"}])),
    "json cues+chapters": (".json", json.dumps({"cues": [{"start_ms": 1000, "end_ms": 2000, "text": "say{e} hello"}],
                                                "chapters": [{"start_ms": 0, "title": "Intro{e}"}]})),
    "plain text": (".txt", "[00:00:01] say{e} hello\n[00:00:02] next\n"),
    "markdown": (".md", "## [00:00] Intro{e}\n\n[00:01] **Ann:** say{e} hello\n"),
}


def _xml_safe(escape: str) -> str:
    """XML 1.0 cannot hold C0 characters, so the XML formats carry each sequence in its C1 form (CSI, OSC, ST)."""
    escape = escape.replace("\x1b[", "\x9b").replace("\x1b]", "\x9d").replace("\x1b\\", "\x9c").replace("\x07", "\x9c")
    return "".join(c for c in escape if ord(c) >= 0x20 or c in "\t\n")


def _all_text(transcript) -> list[str]:
    out = []
    for cue in transcript.cues:
        out.append(cue.text)
        out.append(cue.speaker or "")
        out.extend(w.text for w in cue.words)
    out.extend(c.title for c in transcript.chapters)
    return out


def _fill(template: str, escape: str, fmt: str) -> str:
    if fmt in ("json3", "json list", "json cues+chapters"):
        return template.replace("{e}", json.dumps(escape)[1:-1])
    if fmt in ("srv3", "srv1", "sami"):
        escape = _xml_safe(escape) if fmt != "sami" else escape
    return template.replace("{e}", escape)


CASES = [(fmt, e) for fmt in FORMATS for e in ESCAPES]


@pytest.mark.parametrize("fmt,escape", CASES, ids=[f"{f}-{i}" for f in FORMATS for i in range(len(ESCAPES))])
def test_no_reader_keeps_a_control_character(fmt, escape):
    suffix, template = FORMATS[fmt]
    transcript = parse_text(_fill(template, escape, fmt), suffix)
    assert transcript.cues, fmt
    texts = _all_text(transcript)
    bad = [t for t in texts if CONTROL.search(t)]
    assert not bad, (fmt, bad)
    # an OSC never ended runs to the end of its line, as a terminal would take it
    assert any("say" in t and ("hello" in t or escape.endswith("unterminated")) for t in texts), texts
    assert not any("pwned" in t or "ZXZpbCBjb21tYW5k" in t or "]0;" in t for t in texts), texts


@pytest.mark.parametrize("raw,clean", [
    ("a" + TITLE + "b", "ab"),
    ("a" + CLEAR + "b", "ab"),
    ("copy" + CLIP + " me", "copy me"),
    ("x\x1b]0;t\x1b\\y", "xy"),  # OSC ended by ST
    ("red\x9b31m!", "red!"),
    ("tab\there", "tab here"),
    ("two\nlines\x07", "two\nlines"),
    ("sep\u2028arated", "sep arated"),
    ("plain words", "plain words"),
    ("é ñ 中文 🙂", "é ñ 中文 🙂"),
])
def test_without_controls(raw, clean):
    assert without_controls(raw) == clean


def test_cues_and_chapters_made_anywhere_are_clean():
    """The store, a restore and a transcription all make cues through Cue, which cleans them."""
    from reader.transcription.engine import Piece, TimedWord
    from reader.transcription.lines import to_lines

    cue = Cue(0, 1, "hi" + TITLE, "Ann" + CLEAR, lambda: ())
    assert (cue.text, cue.speaker) == ("hi", "Ann")
    assert Chapter(0, "Intro" + CLIP).title == "Intro"
    pieces = [Piece(0, 2000, " hi" + TITLE + " there.", (TimedWord(0, 900, " hi" + CLEAR), TimedWord(900, 2000, " there." + BARE)))]
    lines = to_lines(pieces) + to_lines([Piece(0, 1000, "no words" + C1, ())])
    assert [c.text for c in lines] == ["hi there.", "no words"]
    assert not any(CONTROL.search(w.text) for c in lines for w in c.words)


def test_a_backup_with_escapes_in_its_cues_restores_clean_lines(tmp_path, monkeypatch):
    from reader.exchange.restore import restore
    from reader.library.db.store import Store

    from backup_samples import good

    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    data = good()
    item = data["videos"][0]
    item["cues"][0]["text"] += TITLE
    item["cues"][1]["words"][0]["text"] += CLIP
    item["cues"][1]["speaker"] = "Bo" + CLEAR
    item["chapters"][0]["title"] += C1
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    store = Store(tmp_path / "lib.db")
    restore(store, path)
    video_id = store.videos()[0]["id"]
    transcript = store.transcript(video_id)
    texts = _all_text(transcript)
    assert "First line." in texts and "Second" in texts and "Bo" in texts and "Opening" in texts
    assert not [t for t in texts if CONTROL.search(t)]


@pytest.mark.parametrize("to", ["txt", "srt", "vtt"])
def test_reader_transcript_to_a_file_writes_no_escape(tmp_path, to):
    path = tmp_path / "evil.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:02,000\nhello{TITLE}{CLEAR}{CLIP} world\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "reader", "transcript", str(path), "--to", to],
                         capture_output=True, timeout=60, env={**__import__("os").environ, "READER_DATA_DIR": str(tmp_path / "d")})
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("utf-8")
    assert "hello world" in text
    assert not CONTROL.search(text.replace("\n", "")), repr(text)
