"""Whether opening the library must run SQLite's check: each open Reader holds a locked marker beside it, the last to close records the file as it left it, and only an unclean shutdown (or a changed file) calls for the check."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from reader.base.safe_io import write_atomic

_OK = b"ok"  # a marker's content once its Reader has checked the library, or found no need to


def folder_of(library: Path) -> Path:
    """Beside the library, hidden: `.library.db.readers` for `library.db`."""
    return library.with_name(f".{library.name}.readers")


def _fcntl():
    try:
        import fcntl

        return fcntl
    except ImportError:  # Windows: no advisory locks, so every open checks, as before
        return None


def _fingerprint(library: Path) -> list:
    """The library and its write-ahead log as the file system sees them: any change by anything changes it."""
    found = []
    for p in (library, library.with_name(library.name + "-wal")):
        try:
            st = os.stat(p)
            found.append([st.st_ino, st.st_size, st.st_mtime_ns])
        except OSError:
            found.append(None)
    return found


class OpenMark:
    """This Reader's marker: `needs_check` says whether SQLite's check must run before the library is trusted."""

    def __init__(self, library: Path):
        self.library = library
        self.folder = folder_of(library)
        self.needs_check = True
        self._fd: int | None = None
        self._own: Path | None = None
        self._stale: list[Path] = []
        fcntl = _fcntl()
        if fcntl is None:
            return
        try:
            self.folder.mkdir(mode=0o700, exist_ok=True)
            with _Guard(self.folder):
                live_unchecked, live = False, 0
                for entry in self.folder.iterdir():
                    if not entry.name.startswith("open-"):
                        continue
                    state = _held(entry)
                    if state is None:
                        self._stale.append(entry)  # its Reader ended without closing: an unclean shutdown
                    else:
                        live += 1
                        live_unchecked |= state != _OK
                suspect = (self.folder / "suspect").exists()
                clean = _read_clean(self.folder)
                self.needs_check = bool(self._stale) or live_unchecked or suspect or (
                    live == 0 and clean != _fingerprint(library))
                self._own = self.folder / f"open-{os.getpid()}-{uuid.uuid4().hex[:12]}"
                fd = os.open(self._own, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._fd = fd
                if not self.needs_check:
                    os.pwrite(fd, _OK, 0)
        except OSError:  # a folder Reader cannot write beside the library: check every time, as before
            self.needs_check = True
            self._drop_own()

    def checked(self) -> None:
        """The check passed (or was not needed): other Readers may trust the library, stale markers go."""
        if self._fd is None:
            return
        try:
            with _Guard(self.folder):
                os.pwrite(self._fd, _OK, 0)
                for entry in self._stale:
                    entry.unlink(missing_ok=True)
                (self.folder / "suspect").unlink(missing_ok=True)
        except OSError:
            pass
        self._stale = []

    def release(self, clean: bool = True) -> None:
        """This Reader is done with the library. The last one out, if it had checked the library, records the
        file as it leaves it; a later open that finds the file so, and no marker left behind, skips the check."""
        if self._fd is None:
            return
        try:
            with _Guard(self.folder):
                checked = os.pread(self._fd, 2, 0) == _OK
                self._drop_own()
                others = [e for e in self.folder.iterdir() if e.name.startswith("open-")]
                if clean and checked and not others and not (self.folder / "suspect").exists():
                    write_atomic(self.folder / "clean", json.dumps(_fingerprint(self.library)), private=True)
        except OSError:
            self._drop_own()

    def _drop_own(self) -> None:
        if self._own is not None:
            self._own.unlink(missing_ok=True)
            self._own = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def mark_suspect(library: Path) -> None:
    """Something (a snapshot's check) found the library damaged: every open from now on checks it."""
    folder = folder_of(library)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        (folder / "suspect").write_bytes(b"")
        (folder / "clean").unlink(missing_ok=True)
    except OSError:
        pass


def _held(marker: Path) -> bytes | None:
    """A live Reader's marker's content (b'ok' once checked), or None when no Reader holds it."""
    fcntl = _fcntl()
    try:
        fd = os.open(marker, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return b""  # gone meanwhile: its Reader closed it cleanly
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return os.pread(fd, 2, 0)  # held: its Reader is running
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read_clean(folder: Path):
    try:
        with open(folder / "clean", "rb") as f:
            return json.loads(f.read(4096))
    except (OSError, ValueError):
        return None


class _Guard:
    """The folder's bookkeeping, one Reader at a time (an open that counts markers while another closes)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        fcntl = _fcntl()
        self.fd = os.open(self.folder / "guard", os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)
