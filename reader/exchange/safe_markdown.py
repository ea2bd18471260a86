"""Markdown that carries no raw HTML and no links but http(s): text escaped, answers rebuilt from their parse."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

# C0 and C1 controls but tab and newline; they show as nothing or as garbage in a note app.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # an & that would start a character reference
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
_BLOCK_START = re.compile(r"([#>+=-])|(\d+)[.)]")
_SAFE_SCHEMES = ("http://", "https://")


def _clean(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _CONTROLS.sub("", text)


def _escape_inline(text: str) -> str:
    """Text whose every character shows as itself: no HTML, no emphasis, no links, no code."""
    text = _ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _escape_line_start(line: str) -> str:
    """A line that does not begin a heading, quote, list, setext underline or indented code block."""
    line = line.lstrip(" \t")
    m = _BLOCK_START.match(line)
    if m is None:
        return line
    return "\\" + line if m.group(1) else m.group(2) + "\\" + line[m.end(2):]


def plain(text: str) -> str:
    """Text typed by someone (a note, a highlight, a transcript line) as Markdown that shows exactly that text."""
    return "\n".join(_escape_line_start(_escape_inline(line)) for line in _clean(text).split("\n"))


def one_line(text: str) -> str:
    """Like plain(), on one line: for headings and titles."""
    return plain(" ".join(_clean(text).split()))


def yaml_scalar(value) -> str:
    """A double-quoted YAML scalar (also a JSON string) for front matter; characters YAML would refuse
    or read as line breaks are written as escapes."""
    text = json.dumps("" if value is None else str(value), ensure_ascii=False)
    return re.sub("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


def http_link(url: str) -> str:
    """A URL fit for a Markdown link's destination: http(s) only ('' otherwise), nothing that ends it early."""
    url = (url or "").strip()
    if not url.lower().startswith(_SAFE_SCHEMES):
        return ""
    return quote(url, safe="/:?&=#%+@,;!$*'~.-_[]")


def answer(text: str) -> str:
    """An answer written in Markdown by Claude, rebuilt from its parse: its headings, lists, emphasis,
    code and tables stay; its text is escaped (raw HTML shows as text); links other than http(s) keep
    their text and lose the link; images become links, so nothing is fetched when the note is opened."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # every link is parsed, so it can be judged here
    tokens = md.parse(_clean(text))
    return "\n".join(_blocks(_tree(tokens))).strip("\n")


class _Node:
    def __init__(self, token, children=None):
        self.token, self.children = token, children or []


def _tree(tokens) -> list[_Node]:
    root: list[_Node] = []
    stack = [root]
    for t in tokens:
        if t.nesting == 1:
            node = _Node(t)
            stack[-1].append(node)
            stack.append(node.children)
        elif t.nesting == -1:
            stack.pop()
        else:
            stack[-1].append(_Node(t))
    return root


def _blocks(nodes: list[_Node], tight: bool = False) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        block = _block(node)
        if lines and not tight:
            lines.append("")
        lines += block
    return lines


def _indent(lines: list[str], first: str, rest: str) -> list[str]:
    return [(first if i == 0 else rest) + line if line else (first if i == 0 else rest).rstrip() for i, line in enumerate(lines)]


def _block(node: _Node) -> list[str]:
    t = node.token
    kind = t.type
    if kind == "paragraph_open":
        return [_escape_line_start(line) for line in _inline(node.children[0].token.children or []).split("\n")] if node.children else []
    if kind == "heading_open":
        text = " ".join(_inline(node.children[0].token.children or []).split("\n")) if node.children else ""
        return ["#" * int(t.tag[1:]) + " " + text]
    if kind == "blockquote_open":
        return _indent(_blocks(node.children), "> ", "> ")
    if kind in ("bullet_list_open", "ordered_list_open"):
        tight = all(c.token.hidden for item in node.children for c in item.children if c.token.type == "paragraph_open")
        lines: list[str] = []
        for n, item in enumerate(node.children):
            marker = f"{int(item.token.info or n + 1)}. " if kind == "ordered_list_open" else "- "
            body = _blocks(item.children, tight) or [""]
            if lines and not tight:
                lines.append("")
            lines += _indent(body, marker, " " * len(marker))
        return lines
    if kind in ("fence", "code_block"):
        content = t.content.rstrip("\n")
        fence = "`" * max(3, 1 + max((len(r) for r in re.findall("`+", content)), default=0))
        info = re.sub(r"[^\w+#.-]", "", t.info.split()[0] if t.info.split() else "")[:20]
        return [fence + info, *content.split("\n"), fence]
    if kind == "hr":
        return ["* * *"]
    if kind == "table_open":
        rows = [tr for section in node.children for tr in section.children]
        out = []
        for i, tr in enumerate(rows):
            cells = [_inline(c.children[0].token.children or []).replace("\n", " ") if c.children else "" for c in tr.children]
            out.append("| " + " | ".join(cells) + " |")
            if i == 0:
                out.append("|" + "|".join(_align(c.token.attrs.get("style", "")) for c in tr.children) + "|")
        return out
    if kind == "inline":
        return _inline(t.children or []).split("\n")
    return []


def _align(style) -> str:
    return {"text-align:left": " :-- ", "text-align:right": " --: ", "text-align:center": " :-: "}.get(str(style), " --- ")


def _inline(children) -> str:
    out: list[str] = []
    links: list[str] = []  # the destination of each open link; '' for a link that is dropped
    for c in children:
        kind = c.type
        if kind == "text":
            out.append(_escape_inline(c.content))
        elif kind == "softbreak":
            out.append("\n")
        elif kind == "hardbreak":
            out.append("\\\n")
        elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
            out.append(c.markup)
        elif kind in ("s_open", "s_close"):
            out.append("~~")
        elif kind == "code_inline":
            out.append(_code_span(c.content))
        elif kind == "link_open":
            links.append(http_link(c.attrs.get("href", "")))
            if links[-1]:
                out.append("[")
        elif kind == "link_close":
            href = links.pop() if links else ""
            if href:
                out.append(f"]({href})")
        elif kind == "image":
            alt = _escape_inline(c.content or "image")
            src = http_link(str(c.attrs.get("src", "")))
            out.append(f"[{alt}]({src})" if src and not links else alt)
        elif kind == "html_inline":
            out.append(_escape_inline(c.content))
    return "".join(out)


def _code_span(content: str) -> str:
    ticks = "`" * (1 + max((len(r) for r in re.findall("`+", content)), default=0))
    pad = " " if content.startswith(("`", " ")) or content.endswith(("`", " ")) else ""
    return f"{ticks}{pad}{content.replace(chr(10), ' ')}{pad}{ticks}"
