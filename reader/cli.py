"""The `reader` command: open the window, open a file, or convert a transcript on the command line."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from . import __version__, cli_ask, cli_cards
from .safe_io import os_error_sentence
from .cli_common import (
    _C1, _Parser, _ask_setup, _clock, _fail, _file_arg, _json_text, _path_arg, _print_stream, _printable, _quote, _say, _store,
    _time, _video_id, progress_bar,
)
from .store import LibraryError


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="reader", description="Watch long videos and read their transcripts together.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("--self-test", action="store_true", help="open the demo, play a second, exit 0 if it worked")
    sub = parser.add_subparsers(dest="command")
    open_cmd = sub.add_parser("open", help="open a video or audio file (and its transcript) in the window")
    open_cmd.add_argument("media", type=_path_arg, help="a video or audio file, a transcript to read on its own, "
                                                  "or a reader://video/ID?t=S link from an exported note")
    open_cmd.add_argument("--subs", type=_file_arg, help="the transcript or subtitle file (default: one beside the media)")
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
    from . import cli_downloads

    cli_downloads.add_parser(sub, _video_id)
    from .transcription.commands import add_arguments

    add_arguments(sub, _video_id, _time_arg)
    lib = sub.add_parser("library", help="list the library: id, title, length, lines, highlights (and how many have notes) and source, one video a line")
    lib.add_argument("--json", action="store_true", help="print the list as JSON instead")
    lib.add_argument("--tag", help="only the videos with this tag")
    lib.add_argument("--check", action="store_true", help="check the whole library file, and remove the media copies "
                                                          "interrupted imports left (saying how much room that freed)")
    srch = sub.add_parser("search", help="search the library: the videos that speak of it best first, with their best lines")
    srch.add_argument("query", help="the words to find (every word; \"a phrase\" in quotes; the last may be the start of a word)")
    srch.add_argument("--json", action="store_true", help="print the videos found, each with its lines and notes, as JSON")
    exp = sub.add_parser("explain", help="ask Claude about a stretch of a library video; the answer is stored")
    exp.add_argument("video_id", type=_video_id, help="the id `reader library` shows")
    exp.add_argument("--from", dest="start", required=True, help="where the passage starts: 12:30, 1:02:03 or seconds (750)")
    exp.add_argument("--to", dest="end", required=True, help="where it ends, after --from and within the video, e.g. 13:05")
    exp.add_argument("--question", help="your question (default: explain the passage)")
    exp.add_argument("--model", help="the Claude model (default: the one chosen in Preferences)")
    tool_names = _study_tool_names()
    st = sub.add_parser("study", help=f"run a study tool on a library video ({tool_names}, or chat with --question); "
                                      "the result is stored")
    st.add_argument("video_id", type=_video_id, help="the id `reader library` shows")
    st.add_argument("tool", help=f"the study tool: {tool_names}; or chat, with --question")
    st.add_argument("--question", help="for chat: your question about the whole video")
    st.add_argument("--model", help="the Claude model (default: the one chosen in Preferences)")
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
    cli_cards.add_parsers(sub)
    cli_ask.add_parsers(sub)
    conv = sub.add_parser("transcript", help="read any supported transcript file and print it (for a library video's: "
                                             "reader export ID --to md FILE --transcript)")
    conv.add_argument("file", type=_file_arg, help="a transcript or subtitle file (SRT, WebVTT, YouTube JSON or XML, ASS, plain text...)")
    conv.add_argument("--to", choices=("json", "srt", "vtt", "txt"), default="json", help="output format (default json)")
    return parser


def _study_tool_names() -> str:
    try:
        from .study import tools

        return ", ".join(t.key for t in tools()) or "none installed"
    except Exception:  # the help must still show
        return "preread, central-ideas, vocabulary, references, people"


def _time_arg(text: str):
    typed = _time(text)
    if typed is None:
        raise argparse.ArgumentTypeError(f"{_quote(text)} is not a time: give h:mm:ss, m:ss or seconds.")
    return typed


def _video_end(store, video_id: int) -> int:
    """How long a video is: its known duration, or where its last line ends."""
    row = store.video(video_id) or {}
    cues = store.transcript(video_id).cues
    return max(int(row.get("duration_ms") or 0), max((c.end_ms for c in cues), default=0))


def _typed_stretch(video_id: int, start, end) -> tuple[int | None, int | None]:
    """--from and --to of a library video as the whole lines they take (the transcript's shown times), in ms."""
    from .typed_times import typed_stretch

    if start is None and end is None:
        return None, None
    store = _store()
    try:
        return typed_stretch(store.transcript(video_id).cues, start, end, _video_end(store, video_id))
    finally:
        store.close()


def cmd_explain(args) -> int:
    from . import questions
    from .settings import read_setting
    from .transcript.writers import short_clock

    from .typed_times import backwards, typed_lines

    typed = _time(args.start), _time(args.end)
    for name, text, value in (("--from", args.start, typed[0]), ("--to", args.end, typed[1])):
        if value is None:
            return _fail(f"{name} {_quote(text)} is not a time: give one such as 12:30, 1:02:03 or 750 (seconds).")
    start, end = typed[0].ms, typed[1].ms
    if backwards(*typed):
        return _fail(f"--to ({short_clock(end)}) must come after --from ({short_clock(start)}).")
    if args.question is not None and not args.question.strip():
        return _fail("--question is empty: write a question, or leave --question out to have the passage explained.")
    key, store, problem = _ask_setup(args.video_id)
    if problem:
        return _fail(problem)
    try:
        length = _video_end(store, args.video_id)
        if length and start >= length:
            return _fail(f"--from ({short_clock(start)}) is past the end of video {args.video_id}, "
                         f"which is {short_clock(length)} long.")
        if length and end > length + 1000:
            return _fail(f"--to ({short_clock(end)}) is past the end of video {args.video_id}, "
                         f"which is {short_clock(length)} long.")
        cues = store.transcript(args.video_id).cues
        taken = typed_lines(cues, *typed)
        if taken is None:
            return _fail(f"Nothing is said between {short_clock(start)} and {short_clock(end)} in video {args.video_id}.")
        span = questions.span_of_lines(cues, *taken)
        highlight_id = questions.save_highlight(store, args.video_id, span)
        answer_id, request = questions.begin(store, highlight_id, "ask" if args.question else "explain", args.question or "",
                                             model=args.model or read_setting("claude/model"))
        return _stream_to_stdout(store, answer_id, request, key)
    finally:
        store.close()


def _stream_to_stdout(store, answer_id: int, request, key: str) -> int:
    """Print an answer as it streams (citations as [m:ss]) and store it as it goes, as the window does."""
    from . import questions
    from .llm import cost_line

    answer = _print_stream(request, key, lambda a: questions.record(store, answer_id, a))
    if answer.error:
        return _fail(answer.error + (" (the part that arrived is saved)" if answer.text else ""))
    _say(f"{cost_line(answer.usage)}; saved as answer {answer_id}")
    return 0


def cmd_study(args) -> int:
    from .questions import begin
    from .settings import read_setting
    from .study import find_tool, tools

    tool = None if args.tool == "chat" else find_tool(args.tool)
    if tool is None and args.tool != "chat":
        names = ", ".join(t.key for t in tools())
        return _fail(f"There is no study tool called {_quote(args.tool)}; there are {names}, and chat (with --question).")
    if args.tool == "chat" and not (args.question or "").strip():
        return _fail("chat needs a question: add --question \"...\".")
    key, store, problem = _ask_setup(args.video_id)
    if problem:
        return _fail(problem)
    try:
        answer_id, request = begin(store, None, "chat" if tool is None else "study", args.question or "",
                                   model=args.model or read_setting("claude/model"), video_id=args.video_id, tool=tool)
        return _stream_to_stdout(store, answer_id, request, key)
    finally:
        store.close()


def cmd_export(args) -> int:
    from .export import ExportError, export

    if args.all and len(args.target) == 1:
        video_id, out = None, Path(args.target[0])
    elif not args.all and len(args.target) == 2:
        try:
            video_id, out = _video_id(args.target[0]), Path(args.target[1])
        except argparse.ArgumentTypeError as exc:
            return _fail(str(exc))
    else:
        return _fail("Give a video id and a file (reader export 3 --to md notes.md), or --all and a file.")
    if not args.target[-1].strip():  # Path('') is the current folder
        return _fail("The file to write has an empty name: give the name of a file.")
    try:
        unusable = out.exists() and not (out.is_file() or out.is_dir())  # writing into a FIFO would wait for a reader forever
    except OSError as exc:  # a name too long, a loop of links...
        return _fail(os_error_sentence(exc, out, "written"))
    if unusable:
        return _fail(f"{out.name} is not a regular file (a device, a pipe or a socket), so nothing is written to it.")
    # a deck with many clips, or a backup of a large library, takes a while: say how far it got, on one line
    progress, clear = progress_bar("Exporting", {"anki": "cards", "json": "videos"}.get(args.to, "files"))
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
    clear()
    if error:
        return _fail(error)
    for path in written:
        print(_printable(path))
    skipped = getattr(written, "skipped", [])
    if skipped:
        from .export import left_out

        _say(f"note: {left_out(skipped)}")
    return 0


def cmd_restore(backup: Path) -> int:
    from .backup import restore_summary
    from .backup_restore import restore
    from .export import ExportError

    progress, clear = progress_bar("Restoring", "videos")
    store = _store()
    try:
        counts = restore(store, backup, progress)
    except ExportError as exc:
        clear()
        return _fail(str(exc))
    finally:
        store.close()
    clear()
    print(_printable(restore_summary(counts, Path(backup).name)))
    return 0


def cmd_transcript(file: Path, to: str) -> int:
    from .transcript import TranscriptError, read_transcript
    from .transcript.writers import WRITERS

    if re.fullmatch(r"[0-9]{1,19}", str(file)) and not os.path.lexists(file):  # `reader transcript 3`: a video id, not a file
        return _fail(f"`reader transcript` reads a transcript or subtitle file, and there is no file called {file} here; "
                     f"for library video {file}'s transcript, run `reader export {file} --to md video-{file}.md --transcript`.")
    try:
        transcript = read_transcript(file)
    except TranscriptError as exc:
        return _fail(str(exc))
    if not transcript.cues:
        return _fail(f"{file.name} has no text at all, so there is nothing to convert.")
    out = WRITERS[to](transcript)
    if to == "json":  # JSON leaves C1 controls raw; as \u escapes they read back the same
        out = _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", out)
    elif sys.stdout.isatty():  # to a terminal, a line's escape sequences are shown, not obeyed
        out = _printable(out, newlines=True)  # (to a pipe or a file the bytes are kept: that is a conversion)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    for warning in transcript.warnings:
        _say(f"warning: {warning}")
    return 0


def cmd_snapshots(action: str, name: str | None) -> int:
    from .snapshots import list_snapshots, restore_snapshot

    if action == "list":
        if name:
            return _fail("`reader snapshots` lists them; to bring one back: reader snapshots restore NAME")
        snaps = list_snapshots()
        for s in snaps:  # one that cannot be brought back says so, in a fifth column
            unusable = f"\tunusable: {_printable(s.problem)}" if s.problem else ""
            print(f"{_printable(s.name)}\t{s.when.astimezone().strftime('%Y-%m-%d %H:%M')}\t{_size(s.size)}\t{_printable(s.reason)}{unusable}")
        if not snaps:
            _say("no snapshots yet (one is taken each day the library is opened, and before every restore)")
        return 0
    if not name:
        return _fail("name the snapshot to bring back, as `reader snapshots` lists it")
    before = restore_snapshot(name)
    kept = f"the library as it was is kept as snapshot {before.name}" if before else "the damaged library is kept among the snapshots"
    _say(f"brought back snapshot {name}; {kept}.")
    return 0


def _size(n: int) -> str:
    from .download import human_bytes

    return human_bytes(n)


def cmd_open(media: Path, subs: Path | None, link: str = "") -> int:
    from .library import ImportFailed, check_file, clean_library, open_in_place
    from .media_files import is_transcript
    from .store import LibraryError

    m = re.match(r"^reader://video/(\d+)(?:\?t=(\d+))?", link)
    if m:  # a link from an exported note: reader://video/ID?t=SECONDS
        from .ui.app import run

        from .numbers import MAX_ID, MAX_MS, whole

        video_id = whole(m.group(1), 1, MAX_ID)
        if video_id is None:
            return _fail(f"The link {_quote(link)} names no video: its number is not an id Reader gives (1 to {MAX_ID}).")
        seconds = whole(m.group(2), 0, MAX_MS // 1000) if m.group(2) else None
        if m.group(2) and seconds is None:
            return _fail(f"The link {_quote(link)} has a time (?t=) too far out to be a moment in a video.")
        return run(video_id=video_id, position_ms=seconds * 1000 if seconds is not None else -1)

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
        try:
            clean_library(store)
            opened = open_in_place(store, media, subs)
        finally:
            store.close()
    except LibraryError as exc:
        _say(f"{exc} Opening without the library.")
    else:
        if opened.problem and media is None:
            return _fail(opened.problem)  # only a transcript named, and it cannot be used: say so, change nothing
        if opened.problem and subs is not None:  # the video still opens; its window's banner says why, as here
            _say(f"{opened.problem} The video opens without these subtitles.")
        if not opened.problem:
            video_id = opened.video_id
            _say_notices(opened.prepared)
        # otherwise the window still opens and shows what went wrong
    from .ui.app import run

    return run(media, subs, video_id=video_id)


def _say_notices(prepared) -> None:
    """Every notice an import collected, and each highlight it could not place, on stderr."""
    from .library import lost_lines

    for notice in prepared.notices:
        _say(f"note: {notice}")
    for line in lost_lines(prepared.change):
        _say(f"not placed: {line}")


def cmd_import(args) -> int:
    from .download import ImportOptions, human_bytes, probe
    from .library import ImportFailed, clean_library, commit, prepare_file, prepare_url
    from .links import is_playlist, looks_like_url, may_be_playlist, parse_languages, playlist_entries

    options = ImportOptions(video=not args.no_video, languages=parse_languages(args.lang), max_height=args.max_height,
                            later=not args.no_video)
    store = _store()
    source = args.source
    try:
        clean_library(store)  # what an interrupted import left behind
        if not looks_like_url(source):
            scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*)://", source)
            if scheme:
                return _fail(f"Only http and https links can be imported, not {_printable(scheme.group(1))} links.")
            prepared = prepare_file(Path(source), args.subs, copy=True)
            video_id = commit(store, prepared)
            _say_notices(prepared)
            print(f"{video_id}\t{_printable(store.video(video_id)['title'])}")
            return _transcribe_if_bare(store, video_id, args)
        if args.subs is not None:
            return _fail("--subs is for a local media file; a link brings its own captions")
        source = source.strip()
        urls = [source]
        if may_be_playlist(source):
            info = probe(source)
            if is_playlist(info):
                entries = playlist_entries(info)
                if not args.all:
                    for e in entries:
                        print(f"{_printable(e.url)}\t{_printable(e.title)}")
                    return _fail(f"this link is a playlist of {len(entries)} videos (listed above); add --all to import them all")
                urls = [e.url for e in entries]
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
                print("\r", end="", file=sys.stderr)
                _say(f"{url}: {exc}")
                continue
            if sys.stderr.isatty():
                print("\r", end="", file=sys.stderr)
            _say_notices(prepared)
            print(f"{video_id}\t{_printable(store.video(video_id)['title'])}", flush=True)
            failures += _video_after(store, video_id, prepared, args)
            failures += 1 if _transcribe_if_bare(store, video_id, args) else 0
        return 2 if failures else 0
    except ImportFailed as exc:
        return _fail(str(exc))
    finally:
        store.close()


def _video_after(store, video_id: int, prepared, args) -> int:
    """The video of an entry stored with its transcript first: here with --wait (or --transcribe), else behind."""
    from . import cli_downloads

    if not prepared.video_later:
        return 0
    if args.wait or args.transcribe:
        return 1 if cli_downloads.download(store, video_id) else 0
    if not cli_downloads.start_detached(video_id):
        _say(f"note: the video of {video_id} could not start downloading; run reader download-video {video_id}.")
    return 0


def _transcribe_if_bare(store, video_id: int, args) -> int:
    """import --transcribe: transcribe a video the import found no subtitles for."""
    if not args.transcribe:
        return 0
    row = store.video(video_id) or {}
    if row.get("cue_count"):
        _say(f"note: video {video_id} came with a transcript, so it was not transcribed.")
        return 0
    from .transcription.commands import transcribe

    return transcribe(video_id, args.model, fail=_fail)


def cmd_library(as_json: bool, check: bool = False, tag: str | None = None) -> int:
    from .counts import highlights_and_notes
    from .video_download import video_words

    if check:
        return cmd_library_check()
    store = _store()
    tags = store.tags_by_video()
    only = set(store.tagged(tag)) if tag is not None else None
    rows = [
        {"id": r["id"], "title": r["title"], "source": r["source_url"], "duration_ms": r["duration_ms"],
         "cues": r["cue_count"], "highlights": r["note_count"], "notes": r["noted_count"], "tags": tags.get(r["id"], []),
         "video": r.get("video_state") or "complete", "video_bytes": r.get("video_bytes") or 0, "video_note": video_words(r)}
        for r in store.videos() if only is None or r["id"] in only
    ]
    store.close()
    if only is not None and not rows:
        _say(f"no video has the tag {_quote(tag)} (see `reader tag`).")
    if as_json:
        print(_json_text(rows))
    else:  # the columns README lists: id, title, length, lines, highlights (and notes), source
        for r in rows:
            lines = f"{r['cues']} line{'s' * (r['cues'] != 1)}"
            print(f"{r['id']}\t{_printable(r['title'])}\t{_clock(r['duration_ms'] or 0)}\t{lines}"
                  f"\t{highlights_and_notes(r['highlights'], r['notes'])}\t{_printable(r['source'])}"
                  + (f"\t{r['video_note']} (reader download-video {r['id']})" if r["video_note"] else ""))
    return 0


def cmd_library_check() -> int:
    """reader library --check: SQLite's check of the whole file, then the sweep of the media folder."""
    from .library import clean_library, sweep_sentence

    store = _store()
    try:
        problem = store.check_whole()
        if problem:
            return _fail(problem)
        swept = clean_library(store) if not store.read_only else []
    finally:
        store.close()
    print("The library file is sound (SQLite's check found no problem).")
    print(sweep_sentence(swept) if swept else "No media was left behind by an interrupted import.")
    return 0


def cmd_search(query: str, as_json: bool) -> int:
    from .library_search import search_library
    from .store_passages import match_query

    if not match_query(query):
        return _fail("Give some words to search for (letters or digits), e.g. reader search \"central bank\".")
    store = _store()
    found = search_library(store, query)
    store.close()
    if as_json:
        print(_json_text([v.to_json() for v in found.videos]))
        return 0
    for v in found.videos:
        print(f"{v.video_id}\t{_printable(v.title)}\t{v.found_in()}")
        for h in v.lines:
            print(f"\t{_clock(h.start_ms)}\t{_printable(h.text)}")
        for n in v.notes:
            print(f"\t{_clock(n.start_ms)}\t{n.kind}: {_printable(n.text)}")
    if not found.videos:
        _say(f"nothing in the library holds {_quote(query)}.")
    elif found.video_count > len(found.videos):
        _say(f"{found.video_count} videos speak of it; the best {len(found.videos)} are shown.")
    return 0


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["--transcription-worker"]:  # how the packaged app, which has no `python -m`, runs its worker
        from .transcription.worker import main as worker

        return worker(given[1:])
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    # `export 3 --to md OUT`: argparse leaves a positional that follows an option over; take it back
    if args.command == "export" and extra and not any(x.startswith("-") for x in extra):
        args.target += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")  # one `reader:` line, exit 2 (see _Parser)
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
        if args.command in ("download-video", "download"):
            from . import cli_downloads

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
            from .transcription import commands

            if args.command == "models":
                return commands.models(args.action, args.name, _fail)
            start, end = _typed_stretch(args.video_id, args.from_time, args.to_time)
            return commands.transcribe(args.video_id, args.model, start or 0, end, args.language, _fail)
        if args.command == "restore":
            return cmd_restore(args.backup)
        if args.command in ("cards", "review"):
            return cli_cards.run(args)
        if args.command in ("ask", "threads", "tag"):
            return cli_ask.run(args)
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
    except OSError as exc:  # a path operation no command expected to fail: still one sentence, never a traceback
        return _fail(os_error_sentence(exc, exc.filename or "a file"))


if __name__ == "__main__":
    sys.exit(main())
