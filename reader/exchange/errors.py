"""What every export and restore shares: the one error they raise, the progress callback they call, the files written."""

from __future__ import annotations

from typing import Callable

Progress = Callable[[int, int], None]  # (done, total)


class ExportError(Exception):
    """An export or restore that cannot be done; the message says why."""


class Written(list):
    """The files an export wrote; `skipped` holds the titles of the videos it left out, with nothing in them yet."""

    def __init__(self, paths=(), skipped=()):
        super().__init__(paths)
        self.skipped = list(skipped)
