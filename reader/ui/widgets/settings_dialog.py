"""Preferences: languages and quality for imports, appearance, checkpoints while watching, the data folder, and the Claude API key (kept in the OS keyring, shown masked) and model."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
)

from reader.asking.keys import KeyringUnavailable, get_key, key_from_environment, mask, set_key
from reader.asking.llm import MODELS
from reader.base.links import parse_languages
from reader.base.paths import data_dir
from reader.base.settings import DEFAULT_MODEL
from reader.ui.appearance import set_appearance
from reader.ui.settings import Settings
from reader.ui.widgets.import_panel import ok_cancel, quality_box

APPEARANCES = (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark"))


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setMinimumWidth(360)
        current = get_key()
        if key_from_environment():
            self.key.setPlaceholderText(f"From ANTHROPIC_API_KEY ({mask(current)})")
            self.key.setEnabled(False)
        else:
            self.key.setPlaceholderText(f"Stored: {mask(current)} — type to replace" if current else "sk-ant-…")
        self.model = QComboBox(self)
        self.model.setEditable(True)
        self.model.addItems(MODELS)
        self.model.setCurrentText(settings.get("claude/model"))
        self.languages = QLineEdit(", ".join(settings.get("import/languages")), self)
        self.languages.setToolTip("Subtitle languages to prefer when importing, in order (en, fr, de…)")
        self.quality = quality_box(self, settings.get("import/max_height"))
        self.appearance = QComboBox(self)
        for label, value in APPEARANCES:
            self.appearance.addItem(label, value)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(settings.get("ui/appearance"))))
        self.checkpoints = QCheckBox("Pause at the end of a chapter that has cards, and ask one", self)
        self.checkpoints.setChecked(settings.get("review/checkpoints"))
        folder = data_dir()
        self.folder = QLabel(str(folder), self)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_folder = QPushButton("Open Folder", self)
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(open_folder)
        note = QLabel("The key is kept in your system's keyring, never in Reader's files. What is sent to Anthropic: "
                      "the video's title, description and transcript, the passage you chose and your question.", self)
        note.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Subtitle languages:", self.languages)
        form.addRow("Video quality:", self.quality)
        form.addRow("Appearance:", self.appearance)
        form.addRow("While watching:", self.checkpoints)
        form.addRow("Your data:", folder_row)
        form.addRow("Claude API key:", self.key)
        form.addRow("Claude model:", self.model)
        buttons = ok_cancel(self, "Save", self._save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _save(self) -> None:
        self.settings.set("import/languages", parse_languages(self.languages.text()))
        self.settings.set("import/max_height", self.quality.currentData())
        self.settings.set("ui/appearance", self.appearance.currentData())
        set_appearance(self.appearance.currentData())
        self.settings.set("review/checkpoints", self.checkpoints.isChecked())
        self.settings.set("claude/model", self.model.currentText().strip() or DEFAULT_MODEL)
        problem = self.settings.sync()
        if problem:
            self.error.setText(problem)
            return
        if self.key.isEnabled() and self.key.text().strip():
            try:
                set_key(self.key.text().strip())
            except KeyringUnavailable as exc:
                self.error.setText(str(exc))
                return
        self.accept()
