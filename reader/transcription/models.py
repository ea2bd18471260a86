"""Whisper models: the catalogue, those downloaded into the data folder, a folder the user has, and the download."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reader.base.numbers import MAX_COUNT, whole
from reader.base.paths import data_dir


@dataclass(frozen=True)
class ModelInfo:
    name: str
    repo: str
    size_mb: int
    english_only: bool
    speed: str


# faster-whisper's CTranslate2 conversions. Speeds: benchmarks/transcription.py on a busy 2-core machine (tiny and
# base measured; small, about three times base's work, estimated from them).
_TINY, _BASE, _SMALL = ("about 8× faster than real time here", "about 2× faster than real time here",
                        "about as fast as real time here (estimated)")
CATALOGUE: dict[str, ModelInfo] = {m.name: m for m in (
    ModelInfo("tiny", "Systran/faster-whisper-tiny", 75, False, _TINY),
    ModelInfo("tiny.en", "Systran/faster-whisper-tiny.en", 75, True, _TINY),
    ModelInfo("base", "Systran/faster-whisper-base", 145, False, _BASE),
    ModelInfo("base.en", "Systran/faster-whisper-base.en", 145, True, _BASE),
    ModelInfo("small", "Systran/faster-whisper-small", 484, False, _SMALL),
    ModelInfo("small.en", "Systran/faster-whisper-small.en", 484, True, _SMALL),
)}

# what a model folder must hold, and how big each file may be
REQUIRED = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY = ("vocabulary.txt", "vocabulary.json")
OPTIONAL = ("preprocessor_config.json",)
LIMITS = {"model.bin": 8 << 30, "config.json": 1 << 20, "tokenizer.json": 64 << 20, "vocabulary.txt": 16 << 20,
          "vocabulary.json": 16 << 20, "preprocessor_config.json": 1 << 20}


class ModelProblem(Exception):
    """A model that cannot be used or fetched; the message is one sentence fit to show a user."""


class DownloadCancelled(Exception):
    """The user cancelled a download; nothing of it was kept."""


def models_dir() -> Path:
    folder = data_dir() / "models"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _kind(path: Path) -> str:
    """"dir", "file", "loop" (links that lead back to themselves), another kind's name, or "" when nothing is there."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return "loop" if exc.errno == errno.ELOOP else ""
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def problem(folder: Path) -> str:
    """Why `folder` is not a usable model ("" when it is): each file regular, present and within its size."""
    kind = _kind(folder)
    if kind == "loop":
        return f"{folder} is a loop of symbolic links that never reaches a folder"
    if kind != "dir":
        return f"{folder} is not a folder" if kind else f"{folder} does not exist"
    vocab = [v for v in VOCABULARY if os.path.lexists(folder / v)]
    if not vocab:
        return f"{folder} has no vocabulary file (vocabulary.txt or vocabulary.json), so it is not a Whisper model"
    for name in (*REQUIRED, vocab[0]):
        path = folder / name
        kind = _kind(path)
        if kind == "loop":
            return f"{path} is a loop of symbolic links that never reaches a file"
        if not kind:
            return f"{folder} has no {name}, so it is not a Whisper model"
        if kind != "file":
            return f"{path} is not a regular file"
        size = path.stat().st_size
        if size == 0:
            return f"{path} is empty"
        if size > LIMITS[name]:
            return f"{path} is too big to be part of a Whisper model"
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{folder / 'config.json'} cannot be read as a model's settings"
    if not isinstance(config, dict):
        return f"{folder / 'config.json'} cannot be read as a model's settings"
    return ""


def installed() -> dict[str, Path]:
    """Catalogue models downloaded into the data folder (whole ones: a download in progress is not one)."""
    folder = models_dir()
    return {name: folder / name for name in CATALOGUE if not problem(folder / name)}


def resolve(name_or_path: str) -> tuple[str, Path]:
    """(name, folder) of an installed model named so, or of a model folder the user has; ModelProblem otherwise."""
    text = name_or_path.strip()
    if text in CATALOGUE:
        folder = models_dir() / text
        if not problem(folder):
            return text, folder
        info = CATALOGUE[text]
        raise ModelProblem(f"The model {text} is not downloaded yet; get it with `reader models download {text}` "
                           f"({info.size_mb} MB).")
    if os.sep not in text and "/" not in text and not os.path.lexists(text):  # (a loop of links is there, just unusable)
        raise ModelProblem(f"There is no model called {text!r}; `reader models list` shows the models, or give a model folder.")
    folder = Path(text).expanduser()
    why = problem(folder)
    if why:
        raise ModelProblem(why + ".")
    return folder.resolve().name, folder.resolve()


def default_model() -> str | None:
    """The installed model to use when none is named: English base first, then the others by size."""
    have = installed()
    for name in ("base.en", "base", "small.en", "small", "tiny.en", "tiny"):
        if name in have:
            return name
    return None


