"""The collector held off while the SDK loads in the background: off for every thread meanwhile, as it was after."""

import gc
import threading

import pytest

from reader.base.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_as_it_was():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_collector_is_off_inside_and_as_it_was_after(enabled_before):
    (gc.enable if enabled_before else gc.disable)()
    frozen = gc.get_freeze_count()
    with collector_paused():
        made = [[] for _ in range(1000)]
        assert not gc.isenabled()
    assert gc.isenabled() is enabled_before
    assert gc.get_freeze_count() >= frozen + len(made)  # what the block made is out of the collector's sight


def test_two_threads_holding_it_keep_it_off_until_the_last_lets_go():
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def other():
        with collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(10)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread is still loading
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_failure_inside_still_turns_it_back_on():
    gc.enable()
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("the import failed")
    assert gc.isenabled()
