"""A bulk step holds the cycle collector and gives it back as it found it, errors or not."""

from __future__ import annotations

import gc

import pytest

from wqg_desktop.services.bulk import no_gc_pauses


@no_gc_pauses()
def _state() -> bool:
    return gc.isenabled()


def test_collector_is_held_for_the_step_and_given_back() -> None:
    assert gc.isenabled()
    with no_gc_pauses():
        assert not gc.isenabled()
        assert _state() is False  # a nested step leaves it to the outer one
        assert not gc.isenabled()
    assert gc.isenabled() and _state() is False and gc.isenabled()


def test_collector_comes_back_after_an_error() -> None:
    with pytest.raises(ValueError), no_gc_pauses():
        raise ValueError("步骤出错")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with no_gc_pauses():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
