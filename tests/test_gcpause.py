"""The garbage-collector pause used by bulk loads restores the collector exactly as it found it."""

from __future__ import annotations

import gc

import pytest

from dicom_desktop.gcpause import gc_paused, without_gc


@pytest.fixture(autouse=True)
def _restore_gc():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_pause_disables_then_restores_even_on_error():
    gc.enable()
    with pytest.raises(RuntimeError):
        with gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost_end():
    gc.enable()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner end must not re-enable while the outer is active
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_decorator_pauses_and_returns_the_result():
    gc.enable()

    @without_gc
    def build():
        return gc.isenabled()

    assert build() is False and gc.isenabled()


def test_objects_built_while_paused_are_still_collected_afterwards():
    gc.enable()
    with gc_paused():
        a, b = [], []
        a.append(b)
        b.append(a)  # a reference cycle: only the collector can free it
        del a, b
    assert gc.get_freeze_count() == 0  # nothing left frozen
    assert gc.collect() >= 2


def test_a_deliberate_freeze_elsewhere_is_left_alone():
    gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            [[] for _ in range(100)]
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
