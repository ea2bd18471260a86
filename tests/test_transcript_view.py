"""The transcript view alone: whole-word selections and their toolbar, a time on each line, the marks drawn, text size and width."""

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from reader.base.colours import marks
from reader.ui.widgets.transcript_document import whole_words
from reader.ui.widgets.transcript_paint import BAR_X, FLASH_HOLD_MS, FLASH_MS
from reader.ui.widgets.transcript_view import LINE_WIDTHS, NORMAL_TEXT, TEXT_SIZES, TranscriptView

from conftest import select, talk_transcript


@pytest.fixture
def view(qtbot):
    v = TranscriptView()
    qtbot.addWidget(v)
    v.resize(700, 420)
    v.show()
    qtbot.waitExposed(v)
    v.set_transcript(talk_transcript(12))  # "line N of a long talk about nothing much", a line a second
    return v


def point_in(view, index, offset):
    """The viewport point over a character of line `index`."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.cue_range(index)[0] + offset)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 2, rect.center().y())


@pytest.mark.parametrize("text, start, end, expected", [
    ("memories fade unless", 2, 11, "memories fade"),  # both ends inside words
    ("memories fade unless", 0, 8, "memories"),  # already whole
    ("memories fade unless", 8, 14, "fade"),  # the spaces it began and ended on are left out
    ("it's well-known, isn't it", 1, 9, "it's well-known"),  # ' and - inside a word belong to it
    ("end. Next", 1, 6, "end. Next"),
    ("a 12:34 b", 3, 4, "12"),
    ("café naïve", 2, 7, "café naïve"),
    ("   ", 0, 3, ""),
])
def test_selections_grow_to_whole_words(text, start, end, expected):
    a, b = whole_words(text, start, end)
    assert text[a:b] == expected


def test_a_drag_ends_on_whole_words_and_the_toolbar_comes_beside_them(view, qtbot):
    # "line 3 of a long talk": from inside "long" to inside "talk"
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 3, 13))
    qtbot.mouseMove(view.viewport(), pos=point_in(view, 3, 19))
    assert not view.toolbar.isVisible()  # not while dragging
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 3, 19))
    assert view.textCursor().selectedText() == "long talk"
    assert view.selection_span()["text"] == "long talk"
    bar = view.toolbar
    assert bar.isVisible() and view.viewport().geometry().contains(bar.geometry())
    cursor = view.textCursor()
    offset = view.viewport().geometry().topLeft()
    for box in view.span_rects(cursor.selectionStart(), cursor.selectionEnd()):
        assert not bar.geometry().intersects(box.toAlignedRect().translated(offset))  # never over the words
    view.clear_selection()
    assert not bar.isVisible()


def test_the_toolbar_asks_as_the_keys_do_and_names_them(view, qtbot):
    select(view, 2, 2, 0, 6)
    bar = view.toolbar
    assert bar.isVisible()
    asked = []
    view.highlight_requested.connect(lambda colour: asked.append(("highlight", colour)))
    for name in ("note", "explain", "ask"):
        getattr(view, f"{name}_requested").connect(lambda n=name: asked.append((n, None)))
    for name in ("pink", "yellow", "note", "explain", "ask"):
        qtbot.mouseClick(bar.buttons[name], Qt.MouseButton.LeftButton)
    assert asked == [("highlight", "pink"), ("highlight", "yellow"), ("note", None), ("explain", None), ("ask", None)]
    tips = {name: b.toolTip() for name, b in bar.buttons.items()}
    assert tips["yellow"].endswith("(H)") and tips["note"].endswith("(N)") and tips["explain"].endswith("(E)") and tips["ask"].endswith("(A)")
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in bar.buttons.values())  # the selection keeps the keys
    assert view.textCursor().hasSelection()


def test_the_toolbar_goes_below_a_selection_at_the_top_and_away_when_it_cannot_fit(view, qtbot):
    view.verticalScrollBar().setValue(0)
    select(view, 0, 0, 0, 4)  # the first line: no room above it
    bar, words = view.toolbar, view.span_rects(*view.cue_range(0))
    assert bar.isVisible() and bar.geometry().top() > words[-1].bottom()
    assert view.viewport().geometry().contains(bar.geometry())
    view.resize(700, 90)  # a selection of every line seen: nowhere to go that is not over the words
    select(view, 0, 11)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    assert not bar.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # Esc clears a selection
    assert not view.textCursor().hasSelection()


def test_each_line_shows_its_time_on_hover(view, qtbot):
    view.set_offset(1000)
    point = point_in(view, 5, 3)
    view.viewportEvent(QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2_000)
    assert QToolTip.text() == "0:06"  # line 5 starts at 5 s, shown a second later
    below = QPoint(point.x(), view.viewport().height() - 2)  # past the last line: no line, no time
    view.viewportEvent(QHelpEvent(QEvent.Type.ToolTip, below, view.viewport().mapToGlobal(below)))
    assert view.cue_at_point(below) == -1


def _pixels(view, rgb, x_range=None):
    image = view.viewport().grab().toImage()
    xs = x_range or range(image.width())
    return sum(1 for x in xs for y in range(image.height())
               if all(abs(a - b) < 40 for a, b in zip(image.pixelColor(x, y).getRgb()[:3], rgb)))


def test_the_current_line_is_a_bar_beside_it(view):
    colour = marks(view.dark_theme()).current
    assert _pixels(view, colour, range(BAR_X, BAR_X + 3)) == 0
    view.set_position(2_500)  # line 2
    rects = view.span_rects(*view.cue_range(2))
    top, bottom = rects[0].top(), rects[-1].bottom()
    image = view.viewport().grab().toImage()
    ratio = image.width() / view.viewport().width()
    inked = [y for y in range(image.height()) if all(abs(a - b) < 40 for a, b in zip(image.pixelColor(int((BAR_X + 1) * ratio), y).getRgb()[:3], colour))]
    assert inked and top * ratio - 2 <= min(inked) and max(inked) <= bottom * ratio + 2


def test_the_flash_fades_out_in_two_seconds(view):
    """Stepped through its animation rather than waited for."""
    flash = marks(view.dark_theme()).flash
    view.flash_range(3_000, 4_900)  # lines 3 and 4
    anim = view._flash_anim
    anim.pause()
    strengths = []
    for ms in (0, FLASH_HOLD_MS, (FLASH_HOLD_MS + FLASH_MS) // 2, FLASH_MS - 100):
        anim.setCurrentTime(ms)
        lines, strength = view.flashed()
        assert lines == (3, 4)
        strengths.append(strength)
    assert strengths[0] == strengths[1] == 1.0 and 1.0 > strengths[2] > strengths[3] > 0
    assert 1_500 <= FLASH_MS <= 2_500  # "about two seconds"
    anim.setCurrentTime(0)
    drawn = _pixels(view, flash)
    assert drawn > 20  # an outline round the two lines
    anim.resume()
    anim.setCurrentTime(FLASH_MS)
    assert view.flashed() is None and _pixels(view, flash) == 0


def test_text_size_steps_through_the_sizes_and_ctrl_wheel_does_too(view):
    normal = view.font().pointSizeF()
    seen = []
    for step in (1, 1, -1, 0):
        view.step_text_size(step)
        seen.append(view.text_size())
    assert seen == [110, 120, 110, NORMAL_TEXT] and view.font().pointSizeF() == pytest.approx(normal)
    view.step_text_size(1)
    assert view.font().pointSizeF() == pytest.approx(normal * 1.1)
    view.step_text_size(0)

    def wheel(delta):
        event = QWheelEvent(QPointF(50, 50), QPointF(view.mapToGlobal(QPoint(50, 50))), QPoint(0, 0), QPoint(0, delta),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), event)

    wheel(120)
    assert view.text_size() == 110 and view.following  # zooming is not scrolling away
    wheel(-60)
    wheel(-60)  # a fine-grained wheel: two halves make a step
    assert view.text_size() == NORMAL_TEXT
    for _ in range(30):
        view.step_text_size(1)
    assert view.text_size() == TEXT_SIZES[-1]
    view.set_text_size(5)
    assert view.text_size() == TEXT_SIZES[0]


def test_the_line_width_is_a_column_that_grows_with_the_text(view):
    view.resize(1400, 500)
    width = lambda: view.viewport().width()  # noqa: E731
    assert view.line_width() == "medium" and width() == LINE_WIDTHS["medium"]
    view.set_line_width("narrow")
    assert width() == LINE_WIDTHS["narrow"]
    view.set_text_size(120)
    assert width() == round(LINE_WIDTHS["narrow"] * 1.2)  # the same words a line at any size
    view.set_line_width("full")
    bar = view.verticalScrollBar()
    assert width() == view.contentsRect().width() - (bar.width() if bar.isVisible() else 0)
    view.set_line_width("nonsense")
    assert view.line_width() == "full"


def test_a_new_size_keeps_the_words_that_were_at_the_top(view):
    view.set_transcript(talk_transcript(200))
    view.pause_follow()
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.span_rects(*view.cue_range(120))[0].top())
    first_seen = view.cursorForPosition(QPoint(0, 0)).position()
    for step in (1, 1, -1, 0):
        view.step_text_size(step)
        cursor = QTextCursor(view.document())
        cursor.setPosition(first_seen)
        rect = view.cursorRect(cursor)
        assert 0 <= rect.top() < 3 * rect.height(), step  # still at the top (a line or two as the text wraps anew)


@pytest.mark.parametrize("texts, astral", [
    (["plain ascii", "more"], False),
    (["café, naïve", "日本語の字幕"], False),  # beyond ASCII, inside the BMP
    (["a clef 𝄞 here", "plain"], True),
    (["plain", "an emoji 🙂"], True),
    ([""], False),
])
def test_positions_count_utf16_units_only_when_a_line_lies_beyond_the_bmp(texts, astral):
    from reader.transcript.model import Cue
    from reader.transcript.paragraphs import group
    from reader.ui.widgets.transcript_document import lay_out

    cues = [Cue(i * 1000, i * 1000 + 900, t) for i, t in enumerate(texts)]
    assert lay_out(group(cues), cues, 0).astral is astral
