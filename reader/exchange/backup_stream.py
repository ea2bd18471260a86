"""A backup file a video at a time: written as it goes (one video to a line, renamed into place at the end), and
read back in two passes (check every video, then hand them over), so memory holds one video, not the library."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Callable, Iterator, TYPE_CHECKING

import msgspec

from reader.base.safe_io import FileProblem, _human, atomic_open, open_regular
from reader.exchange.backup import (BACKUP_VERSION, MAX_FILE_BYTES, MAX_VIDEOS, Seen, VideoItem, _refuse,
                                    _what_went_wrong, backup_head, backup_item, check_item, read_backup)
from reader.exchange.backup_library import MAX_THREADS, ThreadRecord, check_threads, thread_items
from reader.exchange.errors import ExportError, Written
from reader.library.db.store import Store

if TYPE_CHECKING:
    from reader.exchange.errors import Progress

MAX_STREAMED_BYTES = 64 << 30  # a file written a video at a time: 100,000 videos of up to 1 GiB each would pass
MAX_VIDEO_BYTES = MAX_FILE_BYTES  # one video's line
_CHUNK = 1 << 20
_HEAD = re.compile(rb'\{"format":"reader-backup","version":(\d{1,12}),"exported_at":(?:null|"[^"\\]{0,2000}"),"videos":\[\r?\n')
_ITEM = msgspec.json.Decoder(VideoItem)
_THREAD = msgspec.json.Decoder(ThreadRecord)
_THREADS_OPEN = b'],"library_threads":['  # version 4: the library's threads follow the videos, one to a line
_ENCODE = msgspec.json.Encoder()

Stage = Callable[..., None]  # progress(done, total, stage)


def write_backup(store: Store, out: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """The whole library as a backup file, written a video at a time to a temporary file beside `out`, which
    replaces `out` only once it is whole and on the disk (a failure, or Reader killed, leaves the old file).
    Read in one read transaction, so another Reader's writes meanwhile never make it disagree with itself."""
    with store.reading(), atomic_open(out, "wb") as f:
        ids = store.video_ids()
        f.write(_ENCODE.encode(backup_head())[:-1] + b',"videos":[\n')
        for n, video_id in enumerate(ids):
            if progress is not None:
                progress(n, len(ids))
            f.write(_line(backup_item(store, video_id)) + (b",\n" if n + 1 < len(ids) else b"\n"))
        threads = thread_items(store)
        f.write(_THREADS_OPEN + b"\n")
        for n, thread in enumerate(threads):
            f.write(_line(thread) + (b",\n" if n + 1 < len(threads) else b"\n"))
        f.write(b"]}\n")
        if progress is not None:
            progress(len(ids), len(ids))
    return Path(out)


def _line(item: dict) -> bytes:
    try:
        return _ENCODE.encode(item)  # JSON escapes every line break: one video is one line
    except UnicodeEncodeError:  # a lone surrogate (from a file name) becomes '?', not a failed export
        import json

        return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


