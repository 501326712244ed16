"""The far-out overview and the navigator's miniature draw the same rectangles (issue 16, memory):
one ``QRectF`` per box, made again only for a box the layout moved, and forgotten with the box."""

from __future__ import annotations

from dicom_desktop.chart.layout import Box
from dicom_desktop.operations import MoveEntity, RemoveEntity
from dicom_desktop.ui.chart.box_rects import SharedBoxRects
from dicom_desktop.ui.panels.navigator import REDRAW_DELAY_MS


def _box(entity_id, x, y=2.0, w=30.0, h=10.0):
    return Box(entity_id, x, y, w, h)


def test_a_box_keeps_its_rectangle_until_the_layout_moves_it(qapp):
    shared = SharedBoxRects()
    a = _box("a", 1.0)
    first = shared.rect(a)
    assert (first.x(), first.y(), first.width(), first.height()) == (1.0, 2.0, 30.0, 10.0)
    assert shared.rect(a) is first
    moved = shared.rect(_box("a", 5.0))
    assert moved is not first and moved.x() == 5.0
    shared.rect(_box("b", 7.0))
    shared.keep_only({"b"})
    assert len(shared) == 1
    shared.forget("b")
    assert len(shared) == 0


def _navigator_rects(window):
    return {eid: r for group in window.navigator._rects.groups.values() for eid, r in group.items()}  # noqa: SLF001


def _overview_rects(window):
    overview = window.scene.overview
    overview.invalidate(None)
    groups = overview._build_groups()  # noqa: SLF001 - what the next far-out paint draws
    return [r for _fill, _pen, _faded, rects in groups for r in rects]


def test_the_overview_and_the_navigator_share_every_rectangle(window, qtbot):
    window.navigator_dock.show()
    qtbot.wait(REDRAW_DELAY_MS + 50)
    window.navigator.grab()
    graph = window.doc.graph
    leaf = next(e for e in reversed(graph.preorder()) if not graph.entity(e).staff and not graph.children_map()[e])
    for edit in (MoveEntity(leaf, graph.root, None), RemoveEntity(leaf, with_subtree=True)):
        window.execute(edit)
        qtbot.wait(REDRAW_DELAY_MS + 100)
        window.navigator.grab()
        layout = window.scene.layout_result
        nav = _navigator_rects(window)
        assert {eid: (r.x(), r.y(), r.width(), r.height()) for eid, r in nav.items()} == {
            eid: (b.x, b.y, b.w, b.h) for eid, b in layout.boxes.items()}
        drawn = _overview_rects(window)
        assert len(drawn) == len(layout.boxes)
        assert {id(r) for r in drawn} == {id(r) for r in nav.values()}  # the same objects
    assert leaf not in _navigator_rects(window)
    assert len(window.scene.overview.box_rects) == len(window.scene.layout_result.boxes)
