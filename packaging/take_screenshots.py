"""Take screenshots of Reader in a real window: start, mid-play, find open. Run under X (or Xvfb):

    Xvfb :99 -screen 0 1440x900x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb uv run python packaging/take_screenshots.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication

from reader.ui.app import make_app


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(path: Path) -> None:
    # Grab the screen, not the widget: QVideoWidget.grab() leaves the video out.
    QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
    print("wrote", path)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    from reader.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 860)
    window.move(0, 0)
    window.show()
    window.reading.open_demo()
    wait(1500)
    shoot(out / "start.png")
    window.player.seek(9_000)
    window.player.play()
    wait(4000)
    shoot(out / "midplay.png")
    window.player.pause()
    window.transcript_pane.open_find()
    window.transcript_pane.find_bar.edit.setText("line")
    window.transcript_pane.find_bar.step_requested.emit(1)
    wait(600)
    shoot(out / "find.png")
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
