"""The transcription process: decodes a video's sound stretch by stretch, transcribes it, stores each stretch's lines."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

from reader.transcription.engine import Engine, Piece, whisper_engine
from reader.transcription.lines import to_lines

STRETCH_MS = 30_000
MIN_STEP_MS = 10_000  # a stretch moves the start on at least this far, however its last piece ends
# Tests name a stand-in engine module here; only a module of the tests package is accepted, and it says so on stderr.
TEST_ENGINE = "READER_TRANSCRIPTION_TEST_ENGINE"


def load_engine(model_dir: Path, name: str) -> Engine:
    module = os.environ.get(TEST_ENGINE, "")
    if module:
        if not module.startswith("tests."):
            raise SystemExit(f"reader: {TEST_ENGINE} may only name a module of Reader's tests, not {module!r}.")
        note(f"note: using the test engine {module}, not Whisper.")
        return importlib.import_module(module).engine(model_dir, name)
    return whisper_engine(model_dir, name)


def say(message: str) -> int:
    """One `reader:` sentence on stderr (the Job and the command line show it); the exit status is 2."""
    message = " ".join(str(message).split()) or "The transcription stopped."
    message = message[0].upper() + message[1:]
    try:
        print(f"reader: {message if message.endswith(('.', '!', '?')) else message + '.'}", file=sys.stderr, flush=True)
    except (BrokenPipeError, ValueError):  # nobody reads it any more (the parent is gone)
        _quiet()
    return 2


class ParentGone(Exception):
    """The process that reads our progress lines is gone (killed): stop, leaving the row running to be resumed."""


def tell(data: dict) -> None:
    """One progress line for the parent; a closed pipe means the parent died."""
    try:
        print(json.dumps(data), flush=True)
    except (BrokenPipeError, ValueError):  # ValueError: stdout already closed after an earlier broken pipe
        raise ParentGone from None


def note(text: str) -> None:
    """A line on stderr for the parent to show; as with tell(), a closed pipe means the parent died."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (BrokenPipeError, ValueError):
        raise ParentGone from None


def keep_until(pieces: list[Piece], from_ms: int, stretch_end: int, last: bool) -> tuple[list[Piece], int]:
    """The pieces to store and where the next stretch starts: the last piece of a stretch that is not the last
    may be cut off by the stretch's end, so it is left for the next stretch, which starts where the kept ones end."""
    if last or len(pieces) < 2:
        return pieces, stretch_end
    kept = pieces[:-1]
    next_from = max(p.end_ms for p in kept)
    if next_from - from_ms < MIN_STEP_MS:
        return pieces, stretch_end
    return kept, next_from


