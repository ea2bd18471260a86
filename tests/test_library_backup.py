"""The library's threads and tags in a backup (version 4): back exactly as they were, never overwritten, hostile ones refused."""

import json

import pytest

from reader.asking.library import record
from reader.asking.llm import Answer
from reader.exchange.errors import ExportError
from reader.exchange.formats import export
from reader.exchange.restore import restore
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.transcript.model import Cue, Transcript


def talk(*lines):
    return Transcript([Cue(i * 4000, i * 4000 + 3500, t) for i, t in enumerate(lines)], [], [], "srt")


def ask(store, question, sources, thread=None, cite=None):
    answer_id = store.start_library_answer(thread, question, "prompt: " + question, "tag:memory", sources, "claude-x")
    answer = Answer(text="It says so.\u20631\u2063", citations=[cite] if cite else [], status="complete")
    record(store, answer_id, answer)
    return store.library_answer(answer_id)["thread_id"]


@pytest.fixture
def made(tmp_path, monkeypatch):
    """A library of three talks, tags, two threads (one with a follow-up) citing them; its backup file."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "one"))
    store = Store()
    ids = [store.add_video(VideoRecord(site="local", site_id=f"v{n}", title=f"Talk {n}"), talk("spacing works", "it does"))
           for n in range(3)]
    store.add_tags(ids[0], ["memory", "Sleep"])
    source = {"kind": "transcript", "video_id": ids[1], "title": "Talk 1", "start_ms": 0, "end_ms": 7500,
              "lines": [[0, 3500, "spacing works"], [4000, 7500, "it does"]], "score": 1.5}
    cite = {"video_id": ids[1], "title": "Talk 1", "start_ms": 4000, "end_ms": 7500, "text": "it does"}
    first = ask(store, "does spacing work?", [source], cite=cite)
    ask(store, "and why?", [], thread=first)
    ask(store, "what of talk 2?", [dict(source, video_id=ids[2], title="Talk 2")], cite=dict(cite, video_id=ids[2], title="Talk 2"))
    target = tmp_path / "backup.json"
    export(store, None, "json", target)
    before = {r["uid"]: r for t in store.library_threads() for r in store.library_thread(t["thread_id"])}
    store.close()
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "two"))
    return target, before


def fresh():
    return Store()


def test_threads_and_tags_come_back_exactly_into_an_empty_library(made):
    target, before = made
    store = fresh()
    counts = restore(store, target)
    assert counts["library answers"] == 3 and counts["videos"] == 3
    after = {r["uid"]: r for t in store.library_threads() for r in store.library_thread(t["thread_id"])}
    assert set(after) == set(before)
    for uid, row in before.items():
        got = after[uid]
        assert (got["question"], got["answer"], got["thread_uid"], got["status"]) == \
               (row["question"], row["answer"], row["thread_uid"], row["status"])
        assert [c["title"] for c in got["citations"]] == [c["title"] for c in row["citations"]]
        assert [s["lines"] for s in got["sources"]] == [s["lines"] for s in row["sources"]]
    talk1 = store.find_video("local", "v1")
    cited = [c for r in after.values() for c in r["citations"] if c["title"] == "Talk 1"]
    assert cited and all(c["video_id"] == talk1 for c in cited)
    assert sorted(t["turns"] for t in store.library_threads()) == [1, 2]
    assert store.tags(store.find_video("local", "v0")) == ["memory", "Sleep"]
    assert restore(store, target) == {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}  # the second time: nothing new


def test_a_thread_the_library_has_gains_only_its_missing_turns_and_keeps_its_own(made):
    target, before = made
    store = fresh()
    restore(store, target)
    thread = next(t["thread_id"] for t in store.library_threads() if t["turns"] == 2)
    last = store.library_thread(thread)[-1]["id"]
    store.save_library_answer(last, "My own edit stays.", [], "complete")
    store.db.execute("delete from library_answers where id = ?", [store.library_thread(thread)[0]["id"]])
    restore(store, target)
    rows = store.library_thread(thread)
    assert len(rows) == 2 and "My own edit stays." in [r["answer"] for r in rows]


def test_a_cited_video_the_library_lacks_is_kept_as_a_removed_one(made, tmp_path):
    target, _ = made
    data = json.loads(target.read_text())
    data["videos"] = [v for v in data["videos"] if v["video"]["site_id"] != "v2"]
    whole = tmp_path / "whole.json"  # laid out by hand, not a video to a line: read whole
    whole.write_text(json.dumps(data, indent=1))
    store = fresh()
    restore(store, whole)
    rows = [r for t in store.library_threads() for r in store.library_thread(t["thread_id"])]
    talk2 = [c for r in rows for c in r["citations"] if c["title"] == "Talk 2"]
    assert talk2 and talk2[0]["video_id"] is None
    assert all(s["title"] != "Talk 2" for r in rows for s in r["sources"])


def _thread(data):
    return data["library_threads"][0]


HOSTILE = [
    ("a thread twice", lambda d: d["library_threads"].append(dict(_thread(d))), "is in it twice"),
    ("an answer twice", lambda d: _thread(d)["answers"].append(dict(_thread(d)["answers"][0])), "is in it twice"),
    ("a thread of no answers", lambda d: _thread(d).update(answers=[]), "at least 1"),
    ("a status no Reader writes", lambda d: _thread(d)["answers"][0].update(status="done"), "not one of the values"),
    ("a negative moment", lambda d: _thread(d)["answers"][0]["citations"][0].update(start_ms=-5), "at least 0"),
    ("a huge moment", lambda d: _thread(d)["answers"][0]["citations"][0].update(start_ms=10**30), "of at most"),
    ("a line that is not three values", lambda d: _thread(d)["answers"][0]["sources"][0].update(lines=[[1, 2]]), "library_threads"),
    ("no uid", lambda d: _thread(d).pop("uid"), "the field uid is missing"),
    ("a video named by nothing", lambda d: _thread(d)["answers"][0]["sources"][0].update(video={"site": "", "site_id": "x"}),
     "not empty"),
    ("threads that are not a list", lambda d: d.update(library_threads={"a": 1}), "expected a list"),
]


# the streamed layout has a line per thread: a list that is not one is a case of the whole layout alone
LAYOUTS = [(layout, *c) for c in HOSTILE for layout in ("streamed", "whole")
           if not (layout == "streamed" and c[0] == "threads that are not a list")]


@pytest.mark.parametrize("layout, case, change, says", LAYOUTS, ids=[f"{c[1]}-{c[0]}" for c in LAYOUTS])
def test_a_hostile_thread_is_refused_in_a_sentence_and_nothing_is_written(made, tmp_path, layout, case, change, says):
    target, _ = made
    raw = target.read_bytes()
    if layout == "streamed":  # change one thread line in place, keeping the file's layout
        lines = raw.split(b"\n")
        at = lines.index(b'],"library_threads":[') + 1
        data = {"library_threads": [json.loads(lines[at].rstrip(b","))]}
        change(data)
        comma = lines[at].endswith(b",")
        lines[at:at + 1] = [json.dumps(t).encode() + b"," for t in data["library_threads"]]
        if not comma:
            lines[at + len(data["library_threads"]) - 1] = lines[at + len(data["library_threads"]) - 1].rstrip(b",")
        target.write_bytes(b"\n".join(lines))
    else:
        data = json.loads(raw)
        change(data)
        target = tmp_path / "whole.json"
        target.write_text(json.dumps(data, indent=1))
    store = fresh()
    with pytest.raises(ExportError) as caught:
        restore(store, target)
    assert says in str(caught.value) and str(caught.value).count(".") >= 1 and "\n" not in str(caught.value)
    assert store.count() == 0 and store.library_threads() == []


def test_the_whole_librarys_markdown_has_a_page_of_its_questions_with_links_to_moments(made, tmp_path):
    target, _ = made
    store = fresh()
    restore(store, target)
    store.remove_video(store.find_video("local", "v2"))
    written = export(store, None, "md", tmp_path / "notes")
    page = next(p for p in written if p.name == "Library questions.md").read_text()
    talk1 = store.find_video("local", "v1")
    assert "## does spacing work?" in page and "**and why?**" in page
    assert f"[Talk 1 0:04](reader://video/{talk1}?t=4)" in page
    assert "\\[Talk 2 0:04, removed from the library\\]" in page and "reader://video/None" not in page
