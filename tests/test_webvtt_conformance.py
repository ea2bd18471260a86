"""The WebVTT reader against the web-platform-tests file-parsing vectors in the shared corpus."""

import json

import pytest

from reader.transcript.webvtt import parse_blocks
from reader.transcript.model import TranscriptError

from conftest import CORPUS

EXPECTED = CORPUS / "webvtt-wpt" / "EXPECTED.json"
# Without the corpus one placeholder runs, and the corpus fixture skips it saying why.
VECTORS = sorted(json.loads(EXPECTED.read_text())["vectors"]) if EXPECTED.exists() else ["(corpus absent)"]


def _read(path):
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


@pytest.mark.parametrize("name", VECTORS)
def test_wpt_vector(corpus, name):
    vector = json.loads(EXPECTED.read_text())["vectors"][name]
    expected = vector["expected"]
    try:
        cues = parse_blocks(_read(corpus / "webvtt-wpt" / name))
    except TranscriptError:
        cues = []
    count = expected["cue_count"]
    if count is None:  # a vector whose WPT test asserts only its stylesheet: use the reference reading
        count = vector["computed"]["cue_count"]
    assert len(cues) == count
    for key, attr, scale in (("text", "text", None), ("id", "id", None), ("startTime", "start_ms", 1000), ("endTime", "end_ms", 1000)):
        for i, want in enumerate(expected.get(key) or []):
            if want is None:
                continue
            got = getattr(cues[i], attr)
            if scale:
                assert got == round(want * scale), (key, i)
            else:
                assert got == want, (key, i)
    computed = vector.get("computed") or {}
    for which, index in (("first", 0), ("last", -1)):
        if computed.get(which) and cues:
            assert cues[index].text == computed[which]["text"]
            assert cues[index].start_ms == round(computed[which]["start"] * 1000)


def test_corpus_has_vectors(corpus):
    assert len(VECTORS) == 40
