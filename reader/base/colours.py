"""Colours: the highlight colours (their stored names, swatches and fills) and the transcript's other marks, light and dark."""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]


def _rgb(text: str) -> RGB:
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)


@dataclass(frozen=True)
class Colour:
    name: str  # stored in the library and in backups
    label: str  # shown in menus and filters
    light: RGB  # the colour itself: swatches, dots and bars in lists
    dark: RGB  # the same on a dark background
    fill_light: RGB  # behind the transcript's words in the light theme: pale, so black text reads on it
    fill_dark: RGB  # and in the dark theme: deep, so light text reads on it

    def hex(self, dark: bool = False) -> str:
        return hex_of(self.dark if dark else self.light)

    def fill(self, dark: bool = False) -> RGB:
        return self.fill_dark if dark else self.fill_light


COLOURS: dict[str, Colour] = {c.name: c for c in (
    Colour("yellow", "Yellow", (249, 213, 74), (249, 213, 74), _rgb("#fde68a"), _rgb("#5a4a0c")),
    Colour("green", "Green", (124, 201, 138), (124, 201, 138), _rgb("#bbf7c4"), _rgb("#1e4d2c")),
    Colour("blue", "Blue", (108, 178, 240), (108, 178, 240), _rgb("#b9d7fb"), _rgb("#1c3d66")),
    Colour("pink", "Pink", (240, 143, 182), (240, 143, 182), _rgb("#fbcfe0"), _rgb("#5e2342")),
)}
COLOUR_NAMES: tuple[str, ...] = tuple(COLOURS)
DEFAULT_COLOUR = "yellow"


def colour(name: str | None) -> Colour:
    """The colour of that name; the default for a name Reader does not know (a damaged row)."""
    return COLOURS.get(name or "", COLOURS[DEFAULT_COLOUR])


@dataclass(frozen=True)
class Marks:
    """How the transcript shows what is not a highlight. Each kind of mark has its own way of being drawn, so
    none can be taken for another even where they overlap: highlights and find matches are fills, the
    selection a strong fill with its own text colour, the current line a bar and an underline (its spoken
    word in letters of the same colour), the citation flash an outline that fades."""

    current: RGB  # the current line's bar and underline, and the spoken word's letters
    flash: RGB  # the outline round the lines a citation points at
    selection: RGB  # behind selected words
    selection_text: RGB  # selected words
    match: RGB  # behind every find match
    current_match: RGB  # behind the find match shown now


MARKS: dict[str, Marks] = {
    "light": Marks(current=_rgb("#953b00"), flash=_rgb("#8e24aa"), selection=_rgb("#2457c5"), selection_text=_rgb("#ffffff"),
                   match=_rgb("#d9dbde"), current_match=_rgb("#9aa0a6")),
    "dark": Marks(current=_rgb("#ffb060"), flash=_rgb("#e0a0ff"), selection=_rgb("#8ab4f8"), selection_text=_rgb("#17181a"),
                  match=_rgb("#3a3d41"), current_match=_rgb("#646a73")),
}


def marks(dark: bool) -> Marks:
    return MARKS["dark" if dark else "light"]


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
