"""Notes out as Markdown for note apps: highlights, notes, answers with their moment links, cards."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from reader.base.citations import has_content, link_marks
from reader.base.safe_io import write_atomic
from reader.exchange import safe_markdown
from reader.exchange.errors import ExportError, Written
from reader.library.db.records import now
from reader.library.db.store import Store
from reader.library.importing import safe_name
from reader.transcript.writers import short_clock

if TYPE_CHECKING:
    from reader.exchange.errors import Progress


def moment_link(video: dict, ms: int) -> str:
    """A link to a moment: YouTube's own for YouTube videos, reader:// for the rest."""
    seconds = max(0, ms // 1000)
    if (video.get("site") or "").lower() == "youtube" and video.get("site_id"):
        return f"https://www.youtube.com/watch?v={quote(str(video['site_id']), safe='')}&t={seconds}s"
    return f"reader://video/{quote(str(video['id']), safe='')}?t={seconds}"


def _exportable(rows: list[dict]) -> list[dict]:
    """Answers worth taking out: those with text (a failed attempt has none); the rest as they are."""
    return [r for r in rows if has_content(r.get("answer")) and r.get("status") != "error"]


def _incomplete(row: dict) -> bool:
    return row.get("status") in ("incomplete", "streaming")


def _with_citations(text: str, citations: list[dict], video: dict, timestamps: bool) -> str:
    def sub(n: int) -> str:
        if not timestamps or not 1 <= n <= len(citations):
            return ""
        ms = int(citations[n - 1]["start_ms"])
        return f"[{short_clock(ms)}]({moment_link(video, ms)})"

    return link_marks(text, sub).strip()


def _answer_md(row: dict, video: dict, timestamps: bool) -> str:
    text = _with_citations(safe_markdown.answer(row["answer"]), row["citations"], video, timestamps)
    return text + "\n\n*(incomplete)*" if _incomplete(row) else text


NOTHING_YET = "*Nothing here yet: no highlights, notes, answers or cards.*"


def markdown(store: Store, video_id: int, timestamps: bool = True, with_transcript: bool = False) -> str:
    """One video's notes as Markdown with YAML front matter (Obsidian and the like read it); a video with
    nothing in it yet says so under its title, so no export is a heading alone."""
    return _markdown(store, video_id, timestamps, with_transcript)[0]


def _markdown(store: Store, video_id: int, timestamps: bool, with_transcript: bool) -> tuple[str, bool]:
    """The Markdown, and whether it holds anything past the title (study results, highlights, cards, transcript)."""
    video = store.video(video_id)
    if video is None:
        raise ExportError(f"no video with id {video_id} in the library")

    def when(ms: int) -> str:
        return f"[{short_clock(ms)}]({moment_link(video, ms)})" if timestamps else short_clock(ms)

    lines = [
        "---",
        f"title: {safe_markdown.yaml_scalar(video['title'])}",
        f"channel: {safe_markdown.yaml_scalar(video['channel'])}",
        f"source: {safe_markdown.yaml_scalar(video['source_url'])}",
        f"date: {safe_markdown.yaml_scalar(video['upload_date'])}",
        f"exported: {safe_markdown.yaml_scalar(now())}",
        "tags: [reader]",
        "---",
        "",
        f"# {safe_markdown.one_line(video['title']) or 'Untitled'}",
        "",
    ]
    heading = len(lines)
    studies = [r for r in store.study_threads(video_id)]
    if studies:
        lines += ["## Study", ""]
        for s in studies:
            for row in _exportable(store.answers(s["thread_id"])):
                lines += [f"### {safe_markdown.one_line(row['question'])}", "", _answer_md(row, video, timestamps), ""]
    highlights = store.highlights(video_id)
    if highlights:
        lines += ["## Highlights", ""]
        for h in highlights:
            lines += [f"### {when(h['start_ms'])}", ""]
            lines += [("> " + line).rstrip() for line in safe_markdown.plain(h["text"]).split("\n")] + [""]
            if (h["note"] or "").strip():
                lines += [safe_markdown.plain(h["note"]), ""]
            for thread in store.threads(video_id, h["id"]):
                for row in _exportable(store.answers(thread)):
                    lines += [f"**{safe_markdown.one_line(row['question'])}**", "", _answer_md(row, video, timestamps), ""]
    recall = [c for c in store.cards(video_id) if c["status"] != "suggested"]
    if recall:
        lines += ["## Recall cards", ""]
        for c in recall:
            suspended = " *(suspended)*" if c["status"] == "suspended" else ""
            lines += [f"### {when(c['start_ms'])} {safe_markdown.one_line(c['question'])}{suspended}", ""]
            if (c["answer"] or "").strip():
                lines += [safe_markdown.plain(c["answer"]), ""]
            if (c["passage"] or "").strip():
                lines += [("> " + line).rstrip() for line in safe_markdown.plain(c["passage"]).split("\n")] + [""]
    cues = store.transcript(video_id).cues if with_transcript else []
    if cues:
        lines += ["## Transcript", ""]
        for cue in cues:
            who = f"**{safe_markdown.one_line(cue.speaker)}:** " if cue.speaker else ""
            text = safe_markdown.one_line(cue.text)
            lines.append(f"{when(cue.start_ms)} {who}{text}  " if timestamps else f"{who}{text}  ")
        lines.append("")
    full = len(lines) > heading
    if not full:
        lines += [NOTHING_YET, ""]
    return "\n".join(lines).rstrip() + "\n", full


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")  # a lone surrogate (from a file name) becomes '?', not a failed export


def export_markdown(store: Store, video_id: int | None, ids: list[int], out: Path, progress: Progress | None,
                    timestamps: bool, with_transcript: bool) -> Written:
    """Markdown out: a file for one video, or a folder with a file for each video of the library that holds
    something (the videos left out are named in `skipped`)."""
    if video_id is not None:
        return Written([write_atomic(out, _utf8(markdown(store, video_id, timestamps, with_transcript)))])
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out.name} is not a folder; the whole library goes to a folder of Markdown files.")
    written = Written()
    for done, vid in enumerate(ids):  # one page at a time: a long library's transcripts are never all in memory
        if progress is not None:
            progress(done, len(ids))
        text, full = _markdown(store, vid, timestamps, with_transcript)
        title = store.video(vid)["title"]
        if not full:  # a page that would be its title alone is left out, and said
            written.skipped.append(title)
            continue
        out.mkdir(parents=True, exist_ok=True)  # not before there is a page to put in it
        written.append(write_atomic(out / f"{safe_name(title, 80)}-{vid}.md", _utf8(text)))
    from reader.exchange.library_markdown import PAGE_NAME, library_markdown

    questions = library_markdown(store, moment_link, timestamps)
    if questions:  # the library's own threads, beside the videos' pages
        out.mkdir(parents=True, exist_ok=True)
        written.append(write_atomic(out / PAGE_NAME, _utf8(questions)))
    if not written:
        raise ExportError("No video in the library has highlights, notes, answers or cards yet, so no Markdown file "
                          "was written (with the transcript included, each video that has one is written).")
    return written
