"""Asking Claude, through the real SDK and a local server that speaks its streaming API."""

import pytest

from reader.asking.llm import Answer, AskRequest, CitationEvent, DoneEvent, ErrorEvent, TextEvent, Turn, UsageEvent, cost_line, passage_prompt, stream_answer, transcript_blocks
from reader.base.citations import mark
from reader.transcript import parse_text

from fake_anthropic import Reply
from media import CLIP_VTT

KEY = "sk-ant-test-PLANTED-KEY-0123456789"


def request(question="Explain"):
    t = parse_text(CLIP_VTT)
    prompt = passage_prompt("explain", "A talk", "Ben answers with a third line.", 3500, 5000)
    return AskRequest("A talk", "About <b>reading</b>.", transcript_blocks(t), [Turn(question, prompt)])


def test_transcript_blocks_carry_their_times():
    blocks = transcript_blocks(parse_text(CLIP_VTT))
    assert [b.text for b in blocks] == [
        "[0:00] Ada: First line from Ada. Second line, still Ada.",
        "[0:03] Ben: Ben answers with a third line. And the fourth line closes the clip.",
    ]
    assert [(b.start_ms, b.end_ms) for b in blocks] == [(500, 3500), (3500, 7500)]


def test_request_shape_and_streamed_answer_with_citations(claude):
    claude.replies = [Reply(["The third line ", ("cited", "is Ben's reply.", (1, 2)), "\n\n- a **point**"])]
    events = list(stream_answer(request(), KEY))
    body = claude.requests[0]
    assert body["stream"] is True and body["model"] == "claude-sonnet-5-5" and "patient expert tutor" in body["system"]
    doc, prompt = body["messages"][0]["content"]
    assert doc["type"] == "document" and doc["citations"] == {"enabled": True}
    assert doc["cache_control"] == {"type": "ephemeral"}
    assert doc["source"]["type"] == "content" and doc["source"]["content"][1]["text"].startswith("[0:03] Ben:")
    assert "About <b>reading</b>." in doc["context"] and doc["title"] == "Transcript of “A talk”"
    assert "Ben answers with a third line." in prompt["text"] and "from 0:03 to 0:05" in prompt["text"]
    assert claude.headers[0]["authorization"] == f"Bearer {KEY}"
    assert [type(e) for e in events if not isinstance(e, TextEvent)] == [UsageEvent, CitationEvent, UsageEvent, DoneEvent]
    cite = next(e for e in events if isinstance(e, CitationEvent))
    assert (cite.start_ms, cite.end_ms) == (3500, 7500) and cite.cited_text.startswith("[0:03] Ben:")
    answer = Answer()
    for e in events:
        answer.add(e)
    assert answer.status == "complete" and answer.citations == [{"start_ms": 3500, "end_ms": 7500, "text": cite.cited_text}]
    assert answer.plain_text() == "The third line is Ben's reply.\n\n- a **point**"
    assert answer.text == f"The third line is Ben's reply{mark(1)}.\n\n- a **point**"  # the link follows its claim
    assert answer.usage.cache_read_tokens == 1000 and answer.usage.output_tokens == 80
    assert cost_line(answer.usage) == "2,200 tokens in, 1,000 from cache, 80 out"


def test_follow_up_sends_the_thread(claude):
    req = request()
    req.turns[0].answer = "First answer."
    req.turns.append(Turn("And then?", "And then?"))
    list(stream_answer(req, KEY))
    roles = [m["role"] for m in claude.requests[0]["messages"]]
    assert roles == ["user", "assistant", "user"]
    assert claude.requests[0]["messages"][2]["content"] == [{"type": "text", "text": "And then?"}]


