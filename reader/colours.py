"""Highlight colours: their names (what the library and backups store) and how they are drawn, in light and dark mode."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Colour:
    name: str  # stored in the library and in backups
    label: str  # shown in menus and filters
    light: tuple[int, int, int]  # RGB on a light background
    dark: tuple[int, int, int]  # RGB on a dark background (today the same: the marks are drawn translucent)

    def hex(self, dark: bool = False) -> str:
        r, g, b = self.dark if dark else self.light
        return f"#{r:02x}{g:02x}{b:02x}"


COLOURS: dict[str, Colour] = {c.name: c for c in (
    Colour("yellow", "Yellow", (249, 213, 74), (249, 213, 74)),
    Colour("green", "Green", (124, 201, 138), (124, 201, 138)),
    Colour("blue", "Blue", (108, 178, 240), (108, 178, 240)),
    Colour("pink", "Pink", (240, 143, 182), (240, 143, 182)),
)}
COLOUR_NAMES: tuple[str, ...] = tuple(COLOURS)
DEFAULT_COLOUR = "yellow"


def colour(name: str | None) -> Colour:
    """The colour of that name; the default for a name Reader does not know (a damaged row)."""
    return COLOURS.get(name or "", COLOURS[DEFAULT_COLOUR])
