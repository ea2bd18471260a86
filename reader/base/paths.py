"""Where Reader keeps its data and settings; READER_DATA_DIR and READER_CONFIG_DIR override both."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "Reader"


def _private_folder(folder: Path) -> Path:
    """Create the folder if need be, and make it the user's alone (0700) even when it already existed:
    a umask or another program may have made it readable by others."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        if folder.stat().st_mode & 0o777 != 0o700:
            folder.chmod(0o700)
    except OSError:
        pass  # not ours to change (a shared or read-only folder): it is used as it is
    return folder


def data_dir() -> Path:
    """Reader's data folder, readable by the user only (notes and answers are private)."""
    return _private_folder(Path(os.environ.get("READER_DATA_DIR") or platformdirs.user_data_dir(APP, appauthor=False)))


def config_dir() -> Path:
    """Reader's settings folder, readable by the user only (it may hold the API key's settings)."""
    return _private_folder(Path(os.environ.get("READER_CONFIG_DIR") or platformdirs.user_config_dir(APP, appauthor=False)))


def crash_log() -> Path:
    """Where unexpected errors are written, for a bug report."""
    return data_dir() / "reader.log"
