"""Claude's answers shown safely (Markdown without HTML or images, http(s) and citation links only) and drawn incrementally."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser

from reader.asking.llm import Answer, UsageEvent, cost_line
from reader.base.citations import has_content, link_marks
from reader.base.redaction import redact
from reader.transcript.writers import short_clock

_MD = []  # the Markdown parser, made for the first answer drawn (importing it is not worth delaying start-up)


def _markdown():
    if not _MD:
        from markdown_it import MarkdownIt

        _MD.append(MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image"))
    return _MD[0]
_SAFE_LINK = re.compile(r'<a href="(?!https?://|cite:)[^"]*"', re.I)


def render_markdown(text: str, citations: list[dict] | None = None, offset: int = 0) -> str:
    """HTML for an answer: raw HTML in it is escaped, images dropped, links other than http(s) defused,
    and each citation mark becomes a small [m:ss] link (cite:N) to the moment it cites, spaced as a word
    after the words it supports."""
    # without the newlines between blocks, which Qt would keep as trailing spaces, nor the one closing a
    # code block, which it would draw as an empty line
    body = _markdown().render(text).replace("\n</code></pre>", "</code></pre>").replace(">\n<", "><").rstrip("\n")
    body = _SAFE_LINK.sub('<a href="#"', body)  # javascript:, file:, data: and the like lead nowhere
    citations = citations or []

    def link(n: int) -> str:
        if 1 <= n <= len(citations):
            c = citations[n - 1]
            tip = html.escape((c.get("text") or "")[:300], quote=True)
            if c.get("video_id") is not None:  # the library's answers cite a video and a moment: "[Talk 12:34]"
                from reader.asking.library import citation_label

                label = html.escape(citation_label(c, set() if c.get("gone") else None))
                if c.get("gone"):  # its video was removed: said, never a link to a wrong place
                    return f'<span style="color:gray; font-size:small">{label}</span>'
            else:
                label = f"[{short_clock(c['start_ms'])}]"
            return f'<a href="cite:{n + offset}" title="{tip}" style="text-decoration:none; font-size:small">{label}</a>'
        return ""

    return link_marks(body, link)


@dataclass
class Thread:
    """A thread ready to show: `head` is everything settled; `live` the answer still streaming (its
    HTML is redrawn on each tick, the head only when it changes)."""

    head: str
    live: str | None
    citations: list[dict]
    plain: str  # the last answer as plain text, for Copy


# Each question and each answer opens with a line 2 px high. New parts of a thread are inserted into the
# document as fragments, and a fragment's first block takes the format of the block it lands in: this way
# that block is this line, never a question, heading, list or quote.
_LANDING = "<p style='margin:0; font-size:1px'>\u200b</p>"
_RENDERED: dict[tuple, str] = {}  # settled answers, so a long thread is not re-rendered on every tick


def _settled_html(row: dict, text: str, offset: int) -> str:
    key = (row.get("id"), text, offset, len(row["citations"]))
    if key not in _RENDERED:
        if len(_RENDERED) > 200:
            _RENDERED.clear()
        _RENDERED[key] = render_markdown(text, row["citations"], offset)
    return _RENDERED[key]


def _answer_html(row: dict, offset: int) -> str:
    if row["status"] == "streaming":
        return render_markdown(row["answer"], row["citations"], offset)
    return _settled_html(row, row["answer"], offset)


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def settled_length(text: str) -> int:
    """How much of a streaming answer is done with: up to the blank line before its last plain paragraph
    (outside code blocks). Markdown after that point cannot change how the text before it renders; 0
    when there is no such point yet."""
    settled, pos, blank, fence = 0, 0, False, ""
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = ""
        elif m:
            fence = m.group(1)
        elif blank and pos and line[:1].isalpha():  # a plain paragraph's first line; lists, quotes, code and headings are not
            settled = pos
        blank = not line.strip()
        pos += len(line)
    return settled


FAILED_COLOUR = "#d0453f"  # readable on the light and the dark theme's base


def _failure(row: dict) -> str:
    """An earlier turn that failed, as a line of the thread (the last turn's problem is shown by the pane)."""
    reason = redact(row["error"] or "The answer stopped before it was finished.")
    words = "Incomplete: " if has_content(row["answer"]) else "Failed: "
    return f"<p style='color:{FAILED_COLOUR}; font-size:small'>{html.escape(words + reason)}</p>"


def thread_html(rows: list[dict], streaming: bool, show_questions: bool = True) -> Thread:
    """A thread of questions and answers as HTML, its citations numbered across it. A turn that failed
    is marked "Failed: why" (or "Incomplete: why" when some words came), but for the last one: its
    problem is the pane's to show, with what to do about it (questions.problem)."""
    head: list[str] = []
    live: list[str] | None = None
    citations: list[dict] = []
    last_plain = ""
    for i, row in enumerate(rows):
        parts = head
        if show_questions:
            parts.append(_LANDING + f"<p style='margin-top:0; margin-bottom:0'><b>{html.escape(row['question'])}</b></p>")
        parts.append(_LANDING)
        if streaming and i == len(rows) - 1 and row["status"] == "streaming":
            # what is settled joins the head, drawn once; the last paragraph on is redrawn as it grows
            text = row["answer"]
            done = settled_length(text)
            if done:
                parts.append(_settled_html(row, text[:done], len(citations)))
            else:
                parts.pop()
            live = parts = [] if done else [_LANDING]
            if text[done:]:
                parts.append(render_markdown(text[done:], row["citations"], len(citations)))
        elif row["answer"]:
            parts.append(_answer_html(row, len(citations)))
        citations.extend(row["citations"])
        meta = []
        status = row["status"]
        last = i == len(rows) - 1
        if status == "streaming" and streaming and last:
            meta.append("Claude is answering…")
        elif status in ("incomplete", "error", "streaming") and not last:
            parts.append(_failure(row))
        if row.get("input_tokens") or row.get("output_tokens"):
            usage = UsageEvent(row.get("input_tokens") or 0, row.get("output_tokens") or 0, row.get("cache_read_tokens") or 0,
                               row.get("cache_creation_tokens") or 0)
            meta.append(f"{row.get('model') or ''} · {cost_line(usage)}")
        if meta:
            parts.append(f"<p style='color:gray; font-size:small'>{html.escape(' · '.join(meta))}</p>")
        last_plain = Answer(row["answer"] or "").plain_text()
    return Thread("".join(head), None if live is None else "".join(live), citations, last_plain)


def _clean_start(fragment: str) -> bool:
    """Whether a fragment can be appended to the document and look as it would drawn whole with it."""
    return fragment.startswith(_LANDING) or fragment.startswith("<p>")


_PARAGRAPH: QTextBlockFormat | None = None


def _land(cursor: QTextCursor, fragment: str) -> None:
    """Insert a fragment into the empty block under the cursor, which takes the format its first block would have."""
    global _PARAGRAPH
    if _PARAGRAPH is None:
        from PySide6.QtGui import QTextDocument

        sample = QTextDocument()
        sample.setHtml("<p>x</p>")
        _PARAGRAPH = sample.begin().blockFormat()
    cursor.setBlockFormat(_PARAGRAPH if fragment.startswith("<p>") else QTextBlockFormat())
    cursor.setBlockCharFormat(QTextCharFormat())
    cursor.insertHtml(fragment)


class AnswerView(QTextBrowser):
    """A read-only answer thread. Citation links ask to seek; web links open in the system browser."""

    citation_clicked = Signal(int, int)  # start_ms, end_ms
    moment_clicked = Signal(int, int, int)  # a library answer's citation: video id, start_ms, end_ms

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("answerView")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.citations: list[dict] = []  # every citation shown, numbered across the thread
        self.plain = ""  # the last answer of the thread on show, as plain text (what Copy copies)
        self._fixed: str | None = None  # the HTML the document holds, but for a streaming answer
        self._live_start: int | None = None  # where that streaming answer begins in the document

    def show_thread(self, thread: Thread) -> None:
        """Show a thread, drawing only what changed: while an answer streams only that answer is replaced,
        and a thread that grows (a new question, a finished answer) is appended to. A redraw costs the
        length of the new part, not of the whole thread. The view stays at the end if it was there."""
        self.citations = thread.citations
        self.plain = thread.plain
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        drawn = self._fixed
        if thread.live is None and self._live_start is None and thread.head == drawn:
            return  # drawn already
        extra = thread.head[len(drawn):] if drawn is not None and thread.head.startswith(drawn) else None
        if extra is None or (extra and not _clean_start(extra)) or (not extra and thread.live is None):
            self.setHtml(thread.head)
            self._live_start = None
            extra = ""
        cursor = QTextCursor(self.document())
        if self._live_start is not None:  # take the streaming answer out; its empty first block stays
            cursor.setPosition(self._live_start)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        elif extra or thread.live is not None:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            if not self.document().isEmpty():
                cursor.insertBlock()
        if extra:
            _land(cursor, extra)
            if thread.live is not None:
                cursor.insertBlock()
        self._live_start = cursor.position() if thread.live is not None else None
        if thread.live is not None:
            _land(cursor, thread.live)
        self._fixed = thread.head
        if at_end:
            bar.setValue(bar.maximum())

    def reset(self) -> None:
        """Empty, ready to draw another thread from its start."""
        self.clear()
        self._fixed, self._live_start = None, None

    def copy_answer(self) -> None:
        """Put the last answer on the clipboard, as plain text."""
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.plain)

    def createMimeDataFromSelection(self):  # noqa: N802 (Qt override)
        """Copied text without the invisible character that opens each answer."""
        data = super().createMimeDataFromSelection()
        if data.hasText():
            data.setText(data.text().replace("\u200b", ""))
        if data.hasHtml():
            data.setHtml(data.html().replace("\u200b", ""))
        return data

    def loadResource(self, kind, url):  # noqa: N802 (Qt override)
        return None  # nothing is ever fetched or read for an answer: no images, no style sheets

    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == "cite":
            try:
                n = int(url.path() or url.toString().split(":", 1)[1])
            except ValueError:
                return
            if 1 <= n <= len(self.citations):
                c = self.citations[n - 1]
                if c.get("video_id") is not None:
                    if not c.get("gone"):
                        self.moment_clicked.emit(int(c["video_id"]), int(c["start_ms"]), int(c["end_ms"]))
                else:
                    self.citation_clicked.emit(int(c["start_ms"]), int(c["end_ms"]))
        elif scheme in ("http", "https"):
            QDesktopServices.openUrl(url)
