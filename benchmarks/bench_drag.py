"""Chart drag and drop on a large synthetic organisation: mouse-move step cost and drop cost.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_drag.py [--sizes 1000 10000] [--steps 40]

Drives :func:`benchmark_drag` (real mouse events sent to the chart viewport):
one re-attachment of a deep entity of the first branch onto an entity of the last branch.
Prints, in ms: one mouse-move step (mean/max: preview, hit test, decorations; never a relayout),
the drop (operation + relayout + scene rebuild + panels), one synchronous repaint, the undo.
The relayout animation is skipped above 2,000 boxes, so the drop time is the whole cost.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def benchmark_drag(window, entity_id: str, target_id: str, steps: int = 50) -> dict:
    """Time one drag of ``entity_id`` onto ``target_id`` through real mouse events on the viewport.

    Returns milliseconds: ``move_mean_ms``/``move_max_ms`` (one mouse-move step: preview,
    hit test, decorations), ``drop_ms`` (release: operation, relayout, scene rebuild, panels),
    ``repaint_ms`` (one synchronous viewport repaint after the drop), ``undo_ms``, ``boxes``.
    """
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    view, scene = window.view, window.scene
    controller = window.drag
    for entity in (entity_id, target_id):
        window.navigation.reveal_and_select(entity)
    window.selection.select(None)
    view.ensure_entity_visible(entity_id)
    source = scene.item_for(entity_id)
    start_scene = source.mapToScene(source.box_rect().center())
    target = scene.item_for(target_id)
    end_scene = target.mapToScene(target.box_rect().center())
    viewport = view.viewport()

    def send(kind, scene_pos, buttons=Qt.MouseButton.LeftButton, button=Qt.MouseButton.NoButton):
        local = QPointF(view.mapFromScene(scene_pos))
        event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(local.toPoint())), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    # The target may be off screen: the view then shows both ends (zoomed out only if need be).
    both = source.sceneBoundingRect().united(target.sceneBoundingRect()).adjusted(-40, -40, 40, 40)
    if not view.mapToScene(viewport.rect()).boundingRect().contains(both):
        view.fitInView(both, Qt.AspectRatioMode.KeepAspectRatio)
    QApplication.processEvents()
    send(QEvent.Type.MouseButtonPress, start_scene, button=Qt.MouseButton.LeftButton)
    timings = []
    for n in range(1, steps + 1):
        p = start_scene + (end_scene - start_scene) * (n / steps)
        t0 = time.perf_counter()
        send(QEvent.Type.MouseMove, p)
        timings.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    send(QEvent.Type.MouseButtonRelease, end_scene, buttons=Qt.MouseButton.NoButton, button=Qt.MouseButton.LeftButton)
    t1 = time.perf_counter()
    viewport.repaint()
    t2 = time.perf_counter()
    moved = window.doc.graph.parent(entity_id) == target_id
    controller.animator.stop()
    t3 = time.perf_counter()
    window.undo_stack.undo()
    t4 = time.perf_counter()
    return {
        "boxes": len(scene.placed_positions()),  # every box drawn (items exist only for those in sight)
        "steps": steps,
        "moved": moved,
        "move_mean_ms": 1000 * sum(timings) / len(timings),
        "move_max_ms": 1000 * max(timings),
        "drop_ms": 1000 * (t1 - t0),
        "repaint_ms": 1000 * (t2 - t1),
        "undo_ms": 1000 * (t4 - t3),
    }



def run(size: int, steps: int) -> dict:
    import os

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="dicom-bench-data-")  # no autosave in the user's folder
    from PySide6.QtCore import QSettings

    from dicom_desktop.document import Document
    from dicom_desktop.synthetic import generate_organisation
    from dicom_desktop.ui.app import create_application
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
