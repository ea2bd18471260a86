"""`reader export`, `reader restore` and `reader snapshots`: notes out, backups in, snapshots listed and brought back."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.base.safe_io import os_error_sentence
from reader.cli.common import _fail, _printable, _say, _store, _video_id, progress_bar
from reader.cli.library import _size


def cmd_export(args) -> int:
    from reader.exchange.errors import ExportError
    from reader.exchange.formats import FORMATS, export

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
    progress, clear = progress_bar("Exporting", FORMATS[args.to].unit)
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
        from reader.exchange.formats import left_out

        _say(f"note: {left_out(skipped)}")
    return 0


def cmd_restore(backup: Path) -> int:
    from reader.exchange.backup import restore_summary
    from reader.exchange.errors import ExportError
    from reader.exchange.restore import restore

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


def cmd_snapshots(action: str, name: str | None) -> int:
    from reader.library.db.snapshots import list_snapshots
    from reader.library.snapshots import restore_snapshot

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
