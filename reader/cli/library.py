"""`reader open`, `reader import`, `reader library` and `reader search`: the library from the command line."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from reader.cli.common import _clock, _fail, _json_text, _printable, _quote, _say, _store
from reader.library.db.errors import LibraryError


def _size(n: int) -> str:
    from reader.library.download import human_bytes

    return human_bytes(n)


def cmd_open(media: Path, subs: Path | None, link: str = "") -> int:
    from reader.library.importing import ImportFailed, check_file, clean_library, open_in_place
    from reader.library.media_files import is_transcript

    m = re.match(r"^reader://video/(\d+)(?:\?t=(\d+))?", link)
    if m:  # a link from an exported note: reader://video/ID?t=SECONDS
        from reader.base.numbers import MAX_ID, MAX_MS, whole
        from reader.ui.app import run

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
    from reader.ui.app import run

    return run(media, subs, video_id=video_id)


def _say_notices(prepared) -> None:
    """Every notice an import collected, and each highlight it could not place, on stderr."""
    from reader.library.importing import lost_lines

    for notice in prepared.notices:
        _say(f"note: {notice}")
    for line in lost_lines(prepared.change):
        _say(f"not placed: {line}")


def cmd_import(args) -> int:
    from reader.base.links import is_playlist, looks_like_url, may_be_playlist, parse_languages, playlist_entries
    from reader.library.download import ImportOptions, human_bytes, probe
    from reader.cli import downloads as cli_downloads
    from reader.library.importing import ImportFailed, clean_library, commit, prepare_file, prepare_url

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
            failed, video_next = _video_after(store, video_id, prepared, args)
            failures += failed or (1 if _transcribe_if_bare(store, video_id, args) else 0)  # nothing to transcribe if it stopped
            if video_next:  # --wait after the sound came first: the video once the transcription is done
                failures += 1 if cli_downloads.download(store, video_id) else 0
        return 2 if failures else 0
    except ImportFailed as exc:
        return _fail(str(exc))
    finally:
        store.close()


def _video_after(store, video_id: int, prepared, args) -> tuple[int, bool]:
    """The video of an entry stored with its transcript first: here with --wait (or --transcribe), else behind. With
    --transcribe and no subtitles its sound comes first, here, and the video behind it while the sound is transcribed
    (with --wait, here after that). Returns the failures and whether the video is still to download here."""
    from reader.cli import downloads as cli_downloads

    if not prepared.video_later:
        return 0, False
    if args.transcribe and not (store.video(video_id) or {}).get("cue_count"):
        if cli_downloads.download_sound(store, video_id):
            return 1, False
        if (store.video(video_id) or {}).get("sound_path"):
            if args.wait:
                return 0, True
            _detach(video_id)
            return 0, False
    if args.wait or args.transcribe:
        return (1 if cli_downloads.download(store, video_id) else 0), False
    _detach(video_id)
    return 0, False


def _detach(video_id: int) -> None:
    from reader.cli import downloads as cli_downloads

    if not cli_downloads.start_detached(video_id):
        _say(f"note: the video of {video_id} could not start downloading; run reader download-video {video_id}.")


def _transcribe_if_bare(store, video_id: int, args) -> int:
    """import --transcribe: transcribe a video the import found no subtitles for."""
    if not args.transcribe:
        return 0
    row = store.video(video_id) or {}
    if row.get("cue_count"):
        _say(f"note: video {video_id} came with a transcript, so it was not transcribed.")
        return 0
    from reader.cli.transcription import transcribe

    return transcribe(video_id, args.model, fail=_fail)


def cmd_library(as_json: bool, check: bool = False, tag: str | None = None) -> int:
    from reader.base.counts import highlights_and_notes
    from reader.library.video_download import video_words

    if check:
        return cmd_library_check()
    store = _store(lists=True)
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
    from reader.library.importing import clean_library, sweep_sentence

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
    from reader.library.db.passages import match_query
    from reader.library.search import search_library

    if not match_query(query):
        return _fail("Give some words to search for (letters or digits), e.g. reader search \"central bank\".")
    store = _store(lists=True)
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
