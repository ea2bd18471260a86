"""StudyingController without a window: tools read once, a tool run and shown again, the chat."""

import pytest

from reader.ui.controllers import studying as studying_module
from reader.ui.controllers.studying import StudyingController

from fake_anthropic import Reply


@pytest.fixture
def studying(reading, streaming, events, transcript_file):
    controller = StudyingController(reading, streaming, events)
    reading.session_changed.connect(controller.on_reading_session_changed)
    reading.open_paths(None, transcript_file)
    return controller


def test_tools_are_read_from_disk_only_when_reloaded(studying, claude, qtbot, monkeypatch):
    reads = []
    real = studying_module.tools
    monkeypatch.setattr(studying_module, "tools", lambda: reads.append(1) or real())
    with qtbot.waitSignal(studying.tools_changed) as loaded:
        studying.reload_tools()
    assert reads == [1] and "central-ideas" in [t.key for t in loaded.args[0]]
    claude.replies = [Reply(["1. **Turns**", " — Ada, then Ben."], delay=0.05)]
    results = []
    studying.result_changed.connect(lambda title, rows, live, key: results.append((title, live, key)))
    with qtbot.waitSignal(studying.shown):
        studying.run_tool(studying.tool("central-ideas"))
    qtbot.waitUntil(lambda: not studying.streaming.busy() and results and results[-1][1] is False, timeout=15_000)
    assert len(results) >= 2 and reads == [1]  # redrawing a streaming result reads no prompt file
    assert results[-1] == ("Central ideas", False, "central-ideas")


def test_a_saved_result_is_shown_not_asked_again_and_the_chat_is_kept(studying, claude, qtbot):
    studying.reload_tools()
    claude.replies = [Reply(["Turns."])]
    studying.run_tool(studying.tool("central-ideas"))
    qtbot.waitUntil(lambda: not studying.streaming.busy(), timeout=15_000)
    asked = len(claude.requests)
    with qtbot.waitSignal(studying.result_changed) as shown:
        studying.run_tool(studying.tool("central-ideas"))
    assert len(claude.requests) == asked and shown.args[1][-1]["answer"] == "Turns."
    claude.replies = [Reply(["Two people."])]
    studying.chat("Who speaks?")
    qtbot.waitUntil(lambda: not studying.streaming.busy(), timeout=15_000)
    chat = studying.conversation_id
    with qtbot.waitSignal(studying.result_changed) as shown:
        studying.show()
    assert studying.key is None and shown.args[0] == "Questions about this video"
    assert shown.args[1][-1]["answer"] == "Two people." and shown.args[1][-1]["question"] == "Who speaks?"
    assert {s["kind"] for s in studying.store.study_threads(studying.reading.video_id)} == {"study:central-ideas", "chat"}
    assert chat is not None


def _record(studying):
    seen = {"results": [], "problems": [], "status": []}
    studying.result_changed.connect(lambda title, rows, live, key: seen["results"].append(([r["answer"] for r in rows], live)))
    studying.problem_changed.connect(lambda problem: seen["problems"].append(problem))
    studying.status_changed.connect(lambda text: seen["status"].append(text))
    studying.results_changed.connect(lambda made: seen.setdefault("made", []).append(dict(made)))
    return seen


def _first_result(studying, claude, qtbot):
    """Central ideas run once and shown whole ("First ideas."); what the controller said, recorded from then on."""
    studying.reload_tools()
    seen = _record(studying)
    claude.replies = [Reply(["First ideas."])]
    studying.run_tool(studying.tool("central-ideas"))
    qtbot.waitUntil(lambda: not studying.streaming.busy() and seen["results"][-1] == (["First ideas."], False), timeout=15_000)
    return seen


def test_run_again_keeps_the_earlier_result_on_show_until_the_new_one_is_whole(studying, claude, qtbot):
    seen = _first_result(studying, claude, qtbot)
    made = seen["made"][-1]["central-ideas"]
    assert made not in ("", "running", "failed")  # a result, and when it was made
    claude.replies = [Reply(["Newer ", "ideas ", "arrive."], delay=0.1)]
    studying.run_tool(studying.tool("central-ideas"), again=True)
    assert seen["made"][-1]["central-ideas"] == "running" and seen["status"][-1].startswith("Running again")
    qtbot.waitUntil(lambda: studying.streaming.answer is not None and "Newer" in studying.streaming.answer.text, timeout=15_000)
    studying.show()
    assert seen["results"][-1] == (["First ideas."], True)  # the earlier one stays while the new one arrives (Stop shown)
    qtbot.waitUntil(lambda: not studying.streaming.busy() and seen["results"][-1] == (["Newer ideas arrive."], False), timeout=15_000)
    assert seen["status"][-1] == "" and seen["problems"][-1] is None
    assert [r["answer"] for r in studying.store.answers_for_video(studying.reading.video_id)] == ["Newer ideas arrive."]


