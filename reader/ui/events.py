"""Change notices: what changed in the library, a video's highlights or a conversation, and who changed it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Events(QObject):
    """One per window. Controllers announce what they changed; the window connects the panes that show it,
    so nothing refreshes a pane by hand. The last argument of each is the object that made the change."""

    library_changed = Signal(object)  # source
    highlights_changed = Signal(int, object, object)  # video id, highlight id to select (or None), source
    conversation_changed = Signal(object, bool, object)  # conversation id, still streaming, source
