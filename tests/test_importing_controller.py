"""ImportingController without a window: a link imported and committed, a failure as its type, retry."""

import pytest

from reader.library.download import ImportCancelled, ImportFailed, ImportOptions
from reader.ui.controllers.importing import ImportingController, failure_title

from fake_site import FakeTubeIE
from media import CLIP_VTT


@pytest.fixture
def importing(reading, events):
    controller = ImportingController(lambda: reading.store, events)
    controller.extractors = [FakeTubeIE()]
    yield controller
    controller.cancel()


def test_a_link_is_imported_and_committed(importing, events, reading, site, clip_bytes, qtbot):
    url = site.add_video("c1", clip_bytes, creator_vtt=CLIP_VTT)
    busy = []
    importing.busy_changed.connect(lambda what, detail: busy.append(detail))
    with qtbot.waitSignal(importing.committed, timeout=20_000) as committed, qtbot.waitSignal(events.library_changed, timeout=20_000):
        importing.add_link(url, ImportOptions())
    assert busy == ["Starting…"] and reading.store.video(committed.args[0]) is not None
    assert not importing.busy()


def test_a_failure_is_typed_and_can_be_retried(importing, reading, site, clip_bytes, qtbot):
    url = site.base + "/watch?v=later"
    with qtbot.waitSignal(importing.failed, timeout=15_000) as failed:
        importing.add_link(url, ImportOptions())
    job, exc = failed.args
    assert isinstance(exc, ImportFailed) and not isinstance(exc, ImportCancelled)
    assert job.url == url and importing.last_failed is job and failure_title(job, exc).startswith("Import failed")
    site.add_video("later", clip_bytes, creator_vtt=CLIP_VTT)
    with qtbot.waitSignal(importing.committed, timeout=20_000):
        importing.retry()
    assert reading.store.count() == 1


def test_cancel_is_a_cancelled_failure_with_nothing_to_retry(importing, reading, site, qtbot):
    url = site.add_video("big", bytes(6_000_000), creator_vtt=CLIP_VTT)
    site.throttle["/media/big.mp4"] = 0.03
    importing.add_link(url, ImportOptions())
    qtbot.waitUntil(lambda: importing.worker is not None, timeout=5_000)
    with qtbot.waitSignal(importing.progress_changed, timeout=15_000):
        pass
    with qtbot.waitSignal(importing.failed, timeout=15_000) as failed:
        importing.cancel()
    assert isinstance(failed.args[1], ImportCancelled) and importing.last_failed is None
    assert reading.store.count() == 0