def download(name: str, progress=lambda done, total: None, cancelled=lambda: False) -> Path:
    """Fetch a catalogue model into models/NAME: into a hidden folder beside it, checked, then renamed into place,
    so a cut connection, a cancel or a kill never leaves a half model where resolve() would find it."""
    if name not in CATALOGUE:
        raise ModelProblem(f"There is no model called {name!r}; `reader models list` shows the models.")
    info = CATALOGUE[name]
    folder = models_dir()
    for stale in folder.glob(f".{name}.*.part"):  # what a killed download left
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".part", dir=folder))
    try:
        _fetch(info, work, progress, cancelled)
        why = problem(work)
        if why:
            raise ModelProblem(f"The download of {name} did not give a usable model ({why.replace(str(work), 'the download')}); nothing was kept.")
        target = folder / name
        if os.path.lexists(target):
            old = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".part", dir=folder))
            os.replace(target, old / "old")
        os.replace(work, target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for stale in folder.glob(f".{name}.*.part"):
            shutil.rmtree(stale, ignore_errors=True)


TIMEOUT_S = 30.0  # a host that sends nothing for this long has stalled


def _transport_sentence(exc, name: str, endpoint: str | None) -> str:
    """A failed connection to the model host as a sentence, as imports and Claude say it (never the error's class)."""
    from urllib.parse import urlsplit

    import httpx2

    host = urlsplit(endpoint or "https://huggingface.co").hostname or "the model host"
    if isinstance(exc, (httpx2.ConnectError, httpx2.ConnectTimeout)):
        return f"No connection to the model host ({host}), so {name} was not downloaded. Check that you are online, then try again."
    if isinstance(exc, httpx2.TimeoutException):
        return (f"The model host ({host}) stopped sending for {TIMEOUT_S:.0f} seconds, so the download of {name} was cut off; "
                "nothing was kept. Check your connection, then try again.")
    if isinstance(exc, httpx2.TooManyRedirects):
        return f"The model host ({host}) sent Reader round in a circle of redirects, so {name} was not downloaded; nothing was kept."
    if isinstance(exc, (httpx2.UnsupportedProtocol, httpx2.InvalidURL)):
        return (f"The model host ({host}) redirected to an address that is not a web address, so {name} was not downloaded; "
                "nothing was kept.")
    return f"The download of {name} was cut off before it finished; nothing was kept. Check your connection, then try again."


def _fetch(info: ModelInfo, work: Path, progress, cancelled) -> None:
    import httpx2
    from huggingface_hub import get_session, hf_hub_url

    endpoint = os.environ.get("HF_ENDPOINT") or None  # read now, not when huggingface_hub was first imported
    session = get_session()
    wanted = list(REQUIRED) + list(VOCABULARY) + list(OPTIONAL)
    try:
        sizes: dict[str, int] = {}
        for name in wanted:
            if name in VOCABULARY and any(v in sizes for v in VOCABULARY):
                continue  # one vocabulary file is enough
            head = session.head(hf_hub_url(info.repo, name, endpoint=endpoint), follow_redirects=True, timeout=TIMEOUT_S)
            if head.status_code == 404:
                if name in REQUIRED:
                    raise ModelProblem(f"The model host has no {name} for {info.name}; nothing was kept.")
                continue
            head.raise_for_status()
            sizes[name] = whole(head.headers.get("content-length"), 0, MAX_COUNT, 0)  # not a number: a size not known
        total, done = sum(sizes.values()), 0
        progress(0, total)
        for name, size in sizes.items():
            if size > LIMITS[name]:
                raise ModelProblem(f"The model host offers a {name} too big to be part of a Whisper model; nothing was kept.")
            got = 0
            with session.stream("GET", hf_hub_url(info.repo, name, endpoint=endpoint), follow_redirects=True,
                                timeout=TIMEOUT_S) as response, open(work / name, "wb") as out:
                response.raise_for_status()
                for chunk in response.iter_bytes(1 << 20):
                    if cancelled():
                        raise DownloadCancelled()
                    out.write(chunk)
                    got += len(chunk)
                    done += len(chunk)
                    if got > LIMITS[name]:
                        raise ModelProblem(f"The model host sent a {name} too big to be part of a Whisper model; nothing was kept.")
                    progress(done, total)
                out.flush()
                os.fsync(out.fileno())
            if size and got < size:
                raise ModelProblem(f"The download of {info.name} was cut off ({name} is incomplete); nothing was kept, try again.")
            if size and got > size:
                raise ModelProblem(f"The model host sent a {name} larger than it said it was; nothing was kept, try again.")
    except httpx2.HTTPStatusError as exc:
        raise ModelProblem(f"The model host answered {exc.response.status_code} for {info.name}; nothing was kept.") from None
    except (httpx2.HTTPError, httpx2.StreamError, httpx2.InvalidURL) as exc:
        raise ModelProblem(_transport_sentence(exc, info.name, endpoint)) from None
    except OSError as exc:
        raise ModelProblem(f"The model could not be saved in {work.parent}: {exc.strerror or exc}; nothing was kept.") from None
