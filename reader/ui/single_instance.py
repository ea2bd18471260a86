"""One window per library: a second `reader` on the same library brings the first window forward, with what it was asked to open."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from reader.base.paths import data_dir

CONNECT_MS = 1000  # a first window that does not take the connection in this long is taken for gone (killed)
ANSWER_MS = 20_000  # one that took it answers once its event loop runs (it may still be starting, on a busy machine)
TAKEN, ABSENT, SILENT = "taken", "absent", "silent"
MAX_REQUEST = 64 * 1024  # bytes: a request is a few paths


def server_name(library: Path | None = None) -> str:
    """The name the first window listens on: one per library (per data folder) and per user."""
    where = os.path.realpath(library or data_dir() / "library.db")
    return "reader-" + hashlib.sha256(f"{os.getuid() if hasattr(os, 'getuid') else ''}:{where}".encode()).hexdigest()[:24]


def forward(name: str, request: dict) -> str:
    """Hand the request to a window already open on this library: TAKEN, ABSENT (no window listens), or
    SILENT (one listens but did not answer)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        return ABSENT
    socket.write(json.dumps(request).encode() + b"\n")
    if socket.bytesToWrite():
        socket.waitForBytesWritten(CONNECT_MS)
    answered = socket.bytesAvailable() > 0 or socket.waitForReadyRead(ANSWER_MS)
    answer = bytes(socket.readAll().data()) if answered else b""
    socket.disconnectFromServer()
    return TAKEN if answer.startswith(b"ok") else SILENT


def claim(name: str, request: dict) -> FirstWindow | str:
    """This `reader` as the library's first window (listening for later ones), or what became of the request
    when a window is already open on the library (TAKEN or SILENT). Two started at once: the one that listens
    first is the first."""
    answer = forward(name, request)
    if answer != ABSENT:
        return answer
    first = FirstWindow()
    if first.server.listen(name):
        return first
    answer = forward(name, request)  # another started in between and listens now
    if answer != ABSENT:
        return answer
    QLocalServer.removeServer(name)  # a Reader killed without closing left its name behind: nothing answers on it
    first.server.listen(name)
    return first


class FirstWindow(QObject):
    """Listens for later `reader` windows on the same library; `requested` carries what each asked to open."""

    requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.peek(MAX_REQUEST + 1).data())
        if b"\n" not in data:
            if len(data) > MAX_REQUEST:
                socket.abort()
            return
        socket.readAll()
        try:
            request = json.loads(data.split(b"\n", 1)[0])
        except ValueError:
            request = None
        if not isinstance(request, dict):
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        self.requested.emit(request)


def request_for(media: Path | None, subs: Path | None, video_id: int | None, position_ms: int) -> dict:
    """What a later `reader` asks the first window to open (paths made absolute: the two run in different folders)."""
    return {"media": str(Path(media).absolute()) if media else None, "subs": str(Path(subs).absolute()) if subs else None,
            "video_id": video_id, "position_ms": position_ms}


def take_request(window, request: dict) -> None:
    """Bring the window forward and open what the later `reader` was given (nothing trusted: checked as typed)."""
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()
    video_id, position = request.get("video_id"), request.get("position_ms")
    media, subs = request.get("media"), request.get("subs")
    position = position if isinstance(position, int) and not isinstance(position, bool) else -1
    if isinstance(video_id, int) and not isinstance(video_id, bool) and 0 < video_id < 2**63:
        window.reading.open_video(video_id, position)
    elif isinstance(media, str) or isinstance(subs, str):
        window.reading.open_paths(Path(media) if isinstance(media, str) else None, Path(subs) if isinstance(subs, str) else None)
