"""The `reader` command: open the window, open a file, or convert a transcript on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader import __version__
from reader.base.safe_io import os_error_sentence
from reader.cli.common import _Parser, _fail, _file_arg, _path_arg, _store, _time_arg, _typed_stretch, _video_id
from reader.library.db.errors import LibraryError

COMMANDS = ("open", "import", "download-video", "download", "transcribe", "models", "library", "search", "explain", "study",
            "export", "restore", "snapshots", "cards", "review", "ask", "threads", "tag", "transcript")


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's (for `reader --help`, a mistake, or no command), or only the one
    named (`reader search ...`), which is all that command needs and spares it building the others'."""
    parser = _Parser(prog="reader", description="Watch long videos and read their transcripts together.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("--self-test", action="store_true", help="open the demo, play a second, exit 0 if it worked")
    sub = parser.add_subparsers(dest="command")

    def want(*names: str) -> bool:
        return only is None or only in names

    if want("open"):
        _add_open(sub)
    if want("import"):
        _add_import(sub)
    if want("download-video", "download"):
        from reader.cli import downloads as cli_downloads

        cli_downloads.add_parser(sub, _video_id)
    if want("transcribe", "models"):
        from reader.cli.transcription import add_arguments

        add_arguments(sub, _video_id, _time_arg)
    if want("library", "search"):
        _add_library(sub)
    if want("explain", "study"):
        _add_asking(sub)
    if want("export", "restore", "snapshots"):
        _add_exchange(sub)
    if want("cards", "review"):
        from reader.cli import cards as cli_cards

        cli_cards.add_parsers(sub)
    if want("ask", "threads", "tag"):
        from reader.cli import ask as cli_ask

        cli_ask.add_parsers(sub)
    if want("transcript"):
        conv = sub.add_parser("transcript", help="read any supported transcript file and print it (for a library video's: "
                                                 "reader export ID --to md FILE --transcript)")
        conv.add_argument("file", type=_file_arg, help="a transcript or subtitle file (SRT, WebVTT, YouTube JSON or XML, ASS, plain text...)")
        conv.add_argument("--to", choices=("json", "srt", "vtt", "txt"), default="json", help="output format (default json)")
    return parser


def _add_open(sub) -> None:
    open_cmd = sub.add_parser("open", help="open a video or audio file (and its transcript) in the window")
    open_cmd.add_argument("media", type=_path_arg, help="a video or audio file, a transcript to read on its own, "
                                                  "or a reader://video/ID?t=S link from an exported note")
    open_cmd.add_argument("--subs", type=_file_arg, help="the transcript or subtitle file (default: one beside the media)")


def _add_import(sub) -> None:
    imp = sub.add_parser("import", help="import a video from a link (YouTube or any site yt-dlp knows) or a local file")
    imp.add_argument("source", type=_path_arg, help="a link, or a video, audio or transcript file")
    imp.add_argument("--subs", type=_file_arg, help="a transcript for a local media file")
    imp.add_argument("--no-video", action="store_true", help="transcript and details only, no media download")
    imp.add_argument("--lang", default="en", help="preferred subtitle languages, comma separated (default en)")
    imp.add_argument("--max-height", type=int, default=1080, help="highest video quality to download (default 1080)")
    imp.add_argument("--all", action="store_true", help="for a playlist link: import every video in it")
    imp.add_argument("--transcribe", action="store_true", help="transcribe it on this machine when it comes without subtitles")
    imp.add_argument("--model", help="with --transcribe: a model name or folder (default: an installed one)")
    imp.add_argument("--wait", action="store_true", help="wait for the video too (without it, the id is printed as soon "
                                                         "as the transcript is stored and the video downloads on behind)")


def _add_library(sub) -> None:
    lib = sub.add_parser("library", help="list the library: id, title, length, lines, highlights (and how many have notes) and source, one video a line")
    lib.add_argument("--json", action="store_true", help="print the list as JSON instead")
    lib.add_argument("--tag", help="only the videos with this tag")
    lib.add_argument("--check", action="store_true", help="check the whole library file, and remove the media copies "
                                                          "interrupted imports left (saying how much room that freed)")
    srch = sub.add_parser("search", help="search the library: the videos that speak of it best first, with their best lines")
    srch.add_argument("query", help="the words to find (every word; \"a phrase\" in quotes; the last may be the start of a word)")
    srch.add_argument("--json", action="store_true", help="print the videos found, each with its lines and notes, as JSON")


def _add_asking(sub) -> None:
    exp = sub.add_parser("explain", help="ask Claude about a stretch of a library video; the answer is stored")
    exp.add_argument("video_id", type=_video_id, help="the id `reader library` shows")
    exp.add_argument("--from", dest="start", required=True, help="where the passage starts: 12:30, 1:02:03 or seconds (750)")
    exp.add_argument("--to", dest="end", required=True, help="where it ends, after --from and within the video, e.g. 13:05")
    exp.add_argument("--question", help="your question (default: explain the passage)")
    exp.add_argument("--model", help="the Claude model (default: the one chosen in Preferences)")
    from reader.cli.asking import _study_tool_names

    tool_names = _study_tool_names()
    st = sub.add_parser("study", help=f"run a study tool on a library video ({tool_names}, or chat with --question); "
                                      "the result is stored")
    st.add_argument("video_id", type=_video_id, help="the id `reader library` shows")
    st.add_argument("tool", help=f"the study tool: {tool_names}; or chat, with --question")
    st.add_argument("--question", help="for chat: your question about the whole video")
    st.add_argument("--model", help="the Claude model (default: the one chosen in Preferences)")


def _add_exchange(sub) -> None:
    ex = sub.add_parser("export", help="export notes and answers to Markdown, an Anki deck, or a JSON backup")
    ex.add_argument("target", nargs="*", metavar="[VIDEO_ID] OUT",
                    help="the video's id (or --all) and the file to write (for Markdown of the whole library, a folder)")
    ex.add_argument("--all", action="store_true", help="the whole library")
    ex.add_argument("--to", choices=("md", "anki", "json"), required=True,
                    help="md (Markdown notes), anki (a deck of cards) or json (a backup `reader restore` reads)")
    ex.add_argument("--no-timestamps", action="store_true", help="Markdown: leave out the time links")
    ex.add_argument("--transcript", action="store_true", help="Markdown: add the full transcript")
    rs = sub.add_parser("restore", help="restore a JSON backup into the library (safe to repeat)")
    rs.add_argument("backup", type=_file_arg, help="a JSON backup written by `reader export --to json`")
    snap = sub.add_parser("snapshots", help="list the library's automatic snapshots, or bring one back")
    snap.add_argument("action", nargs="?", choices=("list", "restore"), default="list")
    snap.add_argument("name", nargs="?", help="for restore: a snapshot's name, as the list shows it")


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["--transcription-worker"]:  # how the packaged app, which has no `python -m`, runs its worker
        from reader.transcription.worker import main as worker

        return worker(given[1:])
    parser = _parser(given[0] if given[:1] and given[0] in COMMANDS else None)
    args, extra = parser.parse_known_args(given)
    # `export 3 --to md OUT`: argparse leaves a positional that follows an option over; take it back
    if args.command == "export" and extra and not any(x.startswith("-") for x in extra):
        args.target += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")  # one `reader:` line, exit 2 (see _Parser)
    try:
        if args.self_test:
            from reader.ui.app import self_test

            return self_test()
        if args.command == "transcript":
            from reader.cli.transcript import cmd_transcript

            return cmd_transcript(args.file, args.to)
        if args.command in ("open", "import", "library", "search"):
            from reader.cli.library import cmd_import, cmd_library, cmd_open, cmd_search
        if args.command in ("explain", "study"):
            from reader.cli.asking import cmd_explain, cmd_study
        if args.command in ("export", "restore", "snapshots"):
            from reader.cli.exchange import cmd_export, cmd_restore, cmd_snapshots
        if args.command == "open":
            return cmd_open(Path(args.media), args.subs, args.media if args.media.startswith("reader:") else "")
        if args.command == "import":
            return cmd_import(args)
        if args.command in ("download-video", "download"):
            from reader.cli import downloads as cli_downloads

            return cli_downloads.run(args, _store)
        if args.command == "library":
            return cmd_library(args.json, args.check, args.tag)
        if args.command == "search":
            return cmd_search(args.query, args.json)
        if args.command == "explain":
            return cmd_explain(args)
        if args.command == "study":
            return cmd_study(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command in ("transcribe", "models"):
            from reader.cli import transcription as commands

            if args.command == "models":
                return commands.models(args.action, args.name, _fail)
            start, end = _typed_stretch(args.video_id, args.from_time, args.to_time)
            return commands.transcribe(args.video_id, args.model, start or 0, end, args.language, _fail)
        if args.command == "restore":
            return cmd_restore(args.backup)
        if args.command in ("cards", "review"):
            from reader.cli import cards as cli_cards

            return cli_cards.run(args)
        if args.command in ("ask", "threads", "tag"):
            from reader.cli import ask as cli_ask

            return cli_ask.run(args)
        if args.command == "snapshots":
            return cmd_snapshots(args.action, args.name)
        from reader.ui.app import run

        return run()
    except KeyboardInterrupt:
        return 130
    except LibraryError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a path operation no command expected to fail: still one sentence, never a traceback
        return _fail(os_error_sentence(exc, exc.filename or "a file"))


if __name__ == "__main__":
    sys.exit(main())
