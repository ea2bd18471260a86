"""One table of highlight colours: the names backups allow, and the RGB the window draws."""

from __future__ import annotations

import msgspec
import pytest

from reader.base.colours import COLOUR_NAMES, COLOURS, DEFAULT_COLOUR, colour
from reader.exchange.backup import HighlightRecord

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


# -- colours that never collide: computed, in both themes ----------------------------------------------------
# WCAG 2.1 relative luminance and contrast; CIEDE2000 colour difference (about 2 is just noticeable, 10 and
# more reads as another colour at a glance).


def _linear(v: int) -> float:
    v /= 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def contrast(a, b) -> float:
    la, lb = (0.2126 * _linear(c[0]) + 0.7152 * _linear(c[1]) + 0.0722 * _linear(c[2]) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _lab(c):
    r, g, b = (_linear(v) for v in c)
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    x, y, z = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * y - 16, 500 * (x - y), 200 * (y - z)


def delta_e(c1, c2) -> float:
    """CIEDE2000 between two sRGB colours."""
    return delta_e_lab(_lab(c1), _lab(c2))


def delta_e_lab(lab1, lab2) -> float:
    """CIEDE2000 (Sharma, Wu and Dalal's formulation) between two CIELAB colours."""
    import math

    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c, d_h = l2 - l1, c2p - c1p, 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7)) * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


@pytest.mark.parametrize("lab1, lab2, expected", [  # from Sharma, Wu and Dalal's test data (2005)
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, 3.1571, -77.2803), (50, 0, -82.7485), 2.8615),
    ((50, 0, 0), (50, -1, 2), 2.3669), ((50, 2.5, 0), (73, 25, -18), 27.1492), ((50, 2.5, 0), (50, 3.1736, 0.5854), 1.0),
])
def test_the_colour_difference_is_ciede2000(lab1, lab2, expected):
    assert delta_e_lab(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_srgb_is_read_as_cielab_and_contrast_as_wcag_says():
    assert _lab((255, 255, 255)) == pytest.approx((100, 0, 0), abs=0.05) and _lab((0, 0, 0)) == pytest.approx((0, 0, 0), abs=0.05)
    assert delta_e((255, 255, 255), (0, 0, 0)) == pytest.approx(100, abs=0.05)
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)  # the well-known grey just under 4.5


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    """(dark?, the page's colour, the text's colour) of the transcript in that theme, as Qt has it."""
    from PySide6.QtGui import QPalette

    from reader.ui.appearance import set_appearance
    from reader.ui.widgets.transcript_view import TranscriptView

    set_appearance(request.param)
    try:
        view = TranscriptView()
        palette = view.palette()
        rgb = lambda role: palette.color(role).getRgb()[:3]  # noqa: E731
        yield request.param == "dark", rgb(QPalette.ColorRole.Base), rgb(QPalette.ColorRole.Text), view
    finally:
        set_appearance("system")


def _fills(dark: bool) -> dict:
    from reader.base.colours import marks

    m = marks(dark)
    return {**{c.name: c.fill(dark) for c in COLOURS.values()}, "selection": m.selection, "find match": m.match,
            "current find match": m.current_match}


def test_the_theme_is_the_one_the_colours_are_made_for(theme):
    dark, base, text, view = theme
    assert view.dark_theme() is dark and (sum(base) < 200) is dark and (sum(text) > 500) is dark


def test_text_reads_on_every_fill(theme):
    from reader.base.colours import marks

    dark, base, text, _view = theme
    m = marks(dark)
    for name, fill in _fills(dark).items():
        ink = m.selection_text if name == "selection" else text
        assert contrast(ink, fill) >= 4.5, name  # WCAG AA for body text
    for name, fill in {"page": base, **{c.name: c.fill(dark) for c in COLOURS.values()}}.items():
        assert contrast(m.current, fill) >= 4.5, name  # the spoken word is in the current line's colour


def test_every_fill_is_its_own_colour(theme):
    dark, base, _text, _view = theme
    fills = _fills(dark)
    for name, fill in fills.items():
        assert delta_e(fill, base) >= 7, f"{name} hardly differs from the page"
    names = list(fills)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert delta_e(fills[a], fills[b]) >= 12, f"{a} and {b} look alike"


def test_the_line_and_flash_marks_show_on_every_fill_and_differ_from_each_other(theme):
    """The current line's bar and underline and the flash's outline are drawn over fills, not as fills:
    layered on any highlight they keep WCAG's 3:1 for graphics, and the three marks are three colours."""
    from reader.base.colours import marks

    dark, base, _text, _view = theme
    m = marks(dark)
    for mark in ("current", "flash"):
        for name, fill in {"page": base, **{c.name: c.fill(dark) for c in COLOURS.values()}}.items():
            assert contrast(getattr(m, mark), fill) >= 3, (mark, name)
    for a, b in (("current", "flash"), ("current", "selection"), ("flash", "selection")):
        assert delta_e(getattr(m, a), getattr(m, b)) >= 15, (a, b)


def test_the_view_draws_each_kind_of_mark_its_own_way(theme):
    """Over a highlight, the current line adds an underline and no fill, so the highlight's colour is seen as it is."""
    from PySide6.QtGui import QPalette

    from reader.base.colours import marks

    from conftest import talk_transcript

    dark, _base, _text, view = theme
    m = marks(dark)
    view.set_transcript(talk_transcript(3))
    start, end = view.cue_range(1)
    view.set_marks([{"start_cue": 1, "start_offset": 0, "end_cue": 1, "end_offset": end - start, "start_ms": 1000, "end_ms": 1900,
                     "color": "pink"}])
    view.set_position(1200)
    fills = [s for s in view.extraSelections() if s.format.hasProperty(s.format.Property.BackgroundBrush)]
    lines = [s for s in view.extraSelections() if s.format.fontUnderline()]
    assert [(s.cursor.selectionStart(), s.format.background().color().getRgb()) for s in fills] == [(start, (*COLOURS["pink"].fill(dark), 255))]
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.underlineColor().getRgb()[:3]) for s in lines] == [(start, end, m.current)]
    view.flash_range(1000, 1900)
    assert len(view.extraSelections()) == 2 and view.flashed() == ((1, 1), 1.0)  # an outline drawn over the text, not a fill
    assert view.palette().color(QPalette.ColorRole.Highlight).getRgb()[:3] == m.selection
    assert view.palette().color(QPalette.ColorRole.HighlightedText).getRgb()[:3] == m.selection_text


def test_every_highlight_colour_has_fills_for_both_themes():
    for c in COLOURS.values():
        assert c.fill(False) != c.fill(True) and all(0 <= v <= 255 for v in (*c.fill(False), *c.fill(True)))
