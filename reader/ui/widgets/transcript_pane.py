"""The right-hand pane: title, chapter picker, subtitle offset, the transcript itself and its find bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QSpinBox, QToolButton, QVBoxLayout, QWidget,
)

from reader.transcript.model import Chapter, Transcript
from reader.transcript.writers import short_clock
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.transcript_view import TranscriptView


class ChapterBox(QComboBox):
    """The chapter list: a title too long for the box it has ends in "…" (its whole text in the tooltip)
    rather than being cut off mid-letter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.currentTextChanged.connect(
            lambda text: self.setToolTip(f"{text}\nChapters: the current one is shown; pick one to go there" if text else ""))

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        from PySide6.QtWidgets import QStyle, QStyleOptionComboBox, QStylePainter

        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, self)
        opt.currentText = self.fontMetrics().elidedText(opt.currentText, Qt.TextElideMode.ElideRight, room.width())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)

    def shown_text(self) -> str:
        """The text the box draws at its width."""
        from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, self)
        return self.fontMetrics().elidedText(self.currentText(), Qt.TextElideMode.ElideRight, room.width())


class TranscriptPane(QWidget):

    seek_requested = Signal(int)
    offset_changed = Signal(int)
    library_requested = Signal()
    transcribe_requested = Signal()

    def _arrange_header(self, above: bool) -> None:
        """The chapter box in the row with Description and Sync, or (above) in a row of its own over them."""
        if above == self._chapters_above:
            return
        self._chapters_above = above
        for w in (self.chapters, self.about_button, self.offset):
            self.header.removeWidget(w)
        if above:
            self.header.addWidget(self.chapters, 0, 0, 1, 3)
            self.header.addWidget(self.about_button, 1, 1)
            self.header.addWidget(self.offset, 1, 2)
        else:
            self.header.addWidget(self.chapters, 0, 0)
            self.header.addWidget(self.about_button, 0, 1)
            self.header.addWidget(self.offset, 0, 2)

    def _fit_header(self) -> None:
        """Above when the longest chapter title would not show whole beside the others."""
        box = self.chapters
        longest = max((box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count())), default=0)
        m = self.header.contentsMargins()
        beside = (self.about_button.sizeHint().width() if not self.about_button.isHidden() else 0) + self.offset.width()
        room = self.width() - m.left() - m.right() - beside - 2 * self.header.horizontalSpacing() - 40  # 40: the arrow
        self._arrange_header(box.count() > 0 and longest > room)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_header()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("transcriptPane")
        self.title = QLabel("", self)
        self.title.setObjectName("mediaTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.source_label = QLabel("", self)
        self.source_label.setObjectName("sourceLabel")
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        self.source_label.setWordWrap(True)  # a long file name or source line never holds the window wide
        self.source_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.chapters = ChapterBox(self)
        self.chapters.setObjectName("chapterBox")
        self.chapters.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chapters.setMinimumContentsLength(8)
        self.chapters.activated.connect(self._on_chapter_activated)
        self.offset = QSpinBox(self)
        self.offset.setObjectName("offsetBox")
        self.offset.setRange(-600_000, 600_000)
        self.offset.setSingleStep(100)
        self.offset.setSuffix(" ms")
        self.offset.setPrefix("Sync ")
        # as wide as "Sync -9900 ms" and no wider: the chapter box beside it takes the rest
        self.offset.setFixedWidth(self.offset.fontMetrics().horizontalAdvance("Sync -9900 ms") + 30)
        self.offset.setToolTip("Subtitle offset: raise it if the lines come too early, lower it if they come late")
        self.offset.valueChanged.connect(self._on_offset)
        self.library_button = QToolButton(self)
        self.library_button.setText("‹ Library")
        self.library_button.setObjectName("libraryButton")
        self.library_button.setToolTip("Back to the library (Ctrl+L)")
        self.library_button.setAutoRaise(True)
        self.library_button.clicked.connect(self.library_requested)
        self.about_button = QToolButton(self)
        self.about_button.setText("Description")
        self.about_button.setCheckable(True)
        self.about_button.setAutoRaise(True)
        self.about_button.setToolTip("Show the video's description")
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("description")
        self.description.setReadOnly(True)
        self.description.setMaximumHeight(160)
        self.description.hide()
        self.about_button.toggled.connect(self.description.setVisible)
        header = self.header = QGridLayout()  # the chapter box beside Description and Sync, or above them when tight
        header.setContentsMargins(14, 8, 10, 4)
        header.setColumnStretch(0, 1)
        self._chapters_above = None
        self._arrange_header(False)
        self.view = TranscriptView(self)
        self.view.seek_requested.connect(self.seek_requested)
        self.find_bar = FindBar(self)
        self.find_bar.query_changed.connect(self._on_query)
        self.find_bar.step_requested.connect(self._on_step)
        self.find_bar.closed.connect(self._on_find_closed)
        self.empty = QLabel("", self)
        self.empty.setObjectName("emptyTranscript")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.transcribe_button = QPushButton("Transcribe…", self)
        self.transcribe_button.setObjectName("transcribeButton")
        self.transcribe_button.setToolTip("Make a transcript on this computer from the video's sound")
        self.transcribe_button.clicked.connect(self.transcribe_requested)
        self.transcribe_button.hide()
        self.empty_box = QWidget(self)  # the message, and under it what can be done about it
        box = QVBoxLayout(self.empty_box)
        box.addStretch(1)
        box.addWidget(self.empty)
        box.addWidget(self.transcribe_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        self.empty_box.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        titles = QVBoxLayout()
        titles.setContentsMargins(14, 6, 14, 0)
        titles.addWidget(self.library_button, 0, Qt.AlignmentFlag.AlignLeft)
        titles.addWidget(self.title)
        titles.addWidget(self.source_label)
        layout.addLayout(titles)
        layout.addLayout(header)
        layout.addWidget(self.description)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_box, 1)
        layout.addWidget(self.find_bar)
        self._chapter_list: list[Chapter] = []

    def set_description(self, text: str) -> None:
        self.description.setPlainText(text)
        self.about_button.setVisible(bool(text.strip()))
        if not text.strip():
            self.about_button.setChecked(False)

    def set_transcript(self, transcript: Transcript | None, title: str, source: str = "", empty_message: str = "",
                       can_transcribe: bool = False) -> None:
        self.title.setText(title)
        self.source_label.setText(source)
        self.source_label.setVisible(bool(source))
        has_text = transcript is not None and bool(transcript.cues)
        self.view.setVisible(has_text)
        self.empty.setVisible(not has_text)
        self.empty_box.setVisible(not has_text)
        self.empty.setText(empty_message or "No transcript. Open a subtitle file (File ▸ Open Subtitles…) or drop one here"
                           + (", or make one from the sound on this computer." if can_transcribe else "."))
        self.transcribe_button.setVisible(not has_text and can_transcribe)
        self.offset.blockSignals(True)
        self.offset.setValue(0)
        self.offset.blockSignals(False)
        self.view.offset_ms = 0
        self.view.set_transcript(transcript or Transcript([]))
        self._chapter_list = list(transcript.chapters) if transcript else []
        self.chapters.clear()
        for ch in self._chapter_list:
            self.chapters.addItem(f"{short_clock(ch.start_ms)}  {ch.title}", ch.start_ms)
        self.chapters.setVisible(bool(self._chapter_list))
        self._fit_header()
        self.offset.setEnabled(has_text)
        if self.find_bar.isVisible():
            self._on_query(self.find_bar.edit.text())

    def grow_transcript(self, transcript: Transcript, source: str) -> None:
        """The open transcript with more lines (transcribed since): the reader's place, following and selection kept."""
        self.source_label.setText(source)
        self.source_label.setVisible(bool(source))
        has_text = bool(transcript.cues)
        self.view.setVisible(has_text)
        self.empty.setVisible(not has_text)
        self.empty_box.setVisible(not has_text)
        self.transcribe_button.setVisible(False)
        self.offset.setEnabled(has_text)
        self.view.grow_transcript(transcript)
        if [c.start_ms for c in transcript.chapters] != [c.start_ms for c in self._chapter_list]:
            self._chapter_list = list(transcript.chapters)
            self.chapters.clear()
            for ch in self._chapter_list:
                self.chapters.addItem(f"{short_clock(ch.start_ms)}  {ch.title}", ch.start_ms)
            self.chapters.setVisible(bool(self._chapter_list))
            self._fit_header()
        if self.find_bar.isVisible():
            self._on_query(self.find_bar.edit.text())

    def set_offset(self, ms: int) -> None:
        """Show and apply a subtitle offset (a remembered one), without announcing it as a change."""
        self.offset.blockSignals(True)
        self.offset.setValue(ms)
        self.offset.blockSignals(False)
        self.view.set_offset(ms)

    def set_position(self, ms: int) -> None:
        self.view.set_position(ms)
        if self._chapter_list:
            i = self.view.timeline.chapter_at(ms)
            if i >= 0 and i != self.chapters.currentIndex() and not self.chapters.view().isVisible():
                self.chapters.setCurrentIndex(i)

    def open_find(self) -> None:
        self.find_bar.open_bar()

    def _on_chapter_activated(self, index: int) -> None:
        self.seek_requested.emit(self.chapters.itemData(index))

    def _on_offset(self, value: int) -> None:
        self.view.set_offset(value)
        self.offset_changed.emit(value)

    def _on_query(self, text: str) -> None:
        total = self.view.find_all(text)
        index, _ = self.view.match_state()
        self.find_bar.show_count(index, total)

    def _on_step(self, step: int) -> None:
        index = self.view.find_step(step)
        self.find_bar.show_count(index, self.view.match_state()[1])

    def _on_find_closed(self) -> None:
        self.view.clear_find()
        self.view.setFocus()
