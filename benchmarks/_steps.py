"""One measured run of one benchmark step, in a fresh process (cold caches, as a user sees it).

    python benchmarks/_steps.py core   FILE WORKDIR
    python benchmarks/_steps.py editor FILE
    python benchmarks/_steps.py pdf    FILE WORKDIR

Prints one JSON object on the last line of stdout: seconds per sub-step, counts, memory. A step
whose module has not landed (the editor, the PDF export) prints ``{"skipped": "reason"}`` instead
of failing, so ``run.py`` can report « n/a (reason) » and the rest of the table still fills in.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a clone: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

now = time.perf_counter


def rss_bytes() -> int:
    """Resident memory of this process (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _skip(reason: str) -> dict:
    return {"skipped": reason}


def _module_missing(exc: ImportError, prefix: str) -> bool:
    name = getattr(exc, "name", "") or ""
    return name.startswith(prefix)


# ---------------------------------------------------------------------------------------- core
def lift_size_cap(file: Path, result: dict | None = None) -> None:
    """Measure files over ``storage.MAX_FILE_BYTES`` anyway (the product refuses them on open),
    and record the cap in ``result`` so the table can say so."""
    from dicom_desktop.files import storage

    size = file.stat().st_size
    cap = getattr(storage, "MAX_FILE_BYTES", None)
    if cap is not None and size > cap:
        storage.MAX_FILE_BYTES = size + 1
        if result is not None:
            result["size_cap_lifted"] = cap


def step_core(file: Path, workdir: Path) -> dict:
    from dicom_desktop.files import storage
    from dicom_desktop.chart.boxes import box_sizes, measure_boxes
    from dicom_desktop.document import Document
    from dicom_desktop.chart.layout import compute_layout

    result: dict = {}
    lift_size_cap(file, result)
    rss0 = rss_bytes()
    t0 = now()
    raw = file.read_bytes()
    loaded = storage.parse_organisation(raw, file)
    t1 = now()
    doc = Document.from_file_model(loaded.data, file, loaded.warnings)
    t2 = now()
    graph = doc.graph
    rows = []
    staff = set()
    for entity_id in graph:
        entity = graph.entity(entity_id)
        rows.append((entity_id, entity.name, entity.head_title, entity.head_name, entity.vacant))
        if entity.staff:
            staff.add(entity_id)
    sizes = box_sizes(measure_boxes(rows))
    t3 = now()
    layout = compute_layout(graph.root, graph.children_map(), sizes, staff)
    t4 = now()
    rss1 = rss_bytes()
    compact = _compact_layout(graph, sizes, staff)
    target = workdir / f"save-{len(graph)}.json"
    t5 = now()
    doc.save(target)
    t6 = now()
    result.update(
        entities=len(graph),
        file_bytes=len(raw),
        load=t1 - t0,
        graph=t2 - t1,
        measure=t3 - t2,
        layout=t4 - t3,
        save=t6 - t5,
        core_total=t4 - t0,
        core_bytes_per_entity=(rss1 - rss0) / max(1, len(graph)),
        chart_width_m=layout.width / 72 * 0.0254,
        chart_height_m=layout.height / 72 * 0.0254,
        **compact,
    )
    for leftover in (target, target.with_name(target.name + ".bak")):
        leftover.unlink(missing_ok=True)
    if len(graph) <= TRACEMALLOC_MAX:
        del doc, graph, layout, compact, sizes, rows, loaded
        result.update(_document_bytes(raw, file))
    return result


TRACEMALLOC_MAX = 10_000  # tracemalloc slows Python ~3×: the untimed memory pass stops here


def _document_bytes(raw: bytes, file: Path) -> dict:
    """Python memory held by an open document, per entity, counted by tracemalloc (after the
    timed steps, so they are not slowed): live after the file model is dropped, and the peak
    while reading (decoded JSON and pydantic models alive together)."""
    import gc
    import tracemalloc

    from dicom_desktop.files import storage
    from dicom_desktop.document import Document

    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    loaded = storage.parse_organisation(raw, file)
    doc = Document.from_file_model(loaded.data, file, loaded.warnings)
    del loaded
    gc.collect()
    live, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = max(1, len(doc.graph))
    return {"doc_bytes_per_entity": (live - base) / n, "load_peak_bytes_per_entity": (peak - base) / n}


def _compact_layout(graph, sizes, staff) -> dict:
    """The editor's layout of a large chart: choose the hanging-list level, then lay out with it."""
    try:
        from dicom_desktop.chart.compaction import choose_compaction
    except ImportError:
        return {}
    c0 = now()
    level = choose_compaction(graph.root, graph.children_map(), sizes, staff)
    c1 = now()
    from dicom_desktop.chart.layout import compute_layout

    layout = compute_layout(graph.root, graph.children_map(), sizes, staff, compact=level)
    c2 = now()
    return {
        "choose_compaction": c1 - c0,
        "compact_layout": c2 - c1,
        "compact_level": -1 if level is None else level,
        "compact_width_m": layout.width / 72 * 0.0254,
        "compact_height_m": layout.height / 72 * 0.0254,
    }


# -------------------------------------------------------------------------------------- editor
def _mid_size_subtree(graph) -> tuple[str, str] | None:
    """A subtree of about sqrt(n) entities and a new parent outside it (another branch)."""
    import math

    root = graph.root
    children = graph.children_map()
    order = graph.preorder()
    size = {}
    for node in reversed(order):
        size[node] = 1 + sum(size[c] for c in children[node])
    want = max(2, int(math.sqrt(len(order))))
    candidates = [n for n in order if n != root and not graph.entity(n).staff and size[n] >= 2]
    if not candidates:
        return None
    moved = min(candidates, key=lambda n: (abs(size[n] - want), n))
    for target in order:
        if children[target] and not graph.is_descendant(target, moved) and target != graph.parent(moved):
            return moved, target
    return None


def step_editor(file: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The benchmark window lives long enough to autosave: keep its recovery snapshots and lock
    # files out of the user's data folder (the editor would offer them at the next start).
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="dicom-bench-data-")
    try:
        from PySide6.QtCore import QSettings
        from PySide6.QtGui import QColor
    except ImportError as exc:
        return _skip(f"PySide6 absent ({exc})")
    try:
        from dicom_desktop.ui.app import create_application
        from dicom_desktop.ui.main_window import MainWindow
    except ImportError as exc:
        if _module_missing(exc, "dicom_desktop.ui"):
            return _skip(f"{exc.name} not there yet")
        raise
    from dicom_desktop.operations import MoveEntity

    result: dict = {}
    lift_size_cap(file, result)
    app = create_application()
    settings_dir = tempfile.mkdtemp(prefix="dicom-bench-")
    settings = QSettings(str(Path(settings_dir) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    view = window.view
    viewport = view.viewport()

    rss0 = rss_bytes()
    t0 = now()
    if not window.open_path(Path(file), prompt=False):
        return _skip("the window refused the file")
    viewport.grab()  # first frame painted (offscreen)
    t1 = now()
    app.processEvents()  # the deferred fit and its paint
    rss1 = rss_bytes()
    graph = window.doc.graph
    n = len(graph)
    result.update(entities=n, first_paint=t1 - t0, bytes_per_entity=(rss1 - rss0) / max(1, n))
    # And once the window has settled (1 s of event loop: deferred fit, freed heap given back).
    settle = now() + 1.0
    while now() < settle:
        app.processEvents()
        time.sleep(0.02)
    result["bytes_per_entity_settled"] = (rss_bytes() - rss0) / max(1, n)

    # Zoom out to see the whole chart, from 100 %: the repaint the user waits for.
    zooms = []
    for _ in range(5):
        view.reset_zoom()
        viewport.grab()
        z0 = now()
        view.fit_chart()
        viewport.grab()
        zooms.append(now() - z0)
    result["zoom_fit"] = statistics.median(zooms)

    # Drag-and-drop re-attachment of a mid-size subtree: MoveEntity through the undo stack,
    # until the relayout is painted; then undo (the same work back), several times.
    pick = _mid_size_subtree(graph)
    if pick is None:
        result["drag_skipped"] = "no movable subtree"
    else:
        moved, target = pick
        subtree = len(graph.subtree(moved))
        view.reset_zoom()
        view.ensure_entity_visible(moved)
        viewport.grab()
        drops = []
        paints = _PaintCounter(viewport)
        for i in range(4):
            d0 = now()
            paints.count = 0
            if i % 2 == 0:
                ok = window.execute(MoveEntity(moved, target, None))
                if not ok:
                    result["drag_skipped"] = "move refused"
                    break
            else:
                window.undo_stack.undo()
            app.processEvents()
            if not paints.count:  # one frame, as for the real drag below (a grab after it paints twice)
                viewport.grab()
            drops.append(now() - d0)
        if drops:
            result.update(drop=statistics.median(drops), drop_subtree=subtree)

        # Mouse-move step while dragging: the drop-target halo moves to the box under the
        # pointer and the view repaints the dirty region. With a drag API in the view, use it.
        ids = [i for i in graph.preorder() if not graph.is_descendant(i, moved)][:120]
        steps = []
        previous = None
        halo = QColor("#2e86de")
        scene = window.scene

        def region(entity_id):
            item = scene.item_for(entity_id)
            return view.mapFromScene(item.sceneBoundingRect()).boundingRect().adjusted(-8, -8, 8, 8)

        for target_id in ids:
            view.ensure_entity_visible(target_id)
            viewport.grab()
            s0 = now()
            dirty = region(target_id)
            if previous is not None:
                scene.set_highlight(previous, None)
                dirty = dirty.united(region(previous))
            scene.set_highlight(target_id, halo)
            viewport.repaint(dirty)  # synchronous paint of the dirty region, as the next frame
            steps.append(now() - s0)
            previous = target_id
        if previous is not None:
            window.scene.set_highlight(previous, None)
        if steps:
            result["halo_p95"] = _p95(steps)
        if getattr(window, "drag", None) is not None:
            result.update(_real_drag(app, window, moved, target))
        elif steps:
            result["hover_p95"] = result["halo_p95"]
            result["hover_note"] = "simulated: drop-target halo moved + dirty-region repaint (no drag API in the view yet)"
    window.undo_stack.setClean()
    window.close()
    return result


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


class _PaintCounter:
    """Counts the paint events of a widget (the drop is timed until its first frame, not two)."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        counter = self

        class _Filter(QObject):
            def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self._filter = _Filter(widget)
        widget.installEventFilter(self._filter)


def _real_drag(app, window, moved: str, target: str, steps: int = 60) -> dict:
    """Drag ``moved`` onto ``target`` with real mouse events on the viewport (the window's drag
    controller does the preview, hit test and decorations); time each move step, then the drop
    until the relaid-out view is painted once (the pending events' frame, or a grab if the
    offscreen platform deferred it: a grab after that frame would time a second paint no user
    waits for). Both ends are brought into view first, zooming out only if need be."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    view, scene = window.view, window.scene
    viewport = view.viewport()
    source, goal = scene.item_for(moved), scene.item_for(target)
    if source is None or goal is None:
        return {"hover_note": "drag ends not drawn (collapsed?)"}
    start = source.sceneBoundingRect().center()
    end = goal.sceneBoundingRect().center()
    both = source.sceneBoundingRect().united(goal.sceneBoundingRect()).adjusted(-40, -40, 40, 40)
    if not view.mapToScene(viewport.rect()).boundingRect().contains(both):  # zoom out only if need be
        view.fitInView(both, Qt.AspectRatioMode.KeepAspectRatio)
    app.processEvents()
    viewport.grab()
    paints = _PaintCounter(viewport)

    def send(kind, scene_pos, buttons, button):
        local = QPointF(view.mapFromScene(scene_pos))
        event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(local.toPoint())), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send(QEvent.Type.MouseButtonPress, start, left, left)
    moves = []
    for n in range(1, steps + 1):
        m0 = now()
        send(QEvent.Type.MouseMove, start + (end - start) * (n / steps), left, none)
        app.processEvents()  # posted updates; offscreen, Qt may defer the paint itself
        moves.append(now() - m0)
    r0 = now()
    paints.count = 0
    send(QEvent.Type.MouseButtonRelease, end, none, left)
    app.processEvents()
    if not paints.count:  # one frame: what the user waits for (offscreen Qt may not have painted yet)
        viewport.grab()
    released = now() - r0
    dropped = window.doc.graph.parent(moved) == target
    animator = getattr(window.drag, "animator", None)
    if animator is not None and hasattr(animator, "stop"):
        animator.stop()
    if dropped:
        window.undo_stack.undo()
        app.processEvents()
    result = {"hover_p95": _p95(moves), "hover_note": "real drag: mouse events through the window's drag "
              "controller (preview, hit test, decorations) + pending events; the offscreen repaint may be deferred"}
    if dropped:
        result["drag_drop"] = released
    return result


# ----------------------------------------------------------------------------------------- pdf
def step_pdf(file: Path, workdir: Path) -> dict:
    try:
        from dicom_desktop.pdf import export_notice_pdf
    except ImportError as exc:
        return _skip(f"PDF export not importable ({exc})")
    from dicom_desktop.document import Document

    result: dict = {}
    lift_size_cap(file, result)
    doc = Document.open(file)
    out = workdir / f"notice-{len(doc.graph)}.pdf"
    t0 = now()
    report = export_notice_pdf(doc, out)
    t1 = now()
    pages = getattr(report, "pages", 0)
    chart_pages = getattr(report, "chart_pages", 0)
    result.update(
        entities=len(doc.graph),
        pdf=t1 - t0,
        pages=pages,
        chart_pages=chart_pages,
        pages_per_second=pages / (t1 - t0) if t1 > t0 else 0.0,
        chart_mode=getattr(report, "chart_mode", ""),
    )
    out.unlink(missing_ok=True)
    return result


def main(argv: list[str]) -> int:
    step, file = argv[0], Path(argv[1])
    if step == "core":
        result = step_core(file, Path(argv[2]))
    elif step == "editor":
        result = step_editor(file)
    elif step == "pdf":
        result = step_pdf(file, Path(argv[2]))
    else:
        raise SystemExit(f"unknown step {step!r}")
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
