"""The attributions panel's « Rattachement » combo: every entity in chart order, indented by depth,
when the user opens it or uses it from the keyboard — and, closed, only the parent it shows (a drop
at 10,000 entities no longer walks the whole chart to refill it)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import click_box
from tests.ui.test_drag_drop import drag, scene_point

USER = Qt.ItemDataRole.UserRole


def listed(combo) -> list[tuple[str, str]]:
    return [(combo.itemData(row, USER), combo.itemText(row)) for row in range(combo.count())]


def chart_order(graph) -> list[tuple[str, str]]:
    return [(e, "\u2003" * min(len(graph.ancestors(e)), 8) + graph.entity(e).name) for e in graph.preorder()]


def shown(graph, entity_id) -> str:
    return dict(chart_order(graph))[entity_id]


def test_opened_it_lists_every_entity_in_chart_order_with_the_parent_current(qtbot, window):
    graph = window.doc.graph
    click_box(qtbot, window, "bureau-campagnes")
    combo = window.attributions.parent_combo
    assert combo.currentData(USER) == "delegue"
    assert combo.currentText() == shown(graph, "delegue")
    combo.showPopup()
    try:
        assert listed(combo) == chart_order(graph)
        assert combo.currentData(USER) == "delegue"
        assert combo.view().currentIndex().row() == combo.currentIndex()
    finally:
        combo.hidePopup()
    click_box(qtbot, window, graph.root)  # the head has no parent: nothing shown, combo off
    assert combo.currentIndex() == -1 and not combo.isEnabled()


def test_after_a_drop_and_its_undo_it_lists_the_new_order(qtbot, window):
    window.drag.animator.enabled = False
    graph = window.doc.graph
    drag(qtbot, window, "bureau-campagnes", scene_point(window, "delegues-adjoints"))
    assert graph.parent("bureau-campagnes") == "delegues-adjoints"
    panel = window.attributions
    combo = panel.parent_combo
    assert panel.entity_id == "bureau-campagnes"
    assert combo.currentData(USER) == "delegues-adjoints"
    assert combo.currentText() == shown(graph, "delegues-adjoints")
    combo.showPopup()
    try:
        rows = listed(combo)
        assert rows == chart_order(graph)
        ids = [e for e, _ in rows]
        moved = ids.index("bureau-campagnes")
        assert ids.index("delegues-adjoints") < moved  # under its new parent…
        assert rows[moved][1] == "\u2003" * len(graph.ancestors("bureau-campagnes")) + "Bureau des campagnes"
    finally:
        combo.hidePopup()
    window.undo_stack.undo()
    assert combo.currentData(USER) == "delegue"
    combo.showPopup()
    try:
        assert listed(combo) == chart_order(graph)
    finally:
        combo.hidePopup()


def test_closed_it_holds_only_the_parent_it_shows_even_after_a_drop(qtbot, window):
    window.drag.animator.enabled = False
    click_box(qtbot, window, "bureau-campagnes")
    combo = window.attributions.parent_combo
    assert combo.count() == 1
    drag(qtbot, window, "bureau-campagnes", scene_point(window, "delegues-adjoints"))
    assert window.doc.graph.parent("bureau-campagnes") == "delegues-adjoints"
    assert combo.count() == 1 and combo.currentData(USER) == "delegues-adjoints"


def test_arrow_key_on_the_closed_combo_attaches_to_the_next_entity_in_chart_order(qtbot, window):
    graph = window.doc.graph
    order = graph.preorder()
    entity = next(e for e in order[1:] if order[order.index(graph.parent(e)) + 1] not in graph.subtree(e))
    old_parent = graph.parent(entity)
    following = order[order.index(old_parent) + 1]
    window.select(entity)
    combo = window.attributions.parent_combo
    assert combo.currentData(USER) == old_parent
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert graph.parent(entity) == following
    assert combo.currentData(USER) == following
    window.undo_stack.undo()
    assert graph.parent(entity) == old_parent
