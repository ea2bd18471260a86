"""Ask Claude about a passage: build the request (transcript as a citable document) and stream the answer.

Plain Python: the window runs `stream_answer` on a worker thread and gets events back; the command
line runs it directly. Errors come out as an ErrorEvent with a message for the user, never raised.
"""

from __future__ import annotations

import os
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Iterator

from reader.asking import prompts
from reader.base.citations import mark, strip_marks
from reader.base.redaction import open_key_tail, redact
from reader.base.settings import DEFAULT_MODEL
from reader.transcript.model import Transcript
from reader.transcript.paragraphs import group
from reader.transcript.writers import short_clock

MODELS = ("claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5")


MAX_TOKENS = 4096


BLOCK_CHARS = 600  # transcript passages sent as citable blocks of about this size


@dataclass
class Block:
    """One citable passage of the transcript: its text as sent, and where it sits in the video."""

    start_ms: int
    end_ms: int
    text: str


def transcript_blocks(transcript: Transcript) -> list[Block]:
    """Paragraph-sized passages, each opening with its time, so a citation's block index is a moment."""
    blocks: list[Block] = []
    cues = transcript.cues
    for para in group(cues, transcript.chapters):
        i = para.first
        while i <= para.last:
            start = i
            size = 0
            while i <= para.last and (size == 0 or size + len(cues[i].text) <= BLOCK_CHARS):
                size += len(cues[i].text) + 1
                i += 1
            text = " ".join(c.text.replace("\n", " ") for c in cues[start:i])
            who = f"{cues[start].speaker}: " if cues[start].speaker and start == para.first else ""
            end_ms = max(c.end_ms for c in cues[start:i])
            blocks.append(Block(cues[start].start_ms, end_ms, f"[{short_clock(cues[start].start_ms)}] {who}{text}"))
    return blocks


@dataclass
class Turn:
    question: str  # what the user asked (shown), and
    prompt: str  # what was sent for it
    answer: str = ""


_BLOCKS: "weakref.WeakKeyDictionary[Transcript, list[Block]]" = weakref.WeakKeyDictionary()


def blocks_for(transcript: Transcript) -> list[Block]:
    """transcript_blocks, remembered per transcript: follow-up questions reuse them."""
    blocks = _BLOCKS.get(transcript)
    if blocks is None:
        blocks = _BLOCKS[transcript] = transcript_blocks(transcript)
    return blocks


@dataclass
class AskRequest:
    title: str
    description: str
    blocks: list[Block] | None  # None: made from `transcript` when the request is sent (off the GUI thread)
    turns: list[Turn]  # earlier turns of this thread, then the new one (answer "")
    model: str = DEFAULT_MODEL
    max_tokens: int = MAX_TOKENS
    transcript: Transcript | None = None

    def ensure_blocks(self) -> list[Block]:
        if self.blocks is None:
            self.blocks = blocks_for(self.transcript) if self.transcript is not None else []
        return self.blocks

    def params(self) -> dict:
        """The Messages API request body (without stream)."""
        document = {
            "type": "document",
            "source": {"type": "content", "content": [{"type": "text", "text": b.text} for b in self.ensure_blocks()]},
            "title": f"Transcript of “{self.title}”"[:500],
            "citations": {"enabled": True},
            "cache_control": {"type": "ephemeral"},
        }
        if self.description.strip():
            document["context"] = ("Video description:\n" + self.description.strip())[:8000]
        messages: list[dict] = []
        for n, turn in enumerate(self.turns):
            content: list[dict] = [{"type": "text", "text": turn.prompt}]
            if n == 0:
                content.insert(0, document)
            messages.append({"role": "user", "content": content})
            if turn.answer:
                messages.append({"role": "assistant", "content": [{"type": "text", "text": turn.answer}]})
        return {"model": self.model, "max_tokens": self.max_tokens, "system": prompts.template("system"), "messages": messages}


def passage_prompt(kind: str, title: str, passage: str, start_ms: int, end_ms: int, question: str = "") -> str:
    return prompts.fill(kind, title=title, passage=" ".join(passage.split()), start=short_clock(start_ms),
                        end=short_clock(end_ms), question=question)


@dataclass
class TextEvent:
    text: str


@dataclass
class CitationEvent:
    """A claim's support: the cited passages, as times in the video."""

    start_ms: int
    end_ms: int
    cited_text: str
    video_id: int | None = None  # asking the library: the video cited (a video's own answers cite their video)
    title: str = ""


@dataclass
class UsageEvent:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_creation_tokens: int = 0
    model: str = ""


