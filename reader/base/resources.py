"""Find bundled resources (demo, prompts, icons) whether running from source, installed, or frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    """The folder holding Reader's resources: inside the package when installed, the repo's otherwise."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "reader" / "resources"
    packaged = Path(__file__).resolve().parents[1] / "resources"  # reader/resources when installed
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "resources"  # the repo's


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def demo_video() -> Path:
    return resource("demo", "demo.mp4")
