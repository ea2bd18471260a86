"""The window's settings: the one table of keys in reader.base.settings, typed, read and written through QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from reader.base.settings import SETTINGS, convert, settings_path, settings_problem, to_text


class Settings:
    """Every key is one of reader.base.settings.SETTINGS; values come back as their table entry's kind, and a
    missing or unusable value as its default. A settings file that is not a regular file (a pipe would
    make Qt wait forever) is left alone: settings then last until Reader closes."""

    def __init__(self):
        self.path = settings_path()
        self.problem = settings_problem(self.path)
        self._qt = None if self.problem else QSettings(str(self.path), QSettings.Format.IniFormat)
        self._memory: dict[str, object] = {}

    def get(self, key: str):
        setting = SETTINGS[key]
        if self._qt is None:
            return self._memory.get(key, setting.default)
        raw = self._qt.value(key)
        if raw is None:
            return setting.default
        if setting.kind == "bytes":  # Qt's own state (window geometry): handed back as Qt stored it
            return raw
        if isinstance(raw, (list, tuple)):  # QSettings reads an unquoted a,b as a list
            raw = ",".join(str(x) for x in raw)
        return convert(setting, str(raw))

    def set(self, key: str, value) -> None:
        setting = SETTINGS[key]
        if self._qt is None:
            self._memory[key] = value
            return
        self._qt.setValue(key, value if setting.kind == "bytes" else to_text(key, value))

    def sync(self) -> str:
        """Write what changed; "" when it was written, else why not, as a sentence."""
        if self._qt is None:
            return self.problem
        self._qt.sync()
        if self._qt.status() != QSettings.Status.NoError:
            return f"Settings could not be saved to {self.path} (the disk may be full or the folder read-only); they last until Reader closes."
        return ""


_IN_MEMORY: dict[str, Settings] = {}


def settings() -> Settings:
    """The settings for the config folder in use. Qt shares one copy of a file's settings within the
    process; where the file cannot be used, the one in-memory copy is kept for this run."""
    path = str(settings_path())
    if path in _IN_MEMORY:
        return _IN_MEMORY[path]
    made = Settings()
    if made.problem:
        _IN_MEMORY[path] = made
    return made