@dataclass
class DoneEvent:
    stop_reason: str = ""


@dataclass
class ErrorEvent:
    message: str
    retry_after: float | None = None


_KEY_REACH = 256  # how far back a key may have begun when a chunk ends it


@dataclass
class Answer:
    """An answer as it accumulates: text with citation marks in place, and what the request cost."""

    text: str = ""
    citations: list[dict] = field(default_factory=list)
    usage: UsageEvent = field(default_factory=UsageEvent)
    status: str = "streaming"  # streaming, complete, incomplete, error
    error: str = ""
    retry_after: float | None = None  # a rate limit's wait, in seconds, when the server said
    _held: str = field(default="", repr=False)  # text that may begin a key, until the next piece

    def add(self, event) -> None:
        if isinstance(event, TextEvent):
            # A proxy that echoes the key into the answer itself: it never reaches the screen or the library.
            # What may be the start of a key is held back until the next piece says whether it is one.
            pending = self._held + event.text
            hold = open_key_tail(pending)
            self._held = pending[len(pending) - hold:] if hold else ""
            self._append(pending[:len(pending) - hold])
            return
        self.finish()  # any other event ends a run of text
        if isinstance(event, CitationEvent):
            cited = {"start_ms": event.start_ms, "end_ms": event.end_ms, "text": event.cited_text}
            if event.video_id is not None:
                cited = {"video_id": event.video_id, "title": event.title, **cited}
            self.citations.append(cited)
            self.text += mark(len(self.citations))  # an invisible mark where the link goes
        elif isinstance(event, UsageEvent):
            u = self.usage
            u.input_tokens = event.input_tokens or u.input_tokens
            u.output_tokens = event.output_tokens or u.output_tokens
            u.cache_read_tokens = event.cache_read_tokens or u.cache_read_tokens
            u.cache_creation_tokens = event.cache_creation_tokens or u.cache_creation_tokens
            u.model = event.model or u.model
        elif isinstance(event, DoneEvent):
            self.status = "complete" if event.stop_reason != "max_tokens" else "incomplete"
        elif isinstance(event, ErrorEvent):
            self.status = "error" if not self.text else "incomplete"
            self.error = event.message
            self.retry_after = event.retry_after

    def finish(self) -> None:
        """The stream has ended (or was stopped): text held back as a possible key's start is let go,
        cleaned."""
        if self._held:
            held, self._held = self._held, ""
            self._append(held)

    def _append(self, text: str) -> None:
        if not text:
            return
        self.text += text
        start = max(0, len(self.text) - len(text) - _KEY_REACH)
        tail = self.text[start:]
        clean = redact(tail)
        if clean != tail:
            self.text = self.text[:start] + clean

    def plain_text(self) -> str:
        """The answer without citation marks, for Copy and for the next turn of the thread."""
        return strip_marks(self.text)


def api_key() -> str | None:
    from reader.asking.keys import get_key

    return get_key()


_CLIENTS: dict[tuple, object] = {}


_CLIENTS_LOCK = threading.Lock()


def make_client(key: str, max_retries: int | None = None):
    """A client for this key and endpoint, kept for reuse: its connections stay open between questions."""
    import anthropic

    from reader.base.redaction import remember

    remember(key)
    retries = int(os.environ.get("READER_ANTHROPIC_MAX_RETRIES", "2")) if max_retries is None else max_retries
    ident = (key, os.environ.get("ANTHROPIC_BASE_URL", ""), retries, os.environ.get("READER_ANTHROPIC_TIMEOUT", ""))
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(ident)
        if client is None:
            seconds = float(os.environ.get("READER_ANTHROPIC_TIMEOUT", "120"))
            client = anthropic.Anthropic(api_key=key, max_retries=retries, timeout=anthropic.Timeout(seconds, connect=min(10.0, seconds)))
            _CLIENTS.clear()  # a changed key or endpoint replaces the old client
            _CLIENTS[ident] = client
    return client


_WARM_EVENTS = [
    ("message_start", {"type": "message_start", "message": {"id": "w", "type": "message", "role": "assistant", "model": "w",
                        "content": [], "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}}}),
    ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": "", "citations": []}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "w"}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {
        "type": "content_block_location", "cited_text": "w", "document_index": 0, "document_title": "w",
        "start_block_index": 0, "end_block_index": 1}}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 1}}),
    ("message_stop", {"type": "message_stop"}),
]


