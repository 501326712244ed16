"""The chart scene is updated in place after an edit, and draws boxes without text when far out.

After each edit through the undo stack, the scene must hold exactly the boxes a fresh scene would
build from the same document (same ids, positions, texts, connectors), and the items of entities
the edit did not touch must be the very same objects (the update is incremental, not a rebuild).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from dicom_desktop.document import Document
from dicom_desktop.kinds import style_for
from dicom_desktop.model import Entity
from dicom_desktop.operations import AddEntity, MoveEntity, RemoveEntity, UpdateEntity
from dicom_desktop.synthetic import generate_organisation
from dicom_desktop.ui.chart.chart_items import TEXT_LOD, EntityBoxItem
from dicom_desktop.ui.chart.chart_scene import ChartScene
from tests.ui.conftest import ScriptedDialogs


def snapshot(scene: ChartScene) -> dict:
    """What the scene shows: per box its position, size, lines and tree flags; the connectors.
    Every box's item is made first (items exist only for boxes that came into sight): the items
    made before are kept, so an item the update left in a wrong state shows here."""
    scene.reveal(None)
    boxes = {
        entity_id: (round(item.x(), 6), round(item.y(), 6), item.rect().width(), item.rect().height(),
                    tuple(item.content.name_lines), tuple(item.content.subtitle_lines),
                    item.entity.kind, item.entity.vacant, item.has_children, item.collapsed)
        for entity_id, item in scene.box_items().items()
    }
    connectors = sorted(
        (round(e.x, 3), round(e.y, 3)) for item in scene.connector_items()
        for i in range(item.path().elementCount()) for e in [item.path().elementAt(i)]
    )
    links = sorted((link.source, link.target) for link in scene.link_items())
    return {"boxes": boxes, "connectors": connectors, "links": links}


def fresh(graph, like: ChartScene) -> dict:
    scene = ChartScene()
    scene.compact = like.compact
    scene.collapsed = set(like.collapsed)
    scene.rebuild(graph)
    return snapshot(scene)


@pytest.fixture
def large_window(qtbot, settings):
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow

    create_application()
    doc = Document.from_file_model(generate_organisation(400, seed=3))
    win = MainWindow(doc, settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(win)
    win.drag.animator.enabled = False
    yield win
    win.undo_stack.setClean()
    win.close()


def mid_entity(graph):
    """A non-root, non-staff entity with children, and a target outside its subtree."""
    order = graph.preorder()
    moved = next(i for i in order[len(order) // 3:] if graph.children(i) and not graph.entity(i).staff)
    target = next(i for i in reversed(order) if not graph.is_descendant(i, moved) and i != graph.parent(moved))
    return moved, target


def check_incremental(window, operation, touched: set[str]):
    scene = window.scene
    scene.reveal(None)  # every box has its item: the update must bring them all up to date
    before = dict(scene.box_items())
    assert window.execute(operation)
    assert snapshot(scene) == fresh(window.doc.graph, scene)
    after = scene.box_items()
    kept = [i for i in after if i in before and i not in touched]
    assert kept, "some boxes must survive the edit"
    assert all(after[i] is before[i] for i in kept), "unchanged entities keep their items"
    window.undo_stack.undo()
    assert snapshot(scene) == fresh(window.doc.graph, scene)
    undone = scene.box_items()
    assert all(undone[i] is before[i] for i in kept)


def test_move_updates_the_scene_in_place(large_window):
    moved, target = mid_entity(large_window.doc.graph)
    check_incremental(large_window, MoveEntity(moved, target, None), {moved})


def test_rename_repaints_one_box_and_keeps_the_others(large_window):
    graph = large_window.doc.graph
    entity_id = graph.preorder()[7]
    long_name = "Bureau des très longues appellations administratives de l’État et des collectivités"
    check_incremental(large_window, UpdateEntity(entity_id, {"name": long_name}), {entity_id})
    large_window.execute(UpdateEntity(entity_id, {"name": long_name}))
    item = large_window.scene.item_for(entity_id)
    assert " ".join(item.content.name_lines).replace("\u00ad", "") .startswith("Bureau des très")


def test_add_and_remove_create_and_delete_only_their_items(large_window):
    graph = large_window.doc.graph
    parent = graph.preorder()[3]
    entity = Entity(id="ajout-test", name="Pôle ajouté", kind="pôle", head_title="Responsable de pôle")
    check_incremental(large_window, AddEntity(entity, parent, 0), {"ajout-test"})
    leaf = next(i for i in reversed(graph.preorder()) if not graph.children(i))
    check_incremental(large_window, RemoveEntity(leaf, False), {leaf})
    large_window.execute(RemoveEntity(leaf, False))
    assert large_window.scene.item_for(leaf) is None
    assert leaf not in large_window.scene.box_items()
    assert not [i for i in large_window.scene.items() if getattr(i, "entity_id", None) == leaf]


def test_selection_highlight_and_badge_survive_an_update(large_window):
    scene = large_window.scene
    graph = large_window.doc.graph
    moved, target = mid_entity(graph)
    keep = graph.preorder()[2]
    large_window.select(keep)
    scene.set_highlight(keep, "#2e86de")
    scene.set_badge(keep, "Nouveau")
    large_window.execute(MoveEntity(moved, target, None))
    item = scene.item_for(keep)
    assert item.isSelected()
    assert item._highlight == QColor("#2e86de")
    assert item._badge[0] == "Nouveau"


def count_text_draws(item: EntityBoxItem, scale: float, monkeypatch) -> int:
    import dicom_desktop.ui.chart.chart_items as chart_items

    calls = []
    real = chart_items.draw_text_line
    monkeypatch.setattr(chart_items, "draw_text_line", lambda *a, **k: (calls.append(a[1]), real(*a, **k)))
    image = QImage(400, 200, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setTransform(QTransform.fromScale(scale, scale))
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    monkeypatch.setattr(chart_items, "draw_text_line", real)
    return len(calls)


def test_box_paint_has_no_text_when_zoomed_far_out(large_window, monkeypatch):
    item = next(iter(large_window.scene.box_items().values()))
    assert count_text_draws(item, 1.0, monkeypatch) >= 1
    assert count_text_draws(item, TEXT_LOD / 3, monkeypatch) == 0


def test_far_out_the_overview_draws_the_boxes_and_items_paint_nothing(large_window, qtbot):
    large_window.resize(1400, 900)
    large_window.show()
    qtbot.waitExposed(large_window)
    view, scene = large_window.view, large_window.scene
    view.set_zoom(0.05)
    view.viewport().grab()
    assert scene.overview.active
    assert all(i.flags() & i.GraphicsItemFlag.ItemHasNoContents for i in scene.box_items().values())
    image = view.viewport().grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2) != QColor("white") or any(
        image.pixelColor(x, y) != QColor("#ffffff") for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)), "the overview draws the boxes"
    # Boxes stay selectable and found under the pointer far out.
    some = large_window.doc.graph.preorder()[5]
    large_window.select(some)
    assert scene.item_for(some).isSelected()
    centre = scene.item_for(some).sceneBoundingRect().center()
    assert scene.entity_at(centre) == some
    view.set_zoom(1.0)
    view.viewport().grab()
    assert not scene.overview.active
    assert not any(i.flags() & i.GraphicsItemFlag.ItemHasNoContents for i in boxes_in_sight(view))


def boxes_in_sight(view) -> list[EntityBoxItem]:
    sight = view.mapToScene(view.viewport().rect()).boundingRect()
    return [i for i in view.scene().items(sight) if isinstance(i, EntityBoxItem)]


def box_pixel(view, item) -> QColor:
    """The colour the view shows inside ``item``'s box, just below its top-left corner."""
    image = view.viewport().grab().toImage()
    point = view.mapFromScene(item.mapToScene(item.rect().topLeft()) + QPointF(3, 3))
    return image.pixelColor(point.x(), point.y())


