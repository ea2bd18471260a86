"""Imports: the link dialog, the playlist chooser, and a panel with progress and Cancel (the queue is the importing controller)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout,
)

from reader.base.links import looks_like_url, parse_languages
from reader.library.download import ImportOptions, Progress, human_bytes

QUALITIES = (2160, 1440, 1080, 720, 480, 360)


def quality_box(parent, current: int) -> QComboBox:
    """The video-quality choice, shared by the import dialog and Preferences."""
    box = QComboBox(parent)
    for h in QUALITIES:
        box.addItem(f"Up to {h}p", h)
    box.setCurrentIndex(max(0, box.findData(int(current))))
    return box


def ok_cancel(dialog: QDialog, ok_text: str, on_ok) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


def progress_text(p: Progress) -> str:
    parts = []
    if p.downloaded:
        parts.append(f"{human_bytes(p.downloaded)} of {human_bytes(p.total)}" if p.total else human_bytes(p.downloaded))
    if p.speed:
        parts.append(f"{human_bytes(p.speed)}/s")
    if p.eta is not None and p.downloaded:
        m, s = divmod(int(p.eta), 60)
        parts.append(f"{m}:{s:02d} left")
    return " · ".join(parts)


class ImportDialog(QDialog):
    """Ask for a link and how to import it."""

    def __init__(self, parent=None, url: str = "", options: ImportOptions | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import from URL")
        options = options or ImportOptions()
        self.url = QLineEdit(url, self)
        self.url.setPlaceholderText("https://www.youtube.com/watch?v=…")
        self.url.setMinimumWidth(460)
        if not url:
            clip = QGuiApplication.clipboard().text().strip()
            if looks_like_url(clip):
                self.url.setText(clip)
        self.transcript_only = QCheckBox("Transcript only (no video download)", self)
        self.transcript_only.setChecked(not options.video)
        self.languages = QLineEdit(", ".join(options.languages), self)
        self.languages.setToolTip("Preferred subtitle languages, in order (language codes such as en, fr, de)")
        self.quality = quality_box(self, options.max_height)
        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        form = QFormLayout()
        form.addRow("Link:", self.url)
        form.addRow("", self.transcript_only)
        form.addRow("Subtitle languages:", self.languages)
        form.addRow("Video quality:", self.quality)
        buttons = ok_cancel(self, "Import", self._accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def options(self) -> ImportOptions:
        return ImportOptions(video=not self.transcript_only.isChecked(), languages=parse_languages(self.languages.text()),
                             max_height=self.quality.currentData())

    def _accept(self) -> None:
        if not looks_like_url(self.url.text()):
            self.error.setText("Paste a web address that starts with https://")
            return
        self.accept()


class PlaylistDialog(QDialog):
    """A playlist link: choose which of its videos to import."""

    def __init__(self, parent, info: dict):
        super().__init__(parent)
        self.setWindowTitle("Import a playlist")
        entries = [e for e in info.get("entries") or [] if e and (e.get("url") or e.get("webpage_url"))]
        label = QLabel(f"“{info.get('title') or 'This playlist'}” has {len(entries)} videos. Import:", self)
        label.setWordWrap(True)
        self.list = QListWidget(self)
        for e in entries:
            item = QListWidgetItem(e.get("title") or e.get("url"), self.list)
            item.setData(Qt.ItemDataRole.UserRole, e.get("webpage_url") or e.get("url"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        buttons = ok_cancel(self, "Import selected", self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class ImportPanel(QFrame):
    """Shows the import running (progress and Cancel) or the one that failed (Try again, Dismiss).
    Passive: the importing controller says what to show, the buttons ask it."""

    cancel_requested = Signal()
    retry_requested = Signal()
    dismiss_requested = Signal()

    def __init__(self, parent=None, verb: str = "Importing", of: str = ""):
        """verb and of: how the title reads ("Importing “A talk”", "Downloading the video of “A talk”")."""
        super().__init__(parent)
        self.setObjectName("importPanel")
        self._verb, self._of = verb, of
        self._what = ""
        self._waiting = 0
        self.title = QLabel("", self)
        self.title.setObjectName("importTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.detail = QLabel("", self)
        self.detail.setObjectName("importDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.retry_button = QPushButton("Try again", self)
        self.retry_button.clicked.connect(self.retry_requested)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.clicked.connect(self.dismiss_requested)
        texts = QVBoxLayout()
        texts.setSpacing(3)
        texts.addWidget(self.title)
        texts.addWidget(self.bar)
        texts.addWidget(self.detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addLayout(texts, 1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.dismiss_button)
        self.hide()

    def show_busy(self, what: str, detail: str) -> None:
        self.setProperty("state", "busy")
        self._repolish()
        self._what = what
        self._update_title()
        self.bar.setRange(0, 0)
        self.bar.show()
        self.detail.setText(detail)
        self.cancel_button.show()
        self.retry_button.hide()
        self.dismiss_button.hide()
        self.show()

    def set_waiting(self, count: int) -> None:
        self._waiting = count
        self._update_title()

    def _update_title(self) -> None:
        more = f"  (+{self._waiting} waiting)" if self._waiting else ""
        self.title.setText(f"{self._verb} {self._what}{more}")

    def show_progress(self, p: Progress) -> None:
        if p.title:
            self._what = f"{self._of}“{p.title}”"
            self._update_title()
        if p.fraction is not None:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(p.fraction * 1000))
        else:
            self.bar.setRange(0, 0)
        extra = progress_text(p)
        self.detail.setText(f"{p.stage}…" + (f"  {extra}" if extra else ""))

    def show_failed(self, title: str, detail: str, can_retry: bool) -> None:
        self.setProperty("state", "failed")
        self._repolish()
        self.title.setText(title)
        self.bar.hide()
        self.detail.setText(detail)
        self.cancel_button.hide()
        self.retry_button.setVisible(can_retry)
        self.dismiss_button.show()
        self.show()

    def _on_cancel(self) -> None:
        if self.isVisible() and self.cancel_button.isVisible():
            self.detail.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()

    def _repolish(self) -> None:
        self.cancel_button.setEnabled(True)
        self.style().unpolish(self)
        self.style().polish(self)
