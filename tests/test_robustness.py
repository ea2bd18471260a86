"""Nothing lost, nothing gets in: newer databases, permissions, file names, secrets, hostile text, fuzzing."""

import os
import stat
import string

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings, strategies as st

from reader.library.db.errors import LibraryError
from reader.library.db.store import Store
from reader.library.importing import safe_name
from reader.transcript import TranscriptError, parse_text, read_transcript

from conftest import HOSTILE, html_tags


def test_a_database_from_a_newer_reader_is_refused_and_left_alone(data_dir):
    Store().close()
    path = data_dir / "library.db"
    db = sqlite_utils.Database(path)
    db["_sqlite_migrations"].insert({"migration_set": "reader", "name": "m999_from_the_future", "applied_at": "2030-01-01"})
    db.close()
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="newer version of Reader"):
        Store()
    assert path.read_bytes() == before


def test_data_and_media_folders_are_private(data_dir):
    from reader.library.importing import media_root

    Store().close()
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data_dir / "library.db").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(media_root()).st_mode) == 0o700


@pytest.mark.parametrize("title", [
    "../../etc/passwd", "a/b\\c", "CON", "com1", "   ", "....", "x" * 500, "naïve café – 日本語", "\x00\x01", "-rf --no-preserve-root",
])
def test_names_made_from_titles_are_safe(title):
    name = safe_name(title)
    assert name and len(name) <= 80 and "/" not in name and "\\" not in name and ".." not in name
    assert name.upper() not in {"CON", "COM1"} and not name.startswith(("-", "."))




def test_at_least_fifty_hostile_payloads():
    assert len(HOSTILE) >= 50


def _tags(html_text: str) -> list[tuple[str, dict]]:
    return html_tags(html_text)


DANGEROUS = {"script", "img", "iframe", "style", "svg", "object", "embed", "link", "meta", "form", "base", "input", "math", "details", "marquee"}


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_answers_renders_inert(payload):
    from reader.ui.widgets.answer_view import render_markdown

    for tag, attrs in _tags(render_markdown(payload, [{"start_ms": 0, "end_ms": 1, "text": payload}])):
        assert tag not in DANGEROUS, (payload, tag)
        assert not any(a.startswith("on") or a in ("src", "style", "background") for a in attrs), (payload, attrs)
        href = attrs.get("href")
        assert href is None or href == "#" or href.startswith(("http://", "https://", "cite:")), (payload, href)


@pytest.fixture(scope="module")
def plain_view():
    from reader.ui.app import make_app
    from reader.ui.widgets.transcript_view import TranscriptView

    make_app()
    view = TranscriptView()
    yield view
    view.close()


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_transcripts_shows_as_text(plain_view, payload):
    body = " ".join(payload.replace("-->", "->").split())
    t = parse_text(f"1\n00:00:01,000 --> 00:00:02,000\n{body or 'x'}\n")  # never raises for a well-formed cue
    plain_view.set_transcript(t)
    shown = plain_view.document().toHtml().split("<body", 1)[-1]  # Qt writes its own <meta> and <style> in the head
    for tag, attrs in _tags(shown):
        assert tag not in DANGEROUS and "href" not in attrs and "src" not in attrs, (payload, tag, attrs)
    if t.cues:
        assert t.cues[0].text.replace("\n", " ") in plain_view.toPlainText()


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".srt", ".vtt", ".ass", ".json", ".txt", ".sbv", ".xml", ".lrc", ".smi", ".sub"]))
def test_any_bytes_read_or_fail_clearly(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_bytes(data)
    try:
        t = read_transcript(path)
    except TranscriptError as exc:
        assert str(exc).startswith(path.name)
        return
    assert all(c.end_ms >= c.start_ms >= 0 for c in t.cues)


@settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["WEBVTT\n\n{t} --> {t}\n{x}\n", "1\n{t} --> {t}\n{x}\n", "[Script Info]\n[Events]\nFormat: Start, End, Text\nDialogue: {t},{t},{x}\n",
                        "{{\"events\": [{{\"tStartMs\": {n}, \"segs\": [{{\"utf8\": \"{x}\"}}]}}]}}", "0:00\n{x}\n{t}\n{x}\n"]),
       st.text(alphabet=string.digits + ":.,-", max_size=30), st.integers(-10**15, 10**15),
       st.text(max_size=50).filter(lambda s: "\n" not in s and '"' not in s and "\\" not in s))
def test_absurd_times_and_shapes_never_crash(shape, t, n, x):
    try:
        parse_text(shape.format(t=t, n=n, x=x))
    except TranscriptError:
        pass


HOSTILE_NUMBERS = st.sampled_from(["NaN", "nan", "inf", "-Infinity", "1e400", "-1e400", "9" * 5000, str(2**53 + 1), "-1", "", "abc", "0x10", "1_000", "٣"])


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([
    '{{"events": [{{"tStartMs": {n}, "dDurationMs": {m}, "segs": [{{"utf8": "a"}}, {{"utf8": "b", "tOffsetMs": {n}}}]}}]}}',
    '{{"events": [{{"tStartMs": "{n}", "dDurationMs": "{m}", "segs": [{{"utf8": "a"}}]}}]}}',
    '<timedtext><body><p t="{n}" d="{m}"><s>a</s><s t="{m}">b</s></p></body></timedtext>',
    '<transcript><text start="{n}" dur="{m}">a</text></transcript>',
    '[{{"start": "{n}", "end": "{m}", "text": "a"}}]', '[{{"start_ms": {n}, "end_ms": {m}, "text": "a"}}]',
    '<SAMI><BODY><SYNC Start={n}><P>a<SYNC Start={m}><P>b</BODY></SAMI>', "[00:01.00]x\n[{n}:{m}]a\n[offset:{n}]\n",
    "{{{n}}}{{{m}}}a\n", "0:00:01.000,{n}:00:02.000\na\n", "WEBVTT\n\n{n}:00:00.000 --> 00:00:01.000\na <{n}:00:00.000>b\n",
]), HOSTILE_NUMBERS, HOSTILE_NUMBERS)
def test_hostile_numbers_in_every_format_never_crash(shape, n, m):
    try:
        t = parse_text(shape.format(n=n, m=m))
    except TranscriptError as exc:
        assert str(exc) and "Error" not in str(exc)
        return
    assert all(0 <= c.start_ms <= c.end_ms <= 2**53 for c in t.cues)
    assert all(isinstance(w.start_ms, int) for c in t.cues for w in c.words)


def test_giant_lines_and_deep_files_finish(tmp_path):
    huge = "x" * 2_000_000
    path = tmp_path / "giant.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{huge}\n", encoding="utf-8")
    assert len(read_transcript(path).cues[0].text) == 2_000_000
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(TranscriptError):
        read_transcript(deep)
