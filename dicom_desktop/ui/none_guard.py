"""Work around a PySide6 build that returns ``None`` without a new reference (Python < 3.12).

With this environment's PySide6 6.12 on CPython 3.11, every void-returning Qt method
(``setPos``, ``QPainter.drawLine``…) decrements the reference count of ``None`` once. ``None``
starts with a few thousand references, so the editor would abort with « Fatal Python error:
none_dealloc » after a few seconds of painting. Python 3.12+ makes ``None`` immortal, which is what
this module emulates: when the leak is detected, ``None``'s count is raised so high that it can
never reach zero. A no-op on healthy builds and on Python ≥ 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 60
applied = False


def void_calls_leak_none() -> bool:
    """True when a void PySide6 call drops a reference to None (the bug this guards against)."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(8):
        point.setX(1.0)
    return sys.getrefcount(None) < before


def install() -> bool:
    """Make ``None`` practically immortal if this PySide6 build needs it; returns True if applied."""
    global applied
    if applied or sys.version_info >= (3, 12) or not void_calls_leak_none():
        return applied
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of PyObject
    refcount.value += _HEADROOM
    applied = True
    return True
