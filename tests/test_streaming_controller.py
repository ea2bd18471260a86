"""StreamingController without a window: a stream is announced, stored, and merged into the conversation's rows."""

from conftest import span
from fake_anthropic import Reply


def _highlight(reading, transcript_file):
    reading.open_paths(None, transcript_file)
    return reading.store.add_highlight(reading.video_id, **span(1))


def test_an_answer_streams_into_the_rows_and_the_store(reading, streaming, events, transcript_file, claude, qtbot):
    claude.replies = [Reply(["Ada ", "speaks ", "first."], delay=0.02)]
    highlight_id = _highlight(reading, transcript_file)
    notices = []
    events.conversation_changed.connect(lambda cid, live, source: notices.append((cid, live, source)))
    conversation = streaming.ask(highlight_id, "explain")
    assert conversation is not None and streaming.streaming(conversation)
    assert notices[0] == (conversation, True, streaming)
    qtbot.waitUntil(lambda: not streaming.busy() and notices[-1][1] is False, timeout=15_000)
    rows = streaming.rows(conversation)
    assert rows[-1]["answer"] == "Ada speaks first." and rows[-1]["status"] == "complete"
    assert reading.store.answers(conversation)[-1]["answer"] == "Ada speaks first."
    assert not streaming.streaming(conversation)


def test_while_streaming_the_rows_hold_the_live_text_and_are_read_once(reading, streaming, transcript_file, claude, qtbot, monkeypatch):
    claude.replies = [Reply(["one ", "two ", "three ", "four"], delay=0.15)]
    highlight_id = _highlight(reading, transcript_file)
    conversation = streaming.ask(highlight_id, "explain")
    qtbot.waitUntil(lambda: streaming.answer is not None and bool(streaming.answer.text), timeout=15_000)
    reads = []
    real = reading.store.answers
    monkeypatch.setattr(reading.store, "answers", lambda cid: reads.append(cid) or real(cid))
    first, second = streaming.rows(conversation), streaming.rows(conversation)
    assert len(reads) <= 1  # the other rows do not change while an answer streams
    assert first[-1]["status"] == "streaming" and second[-1]["answer"].startswith("one")
    streaming.stop()
    assert not streaming.busy()
    row = real(conversation)[-1]
    assert row["status"] in ("incomplete", "complete") and row["answer"].startswith("one")


def test_no_key_is_a_signal_not_a_request(reading, streaming, transcript_file, qtbot, monkeypatch):
    monkeypatch.setattr("reader.ui.controllers.streaming.get_key", lambda: None)
    highlight_id = _highlight(reading, transcript_file)
    with qtbot.waitSignal(streaming.no_key):
        assert streaming.ask(highlight_id, "explain") is None
    assert not streaming.busy()


def test_a_rate_limit_is_waited_out_counting_down_then_asked_again_by_itself(reading, streaming, transcript_file, claude, qtbot):
    claude.replies = [Reply(status=429, error_type="rate_limit_error", headers={"retry-after": "2"}), Reply(["Now it works."])]
    highlight_id = _highlight(reading, transcript_file)
    waits = []
    streaming.waiting_changed.connect(lambda cid, left: waits.append((cid, left)))
    conversation = streaming.ask(highlight_id, "explain")
    qtbot.waitUntil(lambda: not streaming.busy(), timeout=15_000)
    assert len(claude.requests) == 1 and streaming.wait_left(conversation) == 2
    assert streaming.rows(conversation)[-1]["status"] == "error"
    qtbot.waitUntil(lambda: streaming.rows(conversation)[-1]["answer"] == "Now it works." and not streaming.busy(), timeout=15_000)
    assert waits == [(conversation, 1)] and len(claude.requests) == 2
    assert claude.requests[1]["messages"] == claude.requests[0]["messages"]  # the same request again
    rows = reading.store.answers(conversation)
    assert len(rows) == 1 and rows[0]["status"] == "complete"  # in its place: no second answer
    assert streaming.wait_left(conversation) == 0


def test_a_wait_can_be_cancelled_and_nothing_is_asked_again(reading, streaming, transcript_file, claude, qtbot):
    claude.replies = [Reply(status=429, error_type="rate_limit_error", headers={"retry-after": "30"}), Reply(["Too soon."])]
    highlight_id = _highlight(reading, transcript_file)
    conversation = streaming.ask(highlight_id, "explain")
    qtbot.waitUntil(lambda: not streaming.busy(), timeout=15_000)
    assert streaming.wait_left(conversation) == 30
    with qtbot.waitSignal(streaming.waiting_changed) as cancelled:
        streaming.cancel_wait()
    assert cancelled.args == [conversation, 0] and streaming.wait_left(conversation) == 0
    assert not streaming._wait.isActive() and len(claude.requests) == 1


def test_retry_asks_the_same_question_again_in_its_place(reading, streaming, transcript_file, claude, qtbot):
    claude.replies = [Reply(status=500), Reply(["Second try."])]
    highlight_id = _highlight(reading, transcript_file)
    conversation = streaming.ask(highlight_id, "explain")
    qtbot.waitUntil(lambda: not streaming.busy(), timeout=15_000)
    [failed] = reading.store.answers(conversation)
    assert failed["status"] == "error" and streaming.wait_left(conversation) == 0  # a server error is not waited out
    assert streaming.retry(failed["id"], conversation) == conversation
    qtbot.waitUntil(lambda: not streaming.busy(), timeout=15_000)
    [row] = reading.store.answers(conversation)
    assert (row["id"], row["answer"], row["status"]) == (failed["id"], "Second try.", "complete")
    assert claude.requests[1]["messages"] == claude.requests[0]["messages"]
