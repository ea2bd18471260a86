"""The header row the library and review pages share: the way back to the video, the page's heading, its search box."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton


def page_header(page, title: str, search) -> tuple[QHBoxLayout, QPushButton]:
    """The row (more widgets may be added after the search box) and its "‹ Back to the video" button,
    hidden while no video is open; the window connects the button."""
    back = QPushButton("‹ Back to the video", page)
    back.setObjectName("backToVideo")
    back.setToolTip("Back to the video you were on (Alt+Left, Esc)")
    back.hide()
    heading = QLabel(title, page)
    heading.setObjectName("libraryHeading")
    row = QHBoxLayout()
    row.setContentsMargins(16, 12, 16, 6)
    row.addWidget(back)
    row.addSpacing(10)
    row.addWidget(heading)
    row.addSpacing(12)
    row.addWidget(search, 1)
    return row, back