def run(args) -> int:
    import av

    from reader.library.db.errors import DiskFull
    from reader.library.db.store import Store
    from reader.library.media_files import media_chapters
    from reader.transcript.writers import short_clock
    from reader.transcription import audio
    from reader.transcription.models import ModelProblem, resolve

    store = Store()
    position = args.from_ms
    video = store.video(args.video)
    if video is None:
        return say(f"There is no video {args.video} in the library.")
    media = Path(video["media_path"] or "")
    if not video["media_path"] and video.get("sound_path"):  # its sound, fetched before its video, checked whole
        media = Path(video["sound_path"])
    if not media.is_file():
        return say(f"The media file of video {args.video} is missing ({media}).")
    if args.row:
        row_id = args.row
        store.claim_transcription(row_id, os.getpid())
    else:
        why = store.may_transcribe(args.video, whole=args.from_ms == 0 and args.to_ms is None)
        if why:
            return say(why)
        row_id = None
    try:
        name, folder = resolve(args.model) if not os.environ.get(TEST_ENGINE) else (Path(args.model).name, Path(args.model))
        total = audio.duration_ms(media) or int(video["duration_ms"] or 0)
        end = min(args.to_ms, total) if args.to_ms is not None and total else (args.to_ms or total)
        if row_id is None:
            row_id = store.start_transcription(args.video, name, str(folder), args.language, args.from_ms, args.to_ms, os.getpid())
        tell({"transcription": row_id})
        try:
            engine = load_engine(folder, name)
        except (RuntimeError, ValueError, OSError) as exc:  # CTranslate2's word for a model it cannot read
            raise ModelProblem(f"The model in {folder} cannot be loaded ({str(exc).split('.')[0]})") from None
        test = f" (test engine {os.environ[TEST_ENGINE]})" if os.environ.get(TEST_ENGINE) else ""
        source = f"transcribed, {engine.name}{test}, {date.today().isoformat()}"
        chapters = media_chapters(media)
        only_ours = store.is_ours(args.video)  # a whole transcription never writes into a transcript from elsewhere
        language = args.language
        position, started = args.from_ms, time.monotonic()
        while position < end:
            stretch_end = min(position + STRETCH_MS, end)
            last = stretch_end >= end
            media, samples = _sound(store, args.video, media, position, stretch_end)
            pieces, found = engine.transcribe(samples, position, language)
            language = language or found  # the first stretch's language holds for the rest
            pieces, next_from = keep_until(sorted(pieces, key=lambda p: p.start_ms), position, stretch_end, last)
            cues = [c for c in to_lines(pieces) if c.start_ms < next_from or last]
            store.add_transcribed_stretch(row_id, args.video, cues, position, next_from, source, language or "", chapters,
                                          only_ours)
            position = next_from
            tell({"done_ms": position, "total_ms": end, "lines_added": len(cues),
                  "elapsed_s": round(time.monotonic() - started, 2)})
        store.end_transcription(row_id, "done")
        return 0
    except DiskFull as exc:
        if row_id is None:
            return say(str(exc))
        # its row cannot be written either: it stays running, and the window offers to go on from it
        return say(f"The disk that holds the library ({store.path.parent}) is full, so the transcription of video "
                   f"{args.video} stopped at {short_clock(position)}; the lines transcribed up to there are kept, and "
                   "Reader offers to go on from there when it next starts with room on the disk")
    except (ModelProblem, ValueError, OSError, LookupError, av.error.FFmpegError) as exc:
        if isinstance(exc, BrokenPipeError):  # a note on stderr found the parent gone: as tell() does, not a failure
            raise ParentGone from None
        if isinstance(exc, av.error.FFmpegError):
            message = f"The sound of {media.name} cannot be read ({exc.strerror or 'FFmpeg could not decode it'})"
        else:
            message = str(exc).strip() or "The transcription stopped because of an unexpected problem."
        if row_id is not None:
            store.end_transcription(row_id, "failed", message)
        return say(message)


def _sound(store, video_id: int, media: Path, from_ms: int, to_ms: int):
    """(the media file, a stretch's samples from it). An import of the same file meanwhile moves the entry to a
    new copy and removes the old one: a file that is gone is looked for again where the entry now has it, and a
    video that is gone says so."""
    from reader.transcription import audio

    for _ in range(5):
        try:
            return media, audio.read_stretch(media, from_ms, to_ms)
        except OSError:  # (PyAV's FileNotFoundError is one too)
            if media.is_file():
                raise
            row = store.video(video_id)
            if row is None:
                raise LookupError(f"video {video_id} is no longer in the library") from None
            moved = Path(row["media_path"] or "")
            if moved == media or not moved.is_file():
                raise
            media = moved
    return media, audio.read_stretch(media, from_ms, to_ms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.transcription.worker")
    parser.add_argument("--video", type=int, required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--from", dest="from_ms", type=int, default=0)
    parser.add_argument("--to", dest="to_ms", type=int, default=None)
    parser.add_argument("--language", default=None)
    parser.add_argument("--row", type=int, default=None, help="resume this transcription row")
    args = parser.parse_args(argv)
    from reader.library.db.errors import LibraryError

    try:
        os.nice(10)  # the window, and the video playing in it, come first
    except (AttributeError, OSError):
        pass

    try:
        return run(args)
    except ParentGone:  # its stretches are stored and its row stays running with our (soon dead) pid: resumable
        _quiet()
        return 3
    except LibraryError as exc:
        return say(str(exc))


def _quiet() -> None:
    """Nobody reads stdout or stderr any more: point them at /dev/null so exiting writes nothing into a dead pipe."""
    null = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        try:
            os.dup2(null, fd)
        except OSError:
            pass
    os.close(null)


if __name__ == "__main__":
    sys.exit(main())
