"""The "‹ Back to the video" button of the library and review pages."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton


def back_button(parent) -> QPushButton:
    """Hidden while no video is open; the window connects it and names the video in it."""
    button = QPushButton("‹ Back to the video", parent)
    button.setObjectName("backToVideo")
    button.setToolTip("Back to the video you were on (Alt+Left, Esc)")
    button.hide()
    return button
