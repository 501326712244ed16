"""The editor's incremental relayout (issue 16): after edits through the undo stack, every box item,
connector tile and the navigator's miniature show exactly what a full layout of the document gives."""

from __future__ import annotations

from dicom_desktop.chart.geometry import chart_geometry, visible_children
from dicom_desktop.model import Entity
from dicom_desktop.operations import AddEntity, MoveEntity, RemoveEntity, UpdateEntity
from dicom_desktop.ui.panels.navigator import REDRAW_DELAY_MS


def full_layout(window):
    scene = window.scene
    graph = window.doc.graph
    return chart_geometry(graph, children=visible_children(graph, scene.collapsed, scene.focus),
                          orientation=scene.orientation, compact=scene.compact_level).layout


def assert_scene_matches_a_full_layout(window):
    scene = window.scene
    want = full_layout(window)
    items = scene.box_items()
    assert set(items) == set(want.boxes)
    for entity_id, box in want.boxes.items():
        pos = items[entity_id].pos()
        assert (pos.x(), pos.y()) == (box.x, box.y), entity_id
        assert items[entity_id].entity is window.doc.graph.entity(entity_id)
    drawn = sorted(points for polylines, _item in scene._connector_tiles.values() for points in polylines)  # noqa: SLF001
    assert drawn == sorted(c.points for c in want.connectors)


def test_edits_and_undo_leave_the_scene_as_a_full_layout_would(window, qtbot):
    scene = window.scene
    engine = scene._engine  # noqa: SLF001 - the scene's incremental layout
    graph = window.doc.graph
    full = engine.full_layouts
    leaf = next(e for e in graph.preorder() if not graph.children_map()[e] and not graph.entity(e).staff)
    window.execute(MoveEntity(leaf, graph.root, None))
    assert_scene_matches_a_full_layout(window)
    window.execute(AddEntity(Entity(id="pole-essai", name="Pôle d’essai aux intitulés très longs", kind="pole"),
                             leaf))
    assert_scene_matches_a_full_layout(window)
    window.execute(UpdateEntity(graph.root, {"name": "Délégation à l’information, à la communication et au reste"}))
    assert_scene_matches_a_full_layout(window)
    window.execute(UpdateEntity("pole-essai", {"staff": True}))  # beside its parent now
    assert_scene_matches_a_full_layout(window)
    branch = next(e for e in graph.children_map()[graph.root] if graph.children_map()[e])
    scene.toggle_collapsed(branch)
    scene.rebuild(graph)
    assert_scene_matches_a_full_layout(window)
    window.execute(RemoveEntity(leaf, with_subtree=True))
    assert_scene_matches_a_full_layout(window)
    for _ in range(5):
        window.undo_stack.undo()
        assert_scene_matches_a_full_layout(window)
    assert engine.incremental_layouts >= 8
    assert engine.full_layouts == full + 1  # the first edit builds the kept state, the others use it


def test_the_navigator_follows_a_drop_after_its_delay(window, qtbot):
    nav = window.navigator
    window.navigator_dock.show()
    qtbot.wait(REDRAW_DELAY_MS + 50)
    nav.grab()
    graph = window.doc.graph
    leaf = next(e for e in reversed(graph.preorder()) if not graph.entity(e).staff)
    window.execute(MoveEntity(leaf, graph.root, None))
    qtbot.wait(REDRAW_DELAY_MS + 100)
    nav.grab()  # paints: the miniature is redrawn from the new layout
    layout = window.scene.layout_result
    shown = {eid: (r.x(), r.y(), r.width(), r.height())
             for rects in nav._rects.groups.values() for eid, r in rects.items()}  # noqa: SLF001
    assert nav._rects.layout is layout  # noqa: SLF001
    assert shown == {eid: (b.x, b.y, b.w, b.h) for eid, b in layout.boxes.items()}


def test_the_navigator_follows_a_burst_of_edits_without_starting_over(window, qtbot):
    """Several layouts between two paints of the miniature (a drop and its undo, edits in a
    row): it replaces only the rectangles their deltas name, and still shows every box where
    the last layout puts it, in its kind's group."""
    nav = window.navigator
    window.navigator_dock.show()
    qtbot.wait(REDRAW_DELAY_MS + 50)
    nav.grab()
    rects = nav._rects  # noqa: SLF001
    graph = window.doc.graph
    leaf = next(e for e in reversed(graph.preorder()) if not graph.entity(e).staff)
    window.execute(MoveEntity(leaf, graph.root, None))  # the first edit lays out whole (kept state)
    window.undo_stack.undo()
    qtbot.wait(REDRAW_DELAY_MS + 100)
    nav.grab()
    before = {eid: r for group in rects.groups.values() for eid, r in group.items()}
    window.execute(MoveEntity(leaf, graph.root, None))
    window.execute(AddEntity(Entity(id="pole-essai", name="Pôle d’essai", kind="pole"), leaf))
    window.execute(UpdateEntity(leaf, {"kind": "mission"}))
    window.undo_stack.undo()
    window.execute(UpdateEntity(leaf, {"kind": "pole"}))
    qtbot.wait(REDRAW_DELAY_MS + 100)
    nav.grab()
    layout = window.scene.layout_result
    assert rects.layout is layout
    shown = {eid: (kind, r.x(), r.y(), r.width(), r.height())
             for kind, group in rects.groups.items() for eid, r in group.items()}
    assert shown == {eid: (graph.entity(eid).kind, b.x, b.y, b.w, b.h) for eid, b in layout.boxes.items()}
    after = {eid: r for group in rects.groups.values() for eid, r in group.items()}
    kept = [eid for eid, r in before.items() if after.get(eid) is r]  # not made again
    # The leaf changed kind (its group, checked above) but not place: the rectangle shared with
    # the overview (``SharedBoxRects``) stays the same object, as every unmoved box's does.
    assert kept and leaf in kept and rects.kind_of[leaf] == "pole"


def test_the_navigator_paints_kinds_in_chart_order(window, qtbot):
    """The miniature's groups (its paint order) follow the order the chart meets the kinds,
    whatever the hash seed: overlapping dots keep their colour from one run to the next."""
    nav = window.navigator
    window.navigator_dock.show()
    qtbot.wait(REDRAW_DELAY_MS + 50)
    nav.grab()
    layout = window.scene.layout_result
    graph = window.doc.graph
    met = list(dict.fromkeys(graph.entity(eid).kind for eid in layout.boxes))
    assert len(met) >= 3
    assert list(nav._rects.groups) == met  # noqa: SLF001
