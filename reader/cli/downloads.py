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


def download(store, video_id: int, quiet: bool = False) -> int:
    """Download (or continue) an entry's video here and now; one sentence if it stops."""
    from reader.library.download import human_bytes
    from reader.library.importing import ImportFailed
    from reader.library.video_download import download_entry

    last = [0.0]

    def progress(p) -> None:
        if not quiet and sys.stderr.isatty() and time.monotonic() - last[0] > 0.2:
            last[0] = time.monotonic()
            frac = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
            print(f"\r{p.stage}: {frac}{human_bytes(p.downloaded)}", end="", file=sys.stderr)

    try:
        done = download_entry(store, video_id, progress)
    except ImportFailed as exc:
        if sys.stderr.isatty():
            print("\r", end="", file=sys.stderr)
        return _fail(f"video {video_id}: {exc}")
    if sys.stderr.isatty() and not quiet:
        print("\r", end="", file=sys.stderr)
    _say(f"video {video_id}: its video is downloaded ({human_bytes(done.size)}).")
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