def test_a_run_again_that_fails_leaves_the_earlier_result_with_the_failure_and_retry(studying, claude, qtbot):
    seen = _first_result(studying, claude, qtbot)
    claude.replies = [Reply(status=529, error_type="overloaded_error")]
    studying.run_tool(studying.tool("central-ideas"), again=True)
    qtbot.waitUntil(lambda: not studying.streaming.busy() and seen["problems"][-1] is not None, timeout=15_000)
    assert seen["results"][-1] == (["First ideas."], False)
    assert seen["problems"][-1].action == "retry" and "overloaded" in seen["problems"][-1].message
    assert seen["made"][-1]["central-ideas"] not in ("", "running", "failed")  # it still has its result
    # shown again later (a reopened video): the earlier result, and the newer run that failed
    studying.on_reading_session_changed()
    studying.run_tool(studying.tool("central-ideas"))
    assert seen["results"][-1] == (["First ideas."], False) and "overloaded" in seen["problems"][-1].message
    asked = len(claude.requests)
    claude.replies = [Reply(["Retried ideas."])]
    studying.retry()
    qtbot.waitUntil(lambda: not studying.streaming.busy() and seen["results"][-1] == (["Retried ideas."], False), timeout=15_000)
    assert len(claude.requests) == asked + 1 and seen["problems"][-1] is None
    assert [r["answer"] for r in studying.store.answers_for_video(studying.reading.video_id)] == ["Retried ideas."]


def test_a_first_run_that_fails_shows_why_and_the_tool_has_no_result(studying, claude, qtbot):
    studying.reload_tools()
    seen = _record(studying)
    claude.replies = [Reply(status=401, error_type="authentication_error")]
    studying.run_tool(studying.tool("people"))
    qtbot.waitUntil(lambda: not studying.streaming.busy() and seen["problems"] and seen["problems"][-1] is not None, timeout=15_000)
    assert seen["problems"][-1].action == "preferences" and seen["made"][-1]["people"] == "failed"


def test_every_tool_is_described_in_words():
    for tool in studying_module.tools():
        assert tool.description and "{" not in tool.description and tool.description not in tool.prompt
        assert not tool.prompt.startswith(">")  # the description is never sent to Claude


def test_without_a_key_only_the_study_tab_says_so_and_retry_runs_the_tool_once_there_is_one(studying, reading, streaming, events, claude, qtbot, monkeypatch):
    import os

    from reader.asking import keys
    from reader.ui.controllers.notes import NotesController

    monkeypatch.setattr(keys, "keyring_available", lambda: True)  # a desktop with a keyring: Preferences can keep a key
    notes = NotesController(reading, streaming, events)
    notes_problems = []
    notes.problem_changed.connect(notes_problems.append)
    studying.reload_tools()
    seen = _record(studying)
    key = [None]
    monkeypatch.setattr("reader.ui.controllers.streaming.get_key", lambda: key[0])
    studying.run_tool(studying.tool("people"))
    assert seen["problems"][-1].action == "preferences" and "API key" in seen["problems"][-1].message
    assert notes_problems == [] and claude.requests == []  # the notes pane did not ask: it says nothing
    key[0] = os.environ["ANTHROPIC_API_KEY"]  # added in Preferences
    claude.replies = [Reply(["Ada and Ben."])]
    studying.retry()
    qtbot.waitUntil(lambda: not streaming.busy() and seen["results"][-1] == (["Ada and Ben."], False), timeout=15_000)
    assert len(claude.requests) == 1 and seen["problems"][-1] is None


def test_a_run_again_saved_whole_before_it_is_announced_is_shown_not_an_empty_result(studying, claude, qtbot):
    seen = _first_result(studying, claude, qtbot)
    claude.replies = [Reply(["Newer ", "ideas."], delay=0.2)]
    studying.run_tool(studying.tool("central-ideas"), again=True)
    pending = studying.pending
    studying.store.keep_study_result(studying.reading.video_id, "study:central-ideas", pending)  # as record() does when whole
    studying.show()
    assert studying.conversation_id == pending and studying.pending is None and seen["results"][-1][0] != []
    qtbot.waitUntil(lambda: not studying.streaming.busy(), timeout=15_000)
