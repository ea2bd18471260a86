"""Exports that fail leave the earlier file whole and nothing behind; odd targets are refused; hostile text exports inert."""

import builtins
import errno
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from reader.exchange.errors import ExportError
from reader.exchange.formats import export
from reader.exchange.markdown import markdown
from reader.library.db.records import VideoRecord
from reader.library.db.store import Store
from reader.library.importing import commit, prepare_file, safe_name
from reader.transcript.model import Cue, Transcript

from conftest import HOSTILE, html_tags

OLD = b"the earlier export, which must survive\n" * 3
PYTHON_WORDS = re.compile(r"Errno|Error\b|Exception|Traceback|\bNone\b")


@pytest.fixture
def systemp(tmp_path, monkeypatch):
    """The system temporary folder, pointed at an empty folder of the test's own."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def library(clip_dir):
    store = Store()
    vid = commit(store, prepare_file(clip_dir / "talk.mp4"))
    h = store.add_highlight(vid, 2, 0, 2, 30, 3500, 5000, "Ben answers with a third line.", "pink", "a note")
    a = store.start_answer(vid, h, None, "explain", "Explain this passage", "p", "m")
    store.save_answer(a, "Ben **replies**.", [], "complete")
    yield store, vid
    store.close()


def _target(tmp_path, to):
    """Where an export goes and the file in it that an earlier export left."""
    folder = tmp_path / "out"
    folder.mkdir()
    if to == "md-folder":
        return folder / "notes", None
    return folder / {"json": "backup.json", "md": "talk.md", "anki": "deck.apkg"}[to], None


def _run(store, vid, to, out):
    if to == "md-folder":
        return export(store, None, "md", out)
    return export(store, None if to == "json" else vid, to, out)


class _Failing:
    """A file whose writes fail after a few bytes, as on a disk that fills up half-way."""

    def __init__(self, f, error):
        self._f, self._error, self._left = f, error, 40

    def write(self, data):
        if len(data) > self._left:
            self._f.write(data[:self._left])
            self._left = 0
            raise self._error
        self._left -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def _inject(monkeypatch, failure, folder):
    real_open = builtins.open
    if failure in ("write-enospc", "writer-raises"):
        error = OSError(errno.ENOSPC, "No space left on device") if failure == "write-enospc" else RuntimeError("a writer bug")

        def failing_open(file, mode="r", *args, **kwargs):
            f = real_open(file, mode, *args, **kwargs)
            path = os.fspath(file) if isinstance(file, (str, os.PathLike)) else ""
            if ("w" in mode or "+" in mode) and path and os.path.dirname(os.path.abspath(path)).startswith(str(folder)) \
                    and os.path.basename(path).startswith("."):
                return _Failing(f, error)
            return f

        monkeypatch.setattr(builtins, "open", failing_open)
        monkeypatch.setattr(io, "open", failing_open)
        return RuntimeError if failure == "writer-raises" else ExportError
    if failure == "fsync-enospc":
        def no_sync(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(os, "fsync", no_sync)
        return ExportError
    if failure == "rename-enospc":
        def no_rename(src, dst, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(os, "replace", no_rename)
        return ExportError
    raise AssertionError(failure)


def _listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("failure", ["write-enospc", "fsync-enospc", "rename-enospc", "writer-raises"])
@pytest.mark.parametrize("to", ["json", "md", "md-folder", "anki"])
def test_a_failed_export_leaves_the_earlier_file_and_nothing_else(library, tmp_path, systemp, monkeypatch, to, failure):
    store, vid = library
    out, _ = _target(tmp_path, to)
    if to == "md-folder":
        out.mkdir()
        earlier = out / f"{safe_name(store.video(vid)['title'], 80)}-{vid}.md"
    else:
        earlier = out
    earlier.write_bytes(OLD)
    before = _listing(out.parent)
    expected = _inject(monkeypatch, failure, out.parent)
    with pytest.raises(expected) as caught:
        _run(store, vid, to, out)
    monkeypatch.undo()
    if expected is ExportError:
        message = str(caught.value)
        assert message.endswith("could not be written: the disk is full.") and not PYTHON_WORDS.search(message), message
    assert earlier.read_bytes() == OLD
    assert _listing(out.parent) == before  # no temporary file or folder beside it
    assert list(systemp.iterdir()) == []


@pytest.mark.parametrize("to", ["json", "md", "md-folder", "anki"])
def test_an_export_that_works_replaces_the_file_and_leaves_nothing_behind(library, tmp_path, systemp, to):
    store, vid = library
    out, _ = _target(tmp_path, to)
    if to != "md-folder":
        out.write_bytes(OLD)
        os.chmod(out, 0o640)
    written = _run(store, vid, to, out)
    assert all(p.read_bytes() != OLD and p.stat().st_size > 0 for p in written)
    assert _listing(tmp_path / "out") == sorted({str(p.relative_to(tmp_path / "out")) for p in written} | ({"notes"} if to == "md-folder" else set()))
    if to != "md-folder":
        assert oct(out.stat().st_mode & 0o777) == oct(0o640)  # the mode of the file it replaced
    assert list(systemp.iterdir()) == []


_READERS: list[int] = []


@pytest.fixture(autouse=True)
def _close_fifo_readers():
    yield
    while _READERS:
        os.close(_READERS.pop())


def _fifo(path):
    """A FIFO with a reader, so that code which wrongly writes to it fails the test instead of hanging it."""
    os.mkfifo(path)
    _READERS.append(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    return path


def _file(path):
    path.write_bytes(OLD)
    return path


def _folder(path):
    path.mkdir()
    return path


def _device(path):
    return Path("/dev/null")


@pytest.mark.parametrize("kind, make, said", [
    ("fifo", _fifo, "not a regular file"),
    ("folder", _folder, "is a folder"),
    ("device", _device, "not a regular file"),
])
@pytest.mark.parametrize("to", ["json", "md", "anki"])
def test_a_target_that_is_not_a_regular_file_is_refused(library, tmp_path, systemp, to, kind, make, said):
    store, vid = library
    out = make(tmp_path / f"target.{to}")
    with pytest.raises(ExportError, match=said) as caught:
        _run(store, vid, to, out)
    assert not PYTHON_WORDS.search(str(caught.value)) and str(caught.value).endswith(".")
    assert list(systemp.iterdir()) == [] and not [p for p in out.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("kind, make", [("fifo", _fifo), ("file", _file), ("device", _device)])
def test_a_library_folder_export_onto_something_not_a_folder_is_refused(library, tmp_path, kind, make):
    store, vid = library
    out = make(tmp_path / "notes")
    with pytest.raises(ExportError, match="is not a folder"):
        export(store, None, "md", out)
    if kind == "file":
        assert out.read_bytes() == OLD


@pytest.fixture
def small_disk(tmpfs):
    """A real 64 KB disk."""
    return tmpfs("64k", "small")



@pytest.mark.parametrize("to", ["json", "md", "anki"])
def test_an_export_larger_than_a_real_full_disk_fails_clearly(library, small_disk, systemp, to):
    store, vid = library
    h = store.add_highlight(vid, 0, 0, 0, 19, 500, 2000, "A long passage. " * 10_000, "green", "a long note " * 10_000)
    assert h
    out = small_disk / {"json": "backup.json", "md": "talk.md", "anki": "deck.apkg"}[to]
    out.write_bytes(OLD)
    with pytest.raises(ExportError) as caught:
        _run(store, vid, to, out)
    assert str(caught.value) == f"{out.name} could not be written: the disk is full."
    assert out.read_bytes() == OLD and [p.name for p in small_disk.iterdir()] == [out.name]
    assert list(systemp.iterdir()) == []


def test_the_command_line_says_one_sentence_and_exits_2(library, tmp_path):
    store, vid = library
    fifo = _fifo(tmp_path / "notes.md")
    done = subprocess.run([sys.executable, "-m", "reader", "export", str(vid), "--to", "md", str(fifo)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("reader: notes.md is not a regular file"), done.stderr


# -- hostile text --------------------------------------------------------------------------------

DANGEROUS = {"script", "img", "iframe", "style", "svg", "object", "embed", "link", "meta", "form", "base", "input", "math",
             "details", "marquee", "body", "table", "a", "v", "c", "div"}


def _tags(html_text):
    return html_tags(html_text)


def _hostile_library(payload):
    store = Store()
    cue = Cue(0, 1000, payload, payload[:40] or None)
    vid = store.add_video(VideoRecord("youtube", payload[:200] or "x", payload, channel=payload, source_url=payload,
                                      upload_date=payload[:40]), Transcript([cue, Cue(1000, 2000, "plain")]))
    h = store.add_highlight(vid, 0, 0, 0, 5, 0, 1000, payload or "x", "yellow", payload)
    for highlight, kind in ((h, "explain"), (None, "study:vocabulary")):
        a = store.start_answer(vid, highlight, None, kind, payload, "p", "m")
        store.save_answer(a, f"- **{payload[:50]}**: {payload}\n\n{payload}\u20631\u2063", [{"start_ms": 0, "end_ms": 1000, "text": "x"}], "complete")
    return store, vid


def _outside_code(md_text):
    text = re.sub(r"(?ms)^(`{3,}).*?^\1$", "", md_text)  # fenced code, as the exporter writes it
    return re.sub(r"(`+).+?\1", "", text)  # code spans


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_exports_to_inert_markdown_with_valid_front_matter(payload):
    from markdown_it import MarkdownIt

    store, vid = _hostile_library(payload)
    text = markdown(store, vid, timestamps=True, with_transcript=True)
    front, body = text[4:].split("\n---\n", 1)
    try:
        import yaml
    except ImportError:
        meta = {k: json.loads(v) for k, v in (line.split(": ", 1) for line in front.splitlines() if not line.startswith("tags"))}
    else:
        meta = yaml.safe_load(front)
    assert meta["title"] == store.video(vid)["title"] and meta["channel"] == store.video(vid)["channel"]
    plain = _outside_code(body)
    assert not re.search(r"<\s*[A-Za-z!?/]", plain), payload  # no raw tag, comment or declaration at all
    assert not re.search(r"(?i)(?<!\\)\]\(\s*<?\s*(javascript|vbscript|data|file):|<(javascript|vbscript|data|file):", plain), payload
    permissive = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    permissive.validateLink = lambda url: True  # a note app that lets everything through
    for tag, attrs in _tags(permissive.render(body)):
        assert tag not in DANGEROUS - {"a"}, (payload, tag)
        assert not any(k.startswith("on") or k in ("style", "background", "src") for k in attrs), (payload, attrs)
        assert tag != "a" or re.match(r"(https?|reader)://", attrs.get("href", "")), (payload, attrs)
        assert tag != "a" or not re.search(r"[\s\"'<>()]", attrs["href"]), (payload, attrs)
    store.close()


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_an_anki_deck_is_escaped(payload, tmp_path):
    store, vid = _hostile_library(payload)
    out = export(store, vid, "anki", tmp_path / "deck.apkg")[0]
    with zipfile.ZipFile(out) as z:
        (tmp_path / "col.db").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col.db")
    fields = [f for (flds,) in db.execute("select flds from notes") for f in flds.split("\x1f")]
    db.close()
    for field in fields:
        for tag, attrs in _tags(field):
            assert tag in {"p", "i", "b", "a", "strong", "em", "ul", "ol", "li", "code", "pre", "br", "blockquote", "h1", "h2",
                           "h3", "h4", "h5", "h6", "hr"}, (payload, tag)
            assert not any(k.startswith("on") or k in ("style", "src", "background") for k in attrs), (payload, attrs)
            assert tag != "a" or re.match(r"https?://[^\s\"'<>]*$", attrs.get("href", "")), (payload, attrs)
    store.close()


# -- partial and failed answers --------------------------------------------------------------------

@pytest.mark.parametrize("status, text, shown, marked", [
    ("complete", "A whole answer.", True, False),
    ("incomplete", "Half an answ", True, True),
    ("streaming", "Cut off when Reader stopped", True, True),
    ("error", "", False, False),
    ("complete", "   ", False, False),
    ("error", "Words from an attempt that failed", False, False),
    ("error", " \u20631\u2063 ", False, False),  # nothing but a citation mark is no answer either
])
def test_partial_answers_are_marked_and_failed_ones_left_out(tmp_path, status, text, shown, marked):
    store = Store()
    vid = store.add_video(VideoRecord("local", "v1", "A talk"), None)
    h = store.add_highlight(vid, 0, 0, 0, 5, 0, 1000, "Passage text", "yellow")
    a = store.start_answer(vid, h, None, "explain", "Explain this passage", "p", "m")
    store.save_answer(a, text, [], status)
    s = store.start_answer(vid, None, None, "study:central-ideas", "Central ideas", "p", "m")
    store.save_answer(s, text, [], status)
    md = markdown(store, vid)
    assert ("Explain this passage" in md) == shown and ("### Central ideas" in md) == shown
    assert md.count("(incomplete)") == (2 if marked else 0)
    deck = export(store, vid, "anki", tmp_path / "deck.apkg")[0]
    with zipfile.ZipFile(deck) as z:
        (tmp_path / "col.db").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col.db")
    back = db.execute("select flds from notes").fetchone()[0].split("\x1f")[1]
    db.close()
    assert (back != "&nbsp;") == shown and ("(incomplete)" in back) == marked
    store.close()


# -- files written by an import ----------------------------------------------------------------------

@pytest.mark.parametrize("failure", ["rename-enospc", "fsync-enospc"])
def test_a_thumbnail_that_cannot_be_saved_leaves_the_earlier_one(clip_dir, tmp_path, monkeypatch, failure):
    from reader.library.media_files import media_thumbnail

    out = tmp_path / "thumb.jpg"
    out.write_bytes(OLD)
    _inject(monkeypatch, failure, tmp_path)
    assert media_thumbnail(clip_dir / "talk.mp4", out, 1000) is None
    monkeypatch.undo()
    assert out.read_bytes() == OLD and [p.name for p in tmp_path.iterdir()] == ["thumb.jpg"]
    fresh = media_thumbnail(clip_dir / "talk.mp4", tmp_path / "new.jpg", 1000)
    assert fresh is not None and fresh.read_bytes()[:2] == b"\xff\xd8"


@pytest.mark.parametrize("kind, make, said", [
    ("fifo", _fifo, "not a regular file"),
    ("folder", _folder, "is a folder"),
    ("file", _file, None),
])
def test_captions_are_saved_atomically_and_never_into_a_pipe(tmp_path, kind, make, said):
    from reader.library.download import ImportFailed, _download_captions

    make(tmp_path / "captions.en.vtt")
    track = {"ext": "vtt", "data": "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"}
    if said is None:
        assert _download_captions(None, track, tmp_path, "en").read_text().startswith("WEBVTT")
    else:
        with pytest.raises(ImportFailed, match=said):
            _download_captions(None, track, tmp_path, "en")
    assert [p.name for p in tmp_path.iterdir()] == ["captions.en.vtt"]