def test_boxes_paint_once_in_sight_and_unseen_boxes_keep_no_paint_state(large_window, qtbot):
    """Items in sight only (memory, issue 16): a box out of sight has no Qt item at all (or,
    made for a feature, one with ItemHasNoContents, so Qt keeps no per-view paint state); every
    box that comes into sight — by scrolling, or by a relayout moving it there — is painted with
    its kind's fill, and stays selectable and found under the pointer meanwhile."""
    large_window.resize(1400, 900)
    large_window.show()
    qtbot.waitExposed(large_window)
    view, scene = large_window.view, large_window.scene
    graph = large_window.doc.graph
    view.set_zoom(1.0)
    view.centerOn(scene.item_for(graph.root))
    view.viewport().grab()
    items = scene.box_items()
    unseen = [i for i in graph.preorder() if scene.is_shown(i) and i not in items]
    assert len(unseen) > len(graph) // 2, "most boxes of a 400-entity chart are out of sight at 100 %"
    assert all(i.revealed and not i.flags() & i.GraphicsItemFlag.ItemHasNoContents for i in items.values())
    assert {i.entity_id for i in boxes_in_sight(view)} >= set(scene.boxes_in(sight_of(view)))
    # Out of sight, a box is still selected and found under the pointer; its item, once asked
    # for, is selected and paints nothing until it is in sight.
    far_id = unseen[-1]
    large_window.select(far_id)
    assert scene.selected_ids() == [far_id]
    assert scene.entity_at(scene.box_rect(far_id).center()) == far_id
    far_box = scene.item_for(far_id)
    assert far_box.isSelected() and not far_box.revealed
    assert far_box.flags() & far_box.GraphicsItemFlag.ItemHasNoContents
    # Scrolled into sight: painted with its kind's fill (not the white background).
    far_box.setSelected(False)
    view.centerOn(far_box)
    view.viewport().grab()
    assert far_box.revealed and not far_box.flags() & far_box.GraphicsItemFlag.ItemHasNoContents
    fill = QColor(style_for(far_box.entity.kind).fill)
    assert box_pixel(view, far_box) == fill
    # A relayout moves an unseen box into the place on screen of a box that left: painted there.
    view.centerOn(scene.item_for(graph.root))
    view.viewport().grab()
    first = graph.children(graph.root)[0]
    hidden = next(i for i in graph.preorder() if i not in scene.box_items() and graph.parent(i) != graph.root
                  and not graph.is_descendant(first, i) and i != first)
    assert large_window.execute(MoveEntity(hidden, graph.root, 0))
    qtbot.wait(10)
    view.centerOn(scene.item_for(graph.root))
    moved = scene.item_for(hidden)
    view.ensureVisible(moved)
    assert box_pixel(view, moved) == QColor(style_for(moved.entity.kind).fill)


