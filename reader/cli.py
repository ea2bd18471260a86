"""The `reader` command: open the window, open a file, or convert a transcript on the command line."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from . import __version__
from .store import LibraryError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description="Watch long videos and read their transcripts together.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("--self-test", action="store_true", help="open the demo, play a second, exit 0 if it worked")
    sub = parser.add_subparsers(dest="command")
    open_cmd = sub.add_parser("open", help="open a video or audio file (and its transcript) in the window")
    open_cmd.add_argument("media", help="a video or audio file, a transcript to read on its own, "
                                                  "or a reader://video/ID?t=S link from an exported note")
    open_cmd.add_argument("--subs", type=Path, help="the transcript or subtitle file (default: one beside the media)")
    imp = sub.add_parser("import", help="import a video from a link (YouTube or any site yt-dlp knows) or a local file")
    imp.add_argument("source", help="a link, or a video, audio or transcript file")
    imp.add_argument("--subs", type=Path, help="a transcript for a local media file")
    imp.add_argument("--no-video", action="store_true", help="transcript and details only, no media download")
    imp.add_argument("--lang", default="en", help="preferred subtitle languages, comma separated (default en)")
    imp.add_argument("--max-height", type=int, default=1080, help="highest video quality to download (default 1080)")
    imp.add_argument("--all", action="store_true", help="for a playlist link: import every video in it")
    lib = sub.add_parser("library", help="list the library")
    lib.add_argument("--json", action="store_true")
    srch = sub.add_parser("search", help="search every transcript in the library")
    srch.add_argument("query")
    srch.add_argument("--json", action="store_true")
    exp = sub.add_parser("explain", help="ask Claude about a stretch of a library video; the answer is stored")
    exp.add_argument("video_id", type=int, help="the id `reader library` shows")
    exp.add_argument("--from", dest="start", required=True, help="where the passage starts, e.g. 12:30")
    exp.add_argument("--to", dest="end", required=True, help="where it ends, e.g. 13:05")
    exp.add_argument("--question", help="your question (default: explain the passage)")
    exp.add_argument("--model", help="the Claude model (default: the one chosen in Settings)")
    st = sub.add_parser("study", help="run a study tool on a library video (preread, central-ideas, vocabulary, "
                                      "references, people, or chat with --question); the result is stored")
    st.add_argument("video_id", type=int)
    st.add_argument("tool")
    st.add_argument("--question", help="for chat: your question about the whole video")
    st.add_argument("--model")
    ex = sub.add_parser("export", help="export notes and answers to Markdown, an Anki deck, or a JSON backup")
    ex.add_argument("target", nargs="*", metavar="[VIDEO_ID] OUT",
                    help="the video's id (or --all) and the file to write (for Markdown of the whole library, a folder)")
    ex.add_argument("--all", action="store_true", help="the whole library")
    ex.add_argument("--to", choices=("md", "anki", "json"), required=True)
    ex.add_argument("--no-timestamps", action="store_true", help="Markdown: leave out the time links")
    ex.add_argument("--transcript", action="store_true", help="Markdown: add the full transcript")
    rs = sub.add_parser("restore", help="restore a JSON backup into the library (safe to repeat)")
    rs.add_argument("backup", type=Path)
    snap = sub.add_parser("snapshots", help="list the library's automatic snapshots, or bring one back")
    snap.add_argument("action", nargs="?", choices=("list", "restore"), default="list")
    snap.add_argument("name", nargs="?", help="for restore: a snapshot's name, as the list shows it")
    conv = sub.add_parser("transcript", help="read any supported transcript and print it")
    conv.add_argument("file", type=Path)
    conv.add_argument("--to", choices=("json", "srt", "vtt", "txt"), default="json", help="output format (default json)")
    return parser


def _fail(message: str) -> int:
    print(f"reader: {message}", file=sys.stderr)
    return 2


def _time(text: str) -> int | None:
    from .transcript.plain import TS, ts_ms

    return ts_ms(text) if re.fullmatch(TS, text.strip()) else (int(float(text) * 1000) if re.fullmatch(r"\d+(\.\d+)?", text.strip()) else None)


def cmd_explain(args) -> int:
    from . import asking
    from .settings import model_setting
    from .transcript.writers import short_clock

    start, end = _time(args.start), _time(args.end)
    if start is None or end is None:
        return _fail("--from and --to take times such as 12:30 or 1:02:03")
    key, store, problem = _ask_setup(args.video_id)
    if problem:
        return _fail(problem)
    try:
        passage = asking.passage_between(store, args.video_id, start, end)
        if passage is None:
            return _fail(f"nothing is said between {short_clock(start)} and {short_clock(end)} in video {args.video_id}")
        highlight_id = asking.save_highlight(store, passage)
        answer_id, request = asking.begin(store, highlight_id, "ask" if args.question else "explain", args.question or "",
                                          model=args.model or model_setting())
        return _stream_to_stdout(store, answer_id, request, key)
    finally:
        store.close()


def _ask_setup(video_id: int):
    """The key and the library for a question about a video; or what is missing, as a message."""
    from .keys import get_key

    key = get_key()
    if not key:
        return None, None, "no Anthropic API key: set ANTHROPIC_API_KEY, or add a key in the window's Settings"
    store = _store()
    if store.video(video_id) is None:
        store.close()
        return None, None, f"no video with id {video_id} in the library (see `reader library`)"
    return key, store, ""


def _stream_to_stdout(store, answer_id: int, request, key: str) -> int:
    """Print an answer as it streams (citations as [m:ss]) and store it as it goes, as the window does."""
    from . import asking
    from .llm import Answer, CitationEvent, TextEvent, cost_line, stream_answer
    from .transcript.writers import short_clock

    answer = Answer()
    last_save = time.monotonic()
    for event in stream_answer(request, key):
        answer.add(event)
        if isinstance(event, TextEvent):
            sys.stdout.write(event.text)
            sys.stdout.flush()
        elif isinstance(event, CitationEvent):
            sys.stdout.write(f" [{short_clock(event.start_ms)}]")
        if time.monotonic() - last_save > 0.5:
            asking.record(store, answer_id, answer)
            last_save = time.monotonic()
    asking.record(store, answer_id, answer)
    sys.stdout.write("\n")
    if answer.error:
        return _fail(answer.error + (" (the part that arrived is saved)" if answer.text else ""))
    print(f"reader: {cost_line(answer.usage)}; saved as answer {answer_id}", file=sys.stderr)
    return 0


def cmd_study(args) -> int:
    from .settings import model_setting
    from .study import begin_study, find_tool, tools

    tool = None if args.tool == "chat" else find_tool(args.tool)
    if tool is None and args.tool != "chat":
        names = ", ".join(t.key for t in tools())
        return _fail(f"no study tool called {args.tool!r}; there are: {names}, and chat (with --question)")
    if args.tool == "chat" and not args.question:
        return _fail("chat needs --question")
    key, store, problem = _ask_setup(args.video_id)
    if problem:
        return _fail(problem)
    try:
        answer_id, request = begin_study(store, args.video_id, tool, args.question or "", model=args.model or model_setting())
        return _stream_to_stdout(store, answer_id, request, key)
    finally:
        store.close()


def cmd_export(args) -> int:
    from .export import ExportError, export

    if args.all and len(args.target) == 1:
        video_id, out = None, Path(args.target[0])
    elif not args.all and len(args.target) == 2 and args.target[0].isdigit():
        video_id, out = int(args.target[0]), Path(args.target[1])
    else:
        return _fail("give a video id and a file (reader export 3 --to md notes.md), or --all and a file")
    shown = sys.stderr.isatty()  # a deck with many clips takes a while: say how far it got, on one line

    def progress(done: int, total: int) -> None:
        if shown:
            print(f"\r{done} of {total} {'cards' if args.to == 'anki' else 'files'}", end="", file=sys.stderr, flush=True)

    store = _store()
    try:
        written = export(store, video_id, args.to, out, timestamps=not args.no_timestamps,
                         with_transcript=args.transcript, progress=progress)
    except ExportError as exc:
        written, error = [], str(exc)
    else:
        error = ""
    finally:
        store.close()
    if shown:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    if error:
        return _fail(error)
    for path in written:
        print(path)
    return 0


def cmd_restore(backup: Path) -> int:
    from .backup import restore, restore_summary
    from .export import ExportError

    store = _store()
    try:
        counts = restore(store, backup)
    except ExportError as exc:
        return _fail(str(exc))
    finally:
        store.close()
    print(restore_summary(counts, Path(backup).name))
    return 0


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


def _store():
    """The library as the window opens it (answers a killed Reader left streaming are marked incomplete)."""
    from .store import open_library

    return open_library()


def cmd_snapshots(action: str, name: str | None) -> int:
    from .snapshots import list_snapshots, restore_snapshot

    if action == "list":
        if name:
            return _fail("`reader snapshots` lists them; to bring one back: reader snapshots restore NAME")
        snaps = list_snapshots()
        for s in snaps:
            print(f"{s.name}\t{s.when.astimezone().strftime('%Y-%m-%d %H:%M')}\t{_size(s.size)}\t{s.reason}")
        if not snaps:
            print("reader: no snapshots yet (one is taken each day the library is opened, and before every restore)",
                  file=sys.stderr)
        return 0
    if not name:
        return _fail("name the snapshot to bring back, as `reader snapshots` lists it")
    before = restore_snapshot(name)
    kept = f"the library as it was is kept as snapshot {before.name}" if before else "the damaged library is kept among the snapshots"
    print(f"reader: brought back snapshot {name}; {kept}.", file=sys.stderr)
    return 0


def _size(n: int) -> str:
    from .download import human_bytes

    return human_bytes(n)


def cmd_open(media: Path, subs: Path | None, link: str = "") -> int:
    from .library import ImportFailed, check_file, clean_library, commit, prepare_file
    from .media_files import is_transcript
    from .store import LibraryError

    m = re.match(r"^reader://video/(\d+)(?:\?t=(\d+))?", link)
    if m:  # a link from an exported note: reader://video/ID?t=SECONDS
        from .ui.app import run

        return run(video_id=int(m.group(1)), position_ms=int(m.group(2) or 0) * 1000 if m.group(2) else -1)

    try:  # a pipe, a folder or a device is refused here: opening one would wait forever or fail later
        check_file(media, "video, audio or transcript file")
        if subs is not None:
            check_file(subs, "transcript")
    except ImportFailed as exc:
        return _fail(str(exc))
    if subs is None and is_transcript(media):
        media, subs = None, media
    video_id = None
    try:
        store = _store()
        clean_library(store)
        prepared = prepare_file(media, subs, copy=False)
        video_id = commit(store, prepared)
        store.close()
    except ImportFailed as exc:
        if media is None or subs is not None:  # a transcript that was named and cannot be used: say so, change nothing
            return _fail(str(exc))
        # the window still opens and shows what went wrong
    except LibraryError as exc:
        print(f"reader: {exc} Opening without the library.", file=sys.stderr)
    else:
        _say_notices(prepared)
    from .ui.app import run

    return run(media, subs, video_id=video_id)


def _say_notices(prepared) -> None:
    """Every notice an import collected, and each highlight it could not place, on stderr."""
    from .library import lost_lines

    for notice in prepared.notices:
        print(f"reader: note: {notice}", file=sys.stderr)
    for line in lost_lines(prepared.change):
        print(f"reader: not placed: {line}", file=sys.stderr)


def cmd_import(args) -> int:
    from .download import ImportOptions, human_bytes, is_playlist, probe
    from .library import ImportFailed, clean_library, commit, prepare_file, prepare_url

    options = ImportOptions(video=not args.no_video, languages=tuple(x.strip() for x in args.lang.split(",") if x.strip()) or ("en",),
                            max_height=args.max_height)
    store = _store()
    source = args.source
    try:
        clean_library(store)  # what an interrupted import left behind
        if not re.match(r"(?i)^https?://", source):
            prepared = prepare_file(Path(source), args.subs, copy=True)
            video_id = commit(store, prepared)
            _say_notices(prepared)
            print(f"{video_id}\t{store.video(video_id)['title']}")
            return 0
        if args.subs is not None:
            return _fail("--subs is for a local media file; a link brings its own captions")
        urls = [source]
        if "list=" in source or "playlist" in source:
            info = probe(source)
            if is_playlist(info):
                entries = [e for e in info["entries"] if e and (e.get("url") or e.get("webpage_url"))]
                if not args.all:
                    for e in entries:
                        print(f"{e.get('url') or e.get('webpage_url')}\t{e.get('title') or ''}")
                    return _fail(f"this link is a playlist of {len(entries)} videos (listed above); add --all to import them all")
                urls = [e.get("webpage_url") or e.get("url") for e in entries]
        failures = 0
        for url in urls:
            last = [0.0]

            def progress(p, last=last):
                if sys.stderr.isatty() and time.monotonic() - last[0] > 0.2:
                    last[0] = time.monotonic()
                    frac = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
                    print(f"\r{p.stage}: {frac}{human_bytes(p.downloaded)}", end="", file=sys.stderr)

            try:
                prepared = prepare_url(url, options, progress)
                video_id = commit(store, prepared)
            except ImportFailed as exc:
                failures += 1
                print(f"\rreader: {url}: {exc}", file=sys.stderr)
                continue
            if sys.stderr.isatty():
                print("\r", end="", file=sys.stderr)
            _say_notices(prepared)
            print(f"{video_id}\t{store.video(video_id)['title']}")
        return 2 if failures else 0
    except ImportFailed as exc:
        return _fail(str(exc))
    finally:
        store.close()


def _clock(ms: int) -> str:
    from .transcript.writers import short_clock

    return short_clock(ms)


def cmd_library(as_json: bool) -> int:
    store = _store()
    rows = [
        {"id": r["id"], "title": r["title"], "source": r["source_url"], "duration_ms": r["duration_ms"],
         "cues": r["cue_count"], "notes": r["note_count"]}
        for r in store.videos()
    ]
    store.close()
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['id']}\t{r['title']}\t{_clock(r['duration_ms'])}\t{r['cues']} lines\t{r['notes']} notes\t{r['source']}")
    return 0


def cmd_search(query: str, as_json: bool) -> int:
    store = _store()
    hits = store.search(query)
    store.close()
    if as_json:
        print(json.dumps([{"video_id": h.video_id, "title": h.title, "start_ms": h.start_ms, "text": h.text} for h in hits],
                         ensure_ascii=False, indent=1))
    else:
        for h in hits:
            print(f"{h.video_id}\t{_clock(h.start_ms)}\t{h.title}: {h.text}")
        if not hits:
            print(f"reader: no line in the library contains {query!r}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    # `export 3 --to md OUT`: argparse leaves a positional that follows an option over; take it back
    if args.command == "export" and extra and not any(x.startswith("-") for x in extra):
        args.target += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.self_test:
            from .ui.app import self_test

            return self_test()
        if args.command == "transcript":
            return cmd_transcript(args.file, args.to)
        if args.command == "open":
            return cmd_open(Path(args.media), args.subs, args.media if args.media.startswith("reader:") else "")
        if args.command == "import":
            return cmd_import(args)
        if args.command == "library":
            return cmd_library(args.json)
        if args.command == "search":
            return cmd_search(args.query, args.json)
        if args.command == "explain":
            return cmd_explain(args)
        if args.command == "study":
            return cmd_study(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command == "restore":
            return cmd_restore(args.backup)
        if args.command == "snapshots":
            return cmd_snapshots(args.action, args.name)
        from .ui.app import run

        return run()
    except KeyboardInterrupt:
        return 130
    except LibraryError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
