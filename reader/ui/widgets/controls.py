"""Player controls: a passive row of widgets that asks for play, seek, speed, volume and full screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QStyleOptionSlider, QToolButton, QWidget

from ...transcript.writers import short_clock
from ..player import RATES


class SeekSlider(QSlider):
    """A seek bar that jumps where it is clicked and shows chapter marks."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.chapter_marks: list[int] = []
        self.setRange(0, 0)
        self.setObjectName("seekBar")

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > 0:
            opt = QStyleOptionSlider()
            self.initStyleOption(opt)
            groove = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderGroove, self)
            handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderHandle, self)
            span = max(1, groove.width() - handle.width())
            x = event.position().x() - groove.x() - handle.width() / 2
            value = QStyle.sliderValueFromPosition(self.minimum(), self.maximum(), int(x), span)
            self.setValue(value)
            self.sliderMoved.emit(value)
        super().mousePressEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.chapter_marks or self.maximum() <= 0:
            return
        painter = QPainter(self)
        pen = QPen(tick_colour(self.palette().window().color()))
        pen.setWidth(2)
        painter.setPen(pen)
        y = self.height() // 2
        for ms in self.chapter_marks[1:]:
            x = int(ms / self.maximum() * (self.width() - 12)) + 6
            painter.drawLine(x, y - 5, x, y + 5)


def tick_colour(background: QColor) -> QColor:
    """A chapter mark that stands out from the background in either theme. (A "#00000080" string is read
    by Qt as #AARRGGBB, fully transparent: the marks were invisible in the light theme.)"""
    return QColor(0, 0, 0, 170) if background.lightness() > 128 else QColor(255, 255, 255, 190)


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


class PlayerControls(QWidget):
    play_requested = Signal()
    seek_requested = Signal(int)
    rate_requested = Signal(float)
    volume_requested = Signal(int)
    mute_requested = Signal(bool)
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
        self.slider.setToolTip("Seek")
        self.slider.sliderMoved.connect(self.seek_requested)
        self.time_label = QLabel("0:00 / 0:00", self)
        self.time_label.setObjectName("timeLabel")
        self.time_label.setMinimumWidth(self.time_label.fontMetrics().horizontalAdvance("00:00:00 / 00:00:00"))
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rate_box = QComboBox(self)
        for r in RATES:
            self.rate_box.addItem(f"{r:g}×", r)
        self.rate_box.setCurrentIndex(RATES.index(1.0))
        self.rate_box.setToolTip("Playback speed (Shift+< and Shift+>)")
        self.rate_box.activated.connect(lambda i: self.rate_requested.emit(self.rate_box.itemData(i)))
        self.mute_button = QToolButton(self)
        self.mute_button.setCheckable(True)
        self.mute_button.setToolTip("Mute (M)")
        self.mute_button.toggled.connect(self.mute_requested)
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setFixedWidth(90)
        self.volume.setToolTip("Volume")
        self.volume.valueChanged.connect(self.volume_requested)
        self.full_button = QToolButton(self)
        self.full_button.setToolTip("Full screen (F)")
        self.full_button.clicked.connect(self.fullscreen_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time_label)
        layout.addWidget(self.rate_box)
        layout.addWidget(self.mute_button)
        layout.addWidget(self.volume)
        layout.addWidget(self.full_button)
        self._duration = 0
        self._playing = self._muted = False
        self._paint_icons()

    def _paint_icons(self) -> None:
        self.play_button.setIcon(tinted_icon(self, QStyle.StandardPixmap.SP_MediaPause if self._playing else QStyle.StandardPixmap.SP_MediaPlay))
        self.mute_button.setIcon(tinted_icon(self, QStyle.StandardPixmap.SP_MediaVolumeMuted if self._muted else QStyle.StandardPixmap.SP_MediaVolume, 16))
        self.full_button.setIcon(tinted_icon(self, QStyle.StandardPixmap.SP_TitleBarMaxButton, 16))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light and dark switched: the icons follow
            self._paint_icons()

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self._paint_icons()
        self.play_button.setToolTip("Pause (Space)" if playing else "Play (Space)")

    def set_duration(self, ms: int) -> None:
        self._duration = ms
        self.slider.setRange(0, max(0, ms))
        self._label(self.slider.value())

    def set_position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(ms)
            self.slider.blockSignals(False)
        self._label(ms)

    def _label(self, ms: int) -> None:
        text = f"{short_clock(ms)} / {short_clock(self._duration)}"
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

    def set_chapters(self, starts: list[int]) -> None:
        self.slider.chapter_marks = starts
        self.slider.update()

    def set_enabled_for_media(self, has_media: bool) -> None:
        for w in (self.play_button, self.slider, self.rate_box, self.mute_button, self.volume, self.full_button):
            w.setEnabled(has_media)