def sight_of(view):
    return view.mapToScene(view.viewport().rect()).boundingRect()


def overview_rects(overview) -> list:
    """What the overview item draws: (fill, opacity, rectangle) of every box, sorted."""
    if overview._groups is None:
        overview._groups = overview._build_groups()
    return sorted((fill.color().name(), faded, r.x(), r.y(), r.width(), r.height())
                  for fill, _pen, faded, rects in overview._groups for r in rects)


def full_overview_rects(overview) -> list:
    overview._dirty = None  # as if every box had changed
    overview._groups = None
    return overview_rects(overview)


def test_overview_rectangles_follow_edits_and_styles_as_a_full_rebuild_would(large_window, qtbot):
    """Far out, the overview keeps its rectangle lists between changes and updates only the boxes
    an edit or a restyle touched (a drop at 10,000 entities rebuilt all of them, ~50 ms): after
    moves, undo, a new kind, an addition, a removal, ghosting and dimming — some while the
    overview is not shown — it draws exactly what a full rebuild draws."""
    large_window.resize(1400, 900)
    large_window.show()
    qtbot.waitExposed(large_window)
    view, scene = large_window.view, large_window.scene
    overview = scene.overview
    graph = large_window.doc.graph
    view.set_zoom(0.05)
    view.viewport().grab()
    assert overview.active

    def check():
        view.viewport().grab()
        incremental = overview_rects(overview)
        assert incremental == full_overview_rects(overview)
        return incremental

    start = check()
    moved, target = mid_entity(graph)
    assert large_window.execute(MoveEntity(moved, target, None))
    assert check() != start
    large_window.undo_stack.undo()
    assert check() == start
    leaf = next(i for i in reversed(graph.preorder()) if not graph.children(i))
    other_kind = next(k for k in ("bureau", "pôle", "mission") if k != graph.entity(leaf).kind)
    assert large_window.execute(UpdateEntity(leaf, {"kind": other_kind}))
    check()
    entity = Entity(id="ajout-apercu", name="Pôle ajouté", kind="pôle", head_title="Responsable de pôle")
    assert large_window.execute(AddEntity(entity, graph.preorder()[3], 0))
    check()
    assert large_window.execute(RemoveEntity(leaf, False))
    check()
    scene.item_for(moved).set_ghosted(True)
    ghosted = check()
    assert any(faded == 0.3 for _fill, faded, *_rest in ghosted)
    # Restyled while the overview is not shown: still right once far out again.
    view.set_zoom(1.0)
    view.viewport().grab()
    assert not overview.active
    scene.item_for(moved).set_ghosted(False)
    scene.item_for(graph.preorder()[5]).set_search_state(False, True)
    view.set_zoom(0.05)
    after = check()
    assert not any(faded == 0.3 for _fill, faded, *_rest in after)
    assert any(faded == 0.35 for _fill, faded, *_rest in after)
