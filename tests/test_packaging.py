"""The app as shipped: the self-test from source, the wheel's contents, the desktop files, the built binary."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_self_test_opens_the_demo_and_plays_it(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", READER_DATA_DIR=str(tmp_path / "d"), READER_CONFIG_DIR=str(tmp_path / "c"))
    run = subprocess.run([sys.executable, "-m", "reader", "--self-test"], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "reader self-test: ok: played to" in run.stdout


def test_the_wheel_carries_the_resources_and_the_command(tmp_path):
    out = subprocess.run(["uv", "build", "--wheel", "--out-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    wheel = next(tmp_path.glob("reader-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry_points = next(z.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for needed in ("reader/resources/demo/demo.mp4", "reader/resources/demo/demo.vtt", "reader/resources/prompts/system.md",
                   "reader/resources/prompts/tools/1-preread.md", "reader/resources/icons/io.github.reader.Reader.svg",
                   "reader/ui/main_window.py", "reader/transcript/webvtt.py"):
        assert needed in names
    assert "reader = reader.cli.main:main" in entry_points


def test_desktop_entry_metainfo_and_icons_share_one_id():
    app_id = "io.github.reader.Reader"
    desktop = (ROOT / "packaging" / f"{app_id}.desktop").read_text()
    meta = (ROOT / "packaging" / f"{app_id}.metainfo.xml").read_text()
    assert f"Icon={app_id}" in desktop and f"<id>{app_id}</id>" in meta and f"{app_id}.desktop" in meta
    assert (ROOT / "resources" / "icons" / f"{app_id}.svg").exists()
    assert all((ROOT / "packaging" / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{app_id}.png").exists() for n in (16, 32, 48, 128, 256, 512))
    from reader.ui.app import APP_ID

    assert APP_ID == app_id


@pytest.mark.packaging
def test_the_built_app_opens_the_demo_and_plays_it(tmp_path):
    binary = ROOT / "dist" / "Reader" / "reader"
    if not binary.exists():
        pytest.fail("build it first: packaging/build.sh")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", READER_DATA_DIR=str(tmp_path / "d"), READER_CONFIG_DIR=str(tmp_path / "c"))
    run = subprocess.run([str(binary), "--self-test"], capture_output=True, text=True, timeout=180, env=env)
    assert run.returncode == 0 and "self-test: ok" in run.stdout, run.stdout + run.stderr
