"""Layouts and what is remembered: the panes' layout (all, theatre, reading only, full screen) per video and as
last used, the window's place on the screen, and the player's volume, mute and speed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QTimer, Signal

from reader.base.layouts import MODES, Layout, checked_sizes, sizes_from_text, sizes_text
from reader.ui.settings import settings

DEFAULT_SIZES = (600, 470, 330)  # video, transcript, notes, in the default 1280 x 760 window
DEFAULT_WINDOW = (1280, 760)
SAVE_AFTER_MS = 400  # a drag of the split is saved once it has stopped, not at every pixel


def fit_to_screens(rect: QRect, screens: list[QRect]) -> QRect:
    """The window's rectangle moved and shrunk to lie wholly on the screen that holds most of it (the
    first screen when none does): never off-screen, never bigger than the screen."""
    if not screens:
        return QRect(rect)
    best = max(screens, key=lambda s: _area(s.intersected(rect)))
    if _area(best.intersected(rect)) == 0:
        best = screens[0]
    width, height = min(rect.width(), best.width()), min(rect.height(), best.height())
    x = min(max(rect.x(), best.left()), best.left() + best.width() - width)
    y = min(max(rect.y(), best.top()), best.top() + best.height() - height)
    return QRect(x, y, width, height)


def _area(rect: QRect) -> int:
    return max(0, rect.width()) * max(0, rect.height()) if rect.isValid() else 0


class LayoutController(QObject):
    """Which panes show and how wide they are. A layout chosen while a library video is open stays with that
    video (in the library) and becomes the last used one (in the settings), which a video without its own
    opens in. Full screen shows only the video and is never kept. Announces; never touches a widget."""

    layout_changed = Signal(str, bool)  # mode (one of MODES), full screen
    widths_changed = Signal(list)  # the panes' widths when all show: video, transcript, notes

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self._store = store  # a function returning the open library, or None
        self.mode = "normal"
        self.full_screen = False
        self.sizes: tuple[int, ...] = DEFAULT_SIZES
        self.video_id: int | None = None
        self._own = False  # the open video has a layout of its own
        self._pending = False  # a layout chosen and not yet written
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_AFTER_MS)
        self._save_timer.timeout.connect(self.save)

    # -- what is shown --------------------------------------------------------------------------
    def restore(self) -> None:
        """The last used layout, as Reader opens."""
        s = settings()
        self.mode = s.get("layout/mode")
        self.sizes = sizes_from_text(s.get("layout/sizes")) or DEFAULT_SIZES
        self._announce()

    def set_mode(self, mode: str) -> None:
        """Show the panes of `mode` (leaving full screen); kept with the open video and as the last used."""
        if mode not in MODES:
            return
        self.mode, self.full_screen = mode, False
        self._announce()
        self._remember()

    def toggle_mode(self, mode: str) -> None:
        """Theatre or reading only, or back to all panes when it is the layout already (T goes both ways)."""
        self.set_mode("normal" if mode == self.mode and not self.full_screen else mode)

    def toggle_full_screen(self) -> None:
        self.set_full_screen(not self.full_screen)

    def leave_full_screen(self) -> None:
        self.set_full_screen(False)

    def set_full_screen(self, on: bool) -> None:
        if on != self.full_screen:
            self.full_screen = on
            self.layout_changed.emit(self.mode, on)

    def remember_widths(self, widths: list[int], shown: list[bool]) -> None:
        """The reader dragged the split: the shown panes take their new widths, hidden ones keep theirs."""
        if self.full_screen or len(widths) != len(self.sizes) or len(shown) != len(widths):
            return
        merged = checked_sizes([w if visible else old for w, visible, old in zip(widths, shown, self.sizes)])
        if merged and merged != self.sizes:
            self.sizes = merged
            self._own = self._own or self.video_id is not None
            self._pending = True
            self._save_timer.start()

    # -- per video --------------------------------------------------------------------------------
    def on_reading_session_changed(self, session, same_media: bool = False) -> None:
        """A video opened: its own layout if it has one, else the last used; full screen stays as it was."""
        self.save()
        video_id = getattr(session, "video_id", None)
        if video_id == self.video_id and same_media:
            return
        self.video_id = video_id
        store = self._store()
        own = store.video_layout(video_id) if store is not None and video_id is not None else None
        self._own = own is not None
        if own is None:
            s = settings()
            own = Layout(s.get("layout/mode"), sizes_from_text(s.get("layout/sizes")))
        self.mode = own.mode
        self.sizes = own.sizes or self.sizes
        self._announce(keep_full_screen=True)

    def save(self) -> None:
        """Write what the reader changed (a drag waiting to be saved, say): as the last used, and with the open
        library video. A layout only shown (a video's own) is not written: the last used is the last chosen."""
        if not self._pending:
            return
        self._save_timer.stop()
        self._pending = False
        s = settings()
        s.set("layout/mode", self.mode)
        s.set("layout/sizes", sizes_text(self.sizes))
        store = self._store()
        if self._own and self.video_id is not None and store is not None:
            try:
                store.set_video_layout(self.video_id, Layout(self.mode, self.sizes))
            except Exception:  # a busy or damaged library must not stop the window: the settings keep it
                pass

    def _remember(self) -> None:
        self._own = self._own or self.video_id is not None
        self._pending = True
        self.save()

    def _announce(self, keep_full_screen: bool = False) -> None:
        if not keep_full_screen:
            self.full_screen = False
        self.layout_changed.emit(self.mode, self.full_screen)
        self.widths_changed.emit(list(self.sizes))

    # -- the window and the player, between runs ------------------------------------------------------
    def geometry(self):
        """The window's place as Qt saved it (bytes), or None."""
        return settings().get("window/geometry")

    def restore_player(self, player) -> None:
        s = settings()
        player.set_volume(s.get("player/volume"))
        player.set_muted(s.get("player/muted"))
        player.set_rate(s.get("player/rate"))

    def save_window(self, geometry, player) -> str:
        """Keep the window's place, the layout and the player's settings; "" when written, else why not."""
        self.save()
        s = settings()
        s.set("window/geometry", geometry)
        s.set("player/volume", player.volume())
        s.set("player/muted", player.is_muted())
        s.set("player/rate", player.rate())
        return s.sync()
