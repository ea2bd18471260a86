"""Notes in and out: Markdown, Anki and the JSON backup (and its restore), with safe Markdown.
May import: cards, asking, library, transcript, base."""
