"""Layouts (all panes, theatre, reading only, full screen), what is remembered of them per video and globally,
and the window's place: tables for the pure parts, a controller without a window, and the window by its keys."""

import pytest
from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QGuiApplication

from reader.base.layouts import Layout, layout_from_text, layout_text, sizes_from_text
from reader.library.db.store import Store
from reader.ui.controllers.layout import DEFAULT_SIZES, LayoutController, fit_to_screens
from reader.ui.settings import settings

from conftest import add_video, new_window


# -- what a saved layout may hold ---------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    (layout_text(Layout("reading", (0, 500, 300))), Layout("reading", (0, 500, 300))),
    ('{"mode": "theatre", "sizes": []}', Layout("theatre", ())),
    ('{"mode": "normal"}', Layout("normal", ())),
    ("", None), (None, None),
    ('{"mode": "sideways", "sizes": [1, 2, 3]}', None),  # a mode Reader does not have
    ('{"mode": "normal", "sizes": [1, 2]}', None),  # the wrong number of panes
    ('{"mode": "normal", "sizes": [-5, 2, 3]}', None),
    ('{"mode": "normal", "sizes": [0, 0, 0]}', None),
    ('{"mode": "normal", "sizes": [1e12, 2, 3]}', None),
    ('{"mode": "normal", "sizes": ["a", 2, 3]}', None),
    ('{"mode": "normal", "sizes": "600,400,300"}', None),
    ("[1, 2, 3]", None), ("not json {", None), ('"normal"', None), ("[" * 5000, None),
])
def test_a_saved_layout_is_used_whole_or_not_at_all(text, expected):
    assert layout_from_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("600,470,330", (600, 470, 330)), ("", ()), ("600,470", ()), ("a,b,c", ()), ("1,2,-3", ()), ("0,0,0", ()),
])
def test_the_last_split_is_read_back_or_dropped(text, expected):
    assert sizes_from_text(text) == expected


# -- the window's place -----------------------------------------------------------------------------
SCREEN = QRect(0, 0, 1600, 1000)
RIGHT = QRect(1600, 0, 1280, 800)


@pytest.mark.parametrize("saved, screens, expected", [
    (QRect(100, 100, 800, 500), [SCREEN], QRect(100, 100, 800, 500)),  # fits: left as it is
    (QRect(5000, 4000, 800, 500), [SCREEN], QRect(800, 500, 800, 500)),  # off-screen: brought back
    (QRect(-300, -50, 800, 500), [SCREEN], QRect(0, 0, 800, 500)),
    (QRect(0, 0, 4000, 3000), [SCREEN], QRect(0, 0, 1600, 1000)),  # bigger than the screen: shrunk to it
    (QRect(1500, 100, 800, 500), [SCREEN], QRect(800, 100, 800, 500)),  # half off the right edge
    (QRect(1700, 100, 800, 500), [SCREEN, RIGHT], QRect(1700, 100, 800, 500)),  # on the second screen
    (QRect(1700, 100, 1600, 900), [SCREEN, RIGHT], QRect(1600, 0, 1280, 800)),  # too big for the second
    (QRect(9000, 100, 800, 500), [SCREEN, RIGHT], QRect(800, 100, 800, 500)),  # the screen it was on is gone
])
def test_the_window_never_comes_back_off_the_screen_or_bigger_than_it(saved, screens, expected):
    assert fit_to_screens(saved, screens) == expected


# -- the controller, without a window -----------------------------------------------------------------
class Opened:
    def __init__(self, video_id):
        self.video_id = video_id


@pytest.fixture
def layouts(qapp):
    store = Store()
    controller = LayoutController(lambda: store)
    shown = []
    controller.layout_changed.connect(lambda mode, full: shown.append((mode, full)))
    controller.restore()
    yield controller, store, shown
    store.close()


