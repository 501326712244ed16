"""Drag and drop re-attachment on the real chart view (mouse events) and in the outline."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from dicom_desktop.files.storage import dump_organisation
from dicom_desktop.ui.reorganisation.drag import TARGET_COLOR, DragPreviewItem
from tests.ui.helpers import box_point, click_box

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


def scene_point(window, entity_id, share=0.5):
    """A point of a box, ``share`` of its width from the left (0.5: the centre)."""
    item = window.scene.item_for(entity_id)
    box = item.mapRectToScene(item.box_rect())
    return QPointF(box.left() + box.width() * share, box.center().y())


def press_and_move(qtbot, window, source, target_scene, steps=8):
    """Press on ``source`` and move in steps to ``target_scene`` (the button stays down)."""
    viewport = window.view.viewport()
    start = box_point(window, source)
    end = window.view.mapFromScene(target_scene)
    qtbot.mousePress(viewport, LEFT, pos=start)
    for n in range(1, steps + 1):
        QTest.mouseMove(viewport, start + (end - start) * (n / steps))
    return end


def drag(qtbot, window, source, target_scene, steps=8):
    end = press_and_move(qtbot, window, source, target_scene, steps)
    qtbot.mouseRelease(window.view.viewport(), LEFT, pos=end)


def file_bytes(window):
    return dump_organisation(window.doc.to_file_model())


def test_drag_a_box_onto_another_reattaches_it_in_one_undo_step(qtbot, window):
    window.drag.animator.enabled = False
    graph = window.doc.graph
    before = file_bytes(window)
    old_index = graph.index_in_parent("bureau-campagnes")
    drag(qtbot, window, "bureau-campagnes", scene_point(window, "delegues-adjoints"))
    assert graph.parent("bureau-campagnes") == "delegues-adjoints"
    assert window.undo_stack.count() == 1
    assert window.selection.ids == ("bureau-campagnes",)
    # The chart was relaid out: the box now hangs below its new parent.
    parent_box = window.scene.item_for("delegues-adjoints").sceneBoundingRect()
    assert window.scene.item_for("bureau-campagnes").sceneBoundingRect().top() > parent_box.bottom()
    assert "Délégués adjoints" in window.undo_stack.text(0)
    # No leftover drag decorations.
    assert not any(isinstance(i, DragPreviewItem) for i in window.scene.items())
    assert not window.drag.dragging
    window.undo_stack.undo()
    assert graph.parent("bureau-campagnes") == "delegue"
    assert graph.index_in_parent("bureau-campagnes") == old_index
    assert file_bytes(window) == before


def test_hover_highlights_the_would_be_parent_without_relayout(qtbot, window):
    window.drag.animator.enabled = False
    rebuilds = []
    window.scene.rebuilt.connect(lambda: rebuilds.append(1))
    end = press_and_move(qtbot, window, "bureau-campagnes", scene_point(window, "bureau-production"))
    target = window.scene.item_for("bureau-production")
    assert window.drag.dragging == ["bureau-campagnes"]
    assert window.drag.target.mode == "into" and window.drag.target.parent == "bureau-production"
    assert target._highlight == TARGET_COLOR and not target._refused
    previews = [i for i in window.scene.items() if isinstance(i, DragPreviewItem)]
    assert len(previews) == 1 and previews[0].opacity() < 1
    assert "Bureau de la production" in window.statusBar().currentMessage()
    assert rebuilds == []  # moving the mouse never relayouts
    # Escape cancels: nothing changes, decorations go away.
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(window.view.viewport(), LEFT, pos=end)
    assert window.doc.graph.parent("bureau-campagnes") == "delegue"
    assert window.undo_stack.count() == 0
    assert target._highlight is None
    assert not any(isinstance(i, DragPreviewItem) for i in window.scene.items())


def test_drop_onto_a_descendant_is_refused_and_changes_nothing(qtbot, window):
    window.drag.animator.enabled = False
    before = file_bytes(window)
    end = press_and_move(qtbot, window, "secretariat-general", scene_point(window, "bureau-ressources"))
    target = window.scene.item_for("bureau-ressources")
    assert window.drag.target.refusal is not None
    assert target._refused
    qtbot.mouseRelease(window.view.viewport(), LEFT, pos=end)
    assert window.doc.graph.parent("secretariat-general") == "delegue"
    assert window.undo_stack.count() == 0
    assert file_bytes(window) == before
    assert "boucle" in window.statusBar().currentMessage()
    assert not window.scene.item_for("bureau-ressources")._refused
    assert window.dialogs.errors == []  # said in the status bar, no modal box


def test_drop_onto_itself_is_refused(qtbot, window):
    window.drag.animator.enabled = False
    item = window.scene.item_for("bureau-campagnes")
    start = box_point(window, "bureau-campagnes")
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=start)
    for dx in (4, 8, 12, 16):
        QTest.mouseMove(viewport, start + QPoint(dx, 2))
    assert window.drag.dragging and item._refused
    qtbot.mouseRelease(viewport, LEFT, pos=start + QPoint(16, 2))
    assert window.undo_stack.count() == 0
    assert "elle-même" in window.statusBar().currentMessage()


def test_drop_on_the_left_third_of_a_sibling_reorders(qtbot, window):
    window.drag.animator.enabled = False
    graph = window.doc.graph
    end = press_and_move(qtbot, window, "bureau-communication-crise",
                         scene_point(window, "bureau-campagnes", share=0.12))
    assert window.drag.target.mode == "before"
    assert window.drag._indicator is not None and window.drag._indicator.isVisible()
    assert window.scene.item_for("delegue")._highlight == TARGET_COLOR  # the parent stays the same
    qtbot.mouseRelease(window.view.viewport(), LEFT, pos=end)
    kids = graph.children("delegue")
    assert kids.index("bureau-communication-crise") == kids.index("bureau-campagnes") - 1
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert graph.children("delegue")[-1] == "bureau-communication-crise"


def test_dragging_a_selected_box_moves_the_whole_selection(qtbot, window):
    window.drag.animator.enabled = False
    graph = window.doc.graph
    click_box(qtbot, window, "bureau-campagnes")
    click_box(qtbot, window, "bureau-production", CTRL)
    assert set(window.selection.ids) == {"bureau-campagnes", "bureau-production"}
    drag(qtbot, window, "bureau-production", scene_point(window, "delegues-adjoints"))
    assert graph.children("delegues-adjoints") == ["bureau-campagnes", "bureau-production"]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert graph.parent("bureau-campagnes") == graph.parent("bureau-production") == "delegue"


def test_unexpected_attachment_is_warned_in_the_status_bar(qtbot, window):
    window.drag.animator.enabled = False
    drag(qtbot, window, "bureau-production", scene_point(window, "bureau-campagnes"))  # a bureau under a bureau
    assert window.doc.graph.parent("bureau-production") == "bureau-campagnes"
    message = window.statusBar().currentMessage()
    assert message.startswith("Attention") and "inhabituel" in message
    assert window.dialogs.errors == []


def test_relayout_is_animated_then_lands_on_the_layout(qtbot, window):
    animator = window.drag.animator
    assert animator.enabled
    drag(qtbot, window, "bureau-campagnes", scene_point(window, "delegues-adjoints"))
    assert animator.running
    qtbot.waitUntil(lambda: not animator.running, timeout=2000)
    layout = window.scene.layout_result
    for entity_id, item in window.scene.box_items().items():
        box = layout.boxes[entity_id]
        assert (item.pos().x(), item.pos().y()) == (box.x, box.y)


# ---------------------------------------------------------------------------- outline
def outline_drop(window, ids, parent_id, row=-1):
    model = window.outline.model
    data = model.mimeData([model.index_of(i) for i in ids])
    parent = model.index_of(parent_id)
    allowed = model.canDropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)
    model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)
    return allowed


def test_outline_drop_reattaches_like_the_chart(qtbot, window):
    window.drag.animator.enabled = False
    graph = window.doc.graph
    view = window.outline.view
    assert view.dragEnabled() and view.acceptDrops()
    assert outline_drop(window, ["bureau-campagnes"], "delegues-adjoints")
    assert graph.parent("bureau-campagnes") == "delegues-adjoints"
    assert window.undo_stack.count() == 1
    # The outline follows: the row is now under « Délégués adjoints ».
    index = window.outline.model.index_of("bureau-campagnes")
    assert window.outline.model.entity_id(index.parent()) == "delegues-adjoints"
    window.undo_stack.undo()
    assert graph.parent("bureau-campagnes") == "delegue"


def test_outline_drop_between_rows_reorders(qtbot, window):
    window.drag.animator.enabled = False
    graph = window.doc.graph
    assert outline_drop(window, ["bureau-communication-crise"], "delegue", row=0)
    assert graph.children("delegue")[0] == "bureau-communication-crise"
    assert window.undo_stack.count() == 1


def test_outline_drop_onto_a_descendant_is_refused(qtbot, window):
    before = file_bytes(window)
    assert not outline_drop(window, ["secretariat-general"], "bureau-ressources")
    assert window.undo_stack.count() == 0
    assert file_bytes(window) == before
    assert "boucle" in window.statusBar().currentMessage()
    root = window.outline.model.index_of("delegue")
    assert not window.outline.model.flags(root) & Qt.ItemFlag.ItemIsDragEnabled
