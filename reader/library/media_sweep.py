"""What the cleaner of the media folder removed, and the sentence that says how much room it freed."""

from __future__ import annotations

import os
from pathlib import Path


class Sweep(list):
    """The folders the cleaner removed (a list of paths), and `bytes`, how much room that freed."""

    bytes: int = 0


def sweep_sentence(sweep: Sweep) -> str:
    """What the cleaner freed, as a sentence ('' when it removed nothing)."""
    from reader.library.download import human_bytes

    n = len(sweep)
    if not n:
        return ""
    return (f"Reader removed {n} folder{'s' if n != 1 else ''} of media that interrupted imports left behind "
            f"(no entry used {'them' if n != 1 else 'it'}), freeing {human_bytes(sweep.bytes)}.")


def age_s(folder: Path) -> float:
    import time

    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0


def size_of(folder: Path) -> int:
    """The bytes of the files in a folder, links not followed."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total