def test_t_goes_to_theatre_and_back_and_full_screen_returns_to_the_layout(layouts):
    controller, _store, shown = layouts
    assert shown[-1] == ("normal", False)
    controller.toggle_mode("theatre")
    assert shown[-1] == ("theatre", False)
    controller.toggle_mode("theatre")
    assert shown[-1] == ("normal", False)
    controller.toggle_mode("reading")
    controller.toggle_full_screen()
    assert shown[-1] == ("reading", True)
    controller.leave_full_screen()
    assert shown[-1] == ("reading", False)
    controller.leave_full_screen()  # Esc again changes nothing
    assert shown[-1] == ("reading", False) and len(shown) == 6


def test_a_layout_chosen_for_a_video_stays_with_it_and_others_open_in_the_last_chosen(layouts, qtbot):
    controller, store, shown = layouts
    podcast, talk, other = add_video("Podcast", site_id="p"), add_video("Talk", site_id="t"), add_video("Other", site_id="o")
    controller.on_reading_session_changed(Opened(podcast))
    controller.set_mode("reading")
    controller.remember_widths([0, 700, 300], [False, True, True])  # the video's share is kept while it is hidden
    controller.on_reading_session_changed(Opened(talk))  # saves the drag before switching
    assert store.video_layout(podcast) == Layout("reading", (DEFAULT_SIZES[0], 700, 300))
    assert store.video_layout(talk) is None and shown[-1] == ("reading", False)  # no layout of its own: the last one
    controller.set_mode("normal")
    assert store.video_layout(talk) == Layout("normal", (DEFAULT_SIZES[0], 700, 300))
    controller.on_reading_session_changed(Opened(podcast))
    assert shown[-1] == ("reading", False)
    controller.on_reading_session_changed(Opened(other))
    assert shown[-1] == ("normal", False) and store.video_layout(other) is None
    # the demo (no library entry) takes the last layout and keeps none
    controller.on_reading_session_changed(Opened(None))
    controller.toggle_mode("theatre")
    assert settings().get("layout/mode") == "theatre"
    assert store.video_layout(podcast).mode == "reading"


def test_a_damaged_saved_layout_opens_as_the_last_one_and_a_removed_video_leaves_nothing(layouts):
    controller, store, shown = layouts
    vid = add_video()
    controller.on_reading_session_changed(Opened(vid))
    controller.set_mode("theatre")
    with store.writing():
        store.db.execute("update videos set layout = ? where id = ?", ['{"mode": "theatre", "sizes": [1, 2', vid])
    controller.on_reading_session_changed(Opened(None))
    controller.set_mode("reading")
    controller.on_reading_session_changed(Opened(vid))
    assert shown[-1] == ("reading", False)  # the damaged one is not used; the last chosen is
    store.remove_video(vid)
    assert store.video_layout(vid) is None
    controller.on_reading_session_changed(Opened(vid))  # a stale id: nothing to read, nothing breaks
    assert shown[-1] == ("reading", False)


def test_a_drag_of_the_split_is_saved_once_it_stops(layouts, qtbot):
    controller, store, _shown = layouts
    vid = add_video()
    controller.on_reading_session_changed(Opened(vid))
    for width in range(400, 500, 10):
        controller.remember_widths([width, 900 - width, 300], [True, True, True])
    assert store.video_layout(vid) is None  # not at every pixel
    qtbot.waitUntil(lambda: store.video_layout(vid) is not None, timeout=3_000)
    assert store.video_layout(vid).sizes == (490, 410, 300)
    assert settings().get("layout/sizes") == "490,410,300"


# -- the window ------------------------------------------------------------------------------------
def open_clip(window, qtbot, clip_dir):
    window.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=10_000)


def shown(window):
    return [not window.splitter.widget(i).isHidden() for i in range(3)]


