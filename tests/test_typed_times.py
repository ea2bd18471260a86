"""--from/--to typed as the transcript shows its times take the lines shown with them, in every command (issue 19)."""

import pytest

from reader.cards import suggestions as card_suggestions
from reader.cli import transcription as commands
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.transcript.model import Cue, Transcript
from reader.transcript.typed_times import TypedTime, lines_taken, parse_time, typed_lines

from conftest import run

# as in the demo: the line shown as "0:33" starts at 33.877 s, after one that runs from 31.276 s to 33.427 s
CUES = [Cue(0, 31_276, "Welcome."), Cue(31_276, 33_427, "And to find a word I half remember?"),
        Cue(33_877, 35_002, "Press Control F."), Cue(35_500, 40_000, "It finds every line."),
        Cue(40_600, 42_000, "Then Enter."), Cue(44_000, 50_000, "The end.")]

# --from, --to, (start_ms, end_ms) of the stretch taken: the first line's start and the last line's end
STRETCHES = {
    "the line shown as 0:33, not the one before": ("0:33", "0:35", (33_877, 40_000)),
    "--to takes in the line shown with it": ("0:33", "0:40", (33_877, 42_000)),
    "one time names the lines shown with it": ("0:33", "0:33", (33_877, 35_002)),
    "no line shown at 0:34: the one spoken then": ("0:34", "0:34", (33_877, 35_002)),
    "seconds alone, a line spoken then": ("32", "33", (31_276, 35_002)),
    "a tenth names a tenth": ("0:33.9", "0:35.5", (33_877, 40_000)),
    "a millisecond names a millisecond": ("0:33.877", "0:35.499", (33_877, 35_002)),
    "a time in a pause: the next line": ("0:42.5", "0:45", (44_000, 50_000)),
}


@pytest.mark.parametrize("start, end, expected", STRETCHES.values(), ids=STRETCHES.keys())
def test_the_rule_takes_the_lines_shown_with_the_times_typed(start, end, expected):
    first, last = typed_lines(CUES, parse_time(start), parse_time(end))
    assert (CUES[first].start_ms, CUES[last].end_ms) == expected


@pytest.mark.parametrize("text, typed", [
    ("0:33", TypedTime(33_000, 1000)), ("33", TypedTime(33_000, 1000)), ("1:02:03", TypedTime(3_723_000, 1000)),
    ("0:33.4", TypedTime(33_400, 100)), ("0:33,45", TypedTime(33_450, 10)), ("33.400", TypedTime(33_400, 1)),
    ("0:60", None), ("1:60:00", None), ("-1", None), ("", None), ("1e400", None), ("9999999", None),
])
def test_a_typed_time_knows_how_much_it_names(text, typed):
    assert parse_time(text) == typed


def test_nothing_is_taken_in_a_pause_or_backwards():
    assert lines_taken(CUES, 42_100, 42_200, 43_000) is None
    assert typed_lines(CUES, parse_time("0:40"), parse_time("0:33")) is None
    assert typed_lines([], parse_time("0:00"), parse_time("0:10")) is None


# -- every command that takes --from and --to ---------------------------------------------------------

@pytest.fixture
def demo_like():
    store = Store()
    vid = store.add_video(VideoRecord("test", "typed", "Find", duration_ms=50_000, media_path="/nowhere/find.mp4"),
                          Transcript(list(CUES), format="test"))
    store.close()
    return vid


def _explain(capsys, vid, start, end, monkeypatch):
    code, _, err = run(capsys, "explain", vid, "--from", start, "--to", end)
    assert code == 0, err
    store = Store()
    row = store.db.execute("select start_ms, end_ms, text from highlights").fetchone()
    store.close()
    return row[:2], row[2]


def _card(capsys, vid, start, end, monkeypatch):
    code, _, err = run(capsys, "cards", "add", vid, "--from", start, "--to", end, "--question", "How do you find a word?")
    assert code == 0, err
    store = Store()
    row = store.card(1)
    store.close()
    return (row["start_ms"], row["end_ms"]), row["passage"]


def _generate(capsys, vid, start, end, monkeypatch):
    asked = []
    real = card_suggestions.plan

    def spy(store, video_id, start_ms=None, end_ms=None, *args, **kwargs):
        asked.append((start_ms, end_ms))
        p = real(store, video_id, start_ms, end_ms, *args, **kwargs)
        asked.append(p.request.turns[-1].prompt)
        return p

    monkeypatch.setattr(card_suggestions, "plan", spy)
    run(capsys, "cards", "generate", vid, "--from", start, "--to", end, "--count", "1")  # Claude's reply is no list: that fails
    return asked[0], " ".join(c.text for c in CUES if asked[0][0] <= c.start_ms < asked[0][1])


def _transcribe(capsys, vid, start, end, monkeypatch):
    asked = []
    monkeypatch.setattr(commands, "transcribe", lambda video_id, model, from_ms, to_ms, language, fail: asked.append((from_ms, to_ms)) or 0)
    code, _, err = run(capsys, "transcribe", vid, "--from", start, "--to", end)
    assert code == 0, err
    return asked[0], " ".join(c.text for c in CUES if asked[0][0] <= c.start_ms < asked[0][1])  # the lines it replaces


COMMANDS = {"explain": _explain, "cards add": _card, "cards generate": _generate, "transcribe": _transcribe}


@pytest.mark.parametrize("start, end, expected", [STRETCHES[k] for k in list(STRETCHES)[:5]], ids=list(STRETCHES)[:5])
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_takes_the_lines_shown_with_its_times(capsys, claude, monkeypatch, demo_like, command, start, end, expected):
    bounds, text = command(capsys, demo_like, start, end, monkeypatch)
    assert bounds == expected
    first, last = typed_lines(CUES, parse_time(start), parse_time(end))
    assert text == " ".join(c.text for c in CUES[first:last + 1])
    if start == "0:33":
        assert "half remember" not in text and text.startswith("Press Control F.")


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_to_before_from_is_still_refused(capsys, claude, monkeypatch, demo_like, command):
    code, out, err = run(capsys, *{_explain: ["explain"], _card: ["cards", "add"], _generate: ["cards", "generate"],
                                   _transcribe: ["transcribe"]}[command], demo_like, "--from", "0:40", "--to", "0:33",
                         *(["--question", "Q"] if command is _card else []))
    assert code == 2 and "--to" in err and "--from" in err and len(err.splitlines()) == 1