class BackupFile:
    """A backup to restore, checked whole by check() before items() hands over its videos. A file this Reader
    wrote (one video to a line) is read a video at a time, twice; any other (an older Reader's, one laid out
    by hand) is read whole, as before, up to 1 GiB."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.name = self.path.name or str(path)
        self.version = 0
        self.count = 0
        self._whole = None  # the decoded file, when it is not laid out a video to a line
        self._digest = b""
        self.threads: list[ThreadRecord] = []  # the library's threads (version 4), once check() has read them

    def check(self, progress: Stage | None = None) -> None:
        """Read the whole file and check every video; ExportError with one sentence when it is not a backup to use."""
        try:
            fd = open_regular(self.path, "Reader backup")
        except FileProblem as exc:
            raise ExportError(str(exc)) from None
        with os.fdopen(fd, "rb") as f:
            try:
                self.size = os.fstat(f.fileno()).st_size
                laid_out = self._head(f)
                if laid_out:
                    laid_out = self._scan(f, progress)
            except OSError as exc:
                raise ExportError(f"{self.name} could not be read ({(exc.strerror or 'an error').lower()}).") from None
        if not laid_out:
            self._whole = read_backup(self.path)
            self.version, self.count = self._whole.version, len(self._whole.videos)
            self.threads = list(self._whole.library_threads)

    def _head(self, f) -> bool:
        line = f.readline(4096)
        if line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        m = _HEAD.fullmatch(line)
        if m is None or not 3 <= int(m.group(1)) <= BACKUP_VERSION:
            return False  # another layout, or another version: read whole (which says a newer Reader made it)
        self.version = int(m.group(1))
        self._head_line = line
        return True

    def _lines(self, f, hasher) -> Iterator[tuple[int, VideoItem | None]]:
        """(index, video) for each line after the head; (count, None) at the closing line. The threads after the
        videos (version 4) are read into self.threads. ValueError: not laid out as Reader writes it (or not JSON)."""
        index, more = 0, True
        while True:
            line = f.readline(MAX_VIDEO_BYTES + 3)
            hasher.update(line)
            body = line.rstrip(b"\r\n")
            if body == _THREADS_OPEN and self.version >= 4 and not (more and index):
                count = index
                self.threads = list(self._thread_lines(f, hasher))
                yield count, None
                return
            if body == b"]}" and not (more and index):
                if f.read(_CHUNK).strip():
                    raise ValueError("more after the end")
                yield index, None
                return
            if not line.endswith(b"\n") or not more:
                if len(line) > MAX_VIDEO_BYTES:
                    raise ExportError(f"{self.name} holds a video larger than {_human(MAX_VIDEO_BYTES)}, too large to restore.")
                raise ValueError("cut short or not one video to a line")
            more = body.endswith(b",")
            if index >= MAX_VIDEOS:
                raise _refuse(self.name, "videos", f"expected a list of at most {MAX_VIDEOS} items")
            yield index, self._decode(_ITEM, body[:-1] if more else body, f"videos[{index}]")
            index += 1

    def _thread_lines(self, f, hasher) -> Iterator[ThreadRecord]:
        """The threads after the videos, one to a line, to the closing line."""
        n, more = 0, True
        while True:
            line = f.readline(MAX_VIDEO_BYTES + 3)
            hasher.update(line)
            body = line.rstrip(b"\r\n")
            if body == b"]}" and not (more and n):
                if f.read(_CHUNK).strip():
                    raise ValueError("more after the end")
                return
            if not line.endswith(b"\n") or not more:
                raise ValueError("cut short or not one thread to a line")
            more = body.endswith(b",")
            if n >= MAX_THREADS:
                raise _refuse(self.name, "library_threads", f"expected a list of at most {MAX_THREADS} items")
            yield self._decode(_THREAD, body[:-1] if more else body, f"library_threads[{n}]")
            n += 1

    def _decode(self, decoder, body: bytes, at: str):
        """One line of the file as its record; ExportError naming where (`at`) and what is wrong, ValueError when it
        is not JSON (then the whole read says where)."""
        try:
            return decoder.decode(body)
        except msgspec.ValidationError as exc:
            where, what = _what_went_wrong(str(exc))
            raise _refuse(self.name, at + (f".{where}" if where and not where.startswith("[") else where), what) from None
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
            raise ValueError(str(exc)) from None

    def _scan(self, f, progress: Stage | None) -> bool:
        """The first pass: every video decoded and checked, and the bytes' digest kept for the second."""
        if self.size > MAX_STREAMED_BYTES:
            raise ExportError(f"{self.name} is larger than {_human(MAX_STREAMED_BYTES)}, too large for a Reader backup.")
        hasher, seen = hashlib.blake2b(), Seen()
        hasher.update(self._head_line)
        try:
            for index, item in self._lines(f, hasher):
                if item is None:
                    self.count = index
                    break
                check_item(item, index, self.version, self.name, seen)
                if progress is not None:
                    progress(f.tell(), self.size, "checking")
            problem = check_threads(self.threads, self.name)
            if problem:
                raise ExportError(problem)
        except ValueError:
            if self.size <= MAX_FILE_BYTES:
                return False  # valid JSON laid out otherwise, or broken: the whole read says which, and where
            raise ExportError(f"{self.name} is not a readable backup: it is not valid JSON, or it ends before its JSON does.") from None
        self._digest = hasher.digest()
        return True

    def items(self) -> Iterator[VideoItem]:
        """The second pass: the videos check() passed, one at a time. ExportError if the file changed in between."""
        if self._whole is not None:
            yield from self._whole.videos
            return
        changed = ExportError(f"{self.name} changed while it was being restored, so it was not restored.")
        try:
            fd = open_regular(self.path, "Reader backup")
        except FileProblem as exc:
            raise ExportError(str(exc)) from None
        hasher = hashlib.blake2b()
        with os.fdopen(fd, "rb") as f:
            try:
                line = f.readline(4096)
                hasher.update(line[3:] if line.startswith(b"\xef\xbb\xbf") else line)
                for _index, item in self._lines(f, hasher):
                    if item is None:
                        break
                    yield item
            except (ValueError, ExportError, OSError):
                raise changed from None
        if hasher.digest() != self._digest:
            raise changed


def export_backup(store: Store, video_id: int | None, ids: list[int], out: Path, progress: Progress | None,
                  timestamps: bool, with_transcript: bool) -> Written:
    """The JSON backup of the whole library (`reader restore` reads it), whichever video is open."""
    return Written([write_backup(store, out, progress)])
