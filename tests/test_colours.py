"""One table of highlight colours: the names backups allow, and the RGB the window draws."""

from __future__ import annotations

import msgspec
import pytest

from reader.backup import HighlightRecord
from reader.colours import COLOUR_NAMES, COLOURS, DEFAULT_COLOUR, colour

# the values the window drew before the table existed (notes_pane, review_page, transcript_view)
DRAWN = {"yellow": "#f9d54a", "green": "#7cc98a", "blue": "#6cb2f0", "pink": "#f08fb6"}


@pytest.mark.parametrize("name", COLOUR_NAMES)
def test_every_colour_has_a_label_and_both_shades(name):
    c = COLOURS[name]
    assert c.name == name and c.label and c.label[0].isupper()
    for rgb in (c.light, c.dark):
        assert len(rgb) == 3 and all(isinstance(v, int) and 0 <= v <= 255 for v in rgb)
    assert c.hex() == DRAWN[name] and c.hex(dark=True).startswith("#")


def test_the_table_is_the_colours_drawn_today_in_order():
    assert COLOUR_NAMES == ("yellow", "green", "blue", "pink") and DEFAULT_COLOUR in COLOURS


@pytest.mark.parametrize("name, expected", [("green", "green"), ("pink", "pink"), ("purple", DEFAULT_COLOUR), ("", DEFAULT_COLOUR),
                                            (None, DEFAULT_COLOUR)])
def test_an_unknown_name_is_drawn_in_the_default(name, expected):
    assert colour(name).name == expected


def _highlight(color) -> bytes:
    return msgspec.json.encode({"start_cue": 0, "start_offset": 0, "end_cue": 0, "end_offset": 1, "start_ms": 0, "end_ms": 1,
                                "text": "x", "color": color, "note": "", "created_at": "2024-01-01T00:00:00+00:00"})


@pytest.mark.parametrize("name, allowed", [*((n, True) for n in COLOUR_NAMES), ("purple", False), ("Yellow", False), ("", False)])
def test_backups_allow_exactly_the_table_s_colours(name, allowed):
    if allowed:
        assert msgspec.json.decode(_highlight(name), type=HighlightRecord).color == name
    else:
        with pytest.raises(msgspec.ValidationError):
            msgspec.json.decode(_highlight(name), type=HighlightRecord)
