"""Small message boxes of the Help menu: the keyboard shortcuts and About Reader."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout

from reader import __version__
from reader.ui.shortcuts import shortcuts_html


def shortcuts_box(parent) -> QDialog:
    """Help ▸ Keyboard Shortcuts: the two-column table, unwrapped (a message box would squeeze it narrow and tall)."""
    box = QDialog(parent)
    box.setWindowTitle("Keyboard shortcuts")
    layout = QVBoxLayout(box)
    table = QLabel(shortcuts_html(), box)
    table.setTextFormat(Qt.TextFormat.RichText)
    table.setWordWrap(False)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, box)
    buttons.accepted.connect(box.accept)
    layout.addWidget(table)
    layout.addWidget(buttons)
    return box


def about_box(parent) -> QMessageBox:
    import platform

    from PySide6 import __version__ as pyside_version

    box = QMessageBox(parent)
    box.setWindowTitle("About Reader")
    box.setIconPixmap(parent.windowIcon().pixmap(96, 96))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        f"<h3>Reader {__version__}</h3>"
        "<p>Watch long videos and read their transcripts together; highlight, take notes, and ask "
        "Claude about what you read. Everything stays on your disk.</p>"
        "<p>Free software under the MIT licence.<br>"
        "<a href='https://github.com/reader-app/reader'>Source code and issues</a></p>"
        f"<p style='color:gray'>Qt {pyside_version} · Python {platform.python_version()} · yt-dlp, anthropic, sqlite-utils</p>"
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return box
