"""Notes out as an Anki deck: a note per highlight and per recall card, with the passage's audio clip."""

from __future__ import annotations

import errno
import json
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TYPE_CHECKING

from reader.asking.llm import Answer
from reader.base.safe_io import FileProblem, atomic_path, os_error_sentence
from reader.exchange.errors import ExportError, Written
from reader.exchange.markdown import _exportable, _incomplete, _with_citations, moment_link
from reader.library.db.store import Store
from reader.library.importing import safe_name
from reader.transcript.writers import short_clock

if TYPE_CHECKING:
    from reader.exchange.errors import Progress


def _anki_model():
    import genanki

    return genanki.Model(
        1607392319,  # fixed, so decks made at different times share the note type
        "Reader passage",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Audio"}, {"name": "Source"}],
        templates=[{
            "name": "Passage",
            "qfmt": "{{Front}}<br>{{Audio}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<div class=source>{{Source}}</div>",
        }],
        css=".card { font-family: sans-serif; font-size: 20px; text-align: left; } .source { color: #888; font-size: 14px; margin-top: 1em; }",
    )


def _html(text: str) -> str:
    """Markdown as HTML for a card: raw HTML escaped, no images, links only to http(s)."""
    from markdown_it import MarkdownIt

    if not text:
        return ""
    md = MarkdownIt("commonmark", {"html": False}).disable("image")
    md.validateLink = lambda url: url.strip().lower().startswith(("http://", "https://"))
    return md.render(text)


def audio_clip(media: str, start_ms: int, end_ms: int, out: Path) -> Path | None:
    """Cut [start, end] of a media file's sound to an MP3, with PyAV; None when there is no sound to cut."""
    import av

    end_ms = max(end_ms, start_ms + 500)
    try:
        with av.open(media) as src:
            stream = next((s for s in src.streams if s.type == "audio"), None)
            if stream is None:
                return None
            src.seek(max(0, start_ms - 500) * 1000, any_frame=False)  # microseconds, AV_TIME_BASE
            resampler = av.AudioResampler(format="s16p", layout="mono", rate=44100)
            with av.open(str(out), "w") as dst:
                enc = dst.add_stream("libmp3lame", rate=44100)
                enc.layout = "mono"
                enc.bit_rate = 64_000
                for frame in src.decode(stream):
                    if frame.time is None:
                        continue
                    t_ms = frame.time * 1000
                    if t_ms + frame.samples * 1000 / frame.sample_rate < start_ms:
                        continue
                    if t_ms > end_ms:
                        break
                    frame.pts = None
                    for piece in resampler.resample(frame):
                        for packet in enc.encode(piece):
                            dst.mux(packet)
                for piece in resampler.resample(None):
                    for packet in enc.encode(piece):
                        dst.mux(packet)
                for packet in enc.encode():
                    dst.mux(packet)
    except (av.FFmpegError, OSError, StopIteration, ValueError):
        return None
    return out if out.exists() and out.stat().st_size > 0 else None


def _vocabulary(text: str) -> list[tuple[str, str]]:
    """Terms from a Vocabulary result: lines such as '- **term**: definition' or '1. **term** — definition'."""
    terms = []
    for line in text.splitlines():
        m = re.match(r"^\s*(?:[-*]|\d+[.)])?\s*\*\*(.+?)\*\*\s*[:—–-]?\s*(.+)$", line)
        if m:
            terms.append((m.group(1).strip(), m.group(2).strip()))
    return terms


def anki(store: Store, video_ids: list[int], out: Path, progress: Progress | None = None) -> Path:
    """An .apkg with a card per highlight (with its audio) and per vocabulary term; ids are stable,
    so importing a newer export updates the cards instead of adding copies."""
    import genanki

    out = Path(out)
    model = _anki_model()
    deck = genanki.Deck(1607392320, "Reader")
    media_files: list[str] = []
    highlights = {video_id: store.highlights(video_id) for video_id in video_ids}
    total, done = sum(len(rows) for rows in highlights.values()), 0
    with atomic_path(out) as part, _scratch_folder(out) as tmp:
        for video_id in video_ids:
            video = store.video(video_id)
            source_base = f"{video['title']}"
            for h in highlights[video_id]:
                if progress is not None:
                    progress(done, total)
                done += 1
                answers = _exportable([r for t in store.threads(video_id, h["id"]) for r in store.answers(t)])
                back = []
                if (h["note"] or "").strip():
                    back.append(f"<p><i>{_html_escape(h['note']).replace(chr(10), '<br>')}</i></p>")
                for row in answers[-1:]:
                    back.append(_html(_with_citations(row["answer"], row["citations"], video, False)))
                    if _incomplete(row):
                        back.append("<p><i>(incomplete)</i></p>")
                sound = ""
                if video["media_path"]:
                    name = f"reader-{safe_name(video['site'])}-{safe_name(video['site_id'], 40)}-{h['start_ms']}-{h['end_ms']}.mp3"
                    clip = audio_clip(video["media_path"], h["start_ms"], h["end_ms"], Path(tmp) / name)
                    if clip is not None:
                        media_files.append(str(clip))
                        sound = f"[sound:{name}]"
                link = moment_link(video, h["start_ms"])
                source = f'{_html_escape(source_base)} · <a href="{_html_escape(link)}">{short_clock(h["start_ms"])}</a>'
                guid = genanki.guid_for("reader-highlight", video["site"], video["site_id"], h["created_at"], h["start_ms"])
                deck.add_note(genanki.Note(model=model, fields=[_html_escape(h["text"]), "".join(back) or "&nbsp;", sound, source], guid=guid))
            for s in store.study_threads(video_id):
                if s["kind"] != "study:vocabulary":
                    continue
                rows = _exportable(store.answers(s["thread_id"]))
                for term, definition in _vocabulary(Answer(rows[-1]["answer"]).plain_text() if rows else ""):
                    guid = genanki.guid_for("reader-term", video["site"], video["site_id"], term.lower())
                    deck.add_note(genanki.Note(model=model, fields=[f"<b>{_html_escape(term)}</b>", _html(definition), "",
                                                                    _html_escape(source_base)], guid=guid))
            _add_cards(deck, store, video, tmp, media_files)
        if not deck.notes:
            raise ExportError("nothing to put in a deck yet: highlight passages (or run Vocabulary) first")
        package = genanki.Package(deck)
        package.media_files = media_files
        try:
            _write_package(package, part, tmp)
        except OSError as exc:
            raise ExportError(os_error_sentence(exc, out, "written")) from None
    return out


