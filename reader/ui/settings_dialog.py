"""Settings: the Claude API key (kept in the OS keyring, shown masked) and model."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ..keys import KeyringUnavailable, get_key, key_from_environment, mask, set_key
from ..llm import DEFAULT_MODEL, MODELS


class SettingsDialog(QDialog):
    def __init__(self, settings: QSettings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
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
        self.model.setCurrentText(str(settings.value("claude/model", DEFAULT_MODEL)))
        note = QLabel("The key is kept in your system's keyring, never in Reader's files. What is sent to Anthropic: "
                      "the video's title, description and transcript, the passage you chose and your question.", self)
        note.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Claude API key:", self.key)
        form.addRow("Model:", self.model)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _save(self) -> None:
        self.settings.setValue("claude/model", self.model.currentText().strip() or DEFAULT_MODEL)
        self.settings.sync()
        if self.key.isEnabled() and self.key.text().strip():
            try:
                set_key(self.key.text().strip())
            except KeyringUnavailable as exc:
                self.error.setText(str(exc))
                return
        self.accept()
