"""Reader: watch long videos and read their transcripts together."""

__version__ = "0.1.0"
