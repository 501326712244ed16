"""Small timing helpers shared by the benchmark scripts (run as scripts: imported as a sibling)."""

from __future__ import annotations

import time


def best_of(fn, repeat: int):
    """(fastest wall time of ``repeat`` calls of ``fn``, the last call's result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result
