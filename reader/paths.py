"""Where Reader keeps its data and settings; READER_DATA_DIR and READER_CONFIG_DIR override both."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "Reader"


def data_dir() -> Path:
    """Reader's data folder, created readable by the user only (notes and answers are private)."""
    folder = Path(os.environ.get("READER_DATA_DIR") or platformdirs.user_data_dir(APP, appauthor=False))
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.chmod(0o700)
    return folder


def config_dir() -> Path:
    folder = Path(os.environ.get("READER_CONFIG_DIR") or platformdirs.user_config_dir(APP, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def crash_log() -> Path:
    """Where unexpected errors are written, for a bug report."""
    return data_dir() / "reader.log"
