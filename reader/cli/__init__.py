"""The `reader` command, a module per command group. May import: exchange, cards, transcription, asking,
library, transcript, base, and reader.ui only inside a function (to start the window)."""
