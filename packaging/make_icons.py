"""Render the SVG icon to the PNG sizes desktops want (and .ico/.icns for Windows and macOS builds).

    uv run python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.reader.Reader"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    svg.render(painter)
    painter.end()
    return image


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = QSvgRenderer(str(ROOT / "resources" / "icons" / f"{APP_ID}.svg"))
    out = ROOT / "packaging" / "icons"
    for size in SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        render(svg, size).save(str(path))
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    if "ico" in formats:
        render(svg, 256).save(str(out / "reader.ico"))
    if "icns" in formats:
        render(svg, 512).save(str(out / "reader.icns"))
    print("icons written to", out, "(ico)" if "ico" in formats else "", "(icns)" if "icns" in formats else "")
    del app


if __name__ == "__main__":
    main()