@pytest.mark.parametrize("reply,needle", [
    (Reply(status=401, error_type="authentication_error"), "did not accept the API key"),
    (Reply(status=403, error_type="permission_error"), "no credit"),
    (Reply(status=429, error_type="rate_limit_error", headers={"retry-after": "17"}), "Try again in 17 seconds"),
    (Reply(status=529, error_type="overloaded_error"), "overloaded"),
    (Reply(status=500, error_type="api_error"), "server error (500)"),
    (Reply(["Part one. ", "part two"], fail_after=1), "overloaded"),
    (Reply(["Part one. ", "part two"], drop_after=1), "connection dropped"),
])
def test_every_fault_is_a_message_and_keeps_what_arrived(claude, reply, needle):
    claude.replies = [reply]
    answer = Answer()
    for e in stream_answer(request(), KEY):
        answer.add(e)
    assert answer.status in ("error", "incomplete")
    assert needle.lower() in answer.error.lower()
    assert KEY not in answer.error
    if reply.fail_after or reply.drop_after:
        assert answer.text == "Part one. " and answer.status == "incomplete"


def test_no_network_and_timeouts(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("READER_ANTHROPIC_MAX_RETRIES", "0")
    events = list(stream_answer(request(), KEY))
    assert isinstance(events[-1], ErrorEvent) and "No connection" in events[-1].message


def test_stop_ends_the_stream(claude):
    claude.replies = [Reply(["a"] * 50, delay=0.01)]
    seen = []
    events = list(stream_answer(request(), KEY, cancelled=lambda: len(seen) > 3 or seen.append(1)))
    assert isinstance(events[-1], ErrorEvent) and events[-1].message == "Stopped."


def test_reader_explain_streams_to_stdout_and_stores_like_the_window(claude, clip_dir, tmp_path):
    import os
    import subprocess
    import sys

    from reader.library.db.store import Store
    from reader.library.importing import commit, prepare_file

    store = Store()
    vid = commit(store, prepare_file(clip_dir / "talk.mp4"))
    claude.replies = [Reply(["Ben replies ", ("cited", "to Ada", (1, 2)), "."])]
    run = subprocess.run([sys.executable, "-m", "reader", "explain", str(vid), "--from", "0:03.6", "--to", "0:04"],
                         capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "Ben replies to Ada [0:03].\n"
    assert "tokens in" in run.stderr and KEY not in run.stderr + run.stdout
    hl = store.highlights(vid)
    assert [(h["text"], h["start_ms"], h["end_ms"]) for h in hl] == [("Ben answers with a third line.", 3500, 5000)]
    rows = store.answers(store.threads(vid, hl[0]["id"])[0])
    assert rows[0]["status"] == "complete" and rows[0]["citations"] == [{"start_ms": 3500, "end_ms": 7500, "text": rows[0]["citations"][0]["text"]}]
    assert rows[0]["question"] == "Explain this passage" and rows[0]["input_tokens"] == 1200 and rows[0]["cache_read_tokens"] == 1000
    assert "Ben answers with a third line." in claude.requests[0]["messages"][0]["content"][1]["text"]
    claude.replies = [Reply(["Half an ans", "wer."], fail_after=1)]
    bad = subprocess.run([sys.executable, "-m", "reader", "explain", str(vid), "--from", "0:00", "--to", "0:02", "--question", "Who?"],
                         capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert bad.returncode == 2 and "overloaded" in bad.stderr and "saved" in bad.stderr
    partial = [r for t in store.threads(vid) for r in store.answers(t) if r["question"] == "Who?"]
    assert partial[0]["answer"] == "Half an ans" and partial[0]["status"] == "incomplete"
    no_key = subprocess.run([sys.executable, "-m", "reader", "explain", str(vid), "--from", "0:00", "--to", "0:02"],
                            capture_output=True, text=True, timeout=60, env={k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"} | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert no_key.returncode == 2 and "ANTHROPIC_API_KEY" in no_key.stderr


def test_a_stalled_stream_times_out_with_what_arrived_kept(claude, monkeypatch):
    monkeypatch.setenv("READER_ANTHROPIC_TIMEOUT", "0.5")
    claude.replies = [Reply(["Started ", "and then nothing"], delay=1.5)]
    answer = Answer()
    for e in stream_answer(request(), KEY):
        answer.add(e)
    assert "timed out" in answer.error or "dropped" in answer.error
    assert answer.status in ("error", "incomplete")
