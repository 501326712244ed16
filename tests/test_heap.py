"""Freed heap memory handed back to the system after an open: only where the C library can, never
failing elsewhere; the editor asks after every open (now, and again after the first frame)."""

from __future__ import annotations

import sys

import pytest

from dicom_desktop import heap


@pytest.fixture
def fresh(monkeypatch):
    """Forget which trim function was found (each test finds it again under its own conditions)."""
    monkeypatch.setattr(heap, "_trim", heap._UNKNOWN)
    return heap


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_on_glibc_the_heap_is_trimmed(fresh):
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    assert fresh.return_free_memory() is True
    assert fresh.return_free_memory() is True  # found once, asked every time


def test_elsewhere_nothing_is_done_and_nothing_fails(fresh, monkeypatch):
    monkeypatch.setattr(fresh.sys, "platform", "win32")
    assert fresh.return_free_memory() is False
    monkeypatch.setattr(fresh.sys, "platform", "darwin")
    assert fresh.return_free_memory() is False


def test_a_c_library_without_malloc_trim_or_a_failing_call_is_not_an_error(fresh, monkeypatch):
    import ctypes

    monkeypatch.setattr(fresh.sys, "platform", "linux")

    class NoTrim:  # musl: the C library has no malloc_trim
        def __init__(self, name):
            pass

    monkeypatch.setattr(ctypes, "CDLL", NoTrim)
    assert fresh.return_free_memory() is False

    def refuse(name):
        raise OSError("no C library to load")

    monkeypatch.setattr(fresh, "_trim", fresh._UNKNOWN)
    monkeypatch.setattr(ctypes, "CDLL", refuse)
    assert fresh.return_free_memory() is False

    def broken(pad):
        raise RuntimeError("trim failed")

    monkeypatch.setattr(fresh, "_trim", broken)
    assert fresh.return_free_memory() is False