def _recall_model():
    import genanki

    return genanki.Model(
        1607392321,  # fixed, as the passage model's
        "Reader recall",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Audio"}, {"name": "Passage"}, {"name": "Source"}],
        templates=[{
            "name": "Recall",
            "qfmt": "{{Question}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}<div class=passage>{{Passage}}</div>{{Audio}}"
                    "<div class=source>{{Source}}</div>",
        }],
        css=".card { font-family: sans-serif; font-size: 20px; text-align: left; } "
            ".passage { color: #555; font-size: 16px; margin-top: 1em; } .source { color: #888; font-size: 14px; margin-top: 1em; }",
    )


def _add_cards(deck, store: Store, video: dict, tmp: str, media_files: list[str]) -> None:
    """A note per active recall card (suggested and suspended ones stay home), with the passage's audio;
    its id is the card's uid, so a newer export updates the note in Anki."""
    import genanki

    model = None
    for c in store.cards(video["id"], status="active"):
        model = model or _recall_model()
        sound = ""
        if video["media_path"]:
            name = f"reader-{safe_name(video['site'])}-{safe_name(video['site_id'], 40)}-{c['start_ms']}-{c['end_ms']}.mp3"
            clip = audio_clip(video["media_path"], c["start_ms"], c["end_ms"], Path(tmp) / name)
            if clip is not None:
                if str(clip) not in media_files:
                    media_files.append(str(clip))
                sound = f"[sound:{name}]"
        link = moment_link(video, c["start_ms"])
        source = f'{_html_escape(video["title"])} · <a href="{_html_escape(link)}">{short_clock(c["start_ms"])}</a>'
        fields = [_html_escape(c["question"]), _html_escape(c["answer"]).replace("\n", "<br>") or "&nbsp;", sound,
                  _html_escape(c["passage"]), source]
        deck.add_note(genanki.Note(model=model, fields=fields, guid=genanki.guid_for("reader-card", c["uid"])))


@contextmanager
def _scratch_folder(beside: Path) -> Iterator[Path]:
    """A hidden folder beside the file being made, for clips and the deck's database; always removed."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{beside.name[:60]}.", suffix=".tmp", dir=beside.parent))
    except OSError as exc:
        raise FileProblem(os_error_sentence(exc, beside, "written")) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_package(package, out: Path, scratch: Path) -> None:
    """genanki's Package.write_to_file, with its database in `scratch` (genanki puts it in the system's
    temporary folder and never removes it)."""
    import itertools
    import sqlite3  # genanki's own deck database, not the library
    import time
    import zipfile

    database = scratch / "collection.anki2"
    stamp = time.time()
    try:
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(connection.cursor(), stamp, itertools.count(int(stamp * 1000)))
            connection.commit()
        finally:
            connection.close()
    except sqlite3.Error as exc:  # SQLite says a full disk in words of its own
        full = "full" in str(exc).lower()
        raise OSError(errno.ENOSPC if full else errno.EIO, "No space left on device" if full else str(exc)) from None
    with zipfile.ZipFile(out, "w") as z:
        z.write(database, "collection.anki2")
        z.writestr("media", json.dumps({i: Path(p).name for i, p in enumerate(package.media_files)}))
        for i, p in enumerate(package.media_files):
            z.write(p, str(i))


def _html_escape(text: str) -> str:
    import html

    return html.escape(text or "")


def export_anki(store: Store, video_id: int | None, ids: list[int], out: Path, progress: Progress | None,
                timestamps: bool, with_transcript: bool) -> Written:
    """An Anki deck of the videos `ids` (one, or the library's)."""
    return Written([anki(store, ids, out, progress)])
