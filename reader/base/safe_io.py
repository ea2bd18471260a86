"""Files in and out without surprises: bounded reads of regular files only, atomic writes, errors as sentences."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

_READ_CHUNK = 1 << 20


class FileProblem(Exception):
    """A file that cannot be read or written, said as one sentence a person can act on."""


def os_error_sentence(exc: OSError, path: Path | str, doing: str = "read") -> str:
    """An OSError as a sentence: no errno numbers, no Python words. `doing` is 'read' or 'written'."""
    name = Path(path).name or str(path)
    code = exc.errno
    if code == errno.ENOENT:
        return f"{name}: no such file ({Path(path).parent})." if doing == "read" else f"{name} could not be {doing}: its folder does not exist."
    if code in (errno.EACCES, errno.EPERM):
        return f"{name} could not be {doing}: permission denied."
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"{name} could not be {doing}: the disk is full."
    if code == errno.EROFS:
        return f"{name} could not be {doing}: the disk is read-only."
    if code == errno.ELOOP:  # (not "does not exist": the links are there, they only lead back to themselves)
        return f"{name} could not be {doing}: it is a loop of symbolic links that never reaches a file."
    if code == errno.EISDIR:
        return f"{name} is a folder, not a file."
    if code == errno.ENOTDIR:
        return f"{name} could not be {doing}: part of its path is not a folder."
    if code == errno.ENAMETOOLONG:
        return f"{name} could not be {doing}: the name is too long."
    if code == errno.EIO:
        return f"{name} could not be {doing}: the disk reported an input/output error."
    reason = (exc.strerror or "an operating system error").rstrip(".")
    return f"{name} could not be {doing} ({reason[0].lower() + reason[1:]})."


def open_regular(path: Path | str, what: str = "file") -> int:
    """A file descriptor open for reading on a regular file; devices, FIFOs, sockets and folders are refused
    before anything is read (the open does not block on a FIFO). The caller closes it."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileProblem(os_error_sentence(exc, path)) from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise FileProblem(os_error_sentence(exc, path)) from None
    if stat.S_ISDIR(mode) or not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise FileProblem(f"{path.name} is a folder, not a {what}.")
        raise FileProblem(f"{path.name} is not a regular file (a device, a pipe or a socket), so it is not read as a {what}.")
    return fd


def read_limited(path: Path | str, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes (open_regular's checks first); the size is checked
    on what is read, not on what the file says it holds."""
    path = Path(path)
    fd = open_regular(path, what)
    try:
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(_READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileProblem(f"{path.name} is larger than {_human(limit)}, too large for a {what}.")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(os_error_sentence(exc, path)) from None
    finally:
        os.close(fd)


def _human(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def _check_target(target: Path) -> None:
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileProblem(os_error_sentence(exc, target, "written")) from None
    if stat.S_ISDIR(mode):
        raise FileProblem(f"{target.name} is a folder; choose a file name to write to.")
    if not stat.S_ISREG(mode):
        raise FileProblem(f"{target.name} is not a regular file (a device or a pipe); Reader writes only to regular files.")


@contextmanager
def atomic_path(target: Path | str, private: bool = False) -> Iterator[Path]:
    """A temporary path beside `target` for a writer that wants a file name; renamed over `target`
    only when the block ends without an error. A failure leaves the previous file as it was."""
    target = Path(target)
    _check_target(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise FileProblem(os_error_sentence(exc, target, "written")) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as f:  # the writer may not have synced; make the bytes durable before the rename
            os.fsync(f.fileno())
        _settle_mode(tmp_path, target, private)
        _check_target(target)  # something else may have appeared there meanwhile
        os.replace(tmp_path, target)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise FileProblem(os_error_sentence(exc, target, "written")) from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


@contextmanager
def atomic_open(target: Path | str, mode: str = "w", private: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside `target` for writing ('w' or 'wb'); it replaces `target` when the
    block ends without an error."""
    with atomic_path(target, private) as tmp:
        with open(tmp, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "") as f:
            yield f
            f.flush()


def write_atomic(target: Path | str, data: bytes | str, private: bool = False) -> Path:
    """Write bytes or text (UTF-8) to `target` atomically; returns the path."""
    with atomic_open(target, "wb", private) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(target)


def _settle_mode(tmp: Path, target: Path, private: bool) -> None:
    """mkstemp makes 0600 files: keep the mode of the file being replaced, else the umask's default."""
    if private:
        return
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
