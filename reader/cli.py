"""The `reader` command: open the window, open a file, or convert a transcript on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description="Watch long videos and read their transcripts together.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = parser.add_subparsers(dest="command")
    open_cmd = sub.add_parser("open", help="open a video or audio file (and its transcript) in the window")
    open_cmd.add_argument("media", type=Path, help="a video or audio file, or a transcript to read on its own")
    open_cmd.add_argument("--subs", type=Path, help="the transcript or subtitle file (default: one beside the media)")
    conv = sub.add_parser("transcript", help="read any supported transcript and print it")
    conv.add_argument("file", type=Path)
    conv.add_argument("--to", choices=("json", "srt", "vtt", "txt"), default="json", help="output format (default json)")
    return parser


def _fail(message: str) -> int:
    print(f"reader: {message}", file=sys.stderr)
    return 2


def cmd_transcript(file: Path, to: str) -> int:
    from .transcript import TranscriptError, read_transcript
    from .transcript.writers import WRITERS

    try:
        transcript = read_transcript(file)
    except TranscriptError as exc:
        return _fail(str(exc))
    out = WRITERS[to](transcript)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    for warning in transcript.warnings:
        print(f"reader: warning: {warning}", file=sys.stderr)
    return 0


def cmd_open(media: Path, subs: Path | None) -> int:
    from .media_files import is_transcript

    if not media.exists():
        return _fail(f"{media}: no such file")
    if subs is not None and not subs.exists():
        return _fail(f"{subs}: no such file")
    from .ui.app import run

    if subs is None and is_transcript(media):
        return run(None, media)
    return run(media, subs)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "transcript":
            return cmd_transcript(args.file, args.to)
        if args.command == "open":
            return cmd_open(args.media, args.subs)
        from .ui.app import run

        return run()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