def test_the_layout_keys_show_the_panes_each_layout_names(window, qtbot, clip_dir):
    open_clip(window, qtbot, clip_dir)
    window.player.play()
    qtbot.waitUntil(window.player.is_playing, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_T)
    assert shown(window) == [True, False, False] and window.menuBar().isVisible()
    assert window.actions_by_name["layout_theatre"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_T)
    assert shown(window) == [True, True, True] and window.actions_by_name["layout_normal"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert shown(window) == [False, True, True]
    controls = window.video_pane.controls
    assert controls.isVisible() and controls.parent() is window.centralWidget()  # the controls along the bottom
    at = window.player.position()
    qtbot.wait(800)
    assert window.player.is_playing() and window.player.position() > at  # the sound goes on without the picture
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert shown(window) == [True, False, False] and controls.parent() is window.video_pane
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert shown(window) == [True, True, True]
    window.player.pause()


def test_full_screen_shows_only_the_video_and_esc_brings_the_layout_back(window, qtbot, clip_dir):
    open_clip(window, qtbot, clip_dir)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(window.isFullScreen, timeout=3_000)
    assert shown(window) == [True, False, False]
    assert not window.menuBar().isVisible() and window.video_pane.controls.isVisible()
    assert window.video_pane.controls.parent() is window.video_pane
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3_000)
    assert shown(window) == [False, True, True] and window.menuBar().isVisible()
    # the full-screen button does the same; the library page leaves full screen
    window.video_pane.controls.full_button.click()
    qtbot.waitUntil(window.isFullScreen, timeout=3_000)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # the keys work with the menu bar hidden
    qtbot.waitUntil(window.player.is_playing, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3_000)
    assert window.menuBar().isVisible() and not window.actions_by_name["leave_fullscreen"].isEnabled()
    assert window.actions_by_name["back_to_video"].isEnabled()  # so Esc goes back to the video from there


def test_layouts_come_back_per_video_in_a_new_window(qtbot, clip_dir, tmp_path):
    import shutil

    first = new_window(qtbot)
    open_clip(first, qtbot, clip_dir)
    clip = first.reading.video_id
    qtbot.keyClick(first, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # reading only, for this one
    other = tmp_path / "other.mp4"
    shutil.copy(clip_dir / "talk.mp4", other)
    first.reading.open_paths(other)
    assert shown(first) == [False, True, True]  # no layout of its own: the last one
    qtbot.keyClick(first, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    first.close()
    second = new_window(qtbot)
    second.start()
    assert second.reading.session.media.name == "other.mp4"  # the last video, in its own layout
    assert shown(second) == [True, True, True]
    second.reading.open_video(clip)
    assert shown(second) == [False, True, True]
    second.close()


def test_the_window_comes_back_where_it_was_and_never_off_the_screen(qtbot):
    """The offscreen screen (800 px wide) is narrower than the window's narrowest, so across it the window can
    only start at the screen's left edge; down it, the place and size must come back, fitted to the screen
    (the fitting itself is the table above)."""
    from reader.ui.main_window import MainWindow

    def opened():
        w = MainWindow()
        qtbot.addWidget(w)
        return w

    def on_screen(w):
        g = w.geometry()
        return g.top() >= available.top() and g.bottom() <= available.bottom() and g.left() >= available.left()

    available = QGuiApplication.primaryScreen().availableGeometry()
    first = new_window(qtbot, 500, 400)
    first.move(available.x(), available.y() + 30)
    place = first.geometry()
    first.close()
    second = opened()
    assert (second.y(), second.height(), second.x()) == (place.y(), place.height(), place.x())
    second.setGeometry(available.x() + 5000, available.y() + 4000, available.width() * 3, available.height() * 3)
    second.close()
    third = opened()
    assert on_screen(third) and third.height() > available.height() * 0.9, (third.geometry(), available)
    third.close()
    settings().set("window/geometry", QByteArray(b"\x01\xd9\xd0\xcb garbage"))  # damaged: the default size, on the screen
    settings().sync()
    fourth = opened()
    assert on_screen(fourth) and fourth.height() <= 760
    fourth.close()
