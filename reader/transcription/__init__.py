"""Local transcription: the Whisper engine, its models, and a background job that writes lines to the library. May import: library, transcript, base."""
