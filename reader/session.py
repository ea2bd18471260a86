"""Kept for reader/ui until it imports reader.opened (issue 11); nothing else uses this name."""
from .opened import SOURCE_WORDS, Session, display_title, library_session, open_session  # noqa: F401
