"""The strip at the foot of the window while a transcription runs (progress, time left, Cancel), or says why it stopped."""

from __future__ import annotations

from PySide6.QtCore import Signal

from reader.ui.widgets.import_panel import ImportPanel


class TranscribePanel(ImportPanel):
    """The import panel's strip, told by the transcribing controller what to show. Its second button
    carries one action (action_requested): "choose" a model, "retry", "resume", "transcribe"."""

    action_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.action = ""
        self.action_button = self.retry_button
        self.action_button.clicked.connect(lambda: self.action_requested.emit(self.action))
        self.cancel_button.setToolTip("Stop transcribing now; the lines made so far are kept")
        self.dismiss_button.clicked.connect(self.hide)

    def show_running(self, title: str) -> None:
        self.show_busy(title, "Loading the model…")
        self.title.setText(f"Transcribing “{title}”")

    def show_done(self, done_ms: int, total_ms: int, text: str) -> None:
        if total_ms > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(1.0, done_ms / total_ms)))
        self.detail.setText(text)

    def show_problem(self, title: str, detail: str, action: str = "", action_label: str = "", failed: bool = True) -> None:
        """Why it stopped (failed), or what is on offer, with one action and Dismiss."""
        self.show_failed(title, detail, bool(action))
        if not failed:
            self.setProperty("state", "offer")
            self._repolish()
        self.action = action
        self.action_button.setText(action_label)
