"""FileJobsController without a window: an export on its own connection, one job at a time, failures as types."""

import json

from reader.exchange.errors import ExportError
from reader.ui.controllers.file_jobs import FileJobsController


def test_a_backup_runs_on_its_own_connection_and_a_second_job_waits(reading, transcript_file, tmp_path, qtbot):
    from reader.exchange.formats import export

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


def test_a_restore_reports_its_progress_for_the_bar_and_hides_it_at_the_end(reading, transcript_file, tmp_path, qtbot):
    from reader.exchange.formats import export
    from reader.ui.widgets.banner import Banner

    reading.open_paths(None, transcript_file)
    target = tmp_path / "backup.json"
    export(reading.store, None, "json", target)
    reading.store.remove_video(reading.store.videos()[0]["id"])
    jobs = FileJobsController(lambda: reading.store)
    banner = Banner()
    seen = []
    jobs.progress_changed.connect(lambda done, total: seen.append((done, total)))
    jobs.progress_changed.connect(banner.show_progress)
    with qtbot.waitSignal(jobs.restored, timeout=15_000):
        assert jobs.restore(target)
    assert seen[0][1] > 0 and seen[-1] == (0, 0)  # a bar while it runs, none once it is done
    assert not banner.bar.isVisibleTo(banner)


def test_the_banner_bar_counts_bytes_of_a_large_file_in_the_range_an_int_holds(qtbot):
    from reader.ui.widgets.banner import Banner

    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_progress(3 << 40, 4 << 40)  # 3 of 4 TiB: past what a QProgressBar's int can count
    assert banner.bar.isVisibleTo(banner) and banner.bar.maximum() > 0 and abs(banner.bar.value() / banner.bar.maximum() - 0.75) < 0.001
    banner.show_progress(0, 0)
    assert not banner.bar.isVisibleTo(banner)
