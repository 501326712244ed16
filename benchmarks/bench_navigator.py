"""The « Vue d’ensemble » navigator while panning a large chart (issue 15).

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_navigator.py [--sizes 10000] [--steps 120]``.

Opens the synthetic organisation in the real editor window (1600×1000), zooms to 50 %, then
pans the chart view step by step (60 px each, across and down, as a drag would), lets the view
repaint, and times the navigator's own repaint (``repaint()`` is synchronous): median and p95. Also timed:
the first paint after the layout changed (the miniature is redrawn from the layout's boxes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--steps", type=int, default=120)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings

    from dicom_desktop.files.storage import save_organisation
    from dicom_desktop.synthetic import generate_organisation
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow

    app = create_application()
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}")
    print(f"{'entities':>8} {'first paint ms':>15} {'pan repaint median ms':>22} {'p95 ms':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat)
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"org-{size}.json"
            save_organisation(generate_organisation(size), path)
            window = MainWindow(settings=settings)
            window.resize(1600, 1000)
            window.show()
            window.open_path(path, prompt=False)
            app.processEvents()
            nav, view = window.navigator, window.view
            window.navigator_dock.show()
            app.processEvents()
            nav.chart_changed()
            t0 = time.perf_counter()
            nav.repaint()
            first = time.perf_counter() - t0
            view.set_zoom(0.5)
            app.processEvents()
            h, v = view.horizontalScrollBar(), view.verticalScrollBar()
            times = []
            for step in range(args.steps):
                h.setValue(h.value() + (60 if (step // 20) % 2 == 0 else -60))
                v.setValue(v.value() + 30)
                app.processEvents()  # the chart view repaints itself (not timed)
                t0 = time.perf_counter()
                nav.repaint()
                times.append(time.perf_counter() - t0)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"{size:>8} {first * 1000:>15.1f} {statistics.median(times) * 1000:>22.2f} {p95 * 1000:>8.2f}",
                  flush=True)
            window.undo_stack.setClean()
            window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
