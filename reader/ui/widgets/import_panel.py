"""Imports in progress: the link dialog, a queue run off the GUI thread, and a panel with progress and Cancel."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout,
)

from ...download import ImportFailed, ImportOptions, Progress, human_bytes, is_playlist, probe
from ...library import Prepared, commit, discard, prepare_url

QUALITIES = (2160, 1440, 1080, 720, 480, 360)


def quality_box(parent, current: int) -> QComboBox:
    """The video-quality choice, shared by the import dialog and Settings."""
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


URL_RE = re.compile(r"(?i)^\s*https?://\S+\s*$")


def looks_like_url(text: str) -> bool:
    return bool(URL_RE.match(text or ""))


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
        langs = tuple(x.strip() for x in re.split(r"[,\s]+", self.languages.text()) if x.strip()) or ("en",)
        return ImportOptions(video=not self.transcript_only.isChecked(), languages=langs, max_height=self.quality.currentData())

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


@dataclass
class Job:
    url: str
    options: ImportOptions


class ImportPanel(QFrame):
    """Runs imports one after another and shows the current one. The store is written on this
    (the GUI) thread, when a download has finished."""

    committed = Signal(int, list)  # video id, notices
    playlist_found = Signal(object, object)  # playlist info, options

    def __init__(self, store_getter, parent=None):
        super().__init__(parent)
        self.setObjectName("importPanel")
        self.store_getter = store_getter
        self.extractors: list = []  # extra yt-dlp extractors (tests add one for a site on loopback)
        self.queue: list[Job] = []
        self.current: Job | None = None
        self.worker = None
        self.last_failed: Job | None = None
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
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button = QPushButton("Try again", self)
        self.retry_button.clicked.connect(self.retry)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.clicked.connect(self._dismiss)
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

    # -- queue ----------------------------------------------------------------------------------
    def add_link(self, url: str, options: ImportOptions) -> None:
        """Import a link; a playlist link is first read for its entries, and the window asks which."""
        url = url.strip()
        if "list=" in url or "/playlist" in url:
            self._show_busy("Reading the playlist…", url)
            from ..worker import Worker

            extractors = list(self.extractors)
            worker = Worker(lambda report, cancelled: probe(url, extractors), (ImportFailed,))
            worker.signals.finished.connect(lambda info: self._on_probed(url, info, options))
            worker.signals.failed.connect(lambda msg: self._fail(Job(url, options), msg))
            self.worker = worker
            worker.start()
            return
        self.enqueue(url, options)

    def _on_probed(self, url: str, info: dict, options: ImportOptions) -> None:
        self.worker = None
        if is_playlist(info):
            self.hide()
            self.playlist_found.emit(info, options)
        else:
            self.enqueue(url, options)

    def enqueue(self, url: str, options: ImportOptions) -> None:
        self.queue.append(Job(url, options))
        if self.current is None and self.worker is None:
            self._start_next()
        else:
            self._update_title()

    def busy(self) -> bool:
        return self.current is not None or self.worker is not None

    def _start_next(self) -> None:
        if not self.queue:
            self.current = None
            return
        job = self.current = self.queue.pop(0)
        self._show_busy("Starting…", job.url)
        from ..worker import Worker

        extractors = list(self.extractors)
        worker = Worker(
            lambda report, cancelled: prepare_url(job.url, job.options, report, cancelled, extractors), (ImportFailed,)
        )
        worker.signals.progress.connect(self._on_progress)
        worker.signals.finished.connect(self._on_prepared)
        worker.signals.failed.connect(lambda msg: self._fail(job, msg))
        self.worker = worker
        worker.start()

    def _show_busy(self, detail: str, url: str) -> None:
        self.setProperty("state", "busy")
        self._repolish()
        self._update_title(url)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.detail.setText(detail)
        self.cancel_button.show()
        self.retry_button.hide()
        self.dismiss_button.hide()
        self.show()

    def _update_title(self, url: str | None = None) -> None:
        url = url or (self.current.url if self.current else "")
        more = f"  (+{len(self.queue)} waiting)" if self.queue else ""
        self.title.setText(f"Importing {url}{more}")

    def _on_progress(self, p: Progress) -> None:
        if p.title:
            self._update_title(f"“{p.title}”")
        if p.fraction is not None:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(p.fraction * 1000))
        else:
            self.bar.setRange(0, 0)
        extra = progress_text(p)
        self.detail.setText(f"{p.stage}…" + (f"  {extra}" if extra else ""))

    def _on_prepared(self, prepared: Prepared) -> None:
        self.worker = None
        job = self.current
        store = self.store_getter()
        if store is None:
            discard(prepared)
            self._fail(job, "The library could not be opened, so nothing was added.")
            return
        try:
            video_id = commit(store, prepared)
        except Exception as exc:  # disk or database trouble while moving files in: nothing half-made is kept
            discard(prepared)
            self._fail(job, f"The video could not be added to the library: {exc}")
            return
        self.current = None
        self.hide()
        self.committed.emit(video_id, prepared.notices)
        self._start_next()

    def _fail(self, job: Job | None, message: str) -> None:
        self.worker = None
        self.current = None
        self.last_failed = job
        self.setProperty("state", "failed")
        self._repolish()
        what = "Import cancelled" if "cancelled" in message else "Import failed"
        self.title.setText(f"{what}: {job.url}" if job else what)
        self.bar.hide()
        self.detail.setText(message)
        self.cancel_button.hide()
        self.retry_button.setVisible(job is not None and "cancelled" not in message)
        self.dismiss_button.show()
        self.show()

    def cancel(self) -> None:
        """Stop the running import (its partial files are removed) and drop the waiting ones."""
        self.queue.clear()
        if self.worker is not None:
            self.worker.cancel()
            self.detail.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def retry(self) -> None:
        job = self.last_failed
        self.last_failed = None
        if job is not None:
            self.add_link(job.url, job.options)

    def _dismiss(self) -> None:
        self.hide()
        self._start_next()

    def _repolish(self) -> None:
        self.cancel_button.setEnabled(True)
        self.style().unpolish(self)
        self.style().polish(self)
