"""Player controls: a passive pair of rows that asks for play, seek, speed, volume, captions and full screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSlider, QStyle, QStyleOptionSlider, QToolButton, QToolTip, QVBoxLayout, QWidget,
)

from reader.transcript.writers import short_clock
from reader.ui.player import RATES


class SeekSlider(QSlider):
    """A seek bar that jumps where it is clicked, shows chapter marks, and on hover the time and chapter there."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.chapters: list[tuple[int, str]] = []  # (start ms, title), in time order
        self.available = -1.0  # how much of the video is downloaded (0..1) while it downloads; -1: all of it
        self.setRange(0, 0)
        self.setObjectName("seekBar")
        self.setMouseTracking(True)

    def _track(self) -> tuple[int, int]:
        """Where the handle's centre can go: the x of value 0 and the span to the maximum, in pixels."""
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderHandle, self)
        return groove.x() + handle.width() // 2, max(1, groove.width() - handle.width())

    def value_at(self, x: float) -> int:
        """The time (ms) under the pixel column x."""
        left, span = self._track()
        return QStyle.sliderValueFromPosition(self.minimum(), self.maximum(), round(x - left), span)

    def x_of(self, ms: int) -> int:
        left, span = self._track()
        return left + QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), ms, span)

    def hover_text(self, x: float) -> str:
        """What hovering at x tells: "12:34 · Chapter title" (the time alone without chapters)."""
        ms = self.value_at(x)
        title = next((t for start, t in reversed(self.chapters) if start <= ms), "")
        text = f"{short_clock(ms)} · {title}" if title else short_clock(ms)
        return text + " · not downloaded yet" if 0 <= self.available < 1 and ms > self.available * self.maximum() else text

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > 0:
            value = self.value_at(event.position().x())
            self.setValue(value)
            self.sliderMoved.emit(value)
        super().mousePressEvent(event)

    def _show_hover(self, x: float) -> None:
        """The tip above the bar, as on YouTube, not over the buttons below it (Qt puts a tip ~16 px under its point)."""
        above = QPoint(round(x), -2 * self.fontMetrics().height() - 18)
        QToolTip.showText(self.mapToGlobal(above), self.hover_text(x), self)

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        if self.maximum() > 0:  # the time follows the pointer at once
            self._show_hover(event.position().x())

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            if self.maximum() > 0:
                self._show_hover(event.pos().x())
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def leaveEvent(self, event) -> None:
        QToolTip.hideText()
        super().leaveEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.maximum() > 0 and 0 <= self.available < 1:  # what is downloaded: a band under the track, as YouTube's buffer
            painter = QPainter(self)
            colour = QColor(self.palette().highlight().color())
            colour.setAlpha(120)
            left = self.x_of(0)
            painter.fillRect(left, self.height() // 2 + 4, max(0, self.x_of(round(self.available * self.maximum())) - left), 2, colour)
            painter.end()
        if not self.chapters or self.maximum() <= 0:
            return
        painter = QPainter(self)
        pen = QPen(tick_colour(self.palette().window().color()))
        pen.setWidth(2)
        painter.setPen(pen)
        y = self.height() // 2
        for ms, _title in self.chapters:
            if not 0 < ms < self.maximum():
                continue
            x = self.x_of(ms)
            painter.drawLine(x, y - 5, x, y + 5)


def tick_colour(background: QColor) -> QColor:
    """A chapter mark that stands out from the background in either theme. (A "#00000080" string is read
    by Qt as #AARRGGBB, fully transparent: the marks were invisible in the light theme.)"""
    return QColor(0, 0, 0, 170) if background.lightness() > 128 else QColor(255, 255, 255, 190)


def track_colour(text: QColor, background: QColor) -> QColor:
    """The empty part of a slider's track: the text colour, faded nearly halfway into the background,
    so it reads (WCAG 3:1 for graphics) in either theme. Fusion's own groove is all but invisible on dark."""
    return QColor(*(round(0.5 * t + 0.5 * b) for t, b in ((text.red(), background.red()), (text.green(), background.green()),
                                                            (text.blue(), background.blue()))))


def slider_style(palette) -> str:
    """Seek bar and volume as YouTube draws them: a thin track, the played part and a round handle in the
    highlight colour; both drawn from the palette, so light and dark are alike legible."""
    track = track_colour(palette.buttonText().color(), palette.window().color()).name()
    return f"""
    QSlider::groove:horizontal {{ height: 4px; background: {track}; border-radius: 2px; }}
    QSlider::sub-page:horizontal {{ background: palette(highlight); border-radius: 2px; }}
    QSlider::handle:horizontal {{ width: 12px; margin: -4px 0; border-radius: 6px; background: palette(highlight); }}
    QSlider::sub-page:horizontal:disabled, QSlider::handle:horizontal:disabled {{ background: {track}; }}
    """


def tinted_icon(widget: QWidget, kind: QStyle.StandardPixmap, size: int = 22) -> QIcon:
    """A standard icon drawn in the widget's text colour, so it reads in the dark theme as in the light
    (the style's own media icons are black whatever the palette)."""
    source = widget.style().standardIcon(kind).pixmap(QSize(size, size), widget.devicePixelRatioF())
    tinted = QPixmap(source.size())
    tinted.setDevicePixelRatio(source.devicePixelRatio())
    tinted.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tinted)
    painter.drawPixmap(0, 0, source)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(tinted.rect(), widget.palette().buttonText().color())
    painter.end()
    icon = QIcon(tinted)
    faded = QColor(widget.palette().buttonText().color())
    faded.setAlpha(90)
    disabled = QPixmap(tinted)
    painter = QPainter(disabled)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(disabled.rect(), faded)
    painter.end()
    icon.addPixmap(disabled, QIcon.Mode.Disabled)
    return icon


