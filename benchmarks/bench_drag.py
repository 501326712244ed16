"""Chart drag and drop on a large synthetic organisation: mouse-move step cost and drop cost.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_drag.py [--sizes 1000 10000] [--steps 40]

Drives ``dicom_desktop.ui.drag.benchmark_drag`` (real mouse events sent to the chart viewport):
one re-attachment of a deep entity of the first branch onto an entity of the last branch.
Prints, in ms: one mouse-move step (mean/max: preview, hit test, decorations; never a relayout),
the drop (operation + relayout + scene rebuild + panels), one synchronous repaint, the undo.
The relayout animation is skipped above 2,000 boxes, so the drop time is the whole cost.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def run(size: int, steps: int) -> dict:
    import os

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="dicom-bench-data-")  # no autosave in the user's folder
    from PySide6.QtCore import QSettings

    from dicom_desktop.document import Document
    from dicom_desktop.synthetic import generate_organisation
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.drag import benchmark_drag
    from dicom_desktop.ui.main_window import MainWindow

    app = create_application()
    doc = Document.from_file_model(generate_organisation(size, seed=1))
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(doc, settings=settings)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    graph = doc.graph
    branches = graph.children_map()[graph.root]
    source = graph.subtree(branches[0])[-1]
    target = graph.subtree(branches[-1])[1] if len(graph.subtree(branches[-1])) > 1 else branches[-1]
    benchmark_drag(window, source, target, steps)  # warm-up
    result = benchmark_drag(window, source, target, steps)
    window.undo_stack.setClean()
    window.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    for size in args.sizes:
        r = run(size, args.steps)
        print(f"{size:>6} entités : pas de souris {r['move_mean_ms']:.2f} ms (max {r['move_max_ms']:.2f}), "
              f"dépôt {r['drop_ms']:.0f} ms, rafraîchissement {r['repaint_ms']:.0f} ms, "
              f"annulation {r['undo_ms']:.0f} ms (déplacé : {r['moved']})")


if __name__ == "__main__":
    main()
