"""Counts said in words, one wording wherever they are shown: a video's highlights and how many have notes."""

from __future__ import annotations


def highlights_and_notes(highlights: int, notes: int = 0) -> str:
    """"3 highlights", "3 highlights, 2 with notes", "1 highlight, with a note": what the Notes pane lists
    (highlights, each with the note written on it or none), as the Library and `reader library` say it."""
    highlights, notes = max(0, int(highlights or 0)), max(0, int(notes or 0))
    said = f"{highlights} highlight{'s' * (highlights != 1)}"
    if not notes:
        return said
    if highlights == 1:
        return f"{said}, with a note"
    return f"{said}, {notes} with {'a note' if notes == 1 else 'notes'}"
