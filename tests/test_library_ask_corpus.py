"""Asking a library of 24 real hour-long talks (the shared corpus): a question about a talk's subject finds that talk first."""

import pytest

from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.library.question_passages import find
from reader.transcript import read_transcript

QUESTIONS = [  # (question, the talk it is about)
    ("how does htmx replace javascript for interactive pages?", "321-htmx"),
    ("what is typosquatting on PyPI?", "319-typosquatting"),
    ("how do you measure the carbon emissions of machine learning code?", "318-codecarbon"),
    ("what is inside the .git folder?", "311-get-inside-the-git-folder"),
    ("how does pydantic validate data?", "313-pydantic"),
    ("zeromq sockets and message queues", "306-zeromq"),
    ("python for astronomy and telescopes", "303-python-for-astronomy-with-dr-becky"),
    ("python in the energy grid", "320-python-in-the-energy-grid"),
    ("asyncio libraries from omnilib", "304-asnyc-omnilib"),
]


@pytest.fixture(scope="module")
def talks(tmp_path_factory):
    from conftest import CORPUS

    if not (CORPUS / "long-talks").is_dir():
        pytest.skip(f"the shared corpus is not beside this checkout ({CORPUS}); tests/test_library_ask.py covers asking "
                    "with a library of its own")
    store = Store(tmp_path_factory.mktemp("talks") / "library.db")
    names = {}
    for path in sorted((CORPUS / "long-talks").glob("*.vtt")):
        names[store.add_video(VideoRecord(site="local", site_id=path.stem, title=path.stem), read_transcript(path))] = path.stem
    yield store, names
    store.close()


@pytest.mark.parametrize("question, talk", QUESTIONS, ids=[t for _q, t in QUESTIONS])
def test_a_question_about_a_talks_subject_finds_that_talk_first(talks, question, talk):
    store, names = talks
    found = find(store, question)
    assert names[found[0].video_id] == talk
    assert [names[f.video_id] for f in found[:3]].count(talk) >= 2
    assert all(f.lines and f.start_ms <= f.lines[0][0] for f in found if f.kind == "transcript")
