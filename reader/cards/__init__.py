"""Recall cards: making and rating them, FSRS scheduling, Claude's suggestions and answer checks.
May import: asking, library, transcript, base."""
