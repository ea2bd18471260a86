"""The Transcribe dialog: which model (downloaded once, with progress and Cancel, or a folder the user has), which language, from where."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QProgressBar, QPushButton, QVBoxLayout,
)

from reader.ui.worker import Worker, message

LANGUAGES = (("Detect it", None), ("English", "en"), ("French", "fr"), ("German", "de"), ("Spanish", "es"),
             ("Italian", "it"), ("Portuguese", "pt"), ("Dutch", "nl"), ("Japanese", "ja"), ("Chinese", "zh"))


class DownloadCancelled(Exception):
    """The user stopped the model download."""


def model_line(info, installed: bool) -> str:
    kind = "English only" if info.english_only else "many languages"
    have = "  ✓ downloaded" if installed else f"  ·  {info.size_mb} MB download"
    return f"{info.name}  —  {kind}  ·  {info.speed}{have}"


class TranscribeDialog(QDialog):
    """`models` is reader.transcription.models (or a stand-in with CATALOGUE, installed, resolve, download, ModelProblem).
    After exec(): model() (a name or a folder), language() (None: detect) and from_ms()."""

    def __init__(self, parent, models, title: str, playhead_ms: int = 0, stretch: tuple[int, int] | None = None):
        super().__init__(parent)
        from reader.transcript.writers import short_clock

        self.models = models
        self.installed = dict(models.installed())
        self.first_time = not self.installed
        self.folder: Path | None = None
        self.worker: Worker | None = None
        self.stretch = stretch
        self.setWindowTitle("Transcribe again with another model" if stretch else "Transcribe")
        intro = QLabel(self)
        intro.setWordWrap(True)
        if self.first_time:
            intro.setText("Reader transcribes on this computer; nothing leaves it. It needs a speech model, downloaded once "
                          "into Reader's data folder: after that it works offline. Bigger models are more accurate and slower.")
        elif stretch:
            intro.setText(f"The lines from {short_clock(stretch[0])} to {short_clock(stretch[1])} of “{title}” are replaced; "
                          "highlights and notes there are kept.")
        else:
            intro.setText(f"Make a transcript of “{title}” on this computer. Lines appear as they are ready; you can watch meanwhile.")
        self.choices = QListWidget(self)  # a list, not radio buttons: its selection reads in dark mode too
        self.choices.setObjectName("modelChoices")
        for name, info in models.CATALOGUE.items():
            self._add_choice(name, model_line(info, name in self.installed))
        for name in self.installed:
            if name not in models.CATALOGUE:  # a folder the user chose before
                self._add_choice(name, f"{name}  —  your model folder  ✓")
        self.choices.setSpacing(3)
        self.choices.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        metrics = self.choices.fontMetrics()
        texts = [self.choices.item(r).text() for r in range(self.choices.count())]
        self.choices.setMinimumWidth(max(metrics.horizontalAdvance(t) for t in texts) + 40)
        self.choices.setFixedHeight((metrics.height() + 8) * len(texts) + 2 * self.choices.frameWidth() + 4)
        self._select_default()
        self.folder_button = QPushButton("Use a model folder I have…", self)
        self.folder_button.clicked.connect(self._choose_folder)
        self.language = QComboBox(self)
        for label, code in LANGUAGES:
            self.language.addItem(label, code)
        self.start_at = QComboBox(self)
        self.start_at.addItem("The beginning", 0)
        if playhead_ms > 0 and not stretch:
            self.start_at.addItem(f"Where the video is ({short_clock(playhead_ms)})", playhead_ms)
        form = QFormLayout()
        self.english_only = QLabel("this model knows English only", self)
        self.english_only.setObjectName("hint")
        language_row = QHBoxLayout()
        language_row.addWidget(self.language, 1)
        language_row.addWidget(self.english_only)
        form.addRow("Language:", language_row)
        if not stretch:
            form.addRow("Start from:", self.start_at)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.hide()
        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self._on_cancel)
        self.choices.currentRowChanged.connect(lambda _row: self._on_choice())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(QLabel("<b>Model</b>", self))
        layout.addWidget(self.choices)
        row = QHBoxLayout()
        row.addWidget(self.folder_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update()

    # -- what was chosen -------------------------------------------------------------------------
    def model(self) -> str:
        if self.folder is not None:
            return str(self.folder)
        item = self.choices.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else ""

    def language_code(self) -> str | None:
        info = self.models.CATALOGUE.get(self.model())
        return "en" if info is not None and info.english_only else self.language.currentData()

    def from_ms(self) -> int:
        return self.start_at.currentData() or 0

    def _add_choice(self, name: str, text: str) -> None:
        item = QListWidgetItem(text, self.choices)
        item.setData(Qt.ItemDataRole.UserRole, name)

    def _select_default(self) -> None:
        default = getattr(self.models, "default_model", lambda: None)()  # the installed one to use
        wanted = default or next(iter(self.installed), "base.en" if "base.en" in self.models.CATALOGUE else "")
        for row in range(self.choices.count()):
            if self.choices.item(row).data(Qt.ItemDataRole.UserRole) == wanted:
                self.choices.setCurrentRow(row)
                return

    def _on_choice(self) -> None:
        if self.folder is not None and self.choices.currentItem() is not None and self.choices.currentItem().isSelected():
            self.folder = None  # a listed model chosen after a folder
            self.folder_button.setText("Use a model folder I have…")
        self._update()

    def _update(self) -> None:
        name = self.model()
        info = self.models.CATALOGUE.get(name)
        english_only = info is not None and info.english_only
        self.language.setEnabled(not english_only)
        self.english_only.setVisible(english_only)
        if english_only:
            self.language.setCurrentIndex(max(0, self.language.findData("en")))
        if self.folder is None and info is not None and name not in self.installed:
            self.ok.setText(f"Download {info.size_mb} MB and Transcribe")
        else:
            self.ok.setText("Transcribe")
        self.ok.setEnabled(bool(name) and self.worker is None)

    # -- a folder the user has ------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose a Whisper model folder (CTranslate2)", str(Path.home()))
        if path:
            self.use_folder(Path(path))

    def use_folder(self, path: Path) -> bool:
        try:
            name, folder = self.models.resolve(str(path))
        except self.models.ModelProblem as exc:
            self.error.setText(str(exc))
            return False
        self.folder = folder
        self.error.setText("")
        self.folder_button.setText(f"Model folder: {folder.name}")
        self.choices.clearSelection()
        self._update()
        return True

    # -- downloading ----------------------------------------------------------------------------------
    def _on_ok(self) -> None:
        name = self.model()
        if self.folder is None and name in self.models.CATALOGUE and name not in self.installed:
            self.download(name)
        else:
            self.accept()

    def download(self, name: str) -> None:
        """Fetch the model off the GUI thread with progress; Cancel stops it and leaves no model behind."""
        models = self.models
        self.error.setText("")
        self.bar.setValue(0)
        self.bar.show()
        self.ok.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.choices.setEnabled(False)

        def fetch(report, cancelled):
            path = models.download(name, lambda done, total: report((done, total)), cancelled)
            if cancelled():
                raise DownloadCancelled()
            return path

        worker = Worker(fetch, (Exception,))
        worker.signals.progress.connect(self._on_progress)
        worker.signals.finished.connect(lambda path: self._on_downloaded(name, path))
        worker.signals.failed.connect(self._on_download_failed)
        self.worker = worker
        worker.start()

    def _on_progress(self, value) -> None:
        done, total = value
        self.bar.setValue(int(1000 * done / total) if total else 0)
        self.error.setText(f"Downloading {name_mb(done)} of {name_mb(total)}…" if total else "Downloading…")

    def _on_downloaded(self, name: str, path) -> None:
        self.worker = None
        self.installed[name] = Path(path)
        self.bar.setValue(1000)
        self.accept()

    def _on_download_failed(self, exc: BaseException) -> None:
        cancelled = isinstance(exc, DownloadCancelled) or (self.worker is not None and self.worker.cancel_event.is_set())
        self.worker = None
        self.bar.hide()
        self.folder_button.setEnabled(True)
        self.choices.setEnabled(True)
        said = message(exc) if isinstance(exc, self.models.ModelProblem) else \
            "The model could not be downloaded because of an unexpected problem; nothing was kept. Try again."
        self.error.setText("Download cancelled; nothing was kept." if cancelled else f"{said} Or use a model folder you have.")
        self._update()
        if cancelled and self.property("closing"):
            self.reject()

    def _on_cancel(self) -> None:
        if self.worker is not None:  # the first Cancel stops the download; the dialog closes when it has
            self.setProperty("closing", True)
            self.error.setText("Cancelling the download…")
            self.worker.cancel()
            return
        self.reject()

    def reject(self) -> None:
        if self.worker is not None:
            self._on_cancel()
            return
        super().reject()


def name_mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"
