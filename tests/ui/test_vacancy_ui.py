"""« Poste vacant » in the panel and « Déclarer vacant » in the menu clear the holder's name (issue 12 §2)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from dicom_desktop.operations import UpdateEntity
from tests.ui.helpers import click_box

HOLDER = "Mme Claire Dupont"


def test_vacant_checkbox_clears_the_name_and_one_undo_brings_both_back(qtbot, window):
    window.execute(UpdateEntity("bureau-veille-opinion", {"head_name": HOLDER}))
    click_box(qtbot, window, "bureau-veille-opinion")
    panel = window.attributions
    assert panel.head_name_edit.text() == HOLDER
    steps = window.undo_stack.count()
    qtbot.mouseClick(panel.vacant_check, Qt.MouseButton.LeftButton,
                     pos=panel.vacant_check.rect().topLeft() + QPoint(8, panel.vacant_check.height() // 2))
    entity = window.doc.graph.entity("bureau-veille-opinion")
    assert entity.vacant and entity.head_name == ""
    assert window.undo_stack.count() == steps + 1
    assert panel.head_name_edit.text() == "" and not panel.head_name_edit.isEnabled()
    item = window.scene.item_for("bureau-veille-opinion")
    assert "Dupont" not in " ".join(item.content.subtitle_lines) and "Dupont" not in item.tooltip_text()
    window.undo_stack.undo()
    entity = window.doc.graph.entity("bureau-veille-opinion")
    assert not entity.vacant and entity.head_name == HOLDER
    assert panel.head_name_edit.text() == HOLDER and panel.head_name_edit.isEnabled()


def test_a_loaded_vacant_post_with_a_name_is_shown_without_it(qtbot, window):
    window.execute(UpdateEntity("bureau-veille-opinion", {"head_name": HOLDER, "vacant": True}))
    item = window.scene.item_for("bureau-veille-opinion")
    assert "poste vacant" in " ".join(item.content.subtitle_lines)
    assert "Dupont" not in item.tooltip_text()
    click_box(qtbot, window, "bureau-veille-opinion")
    assert window.attributions.head_name_edit.text() == ""

