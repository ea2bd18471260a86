"""Property tests: any text gives cues or a clear TranscriptError, and written files read back the same."""

import string

from hypothesis import HealthCheck, given, settings, strategies as st

from reader.transcript import TranscriptError, parse_text
from reader.transcript.model import Cue, Transcript
from reader.transcript.writers import to_srt, to_vtt

SUBTITLE_ALPHABET = string.printable + "àéñ中—…<>&→-:,.[]{}#*\u00a0\ufeff"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=SUBTITLE_ALPHABET, max_size=400), st.sampled_from(["", ".srt", ".vtt", ".txt", ".ass", ".json"]))
def test_any_text_reads_or_fails_clearly(text, suffix):
    for candidate in (text, "WEBVTT\n\n" + text, "1\n00:00:01,000 --> 00:00:02,000\n" + text):
        try:
            t = parse_text(candidate, suffix)
        except TranscriptError as exc:
            assert str(exc)
            continue
        starts = [c.start_ms for c in t.cues]
        assert starts == sorted(starts)
        assert all(c.end_ms >= c.start_ms >= 0 and c.text.strip() for c in t.cues)


words = st.text(alphabet=string.ascii_letters + "àé中 ,.!?'&<>", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10 * 3_600_000), st.integers(0, 60_000), words, st.sampled_from([None, "Ada", "Ben Okri"])), min_size=1, max_size=30))
def test_written_vtt_and_srt_read_back(items):
    cues = sorted((Cue(s, s + d, " ".join(t.split()), who) for s, d, t, who in items), key=lambda c: c.start_ms)
    original = Transcript(cues)
    again = parse_text(to_vtt(original))
    assert [(c.start_ms, c.end_ms, c.text, c.speaker) for c in again.cues] == [(c.start_ms, c.end_ms, c.text, c.speaker) for c in cues]
    # SRT has no speaker field: the name is written into the text, as "Ada: ..."
    again = parse_text(to_srt(original))
    assert [(c.start_ms, c.end_ms, c.text) for c in again.cues] == [
        (c.start_ms, c.end_ms, f"{c.speaker}: {c.text}" if c.speaker else c.text) for c in cues
    ]
