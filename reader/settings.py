"""Reader's settings file (QSettings' INI format, read here without Qt for the command line)."""

from __future__ import annotations

import configparser

from .llm import DEFAULT_MODEL
from .paths import config_dir


def settings_path():
    return config_dir() / "reader.ini"


def model_setting() -> str:
    """The Claude model chosen in Settings, or the default."""
    parser = configparser.ConfigParser()
    try:
        parser.read(settings_path(), encoding="utf-8")
        value = parser.get("claude", "model", fallback="").strip()
    except (configparser.Error, OSError):
        value = ""
    return value or DEFAULT_MODEL
