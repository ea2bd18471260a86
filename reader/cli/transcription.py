"""`reader transcribe`, `reader models list|download` and import's --transcribe: progress and time left on stderr."""

from __future__ import annotations

import sys
import time

from reader.transcription.models import CATALOGUE, DownloadCancelled, ModelProblem, default_model, download, installed, models_dir, resolve

NO_MODEL = ("no transcription model yet: get one with `reader models download base.en` (145 MB; "
            "`reader models list` shows the others), or give --model FOLDER")


def _clock(ms: int) -> str:
    s = max(0, int(ms // 1000))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def add_arguments(sub, video_id_type, time_type) -> None:
    """The transcribe and models commands, on the main parser's subcommands."""
    tr = sub.add_parser("transcribe", help="transcribe a library video's sound on this machine (lines are stored as they come)")
    tr.add_argument("video_id", type=video_id_type, help="the video's id, as `reader library` lists it")
    tr.add_argument("--model", help="a model name (`reader models list`) or a model folder (default: an installed one)")
    tr.add_argument("--from", dest="from_time", type=time_type, help="start here (h:mm:ss, m:ss or seconds); default the start")
    tr.add_argument("--to", dest="to_time", type=time_type, help="stop here; default the end")
    tr.add_argument("--language", help="the spoken language as a code such as en or de (default: detected)")
    mo = sub.add_parser("models", help="the Whisper models for transcription: list them, or download one")
    mo.add_argument("action", choices=["list", "download"])
    mo.add_argument("name", nargs="?", help="for download: the model's name (tiny, tiny.en, base, base.en, small, small.en)")


def pick_model(name: str | None) -> tuple[str, str]:
    """(name, folder) of the model to use; ModelProblem with how to get one when there is none."""
    chosen = name or default_model()
    if chosen is None:
        raise ModelProblem(NO_MODEL)
    found, folder = resolve(chosen)
    return found, str(folder)


def transcribe(video_id: int, model: str | None, from_ms: int = 0, to_ms: int | None = None, language: str | None = None,
               fail=None) -> int:
    """Run a transcription job to its end, with progress and time left on stderr; Ctrl+C cancels it."""
    from reader.transcription import job as jobs

    if to_ms is not None and to_ms <= from_ms:
        return fail("--to must be after --from")
    problem = _stretch_problem(video_id, from_ms, to_ms)
    if problem:
        return fail(problem)
    try:
        _, folder = pick_model(model)
    except ModelProblem as exc:
        return fail(str(exc))
    job = jobs.start(video_id, folder, from_ms, to_ms, language)
    lines = 0
    try:
        while True:
            code = job.wait(0.2)
            for p in job.poll():
                lines += p["lines_added"]
                done, total = p["done_ms"] - from_ms, max(p["total_ms"] - from_ms, 1)
                left = p["elapsed_s"] / done * (total - done) if done > 0 else 0
                tty = sys.stderr.isatty()
                print(("\r" if tty else "") + f"transcribed {_clock(p['done_ms'])} of {_clock(p['total_ms'])}, {lines} lines, "
                      f"about {_clock(left * 1000)} left ", end="" if tty else "\n", file=sys.stderr, flush=True)
            if code is not None:
                break
    except KeyboardInterrupt:
        job.cancel()
        _end_line(sys.stderr.isatty())
        return fail("cancelled; the lines transcribed so far are kept")
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if code != 0:
        return fail(job.error or "the transcription stopped")
    if lines == 0:
        stretch = f"from {_clock(from_ms)} to {_clock(to_ms)}" if to_ms is not None else f"from {_clock(from_ms)} on"
        return fail(f"no speech was heard in video {video_id} ({stretch}), so no lines were added")
    print(f"{video_id}\t{lines} lines transcribed")
    return 0


def _stretch_problem(video_id: int, from_ms: int, to_ms: int | None) -> str:
    """Why there is nothing to transcribe (no such video, a stretch past its end), before a model is looked for."""
    from reader.library.db.store import Store

    store = Store()
    try:
        row = store.video(video_id)
    finally:
        store.close()
    if row is None:
        return f"There is no video {video_id} in the library (see `reader library`)."
    length = int(row.get("duration_ms") or 0)
    if length and from_ms >= length:
        return f"--from ({_clock(from_ms)}) is past the end of video {video_id}, which is {_clock(length)} long."
    return ""


def _end_line(shown: bool) -> None:
    if shown:
        print(file=sys.stderr)


def models(action: str, name: str | None, fail) -> int:
    if action == "list":
        if name:
            return fail("`reader models list` takes no name")
        have = installed()
        for info in CATALOGUE.values():
            state = "installed" if info.name in have else "not installed"
            lang = "English only" if info.english_only else "multilingual"
            print(f"{info.name}\t{info.size_mb} MB\t{lang}\t{state}\t{info.speed}")
        print(f"models folder: {models_dir()}", file=sys.stderr)
        return 0
    if not name:
        return fail("say which model to download, for instance `reader models download base.en`")
    last = [0.0]
    shown = [False]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 0.2 or done == total:
            last[0], shown[0] = time.monotonic(), True
            share = f"{done * 100 // total:3d}% " if total else ""
            print(f"\rdownloading {name}: {share}{done / 1e6:.1f} of {total / 1e6:.1f} MB", end="", file=sys.stderr, flush=True)

    try:
        folder = download(name, progress)
    except (KeyboardInterrupt, DownloadCancelled):
        _end_line(shown[0])
        return fail(f"the download of {name} was cancelled; nothing was kept")
    except ModelProblem as exc:
        _end_line(shown[0])
        return fail(str(exc))
    _end_line(shown[0])
    print(f"{name}\t{folder}")
    return 0