def warm_up() -> None:
    """Import the SDK and run one streamed request through it, answered in memory (nothing is sent).

    The SDK takes seconds to import and does a good deal of one-time work on its first request;
    done here in the background at start-up, none of it delays or stalls the first real question; with the
    collector held off meanwhile, none of it stalls the window either.
    """
    from reader.base.collector import collector_paused

    with collector_paused():
        _warm_up()


def _warm_up() -> None:
    import json

    try:
        import anthropic

        from reader.asking.keys import get_key

        try:
            import httpx2 as http
        except ImportError:
            import httpx as http
        body = "".join(f"event: {kind}\ndata: {json.dumps(data)}\n\n" for kind, data in _WARM_EVENTS).encode()
        transport = http.MockTransport(lambda request: http.Response(200, headers={"content-type": "text/event-stream"}, content=body))
        offline = anthropic.Anthropic(api_key="warm-up", base_url="http://127.0.0.1:9", max_retries=0,
                                      http_client=http.Client(transport=transport))
        request = AskRequest("w", "w", [Block(0, 1, "w")], [Turn("w", "w")], max_tokens=1)
        for _event in stream_answer(request, "warm-up", client=offline):
            pass
        key = get_key()
        if key:
            make_client(key)
    except Exception:  # warming up is only an optimisation
        pass


KEY_REFUSED = "Anthropic did not accept the API key (401). Check it in Preferences (Ctrl+,)."


KEY_FORBIDDEN = ("The API key may not use this model, or the account has no credit left (403). "
                 "Check the key's permissions and billing in the Anthropic console.")


NO_MODEL = "The model was not found (404). Choose another model in Preferences (Ctrl+,)."


RATE_LIMITED = "Too many requests: Anthropic is rate-limiting this key (429)."


TOO_LONG = "This transcript is too long to send in one request (413)."


DROPPED = "The connection dropped while the answer was arriving. What arrived is kept; retry for the rest."


STOPPED = "Stopped."


def error_action(message: str) -> str:
    """What the user can do about a failed request, from the message it left (live or stored):
    'preferences' (the key or the model), 'wait' (a rate limit: wait, then retry), 'retry' (the
    network, a server, a stop), or '' (asking again the same way cannot help)."""
    if message.startswith((KEY_REFUSED, KEY_FORBIDDEN, NO_MODEL)):
        return "preferences"
    if message.startswith(RATE_LIMITED):
        return "wait"
    if message.startswith(TOO_LONG):
        return ""
    return "retry"


def explain_error(exc: BaseException) -> ErrorEvent:
    """Every way a request fails, as a sentence for the user (the key never appears in it, even when a
    server or a proxy echoes it back in its message)."""
    from reader.base.redaction import redact

    event = _explain_error(exc)
    event.message = redact(event.message)
    return event


def _explain_error(exc: BaseException) -> ErrorEvent:
    import anthropic

    retry_after = None
    if isinstance(exc, anthropic.APIStatusError):
        status = exc.status_code
        try:
            retry_after = float(exc.response.headers.get("retry-after")) if exc.response is not None else None
        except (TypeError, ValueError):
            retry_after = None
        kind = ""
        body = getattr(exc, "body", None)
        if isinstance(body, dict):
            kind = (body.get("error") or {}).get("type", "") if isinstance(body.get("error"), dict) else ""
        if status == 401:
            return ErrorEvent(KEY_REFUSED)
        if status == 403:
            return ErrorEvent(KEY_FORBIDDEN)
        if status == 404:
            return ErrorEvent(NO_MODEL)
        if status == 429:
            wait = f" Try again in {int(retry_after)} seconds." if retry_after else " Wait a minute, then retry."
            return ErrorEvent(RATE_LIMITED + wait, retry_after)
        if status == 529 or kind == "overloaded_error":
            return ErrorEvent("Anthropic is overloaded right now (529). Retry in a little while.", retry_after)
        if status == 413:
            return ErrorEvent(TOO_LONG)
        if status >= 500:
            return ErrorEvent(f"Anthropic had a server error ({status}). Retry in a little while.")
        message = ""
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            message = str(body["error"].get("message") or "")
        message = " ".join(message.split())[:300]
        if message and not message.endswith((".", "!", "?")):
            message += "."
        return ErrorEvent(f"Anthropic refused the request ({status}): {message}" if message and status != 200
                          else f"Anthropic stopped the answer with an error: {message}" if message
                          else f"Anthropic refused the request ({status}).")
    # A connection dropped mid-stream surfaces as the HTTP library's own error (httpx, or httpx2 in
    # SDK 2.x), not an anthropic.APIError; recognise it by where it comes from.
    transport = (type(exc).__module__ or "").split(".")[0] in ("httpx", "httpx2", "httpcore", "httpcore2")
    if isinstance(exc, anthropic.APITimeoutError) or (transport and "Timeout" in type(exc).__name__):
        return ErrorEvent("The request timed out. Retry; if it keeps happening, check your connection.")
    if isinstance(exc, anthropic.APIConnectionError):
        return ErrorEvent("No connection to Anthropic. Check that you are online, then retry.")
    if transport or isinstance(exc, (ConnectionError, OSError)):
        return ErrorEvent(DROPPED)
    return ErrorEvent("The answer could not be fetched because of an unexpected problem. Retry; if it keeps happening, "
                      "check the endpoint and your connection.")


