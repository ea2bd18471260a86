"""The library's question threads as one Markdown page of the whole library's export: each citation a link to its moment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.asking.library import citation_label, linked_text
from reader.exchange import safe_markdown

if TYPE_CHECKING:
    from reader.library.db.store import Store

PAGE_NAME = "Library questions.md"


def library_markdown(store: Store, moment_link, timestamps: bool = True) -> str:
    """Every library thread, newest first: its questions, and its answers with each citation as
    [Talk 12:34](moment_link(video, ms)) (a removed video's as its label alone). "" when the library has none."""
    threads = store.library_threads(limit=100_000)
    if not threads:
        return ""
    videos = {v["id"]: v for v in store.videos()}
    out = ["# Questions to the library", ""]
    for t in threads:
        rows = [r for r in store.library_thread(t["thread_id"]) if (r["answer"] or "").strip()]
        if not rows:
            continue
        out += [f"## {safe_markdown.one_line(rows[0]['question'])}", "", f"*Asked {rows[0]['created_at'][:10]}*", ""]
        for n, r in enumerate(rows):
            if n:
                out += [f"**{safe_markdown.one_line(r['question'])}**", ""]

            def link(_n, c, label):
                video = videos.get(c.get("video_id"))
                if not timestamps:
                    return ""
                if video is None:
                    return "\\[" + safe_markdown.one_line(citation_label(c, set())[1:-1]) + "\\]"
                return f"[{safe_markdown.one_line(label[1:-1])}]({moment_link(video, int(c.get('start_ms') or 0))})"

            text = linked_text(safe_markdown.answer(r["answer"]), r["citations"], link)
            out += [text.strip(), ""]
            if r["status"] in ("incomplete", "streaming"):
                out += ["*(incomplete)*", ""]
    return "\n".join(out).rstrip() + "\n"
