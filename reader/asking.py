"""Kept for reader/ui until it imports reader.questions (issue 11); nothing else uses this name."""
from .questions import begin, earlier_turns, passage_between, record, save_highlight  # noqa: F401
