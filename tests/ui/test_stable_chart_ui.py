"""The chart stays put when it is edited (issue 12, item 3), in the real window."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from dicom_desktop.model import Entity
from dicom_desktop.operations import AddEntity, MoveEntity


def visible(window, entity_id: str) -> bool:
    """The box's centre is on screen (at 300 % a box may be wider than the test window's view)."""
    box = window.scene.layout_result.boxes[entity_id]
    shown = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    return shown.contains(QRectF(box.x, box.y, box.w, box.h).center())


def test_a_subdivision_keeps_the_bureaux_in_their_columns(window, qtbot):
    scene = window.scene
    bureaux = [b for b in window.doc.graph.children_map()["delegue"] if not window.doc.graph.entity(b).staff]
    before = {b: scene.placed_positions()[b] for b in bureaux}
    window.select("bureau-campagnes")
    window.execute(AddEntity(Entity(id="pole-alerte", name="Pôle alerte", kind="pole"), "bureau-campagnes"))
    qtbot.wait(50)
    after = {b: scene.placed_positions()[b] for b in bureaux}
    index = bureaux.index("bureau-campagnes")
    for b in bureaux[: index + 1]:  # the edited bureau and those before it do not move at all
        assert after[b] == before[b], b
    for b in bureaux:  # the others keep their column
        assert (after[b][0] < scene.placed_positions()["delegue"][0]) == (before[b][0] < scene.placed_positions()["delegue"][0])


def test_a_moved_box_is_scrolled_into_view(window, qtbot, monkeypatch):
    """As after a drop: the pointer is over the chart (the window then leaves the view alone on
    selection changes), the dropped box lands far away; the view follows it, zoom unchanged."""
    view = window.view
    monkeypatch.setattr(view, "underMouse", lambda: True)
    view.set_zoom(3.0)
    view.ensure_entity_visible("bureau-ressources")
    qtbot.wait(20)
    window.select("bureau-ressources")
    qtbot.wait(20)
    assert not visible(window, "bureau-communication-crise")
    window.execute(MoveEntity("bureau-ressources", "bureau-communication-crise"))
    qtbot.waitUntil(lambda: visible(window, "bureau-ressources"), timeout=2000)
    assert round(view.zoom(), 6) == 3.0  # scrolled, not zoomed
