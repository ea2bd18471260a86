"""Study tools through the real SDK, the review list and its search, and exports read back."""

import json
import subprocess
import sys

import pytest

from reader.asking import questions
from reader.asking.llm import Answer, stream_answer
from reader.asking.study import find_tool, tools
from reader.exchange.errors import ExportError
from reader.exchange.formats import export
from reader.exchange.markdown import markdown
from reader.exchange.restore import restore
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.library.importing import commit, prepare_file

from conftest import read_apkg
from fake_anthropic import Reply

KEY = "sk-ant-test-PLANTED-KEY-0123456789"


@pytest.fixture
def library(clip_dir):
    store = Store()
    vid = commit(store, prepare_file(clip_dir / "talk.mp4"))
    return store, vid


def run(store, answer_id, request):
    answer = Answer()
    for e in stream_answer(request, KEY):
        answer.add(e)
    questions.record(store, answer_id, answer)
    return answer


def test_the_bundled_tools_and_a_users_own(data_dir, monkeypatch, tmp_path):
    assert [t.key for t in tools()] == ["preread", "central-ideas", "vocabulary", "references", "people"]
    own = tmp_path / "config" / "prompts" / "tools"
    own.mkdir(parents=True)
    (own / "9-quiz.md").write_text("# Quiz me\nWrite five questions about “{title}”.\n", encoding="utf-8")
    assert [t.name for t in tools()][-1] == "Quiz me" and find_tool("quiz").prompt.startswith("Write five")


def test_a_study_tool_streams_is_stored_and_cites(library, claude):
    store, vid = library
    claude.replies = [Reply(["1. **Turn-taking**: Ada speaks, then Ben", ("cite", 1, 2), "."])]
    answer_id, request = questions.begin(store, None, "study", video_id=vid, tool=find_tool("central-ideas"))
    answer = run(store, answer_id, request)
    body = claude.requests[0]
    prompt = body["messages"][0]["content"][1]["text"]
    assert "central ideas of “talk”" in prompt and body["max_tokens"] == 8192
    assert body["messages"][0]["content"][0]["citations"] == {"enabled": True}
    row = store.answers(store.study_threads(vid)[0]["thread_id"])[0]
    assert row["kind"] == "study:central-ideas" and row["highlight_id"] is None and row["status"] == "complete"
    assert row["citations"][0]["start_ms"] == 3500 and answer.plain_text().startswith("1. **Turn-taking**")
    # regenerate in place
    claude.replies = [Reply(["Again."])]
    again_id, request = questions.begin(store, None, "study", thread_id=row["thread_id"], answer_id=answer_id, video_id=vid,
                                        tool=find_tool("central-ideas"))
    run(store, again_id, request)
    assert again_id == answer_id and store.answers(row["thread_id"])[0]["answer"] == "Again."


def test_chat_about_the_whole_video_keeps_a_thread(library, claude):
    store, vid = library
    claude.replies = [Reply(["Two speakers."])]
    first_id, request = questions.begin(store, None, "chat", "Who talks?", video_id=vid)
    run(store, first_id, request)
    thread = store.answers_thread(first_id)
    claude.replies = [Reply(["Ada first."])]
    second_id, request = questions.begin(store, None, "chat", "Who starts?", thread_id=thread, video_id=vid)
    run(store, second_id, request)
    assert [m["role"] for m in claude.requests[-1]["messages"]] == ["user", "assistant", "user"]
    assert [r["question"] for r in store.answers(thread)] == ["Who talks?", "Who starts?"]


def seed(store, vid):
    h1 = store.add_highlight(vid, 0, 0, 0, 19, 500, 2000, "First line from Ada.", "green", "Ada opens with spaced repetition")
    h2 = store.add_highlight(vid, 2, 0, 2, 30, 3500, 5000, "Ben answers with a third line.", "pink")
    a = store.start_answer(vid, h2, None, "explain", "Explain this passage", "p", "m")
    store.save_answer(a, "Ben **replies**\u20631\u2063.", [{"start_ms": 3500, "end_ms": 5000, "text": "x"}], "complete")
    s = store.start_answer(vid, None, None, "study:vocabulary", "Vocabulary", "p", "m")
    store.save_answer(s, "- **Turn**: a speaker's go\u20631\u2063\n- **Clip**: a short video", [{"start_ms": 500, "end_ms": 2000, "text": "y"}], "complete")
    return h1, h2


def test_review_lists_filters_and_searches_notes_and_answers(library):
    store, vid = library
    other = store.add_video(VideoRecord("local", "other", "Another talk"), None)
    seed(store, vid)
    store.add_highlight(other, 0, 0, 0, 3, 0, 1000, "Unrelated words", "yellow")
    items = store.review()
    assert sorted(i["kind"] for i in items) == ["answer", "highlight", "highlight", "highlight", "study"]
    assert [i["text"] for i in store.review(color="pink")] == ["Ben answers with a third line."]
    assert {i["kind"] for i in store.review(video_id=vid, kind="study")} == {"study"}
    assert [i["note"] for i in store.review(query="spaced repetition")] == ["Ada opens with spaced repetition"]
    assert [i["kind"] for i in store.review(query="replies")] == ["answer"]
    assert [i["kind"] for i in store.review(query="speaker")] == ["study"]
    assert store.review(query='"; drop table') == []
    in_order = store.review(video_id=vid, newest_first=False)
    assert [i["start_ms"] for i in in_order][:2] == [0, 0] or in_order[0]["start_ms"] <= in_order[-1]["start_ms"]


