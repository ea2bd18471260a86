"""StudyingController without a window: tools read once, a tool run and shown again, the chat."""

import pytest

from fake_anthropic import Reply
from reader.ui.controllers import studying as studying_module
from reader.ui.controllers.studying import StudyingController


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
