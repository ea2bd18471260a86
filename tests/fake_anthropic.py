"""A local server that speaks Anthropic's streaming Messages API, for the real SDK to talk to.

Each request takes the next scripted reply (or repeats the last): a streamed answer with text and
citations, an HTTP error, an `error` event midway, or a connection dropped midway. A cited claim comes
as the API sends it: a text block of its own, its citations first and its words after.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    # str: text ("{key}" echoes the request's API key); ("cite", first, last): a citation of the document's
    # blocks first..last-1 in the current text block; ("cited", text, (first, last), ...): a cited claim, in a
    # text block of its own (citations first, then its words), as the API sends them; ("found", text, (result, first,
    # last), ...): a claim citing lines first..last-1 of the request's result-th search_result block
    pieces: list = field(default_factory=lambda: ["Hello"])
    status: int = 200
    error_type: str = ""
    headers: dict = field(default_factory=dict)
    fail_after: int | None = None  # send an `error` event after this many pieces
    drop_after: int | None = None  # close the connection after this many pieces
    delay: float = 0.0  # seconds between pieces
    usage: tuple = (1200, 80, 1000, 0)  # input, output, cache read, cache creation
    stop_reason: str = "end_turn"
    message: str = ""  # the error's message (HTTP error body or `error` event); "{key}" echoes the request's API key
    event_error_type: str = "overloaded_error"


class FakeAnthropic:
    def __init__(self):
        self.replies: list[Reply] = [Reply()]
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.timings: list[tuple[float, float]] = []  # (request received, first text sent), perf_counter
        self.gate = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self.received = time.perf_counter()
                server.requests.append(body)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                reply = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
                auth = self.headers.get("authorization") or ""
                self.key = self.headers.get("x-api-key") or (auth[7:] if auth.lower().startswith("bearer ") else auth)
                if reply.status != 200:
                    message = reply.message.replace("{key}", self.key) if reply.message else f"status {reply.status}"
                    payload = json.dumps({"type": "error", "error": {"type": reply.error_type or "api_error", "message": message}}).encode()
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self._stream(body, reply)
                self.close_connection = True

            def _send(self, kind: str, data: dict):
                self.wfile.write(f"event: {kind}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            def _cite(self, body: dict, index: int, first: int, last: int):
                doc = body["messages"][0]["content"][0]
                cited = " ".join(doc["source"]["content"][i]["text"] for i in range(first, last))
                self._send("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                    "type": "citations_delta", "citation": {"type": "content_block_location", "cited_text": cited,
                                                            "document_index": 0, "document_title": doc.get("title"),
                                                            "start_block_index": first, "end_block_index": last}}})

            def _cite_result(self, body: dict, index: int, result: int, first: int, last: int):
                found = [c for m in body["messages"] if m["role"] == "user" and isinstance(m["content"], list)
                         for c in m["content"] if c.get("type") == "search_result"]
                block = found[result] if 0 <= result < len(found) else {"source": "nowhere", "title": "", "content": []}
                cited = " ".join(b["text"] for b in block["content"][first:last])
                self._send("content_block_delta", {"type": "content_block_delta", "index": index, "delta": {
                    "type": "citations_delta", "citation": {"type": "search_result_location", "cited_text": cited,
                                                            "search_result_index": result, "source": block["source"],
                                                            "title": block["title"], "start_block_index": first,
                                                            "end_block_index": last}}})

            def _stream(self, body: dict, reply: Reply):
                inp, out, cache_read, cache_new = reply.usage
                self._send("message_start", {"type": "message_start", "message": {
                    "id": "msg_test", "type": "message", "role": "assistant", "model": body.get("model", "x"),
                    "content": [], "stop_reason": None, "stop_sequence": None,
                    "usage": {"input_tokens": inp, "output_tokens": 1, "cache_read_input_tokens": cache_read,
                              "cache_creation_input_tokens": cache_new}}})
                index = 0
                self._send("content_block_start", {"type": "content_block_start", "index": 0,
                                                   "content_block": {"type": "text", "text": "", "citations": []}})
                for n, piece in enumerate(reply.pieces):
                    if reply.fail_after is not None and n == reply.fail_after:
                        message = reply.message.replace("{key}", self.key) if reply.message else "Overloaded"
                        self._send("error", {"type": "error", "error": {"type": reply.event_error_type, "message": message}})
                        return
                    if reply.drop_after is not None and n == reply.drop_after:
                        self.wfile.flush()
                        self.connection.shutdown(2)
                        return
                    if reply.delay:
                        server.gate.wait(reply.delay)
                    if isinstance(piece, tuple) and piece[0] in ("cited", "found"):
                        self._send("content_block_stop", {"type": "content_block_stop", "index": index})
                        index += 1
                        self._send("content_block_start", {"type": "content_block_start", "index": index,
                                                           "content_block": {"type": "text", "text": "", "citations": []}})
                        for where in piece[2:]:
                            if piece[0] == "found":
                                self._cite_result(body, index, *where)
                            else:
                                self._cite(body, index, *where)
                        self._send("content_block_delta", {"type": "content_block_delta", "index": index,
                                                           "delta": {"type": "text_delta", "text": piece[1]}})
                        self._send("content_block_stop", {"type": "content_block_stop", "index": index})
                        index += 1
                        self._send("content_block_start", {"type": "content_block_start", "index": index,
                                                           "content_block": {"type": "text", "text": "", "citations": []}})
                    elif isinstance(piece, tuple):
                        self._cite(body, index, piece[1], piece[2])
                    else:
                        self._send("content_block_delta", {"type": "content_block_delta", "index": index,
                                                           "delta": {"type": "text_delta", "text": piece.replace("{key}", self.key)}})
                        if n == 0 or not any(isinstance(p, str) for p in reply.pieces[:n]):
                            server.timings.append((self.received, time.perf_counter()))
                self._send("content_block_stop", {"type": "content_block_stop", "index": index})
                self._send("message_delta", {"type": "message_delta", "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
                                             "usage": {"output_tokens": out}})
                self._send("message_stop", {"type": "message_stop"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    # Serve from a process of its own (benchmarks: so the server's work does not share the app's GIL).
    import sys

    tokens = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    server = FakeAnthropic()
    server.replies = [Reply([f"tok{i} " for i in range(tokens)])]
    print(server.url, flush=True)
    sys.stdin.read()  # until the parent closes our input
    server.close()