def test_markdown_export_has_front_matter_links_and_everything(library):
    store, vid = library
    seed(store, vid)
    text = markdown(store, vid, timestamps=True, with_transcript=True)
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    meta = {k: json.loads(v) for k, v in (line.split(": ", 1) for line in front.splitlines() if not line.startswith("tags"))}
    assert meta["title"] == "talk" and meta["source"].startswith("file://")
    assert f"[0:03](reader://video/{vid}?t=3)" in body and "> Ben answers with a third line." in body
    assert "Ben **replies** [0:03](reader://video/" in body and "Ada opens with spaced repetition" in body
    assert "### Vocabulary" in body and "## Transcript" in body and "**Ada:** First line from Ada." in body
    plain = markdown(store, vid, timestamps=False)
    assert "reader://" not in plain and "## Transcript" not in plain


def test_youtube_links_for_youtube_videos(data_dir):
    store = Store()
    vid = store.add_video(VideoRecord("youtube", "dQw4w9WgXcQ", "A YouTube talk"), None)
    store.add_highlight(vid, 0, 0, 0, 1, 754_000, 760_000, "x")
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=754s" in markdown(store, vid)


def test_anki_deck_has_cards_audio_and_stable_ids(library, tmp_path):
    store, vid = library
    seed(store, vid)
    out = tmp_path / "deck.apkg"
    export(store, vid, "anki", out)

    names, notes, sizes = read_apkg(out, tmp_path)
    assert len(notes) == 4  # two highlights, two vocabulary terms
    fronts = [n[1].split("\x1f")[0] for n in notes]
    assert "First line from Ada." in fronts and "<b>Turn</b>" in fronts
    ben = next(n[1].split("\x1f") for n in notes if n[1].startswith("Ben answers"))
    assert "replies" in ben[1] and ben[2].startswith("[sound:") and "0:03" in ben[3]
    clip = ben[2][len("[sound:"):-1]
    assert clip in sizes and sizes[clip] > 1000  # a real MP3 cut from the video's sound
    export(store, vid, "anki", tmp_path / "again.apkg")
    assert sorted(n[0] for n in read_apkg(tmp_path / "again.apkg", tmp_path)[1]) == sorted(n[0] for n in notes)  # same guids


def test_json_backup_restores_into_an_empty_library_and_again_changes_nothing(library, tmp_path, monkeypatch):
    store, vid = library
    seed(store, vid)
    store.set_position(vid, 4200)
    backup_file = tmp_path / "backup.json"
    export(store, None, "json", backup_file)
    assert "sk-ant" not in backup_file.read_text()
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "fresh"))
    fresh = Store()
    assert restore(fresh, backup_file) == {"videos": 1, "highlights": 2, "answers": 2, "cards": 0}
    assert restore(fresh, backup_file) == {"videos": 0, "highlights": 0, "answers": 0, "cards": 0}
    new = fresh.videos()[0]
    assert new["title"] == "talk" and new["cue_count"] == 4 and new["last_position_ms"] == 4200
    assert [h["note"] for h in fresh.highlights(new["id"])] == ["Ada opens with spaced repetition", ""]
    hl = fresh.highlights(new["id"])[1]
    rows = fresh.answers(fresh.threads(new["id"], hl["id"])[0])
    assert rows[0]["citations"][0]["start_ms"] == 3500
    assert markdown(fresh, new["id"]).split("exported:")[0] == markdown(store, vid).split("exported:")[0]
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(ExportError, match="not a Reader backup"):
        restore(fresh, bad)


def test_a_restore_is_summed_up_in_a_sentence():
    from reader.exchange.backup import restore_summary

    assert restore_summary({"videos": 1, "highlights": 0, "answers": 0, "cards": 0}, "b.json") == "Restored 1 video from b.json."
    assert restore_summary({"videos": 2, "highlights": 1, "answers": 3, "cards": 0}, "b.json") == "Restored 2 videos, 1 highlight and 3 answers from b.json."
    assert restore_summary({"videos": 0, "highlights": 0, "answers": 0, "cards": 0}, "b.json").startswith("Nothing new in b.json")


def test_export_restore_and_study_on_the_command_line(library, tmp_path, claude):
    import os

    store, vid = library
    seed(store, vid)
    env = dict(os.environ)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=120, env=env)

    md = cli("export", str(vid), "--to", "md", str(tmp_path / "talk.md"))
    assert md.returncode == 0 and (tmp_path / "talk.md").read_text().startswith("---")
    folder = cli("export", "--all", "--to", "md", str(tmp_path / "all"))
    assert folder.returncode == 0 and len(list((tmp_path / "all").glob("*.md"))) == 1
    assert cli("export", "--to", "md", str(tmp_path / "x.md")).returncode == 2
    assert cli("export", "999", "--to", "json", str(tmp_path / "x.json")).returncode == 2
    claude.replies = [Reply(["A pre-read."])]
    study = cli("study", str(vid), "preread")
    assert study.returncode == 0 and study.stdout == "A pre-read.\n"
    assert "Pre-read" in [r["question"] for t in store.study_threads(vid) for r in store.answers(t["thread_id"])]
    unknown = cli("study", str(vid), "horoscope")
    assert unknown.returncode == 2 and "preread" in unknown.stderr
    backup_file = tmp_path / "b.json"
    assert cli("export", "--all", "--to", "json", str(backup_file)).returncode == 0
    again = cli("restore", str(backup_file))
    assert again.returncode == 0 and again.stdout == "Nothing new in b.json: everything in it is already in the library.\n"
