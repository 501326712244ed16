"""Benchmark: time to open a generated organisation in the editor window (offscreen).

    python -m dicom_desktop.ui.bench_open 1000 10000

Prints, per size: building the Document, showing it in the window (layout + scene + outline +
panels), one edit through the undo stack (full relayout), and undo.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def bench(size: int) -> dict[str, float]:
    from PySide6.QtCore import QSettings

    from ..document import Document
    from ..operations import UpdateEntity
    from ..synthetic import generate_organisation
    from .app import create_application
    from .main_window import MainWindow

    app = create_application()
    data = generate_organisation(size, seed=1)
    t0 = time.perf_counter()
    doc = Document.from_file_model(data)
    t1 = time.perf_counter()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    t2 = time.perf_counter()
    window.set_document(doc)
    app.processEvents()
    t3 = time.perf_counter()
    some = next(iter(doc.graph.children_map()[doc.graph.root]))
    window.select(some)
    t4 = time.perf_counter()
    window.execute(UpdateEntity(some, {"name": "Entité renommée pour la mesure"}))
    app.processEvents()
    t5 = time.perf_counter()
    window.undo_stack.undo()
    app.processEvents()
    t6 = time.perf_counter()
    window.undo_stack.setClean()
    window.close()
    return {"document": t1 - t0, "open_in_window": t3 - t2, "edit": t5 - t4, "undo": t6 - t5,
            "boxes": len(window.scene.box_items())}


def main(argv: list[str]) -> int:
    from .app import ensure_platform

    ensure_platform()
    for size in [int(a) for a in argv] or [1000, 10000]:
        r = bench(size)
        print(f"{size:>6} entités : document {r['document']:.2f} s, ouverture dans la fenêtre "
              f"{r['open_in_window']:.2f} s ({r['boxes']} boîtes), modification {r['edit']:.2f} s, "
              f"annulation {r['undo']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
