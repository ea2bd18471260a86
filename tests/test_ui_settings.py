"""The window's settings: typed values from the one table, and a settings file that is not a file."""

import os

import pytest
from PySide6.QtCore import QByteArray

from reader.base.settings import SETTINGS, settings_path
from reader.ui.settings import Settings, settings


@pytest.mark.parametrize("key, value", [
    ("claude/model", "claude-test-model"), ("import/languages", ("fr", "en")), ("import/video", False),
    ("import/max_height", 720), ("ui/appearance", "dark"), ("ui/welcomed", True), ("player/volume", 35),
    ("player/muted", True), ("player/rate", 1.5), ("window/geometry", QByteArray(b"\x01\x02geometry")),
])
def test_each_kind_of_value_comes_back_as_it_went_in_through_the_file(qapp, key, value):
    first = Settings()
    first.set(key, value)
    assert first.sync() == ""
    again = Settings()  # a new reading of the file, as the next start of Reader makes
    assert again.get(key) == value


@pytest.mark.parametrize("key, written", [
    ("player/volume", "250"), ("player/volume", "loud"), ("player/rate", "nan"), ("import/max_height", "1081"),
    ("ui/appearance", "purple"), ("import/video", "perhaps"), ("claude/model", ""),
])
def test_an_unusable_value_in_the_file_reads_as_the_default(qapp, key, written):
    path = settings_path()
    group, name = key.split("/")
    path.write_text(f"[{group}]\n{name}={written}\n", encoding="utf-8")
    assert Settings().get(key) == SETTINGS[key].default


def test_a_settings_file_that_is_a_pipe_is_never_opened_and_settings_last_the_session(qapp):
    path = settings_path()
    os.mkfifo(path)  # Qt would wait forever reading it
    s = settings()
    assert "not a regular file" in s.problem
    assert s.get("player/volume") == SETTINGS["player/volume"].default
    s.set("player/volume", 20)
    assert settings().get("player/volume") == 20  # the same in-memory settings for the rest of the run
    assert s.sync() == s.problem
    assert os.path.exists(path) and not path.is_file()  # left as it was


def test_the_window_opens_and_says_so_when_its_settings_file_is_a_pipe(qtbot):
    from conftest import new_window

    os.mkfifo(settings_path())
    window = new_window(qtbot)
    window.start()  # the demo opens (nothing in the library), and the banner says why settings will not last
    assert "not a regular file" in window.banner.text()
    window.close()