_TAIL = re.compile(r"[.,;:!?…]*\s*\Z")  # what may end a cited claim and belong after its link: "fade[0:06]." not "fade.[0:06]"


def stream_answer(request: AskRequest, key: str, cancelled=lambda: False, client=None) -> Iterator:
    """Yield TextEvent, CitationEvent, UsageEvent, then DoneEvent, or an ErrorEvent; never raises.

    Claude sends a cited claim as a text block of its own, its citations first and its words after;
    each CitationEvent is yielded when its block has ended, after the words it supports and before
    the block's closing punctuation and space (held back until then), so a link follows its claim.
    """
    tail = ""  # the end of the current block's text, held back until the block ends or grows
    cited: list[CitationEvent] = []  # the current block's citations, yielded when it ends
    blocks: list[Block] = []
    locate = getattr(request, "locate", None)  # a request of search results maps its own citations

    def cite(c) -> None:
        if locate is not None:
            found = locate(c)
            if found is not None:
                cited.append(found)
            return
        first = getattr(c, "start_block_index", None)
        last = getattr(c, "end_block_index", None)
        if first is not None and 0 <= first < len(blocks):
            last = min(max(first, (last or first + 1) - 1), len(blocks) - 1)  # end index is exclusive
            cited.append(CitationEvent(blocks[first].start_ms, blocks[last].end_ms, getattr(c, "cited_text", "") or ""))

    def text(piece: str) -> Iterator:
        nonlocal tail
        piece = tail + piece
        tail = _TAIL.search(piece).group()
        if len(piece) > len(tail):
            yield TextEvent(piece[:len(piece) - len(tail)])

    def end_block() -> Iterator:
        nonlocal tail
        yield from cited
        cited.clear()
        if tail:
            yield TextEvent(tail)
            tail = ""

    try:
        blocks = request.ensure_blocks()
        client = client or make_client(key)
        stop = "end_turn"
        with client.messages.stream(**request.params()) as stream:
            for event in stream:
                if cancelled():
                    yield from end_block()
                    yield ErrorEvent(STOPPED)
                    return
                kind = event.type
                if kind == "message_start":
                    u = event.message.usage
                    yield UsageEvent(u.input_tokens or 0, u.output_tokens or 0, u.cache_read_input_tokens or 0,
                                     u.cache_creation_input_tokens or 0, event.message.model or "")
                elif kind == "content_block_start":
                    block = event.content_block
                    for c in getattr(block, "citations", None) or []:
                        cite(c)
                    if getattr(block, "text", ""):
                        yield from text(block.text)
                elif kind == "content_block_delta":
                    delta = event.delta
                    if delta.type == "text_delta":
                        yield from text(delta.text)
                    elif delta.type == "citations_delta":
                        cite(delta.citation)
                elif kind == "content_block_stop":
                    yield from end_block()
                elif kind == "message_delta":
                    yield UsageEvent(output_tokens=event.usage.output_tokens or 0)
                    if event.delta.stop_reason:
                        stop = event.delta.stop_reason
                elif kind == "message_stop":
                    yield from end_block()
                    yield DoneEvent(stop)
                    return
        # The stream ended without message_stop: the connection was cut short.
        yield from end_block()
        yield ErrorEvent(DROPPED)
    except Exception as exc:  # every failure becomes a message; see explain_error
        yield from end_block()  # what arrived is kept, to the last character
        yield explain_error(exc)


def cost_line(usage: UsageEvent) -> str:
    """A rough line of what an answer used: tokens in (of which cached), out."""
    cached = f", {usage.cache_read_tokens:,} from cache" if usage.cache_read_tokens else ""
    return f"{usage.input_tokens + usage.cache_read_tokens + usage.cache_creation_tokens:,} tokens in{cached}, {usage.output_tokens:,} out"