def captions_icon(widget: QWidget, size: int = 16) -> QIcon:
    """A "CC" badge in the widget's text colour (faded when disabled): outlined when captions are off, filled when on."""
    text = widget.palette().buttonText().color()
    faded = QColor(text)
    faded.setAlpha(90)
    icon = QIcon()
    for mode, colour in ((QIcon.Mode.Normal, text), (QIcon.Mode.Disabled, faded)):
        for state, filled in ((QIcon.State.Off, False), (QIcon.State.On, True)):
            pixmap = QPixmap(QSize(size, size) * widget.devicePixelRatioF())
            pixmap.setDevicePixelRatio(widget.devicePixelRatioF())
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            box = QRectF(1, 3, size - 2, size - 6)
            painter.setPen(QPen(colour, 1.5))
            painter.setBrush(colour if filled else Qt.GlobalColor.transparent)
            painter.drawRoundedRect(box, 2.5, 2.5)
            font = QFont(widget.font())
            font.setPixelSize(max(6, size // 2 - 1))
            font.setBold(True)
            painter.setFont(font)
            if filled:  # the letters cut out of the badge
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "CC")
            painter.end()
            icon.addPixmap(pixmap, mode, state)
    return icon


def clock_width(metrics, duration_ms: int, short: bool = False) -> int:
    """Pixels the time label needs for any position in a video this long ("1:02:03 / 1:02:03" at its widest,
    "1:02:03" short)."""
    template = short_clock(duration_ms) if short else f"{short_clock(duration_ms)} / {short_clock(duration_ms)}"
    return max(metrics.horizontalAdvance("".join(d if ch.isdigit() else ch for ch in template)) for d in "0123456789")


class PlayerControls(QWidget):
    """Two rows, as YouTube's: the seek bar across the pane's whole width, and below it play, volume, the
    time, captions, speed and full screen. So the seek bar is never squeezed by the buttons."""

    play_requested = Signal()
    seek_requested = Signal(int)
    rate_requested = Signal(float)
    volume_requested = Signal(int)
    mute_requested = Signal(bool)
    captions_requested = Signal(bool)
    fullscreen_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("playerControls")
        self.play_button = QToolButton(self)
        self.play_button.setIconSize(QSize(22, 22))
        self.play_button.setToolTip("Play (Space)")
        self.play_button.setObjectName("playButton")
        self.play_button.clicked.connect(self.play_requested)
        self.slider = SeekSlider(self)
        self.slider.sliderMoved.connect(self.seek_requested)
        self.time_label = QLabel("0:00 / 0:00", self)
        self.time_label.setObjectName("timeLabel")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.rate_box = QComboBox(self)
        self.rate_box.setObjectName("rateBox")
        for r in RATES:
            self.rate_box.addItem(f"{r:g}×", r)
        self.rate_box.setCurrentIndex(RATES.index(1.0))
        self.rate_box.setToolTip("Playback speed (Shift+< and Shift+>)")
        self.rate_box.activated.connect(lambda i: self.rate_requested.emit(self.rate_box.itemData(i)))
        self.mute_button = QToolButton(self)
        self.mute_button.setObjectName("muteButton")
        self.mute_button.setCheckable(True)
        self.mute_button.setToolTip("Mute (M)")
        self.mute_button.toggled.connect(self.mute_requested)
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setObjectName("volumeSlider")
        self.volume.setRange(0, 100)
        self.volume.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # its natural width, less when tight
        self.volume.setMinimumWidth(50)
        self.volume.setMaximumWidth(100)
        self.volume.setToolTip("Volume")
        self.volume.valueChanged.connect(self.volume_requested)
        self.captions_button = QToolButton(self)
        self.captions_button.setObjectName("captionsButton")
        self.captions_button.setCheckable(True)
        self.captions_button.setToolTip("Captions on the video (C)")
        self.captions_button.toggled.connect(self.captions_requested)
        self.full_button = QToolButton(self)
        self.full_button.setObjectName("fullScreenButton")
        self.full_button.setToolTip("Full screen (F)")
        self.full_button.clicked.connect(self.fullscreen_requested)
        # as YouTube's: the seek bar across the whole width, and under it the buttons, with the time after the volume
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for widget in (self.play_button, self.mute_button, self.volume, self.time_label, None, self.captions_button,
                       self.rate_box, self.full_button):
            buttons.addWidget(widget) if widget is not None else buttons.addStretch(1)
        buttons.insertSpacing(buttons.indexOf(self.time_label), 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.slider)
        layout.addLayout(buttons)
        self._buttons = buttons
        self._duration = 0
        self._short_time = False  # the time without the length, where the row is too narrow for both
        self._playing = self._muted = False
        self._paint_icons()
        self.set_duration(0)

    def _paint_icons(self) -> None:
        self.play_button.setIcon(tinted_icon(self, QStyle.StandardPixmap.SP_MediaPause if self._playing else QStyle.StandardPixmap.SP_MediaPlay))
        self.mute_button.setIcon(tinted_icon(self, QStyle.StandardPixmap.SP_MediaVolumeMuted if self._muted else QStyle.StandardPixmap.SP_MediaVolume, 16))
        self.full_button.setIcon(tinted_icon(self, QStyle.StandardPixmap.SP_TitleBarMaxButton, 16))
        self.captions_button.setIcon(captions_icon(self))
        style = slider_style(self.palette())
        for slider in (self.slider, self.volume):
            if slider.styleSheet() != style:
                slider.setStyleSheet(style)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override): the volume slider goes before anything is cut
        hint = super().minimumSizeHint()
        # then the time without the length ("9:59:59" at its widest, so a longer video loaded later still fits)
        short = clock_width(self.time_label.fontMetrics(), max(self._duration, 35_999_000), True) + 2
        hint.setWidth(self._needed() + short)
        return hint

    def _needed(self) -> int:
        """The row's width without the volume slider and the time."""
        others = [self.play_button, self.mute_button, self.captions_button, self.rate_box, self.full_button]
        margins = self.layout().contentsMargins()
        return (sum(w.sizeHint().width() for w in others) + self._buttons.spacing() * (len(others) + 2) + 6
                + margins.left() + margins.right())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_volume(event.size().width())

    def _fit_volume(self, width: int) -> None:
        """Too narrow for every button and the time (a small window): the volume slider goes, the mute button
        and the volume keys stay, so nothing is cut or overlaps."""
        needed = self._needed()
        metrics, longest = self.time_label.fontMetrics(), max(self._duration, 599_000)
        full = clock_width(metrics, longest) + 2
        self.volume.setVisible(width - needed - full >= self.volume.minimumWidth())
        short = width - needed < full  # tighter still: the time alone, without the length
        if short != self._short_time or self.time_label.minimumWidth() != clock_width(metrics, longest, short) + 2:
            self._short_time = short
            self.time_label.setFixedWidth(clock_width(metrics, longest, short) + 2)
        self._label(self.slider.value())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light and dark switched: the icons follow
            self._paint_icons()
        elif event.type() == QEvent.Type.FontChange:
            self.set_duration(self._duration)

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self._paint_icons()
        self.play_button.setToolTip("Pause (Space)" if playing else "Play (Space)")

    def set_duration(self, ms: int) -> None:
        self._duration = ms
        self.slider.setRange(0, max(0, ms))
        # as wide as the longest time this video can show, so the label neither clips nor jitters
        self._fit_volume(self.width())

    def set_position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(ms)
            self.slider.blockSignals(False)
        self._label(ms)

    def _label(self, ms: int) -> None:
        if self._duration > 0 and ms >= self._duration - 1:
            ms = self._duration  # paused on the last frame (a millisecond short of the end): "8:00 / 8:00"
        text = short_clock(ms) if self._short_time else f"{short_clock(ms)} / {short_clock(self._duration)}"
        if text != self.time_label.text():
            self.time_label.setText(text)

    def set_rate(self, rate: float) -> None:
        i = self.rate_box.findData(rate)
        if i < 0:
            self.rate_box.addItem(f"{rate:g}×", rate)
            i = self.rate_box.count() - 1
        self.rate_box.setCurrentIndex(i)

    def set_volume(self, percent: int, muted: bool) -> None:
        self.volume.blockSignals(True)
        self.volume.setValue(percent)
        self.volume.blockSignals(False)
        self.mute_button.blockSignals(True)
        self.mute_button.setChecked(muted)
        self.mute_button.blockSignals(False)
        self._muted = muted or percent == 0
        self._paint_icons()

    def set_captions(self, on: bool) -> None:
        self.captions_button.blockSignals(True)
        self.captions_button.setChecked(on)
        self.captions_button.blockSignals(False)

    def set_chapters(self, chapters: list[tuple[int, str]]) -> None:
        """The chapters as (start ms, title): marked on the seek bar and named when hovering it."""
        self.slider.chapters = sorted(chapters)
        self.slider.update()

    def set_available(self, fraction: float) -> None:
        """How much of the video is downloaded (0..1), shown under the seek bar; -1 when all of it is here."""
        self.slider.available = -1.0 if fraction is None or fraction < 0 or fraction >= 1 else float(fraction)
        self.slider.update()

    def set_enabled_for_media(self, has_media: bool) -> None:
        for w in (self.play_button, self.slider, self.rate_box, self.mute_button, self.volume, self.captions_button,
                  self.full_button):
            w.setEnabled(has_media)
