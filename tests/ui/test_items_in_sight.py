"""Box items only for the boxes in sight (issue 16, memory and start-up at 100,000 entities).

A box item costs about 2 KiB of Qt memory and index: the scene makes one only when its box comes
into sight, or when a feature asks for it. Every behaviour must still hold for the boxes
without an item: selection (by code, by a plain or Ctrl click, by a rubber band far out), hit
tests, search marks, functional links, the overview far out, a drop's target under the pointer.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from dicom_desktop.document import Document
from dicom_desktop.synthetic import generate_organisation
from tests.ui.conftest import ScriptedDialogs
from tests.ui.helpers import click_box

SIZE = 2500


@pytest.fixture
def big_window(qtbot, settings):
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow

    create_application()
    doc = Document.from_file_model(generate_organisation(SIZE, seed=5))
    win = MainWindow(doc, settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(win)
    win.drag.animator.enabled = False
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.view.viewport().grab()  # the first frame
    yield win
    win.undo_stack.setClean()
    win.close()


def itemless(window, count=1) -> list[str]:
    scene = window.scene
    found = [i for i in reversed(window.doc.graph.preorder()) if scene.is_shown(i) and i not in scene.box_items()]
    assert len(found) >= count
    return found[:count]


def at_100_percent(window) -> None:
    window.view.set_zoom(1.0)
    window.view.centerOn(window.scene.box_rect(window.doc.graph.root).center())
    window.view.viewport().grab()


def test_first_frame_makes_items_only_for_the_boxes_in_sight(big_window):
    scene, graph = big_window.scene, big_window.doc.graph
    assert len(scene.placed_positions()) == len(graph)
    assert len(scene.box_items()) < len(graph) // 4
    at_100_percent(big_window)
    made = len(scene.box_items())
    assert made < len(graph) // 4, "at 100 % only a few hundred boxes are in sight"
    # Every box in sight has its item, and it paints.
    sight = big_window.view.mapToScene(big_window.view.viewport().rect()).boundingRect()
    in_sight = scene.boxes_in(sight)
    assert in_sight and all(scene.existing_item(i) is not None and scene.existing_item(i).revealed for i in in_sight)
    # The overview far out draws every box, items or not.
    big_window.view.set_zoom(0.03)
    big_window.view.viewport().grab()
    assert scene.overview.active
    overview = scene.overview
    assert sum(len(rects) for *_style, rects in overview._groups) == len(graph)
    assert len(scene.box_items()) == made, "far out no item is made"
    # The count in the status bar counts every box shown.
    assert "affichée" not in big_window.count_label.text()


def test_selection_hit_tests_and_search_work_for_boxes_without_items(big_window, qtbot):
    scene = big_window.scene
    at_100_percent(big_window)
    far, other = itemless(big_window, 2)
    scene.set_selected_ids([far])
    assert scene.selected_ids() == [far] and far not in scene.box_items()
    assert scene.entity_at(scene.box_rect(far).center()) == far
    assert big_window.drag.box_at(scene.box_rect(far).center()) == far  # a drop target
    assert scene.item_for(far).isSelected(), "an item made later shows as selected"
    # Ctrl + click on a box in sight adds to a selection held by a box without an item…
    scene.set_selected_ids([other])
    assert other not in scene.box_items()
    root = big_window.doc.graph.root
    click_box(qtbot, big_window, root, Qt.KeyboardModifier.ControlModifier)
    assert set(scene.selected_ids()) == {other, root}
    assert set(big_window.selection.ids) == {other, root}
    # …a plain click replaces it.
    first = big_window.doc.graph.children(root)[0]
    click_box(qtbot, big_window, first)
    assert scene.selected_ids() == [first]
    assert list(big_window.selection.ids) == [first]
    # Search: matches lit, the rest dimmed, for items made afterwards too.
    scene.set_search({other})
    assert scene.item_for(other).search_match
    a_third = itemless(big_window)[0]
    assert scene.item_for(a_third).dimmed
    scene.set_search(None)
    assert not scene.item_for(a_third).dimmed


def test_links_of_boxes_without_items_are_drawn_between_their_boxes(big_window):
    scene, graph = big_window.scene, big_window.doc.graph
    at_100_percent(big_window)
    link = next(l for l in graph.links if l.source not in scene.box_items() and l.target not in scene.box_items()
                and scene.is_shown(l.source) and scene.is_shown(l.target))
    scene.set_selected_ids([link.source])  # large chart: the selection's links only
    drawn = [i for i in scene.link_items() if (i.source, i.target) == (link.source, link.target)]
    assert len(drawn) == 1
    ends = drawn[0].path()
    start = QPointF(ends.elementAt(0).x, ends.elementAt(0).y)
    assert scene.box_rect(link.source).adjusted(-1, -1, 1, 1).contains(start) or \
        scene.box_rect(link.target).adjusted(-1, -1, 1, 1).contains(start)


def _drag(viewport, view, a: QPointF, b: QPointF, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    def send(kind, scene_pos, buttons, button):
        local = QPointF(view.mapFromScene(scene_pos))
        event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(local.toPoint())), button, buttons, modifiers)
        QApplication.sendEvent(viewport, event)

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send(QEvent.Type.MouseButtonPress, a, left, left)
    for k in range(1, 9):
        send(QEvent.Type.MouseMove, a + (b - a) * (k / 8), left, none)
    send(QEvent.Type.MouseButtonRelease, b, none, left)


def test_rubber_band_far_out_selects_boxes_without_items(big_window):
    scene, view = big_window.scene, big_window.view
    view.set_zoom(0.03)
    view.viewport().grab()
    assert scene.overview.active
    chart = scene.box_rect(big_window.doc.graph.root)
    layout = scene.layout_result
    # A band over the left half of the chart, starting above the boxes (not on a box).
    a = QPointF(-10, -15)
    b = QPointF(layout.width / 2, layout.height + 10)
    made = len(scene.box_items())
    _drag(view.viewport(), view, a, b)
    band = QRectF(a, b).normalized()
    slack = 3 / view.transform().m11()  # the band is in whole pixels
    selected = set(scene.selected_ids())
    inside = set(scene.boxes_in(band.adjusted(slack, slack, -slack, -slack)))
    assert len(inside) > len(big_window.doc.graph) // 4 > made
    assert inside <= selected <= set(scene.boxes_in(band.adjusted(-slack, -slack, slack, slack)))
    assert set(big_window.selection.ids) == selected
    assert chart.isValid()


def test_tooltip_far_out_names_a_box_without_item(big_window, qtbot):
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    scene, view = big_window.scene, big_window.view
    view.set_zoom(0.1)
    view.viewport().grab()
    assert scene.overview.active
    sight = view.mapToScene(view.viewport().rect()).boundingRect()
    target = next(i for i in scene.boxes_in(sight) if i not in scene.box_items())
    local = view.mapFromScene(scene.box_rect(target).center())
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, local, view.viewport().mapToGlobal(local)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert f"<b>{big_window.doc.graph.entity(target).name}</b>" in QToolTip.text()
    assert scene.entity_at(scene.box_rect(target).center()) == target
    QToolTip.hideText()


def test_click_far_out_selects_a_box_without_item(big_window, qtbot):
    scene, view = big_window.scene, big_window.view
    view.set_zoom(0.1)
    view.viewport().grab()
    assert scene.overview.active
    sight = view.mapToScene(view.viewport().rect().adjusted(20, 60, -20, -20)).boundingRect()
    target, other = [i for i in scene.boxes_in(sight) if i not in scene.box_items()][:2]
    viewport = view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene.box_rect(target).center()))
    assert scene.selected_ids() == [target]
    assert list(big_window.selection.ids) == [target]
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     view.mapFromScene(scene.box_rect(other).center()))
    assert set(scene.selected_ids()) == {target, other}


def test_first_edit_after_opening_keeps_every_box_findable(big_window):
    """The first edit lays the chart out whole (the incremental layout builds its state): the
    scene compares the two layouts instead of redoing its grid; every box is then still found
    where the layout put it, and nowhere else."""
    from dicom_desktop.operations import MoveEntity

    scene, graph = big_window.scene, big_window.doc.graph
    order = graph.preorder()
    moved = next(i for i in order[len(order) // 3:] if graph.children(i) and not graph.entity(i).staff)
    target = next(i for i in reversed(order) if not graph.is_descendant(i, moved) and i != graph.parent(moved))
    before = scene.placed_positions()
    assert big_window.execute(MoveEntity(moved, target, None))
    assert scene.layout_result.delta is not None and scene.layout_result.delta.base is not None
    after = scene.placed_positions()
    assert after != before
    for entity_id in graph.preorder():
        assert scene.box_at(scene.box_rect(entity_id).center()) == entity_id
    big_window.undo_stack.undo()
    for entity_id in graph.preorder():
        assert scene.box_at(scene.box_rect(entity_id).center()) == entity_id


def test_tooltips_of_boxes_and_of_a_comparison_ghost(big_window, qtbot):
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    from dicom_desktop.model import Entity

    scene, view = big_window.scene, big_window.view
    at_100_percent(big_window)
    layout = scene.layout_result
    ghost = scene.add_ghost_box(Entity(id="parti", name="Bureau supprimé du scénario", kind="bureau"),
                                QPointF(layout.width + 200, 40))
    view.centerOn(ghost)
    view.viewport().grab()
    for centre, name in ((ghost.mapRectToScene(ghost.rect()).center(), "Bureau supprimé du scénario"),
                         (scene.box_rect(big_window.doc.graph.root).center(),
                          big_window.doc.graph.entity(big_window.doc.graph.root).name)):
        view.centerOn(centre)
        local = view.mapFromScene(centre)
        QToolTip.hideText()
        QApplication.sendEvent(view.viewport(),
                               QHelpEvent(QEvent.Type.ToolTip, local, view.viewport().mapToGlobal(local)))
        qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
        assert f"<b>{name}</b>" in QToolTip.text()
    QToolTip.hideText()
