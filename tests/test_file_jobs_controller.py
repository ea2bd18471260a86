"""FileJobsController without a window: an export on its own connection, one job at a time, failures as types."""

import json

from reader.export import ExportError
from reader.ui.controllers.file_jobs import FileJobsController


def test_a_backup_runs_on_its_own_connection_and_a_second_job_waits(reading, transcript_file, tmp_path, qtbot):
    from reader.export import export

    reading.open_paths(None, transcript_file)
    jobs = FileJobsController(lambda: reading.store)
    said = []
    jobs.message_changed.connect(lambda text, level: said.append((text, level)))
    target = tmp_path / "backup.json"
    seen = []

    def run(store, progress):
        seen.append(store is not reading.store)
        return export(store, None, "json", target, progress=progress)

    with qtbot.waitSignal(jobs.finished, timeout=15_000):
        assert jobs.run("Exporting…", run, lambda d, t: f"{d}/{t}", lambda w: f"wrote {len(w)}", "Export failed")
        assert jobs.busy()
        assert not jobs.run("again", run, str, str, "Export failed")  # one at a time
    assert seen == [True] and not jobs.busy()
    assert json.loads(target.read_text(encoding="utf-8"))["videos"]
    assert ("An export or restore is already running; wait for it to finish.", "info") in said
    assert said[-1][1] == "info" and said[-1][0].startswith("wrote")


def test_a_failure_arrives_as_its_exception(reading, qtbot):
    jobs = FileJobsController(lambda: reading.store)

    def run(store, progress):
        raise ExportError("the disk is full")

    with qtbot.waitSignal(jobs.failed, timeout=15_000) as failed:
        jobs.run("Exporting…", run, str, str, "Export failed")
    assert isinstance(failed.args[0], ExportError)
    assert not jobs.busy()
