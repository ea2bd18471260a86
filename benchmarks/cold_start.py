"""Cold start, side by side: Reader to the demo's first video frame, `mpv --frames=1` and a bare PySide6 player
on the same file, each started afresh several times in one run under an X server (Xvfb); prints medians."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "resources" / "demo" / "demo.mp4"
TIMEOUT_S = 60
PRIORITY = [0]  # a niceness below 0 (root only) keeps other work on a shared machine from distorting the figures


def _raise_priority() -> None:
    if PRIORITY[0]:
        os.setpriority(os.PRIO_PROCESS, 0, PRIORITY[0])


def _env(**extra) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_LOGGING_RULES="*=false", **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed, Reader runs from cached bytecode, not recompiled each start
    return env


def _until_line(cmd: list[str], env: dict, word: str, wait_for_exit: bool = False) -> tuple[float, float, float]:
    """Seconds from starting cmd to the line starting with `word` in its output; to its exit when wait_for_exit
    (else it is ended at the line, and this is the first figure again); and the CPU seconds it used, all its
    threads, up to then (less sensitive than wall time to other work on the machine)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, preexec_fn=_raise_priority)
    try:
        seen = None
        tail: list[str] = []
        for line in proc.stdout:
            if line.startswith(word):
                seen = time.perf_counter() - started
                break
            tail = (tail + [line])[-8:]
        if seen is None:
            raise RuntimeError(f"{Path(cmd[1] if len(cmd) > 1 else cmd[0]).name} drew no frame: {''.join(tail)[-600:]}")
        if wait_for_exit:
            proc.stdout.read()
        else:
            proc.kill()
        _pid, _status, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        ended = time.perf_counter() - started if wait_for_exit else seen
        return seen, ended, usage.ru_utime + usage.ru_stime
    finally:
        if proc.returncode is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def reader_once() -> tuple[float, float]:
    """Reader as a new user starts it (no settings, no library: the demo opens), to its first frame: (wall, CPU)."""
    home = Path(tempfile.mkdtemp(prefix="reader-cold-"))
    try:
        env = _env(READER_DATA_DIR=str(home / "data"), READER_CONFIG_DIR=str(home / "config"))
        seen, _ended, cpu = _until_line([sys.executable, str(HERE / "cold_start_child.py")], env, "FIRST_FRAME")
        return seen, cpu
    finally:
        shutil.rmtree(home, ignore_errors=True)


def bare_once() -> tuple[float, float]:
    """A bare PySide6 player (QVideoWidget, QMediaPlayer, QAudioOutput) on the demo, to its first frame: (wall, CPU)."""
    seen, _ended, cpu = _until_line([sys.executable, str(HERE / "bare_player.py"), str(DEMO)], _env(), "FIRST_FRAME")
    return seen, cpu


def mpv_once(mpv: str) -> tuple[float, float, float]:
    """mpv showing one frame of the demo in an X11 window: (its first frame shown, from its log as it happens;
    its whole run, start to exit; its CPU time). Audio goes to mpv's null output: this machine has no sound device, and
    without one mpv gives up on audio and exits with status 2."""
    cmd = [mpv, "--no-config", "--frames=1", "--vo=x11", "--ao=null", "--msg-level=all=no,cplayer=v", str(DEMO)]
    return _until_line(cmd, _env(), "[cplayer] first video frame", wait_for_exit=True)


def measure(rounds: int = 7) -> dict | str:
    """Medians in seconds over `rounds` rounds, the programs taking turns in each round (so a busy moment on
    the machine hits all of them); or a sentence saying why nothing could be measured."""
    if not os.environ.get("DISPLAY"):
        return "no X display (start Xvfb and set DISPLAY, e.g. `Xvfb :99 & DISPLAY=:99 ...`)"
    mpv = shutil.which("mpv")
    if mpv is None:
        return "mpv is not installed (`apt-get install mpv`)"
    runs: dict[str, list[float]] = {name: [] for name in ("reader", "reader_cpu", "mpv", "mpv_frame", "mpv_cpu", "bare", "bare_cpu")}
    reader_once(), bare_once(), mpv_once(mpv)  # the first starts compile bytecode and fill the disk cache: not counted
    for _ in range(rounds):
        for name, figures in (("reader", reader_once()), ("mpv", mpv_once(mpv)), ("bare", bare_once())):
            if name == "mpv":
                frame, whole, cpu = figures
                runs["mpv_frame"].append(frame)
                runs["mpv"].append(whole)
            else:
                whole, cpu = figures
                runs[name].append(whole)
            runs[f"{name}_cpu"].append(cpu)
    result: dict = {"rounds": rounds, "load": os.getloadavg()[0], "priority": PRIORITY[0]}
    for name, times in runs.items():
        result[name] = (statistics.median(times), min(times), max(times))
    return result


def report(result: dict | str) -> str:
    """The figures as lines of text: each median, with the fastest and slowest run."""
    if isinstance(result, str):
        return f"cold start not measured: {result}"
    r = result

    def ms(key: str) -> str:
        return f"{r[key][0] * 1000:5.0f} ms ({r[key][1] * 1000:.0f}-{r[key][2] * 1000:.0f})"

    reader, mpv, bare = r["reader"][0], r["mpv"][0], r["bare"][0]
    cpu = {name: r[f"{name}_cpu"][0] for name in ("reader", "mpv", "bare")}
    return "\n".join([
        f"cold start, medians of {r['rounds']} rounds (fastest-slowest), from starting the process "
        f"(load average {r['load']:.1f} on {os.cpu_count()} cores{', run at niceness %d' % r['priority'] if r['priority'] else ''}):",
        f"  Reader, to the demo's first frame in its window  {ms('reader')}, CPU {ms('reader_cpu')}",
        f"  mpv --frames=1 --vo=x11, its whole run           {ms('mpv')}, CPU {ms('mpv_cpu')}; its first frame shown {ms('mpv_frame')}",
        f"  bare PySide6 player, to its first frame          {ms('bare')}, CPU {ms('bare_cpu')}",
        f"  Reader / mpv: {reader / mpv:.2f} (CPU {cpu['reader'] / cpu['mpv']:.2f}); Reader / mpv's first frame: "
        f"{reader / r['mpv_frame'][0]:.2f}; Reader / bare player: {reader / bare:.2f} (CPU {cpu['reader'] / cpu['bare']:.2f})",
    ])


if __name__ == "__main__":
    # cold_start.py [ROUNDS] [--priority]: --priority runs the three programs at niceness -10 (needs root)
    PRIORITY[0] = -10 if "--priority" in sys.argv else 0
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    print(report(measure(int(numbers[0]) if numbers else 7)))
