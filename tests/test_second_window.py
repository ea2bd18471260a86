"""Two windows on one library: a second `reader` brings the first window forward (and has it open what it was
given) instead of opening a second window; a first window killed with -9 leaves nothing that stops the next."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from PySide6.QtNetwork import QLocalSocket

from reader.ui.app import ALREADY_OPEN
from reader.ui.single_instance import server_name


def _window(*args: str) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-m", "reader", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _listening(name: str, child: subprocess.Popen, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and child.poll() is None:
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(200):
            socket.disconnectFromServer()
            return True
        time.sleep(0.2)
    return False


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.communicate(timeout=30)


@pytest.mark.parametrize("second", [(), ("open", "reader://video/1?t=5")], ids=["plain", "a link to open"])
def test_a_second_window_on_one_library_brings_the_first_forward(qapp, data_dir, second):
    first = _window()
    try:
        assert _listening(server_name(), first), "the first window never listened"
        later = _window(*second)
        out, err = later.communicate(timeout=60)
        assert later.returncode == 0, err
        assert out.strip() == ALREADY_OPEN
        assert first.poll() is None  # the first window is still open
    finally:
        _stop(first)


def test_a_window_killed_with_minus_9_does_not_stop_the_next(qapp, data_dir):
    first = _window()
    try:
        assert _listening(server_name(), first)
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        again = _window()
        try:
            assert _listening(server_name(), again), "the next window did not open after the first was killed"
            assert again.poll() is None
        finally:
            _stop(again)
    finally:
        _stop(first)


def test_two_windows_on_two_libraries_both_open(qapp, data_dir, tmp_path, monkeypatch):
    first = _window()
    try:
        assert _listening(server_name(), first)
        monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "another"))
        other = _window()
        try:
            assert _listening(server_name(), other), "a window on another library was refused"
        finally:
            _stop(other)
    finally:
        _stop(first)
