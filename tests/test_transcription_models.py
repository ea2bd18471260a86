"""Whisper models: downloading from a local stand-in for the model host (cut, cancelled, refused), and folders that are not models."""

import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from model_files import FILES, _model

from reader.transcription import models
from reader.transcription.models import (
    DownloadCancelled,
    ModelProblem,
    download,
    installed,
    models_dir,
    resolve,
)


class Host(BaseHTTPRequestHandler):
    """The model host's /<repo>/resolve/main/<file>; `mode` makes it cut model.bin short or refuse."""

    mode = "whole"
    files = FILES
    stall_s = 3.0

    def log_message(self, *args):
        pass

    def _file(self):
        name = self.path.rsplit("/", 1)[-1]
        if "/resolve/main/" not in self.path or name not in self.files:
            self.send_error(404)
            return None
        if self.mode == "refuse":
            self.send_error(503)
            return None
        if self.mode == "drop" and self.command == "GET" and name == "model.bin":
            self.connection.shutdown(2)  # the connection drops before any answer
            return None
        redirects = {"redirect loop": self.path, "redirect to nowhere": "http://127.0.0.1:9/model.bin",
                     "redirect to a file": "file:///etc/passwd", "redirect to another scheme": "ftp://127.0.0.1/model.bin"}
        if self.mode in redirects and name == "model.bin":
            self.send_response(302)
            self.send_header("Location", redirects[self.mode])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        body = self.files[name]
        self.send_response(200)
        length = {"size not a number": "lots", "size huge": str(10**30)}.get(self.mode, str(len(body)))
        if self.mode == "wrong size" and name == "model.bin":
            length = str(len(body) // 2) if self.command == "HEAD" else length  # HEAD says half; GET sends it all
        self.send_header("Content-Length", length)
        self.end_headers()
        return name, body

    def do_HEAD(self):
        self._file()

    def do_GET(self):
        found = self._file()
        if found is None:
            return
        name, body = found
        if self.mode == "stall" and name == "model.bin":
            self.wfile.write(body[:1000])
            self.wfile.flush()
            time.sleep(Host.stall_s)  # sends nothing more, leaving the connection open
            return
        if self.mode == "cut" and name == "model.bin":
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.connection.shutdown(2)  # the connection drops partway through
            return
        self.wfile.write(body)


@pytest.fixture
def host(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setattr(Host, "mode", "whole")
    yield Host
    server.shutdown()
    server.server_close()


def _leftovers() -> list[str]:
    return sorted(p.name for p in models_dir().iterdir())


def test_a_download_lands_whole_and_is_then_used(host):
    seen = []
    folder = download("tiny.en", lambda done, total: seen.append((done, total)))
    assert folder == models_dir() / "tiny.en" and _leftovers() == ["tiny.en"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == FILES
    total = sum(len(b) for b in FILES.values())
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert resolve("tiny.en") == ("tiny.en", folder) and list(installed()) == ["tiny.en"]


def test_a_download_again_replaces_the_old_model_whole(host):
    download("base")
    (models_dir() / "base" / "model.bin").write_bytes(b"old")
    download("base")
    assert (models_dir() / "base" / "model.bin").read_bytes() == FILES["model.bin"] and _leftovers() == ["base"]


@pytest.mark.parametrize("mode, says", [
    ("cut", "cut off"),
    ("refuse", "answered 503"),
    ("drop", "cut off"),
    ("stall", "stopped sending"),
    ("wrong size", "larger than it said"),
    ("size huge", "cut off"),  # (the HTTP library itself refuses such a length mid-answer)
    ("size not a number", "cut off"),
    ("redirect loop", "circle of redirects"),
    ("redirect to nowhere", "No connection to the model host"),
    ("redirect to a file", "not a web address"),
    ("redirect to another scheme", "not a web address"),
])
def test_a_failed_download_leaves_no_model(host, monkeypatch, mode, says):
    monkeypatch.setattr("reader.transcription.models.TIMEOUT_S", 1.0)  # the stall is found in a second, not thirty
    host.mode = mode
    with pytest.raises(ModelProblem, match=says):
        download("tiny")
    assert _leftovers() == [] and installed() == {}
    with pytest.raises(ModelProblem, match="not downloaded yet"):
        resolve("tiny")


def test_a_cancelled_download_leaves_no_model(host):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1  # after the first megabyte of model.bin

    with pytest.raises(DownloadCancelled):
        download("small.en", cancelled=cancelled)
    assert _leftovers() == [] and installed() == {}


def test_a_host_without_a_vocabulary_gives_no_model(host, monkeypatch):
    monkeypatch.setattr(host, "files", {k: v for k, v in FILES.items() if k != "vocabulary.txt"})
    with pytest.raises(ModelProblem, match="no vocabulary"):
        download("tiny")
    assert _leftovers() == []


def test_a_half_download_a_killed_reader_left_is_neither_used_nor_kept(host):
    half = models_dir() / ".base.en.x1y2.part"
    half.mkdir()
    (half / "model.bin").write_bytes(b"\0" * 10)
    assert installed() == {}
    download("base.en")
    assert _leftovers() == ["base.en"]


def _fifo(folder: Path) -> Path:
    _model(folder, **{"model.bin": None})
    os.mkfifo(folder / "model.bin")
    return folder


def _huge_config(folder: Path) -> Path:
    _model(folder)
    with open(folder / "config.json", "r+b") as f:
        f.truncate(models.LIMITS["config.json"] + 1)  # sparse: big on paper, nothing on disk
    return folder


def _folder_for_model_bin(folder: Path) -> Path:
    _model(folder, **{"model.bin": None})
    (folder / "model.bin").mkdir()
    return folder


@pytest.mark.parametrize("make, says", [
    (lambda p: p, "does not exist"),
    (lambda p: (p.mkdir(), p)[1], "no vocabulary"),
    (lambda p: _model(p, **{"tokenizer.json": None}), "has no tokenizer.json"),
    (lambda p: _model(p, **{"model.bin": None}), "has no model.bin"),
    (lambda p: _model(p, **{"vocabulary.txt": None}), "no vocabulary"),
    (_fifo, "not a regular file"),
    (_folder_for_model_bin, "not a regular file"),
    (_huge_config, "too big"),
    (lambda p: _model(p, **{"model.bin": b""}), "is empty"),
    (lambda p: _model(p, **{"config.json": b"\xff not json"}), "cannot be read"),
    (lambda p: _model(p, **{"config.json": b"[1, 2]"}), "cannot be read"),
    (lambda p: (p.write_text("x"), p)[1], "not a folder"),
])
def test_resolve_refuses_a_folder_that_is_not_a_model(tmp_path, make, says):
    folder = make(tmp_path / "mine")
    with pytest.raises(ModelProblem, match=says) as caught:
        resolve(str(folder))
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message


def test_resolve_takes_a_model_folder_the_user_has(tmp_path):
    folder = _model(tmp_path / "whisper-base-ct2", **{"vocabulary.txt": None, "vocabulary.json": b'["a"]'})
    assert resolve(str(folder)) == ("whisper-base-ct2", folder.resolve())


def test_a_broken_installed_model_is_not_installed():
    _model(models_dir() / "base", **{"tokenizer.json": None})
    assert installed() == {}
    with pytest.raises(ModelProblem, match="reader models download base"):
        resolve("base")


# -- a failed download says what happened in words, never the HTTP library's error class (issue 19) -------

def _error_classes() -> set[str]:
    import httpx2

    return {n for n in dir(httpx2) if isinstance(getattr(httpx2, n), type) and issubclass(getattr(httpx2, n), BaseException)}


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once it is closed


@pytest.mark.parametrize("where, says", [
    ("offline", "No connection to the model host (127.0.0.1), so tiny was not downloaded. Check that you are online"),
    ("cut", "The download of tiny was cut off"),
])
def test_a_download_that_cannot_connect_or_is_cut_says_so_in_words(host, monkeypatch, capsys, where, says):
    from conftest import run

    if where == "offline":
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    else:
        host.mode = "cut"
    with pytest.raises(ModelProblem) as caught:
        download("tiny")
    text = str(caught.value)
    assert text.startswith(says) and not any(name in text for name in _error_classes())
    assert text.lower().count("try again") == 1 and _leftovers() == []
    code, out, err = run(capsys, "models", "download", "tiny")  # the command says it in one line, exit 2
    assert code == 2 and out == "" and err.splitlines()[-1] == f"reader: {text}"  # (after the progress line, if any)


def test_no_message_is_built_from_an_exception_class_name():
    """A user never reads `ConnectError`: no f-string or format in reader/ puts an exception's type name in text."""
    import ast

    root = Path(models.__file__).parents[1]
    found = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for part in ast.walk(node):
                    if isinstance(part, ast.Attribute) and part.attr in ("__name__", "__qualname__", "__class__"):
                        found.append(f"{path.relative_to(root)}:{node.lineno}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
                if any(isinstance(a, ast.Attribute) and a.attr in ("__name__", "__class__") for arg in node.args
                       for a in ast.walk(arg)):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []
