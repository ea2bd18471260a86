"""The command line's video downloads: `reader download-video ID`, `import --wait`, and the detached download `import` leaves running."""

from __future__ import annotations

import subprocess
import sys
import time

from reader.cli.common import _fail, _say


def add_parser(sub, video_id_type) -> None:
    dv = sub.add_parser("download-video", aliases=["download"], help="download the video of a library entry that has "
                        "only its transcript (continues a download that stopped)")
    dv.add_argument("video_id", type=video_id_type, help="the entry's id (reader library lists them)")


def _progress(quiet: bool):
    """A progress line on a terminal's stderr, redrawn at most five times a second."""
    from reader.library.download import human_bytes

    last = [0.0]

    def progress(p) -> None:
        if not quiet and sys.stderr.isatty() and time.monotonic() - last[0] > 0.2:
            last[0] = time.monotonic()
            frac = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
            print(f"\r{p.stage}: {frac}{human_bytes(p.downloaded)}", end="", file=sys.stderr)

    return progress


def _end_line() -> None:
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)


def download(store, video_id: int, quiet: bool = False) -> int:
    """Download (or continue) an entry's video here and now; one sentence if it stops."""
    from reader.library.download import human_bytes
    from reader.library.importing import ImportFailed
    from reader.library.video_download import download_entry

    try:
        done = download_entry(store, video_id, _progress(quiet))
    except ImportFailed as exc:
        _end_line()
        return _fail(f"video {video_id}: {exc}")
    if not quiet:
        _end_line()
    _say(f"video {video_id}: its video is downloaded ({human_bytes(done.size)}).")
    return 0


def download_sound(store, video_id: int) -> int:
    """An entry without lines gets its sound alone first, here and now (checked whole), to transcribe while its video
    comes; a site that gives no sound alone is said in a note (its video comes whole, as before). 2 if it stops."""
    from reader.library.importing import ImportFailed
    from reader.library.video_download import NoSoundAlone, download_entry

    try:
        download_entry(store, video_id, _progress(False), sound_only=True)
    except NoSoundAlone as exc:
        _end_line()
        _say(f"note: video {video_id}: {exc}")
        return 0
    except ImportFailed as exc:
        _end_line()
        return _fail(f"video {video_id}: {exc}")
    _end_line()
    return 0


def run(args, store_factory) -> int:
    store = store_factory()
    try:
        return download(store, args.video_id)
    finally:
        store.close()


def start_detached(video_id: int) -> bool:
    """`reader import URL` without --wait: the video downloads on in a process of its own after this one exits
    (its progress and any failure are in the library: `reader library` says so)."""
    command = [sys.executable, "-m", "reader", "download-video", str(video_id)]
    try:
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    except OSError:
        return False
    return True
