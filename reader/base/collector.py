"""Python's cyclic collector held off while a background thread loads a great deal (the Claude SDK, yt-dlp), so that its pauses never land on the window."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def collector_paused():
    """No cyclic collection while the block runs, in any thread; afterwards everything it made is moved out of the
    collector's sight for good (gc.freeze), so later collections do not walk it again.

    Importing the SDK, or yt-dlp with its extractors, builds tens of thousands of objects; each full collection
    that brings about holds every thread for 15-60 ms, the window's included. Meant for a one-time load: what is
    garbage when the block ends is frozen with the rest and never freed. Nothing the block makes is garbage that needs the collector
    (modules, classes, their schemas), and reference counting still frees everything else as usual."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()
