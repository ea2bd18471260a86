"""Claude's answers shown safely: Markdown without HTML or images, http(s) links only, citation links."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser

from ..transcript.writers import short_clock

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")
_MARK = re.compile("\u2063(\\d+)\u2063")
_SAFE_LINK = re.compile(r'<a href="(?!https?://|cite:)[^"]*"', re.I)


def render_markdown(text: str, citations: list[dict] | None = None, offset: int = 0) -> str:
    """HTML for an answer: raw HTML in it is escaped, images dropped, links other than http(s) defused,
    and each citation mark becomes a small [m:ss] link (cite:N) to the moment it cites."""
    body = _MD.render(text)
    body = _SAFE_LINK.sub('<a href="#"', body)  # javascript:, file:, data: and the like lead nowhere
    citations = citations or []

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if 1 <= n <= len(citations):
            c = citations[n - 1]
            tip = html.escape((c.get("text") or "")[:300], quote=True)
            return f' <a href="cite:{n + offset}" title="{tip}" style="text-decoration:none; font-size:small">[{short_clock(c["start_ms"])}]</a>'
        return ""

    return _MARK.sub(link, body)


class AnswerView(QTextBrowser):
    """A read-only answer thread. Citation links ask to seek; web links open in the system browser."""

    citation_clicked = Signal(int, int)  # start_ms, end_ms

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("answerView")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.citations: list[dict] = []  # every citation shown, numbered across the thread

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
                self.citation_clicked.emit(int(c["start_ms"]), int(c["end_ms"]))
        elif scheme in ("http", "https"):
            QDesktopServices.openUrl(url)
