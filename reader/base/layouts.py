"""Pane layouts: the modes (all panes, theatre, reading only) and the split between the panes, checked when read back."""

from __future__ import annotations

import json
from dataclasses import dataclass

MODES = ("normal", "theatre", "reading")  # all panes; only the video; the transcript and notes without the video
PANES = 3  # video, transcript, notes and study side
MAX_WIDTH = 100_000  # a pane wider than this (in pixels) is not something Reader saved


@dataclass(frozen=True)
class Layout:
    mode: str = "normal"
    sizes: tuple[int, ...] = ()  # the panes' widths when all are shown; () for the default split


def checked_sizes(sizes) -> tuple[int, ...]:
    """Widths for the three panes, or () when they are not that (wrong count, negative, huge, none visible)."""
    try:
        values = tuple(int(v) for v in sizes)
    except (TypeError, ValueError, OverflowError):
        return ()
    if len(values) != PANES or any(v < 0 or v > MAX_WIDTH for v in values) or not any(values):
        return ()
    return values


def sizes_from_text(text: str) -> tuple[int, ...]:
    """'600,470,330' as widths; () for anything else."""
    return checked_sizes(text.split(",")) if text else ()


def sizes_text(sizes) -> str:
    return ",".join(str(v) for v in checked_sizes(sizes))


def layout_from_text(text: str | None) -> Layout | None:
    """A layout saved with layout_text; None when there is none or it cannot be used, whole: a saved layout
    that is damaged in any part counts as none, so the default takes its place."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("mode") not in MODES:
        return None
    sizes = data.get("sizes", [])
    checked = checked_sizes(sizes) if isinstance(sizes, list) else ()
    if sizes and not checked:
        return None
    return Layout(data["mode"], checked)


def layout_text(layout: Layout) -> str:
    return json.dumps({"mode": layout.mode, "sizes": list(checked_sizes(layout.sizes))})
