"""Asking Claude: the client and its streaming, the API key, prompts, questions about a passage or a video,
and the study tools. May import: library, transcript, base."""
