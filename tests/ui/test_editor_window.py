"""The editor driven as a user would: clicks on boxes, typing in the panels, shortcuts."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, QPointF, Qt

from dicom_desktop.files.storage import dump_organisation
from tests.ui.helpers import click_box, shortcut

CTRL = Qt.KeyboardModifier.ControlModifier


def test_click_on_a_box_shows_its_attributions(qtbot, window):
    click_box(qtbot, window, "bureau-campagnes")
    assert window.selection.ids == ("bureau-campagnes",)
    panel = window.attributions
    assert panel.name_edit.text() == "Bureau des campagnes"
    assert panel.short_name_edit.text() == "Campagnes"
    assert panel.kind_combo.currentText() == "bureau"
    assert "campagnes de communication" in panel.paragraphs_edit.toPlainText()
    assert panel.parent_combo.currentData(Qt.ItemDataRole.UserRole) == "delegue"
    outline_current = window.outline.model.entity_id(window.outline.view.currentIndex())
    assert outline_current == "bureau-campagnes"
    assert window.scene.item_for("bureau-campagnes").isSelected()


def test_outline_selection_drives_chart_and_panel(qtbot, window):
    index = window.outline.model.index_of("bureau-ressources")
    rect = window.outline.view.visualRect(index)
    qtbot.mouseClick(window.outline.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selection.current == "bureau-ressources"
    assert window.scene.item_for("bureau-ressources").isSelected()
    assert window.attributions.name_edit.text() == "Bureau des ressources"


def test_edit_name_in_panel_then_undo_and_redo_with_shortcuts(qtbot, window):
    click_box(qtbot, window, "bureau-campagnes")
    edit = window.attributions.name_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Bureau des grandes campagnes")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    graph = window.doc.graph
    assert graph.entity("bureau-campagnes").name == "Bureau des grandes campagnes"
    assert window.scene.item_for("bureau-campagnes").content.name_lines == ("Bureau des grandes campagnes",)
    assert window.undo_stack.count() == 1
    assert window.isWindowModified() and "[*]" in window.windowTitle()
    # Pressing Enter again (same value) must not add an undo step.
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.undo_stack.count() == 1

    click_box(qtbot, window, "bureau-production")  # selection moves on; undo brings it back
    shortcut(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert graph.entity("bureau-campagnes").name == "Bureau des campagnes"
    assert window.selection.ids == ("bureau-campagnes",)
    assert window.attributions.name_edit.text() == "Bureau des campagnes"
    assert not window.isWindowModified()
    shortcut(qtbot, window, Qt.Key.Key_Y, CTRL)
    assert graph.entity("bureau-campagnes").name == "Bureau des grandes campagnes"
    assert window.attributions.name_edit.text() == "Bureau des grandes campagnes"


def test_edit_attributions_paragraphs_and_fields(qtbot, window):
    click_box(qtbot, window, "bureau-veille-opinion")
    panel = window.attributions
    panel.paragraphs_edit.setFocus()
    panel.paragraphs_edit.moveCursor(panel.paragraphs_edit.textCursor().MoveOperation.End)
    qtbot.keyClick(panel.paragraphs_edit, Qt.Key.Key_Return)
    qtbot.keyClick(panel.paragraphs_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.paragraphs_edit, "Il publie un barometre mensuel.")
    qtbot.keyClick(panel.paragraphs_edit, Qt.Key.Key_Return, CTRL)
    entity = window.doc.graph.entity("bureau-veille-opinion")
    assert entity.attributions[-1] == "Il publie un barometre mensuel."
    assert len(entity.attributions) == 2
    assert window.undo_stack.count() == 1
    # Vacant: a click on the checkbox is one undo step and draws the box as vacant.
    qtbot.mouseClick(panel.vacant_check, Qt.MouseButton.LeftButton,
                     pos=panel.vacant_check.rect().topLeft() + QPoint(8, panel.vacant_check.height() // 2))
    assert window.doc.graph.entity("bureau-veille-opinion").vacant
    assert "poste vacant" in " ".join(window.scene.item_for("bureau-veille-opinion").content.subtitle_lines)
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.doc.graph.entity("bureau-veille-opinion") == entity.model_copy(
        update={"attributions": entity.attributions[:1]})


def test_root_panel_edits_organisation_missions(qtbot, window):
    click_box(qtbot, window, "delegue")
    panel = window.attributions
    assert "Missions" in panel.paragraphs_label.text()
    assert panel.paragraphs_edit.toPlainText().startswith("La DICOM propose")
    panel.paragraphs_edit.setFocus()
    panel.paragraphs_edit.selectAll()
    qtbot.keyClicks(panel.paragraphs_edit, "Une seule mission.")
    qtbot.keyClick(panel.paragraphs_edit, Qt.Key.Key_Return, CTRL)
    assert window.doc.organisation.missions == ["Une seule mission."]
    assert window.doc.graph.entity("delegue").attributions == []
    window.undo_stack.undo()
    assert len(window.doc.organisation.missions) == 2


def test_add_child_rename_in_place_add_sibling_delete_and_undo_all(qtbot, window, dicom_copy):
    original = dump_organisation(window.doc.to_file_model())
    click_box(qtbot, window, "bureau-production")
    shortcut(qtbot, window, Qt.Key.Key_Insert)
    graph = window.doc.graph
    new_id = window.selection.current
    assert graph.parent(new_id) == "bureau-production"
    assert graph.entity(new_id).kind == "pôle"
    editor = window.view.editor
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "P")
    editor.insert("ô")  # QTest can only type ASCII; accents go through insert()
    qtbot.keyClicks(editor, "le video")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert graph.entity(new_id).name == "Pôle video"
    assert window.scene.item_for(new_id) is not None

    window.gestures.add_sibling()
    sibling = window.selection.current
    qtbot.keyClick(window.view.editor, Qt.Key.Key_Escape)  # cancel the in-place rename
    assert graph.parent(sibling) == "bureau-production"
    assert graph.children("bureau-production") == [new_id, sibling]
    assert window.undo_stack.count() == 3

    click_box(qtbot, window, sibling)
    shortcut(qtbot, window, Qt.Key.Key_Delete)
    assert sibling not in graph
    assert window.selection.current == "bureau-production"
    assert window.scene.item_for(sibling) is None

    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert dump_organisation(window.doc.to_file_model()) == original


def test_delete_asks_single_or_whole_branch(qtbot, window):
    graph = window.doc.graph
    click_box(qtbot, window, "secretariat-general")
    window.dialogs.delete_answer = None  # « Annuler »
    shortcut(qtbot, window, Qt.Key.Key_Delete)
    assert "secretariat-general" in graph
    window.dialogs.delete_answer = "single"
    shortcut(qtbot, window, Qt.Key.Key_Delete)
    assert "secretariat-general" not in graph
    assert graph.parent("bureau-ressources") == "delegue"
    shortcut(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert graph.parent("bureau-ressources") == "secretariat-general"
    assert window.selection.ids == ("secretariat-general",)
    window.dialogs.delete_answer = "subtree"
    shortcut(qtbot, window, Qt.Key.Key_Delete)
    assert "secretariat-general" not in graph and "bureau-ressources" not in graph
    assert len(graph) == 8


def test_save_then_reopen_finds_the_change(qtbot, window, dicom_copy):
    click_box(qtbot, window, "bureau-campagnes")
    window.attributions.head_name_edit.setFocus()
    qtbot.keyClicks(window.attributions.head_name_edit, "Mme Dupont")
    shortcut(qtbot, window, Qt.Key.Key_S, CTRL)  # Ctrl+S flushes the field being edited, then saves
    assert not window.isWindowModified()
    saved = json.loads(dicom_copy.read_text(encoding="utf-8"))
    assert {e["id"]: e for e in saved["entities"]}["bureau-campagnes"]["head_name"] == "Mme Dupont"
    window.files.new_document()
    assert len(window.doc.graph) == 1
    assert window.open_path(dicom_copy)
    assert window.doc.graph.entity("bureau-campagnes").head_name == "Mme Dupont"
    click_box(qtbot, window, "bureau-campagnes")
    assert window.attributions.head_name_edit.text() == "Mme Dupont"
    assert "Mme Dupont" in " ".join(window.scene.item_for("bureau-campagnes").content.subtitle_lines)
    assert window.recent.files()[0] == str(dicom_copy.resolve())


def test_save_as_and_save_failure_keeps_document_modified(qtbot, window, tmp_path, monkeypatch):
    from dicom_desktop.errors import SaveError

    window.execute(__import__("dicom_desktop.operations", fromlist=["x"]).UpdateEntity(
        "bureau-production", {"short_name": "Prod"}))

    def refuse(path=None):
        raise SaveError("Impossible d’écrire « x » : disque plein.")

    monkeypatch.setattr(window.doc, "save", refuse)
    assert not window.save()
    assert window.dialogs.errors and "disque plein" in window.dialogs.errors[-1][1]
    assert window.isWindowModified()
    monkeypatch.undo()
    window.dialogs.save_path_answer = tmp_path / "copie"
    assert window.save_as()
    assert (tmp_path / "copie.json").exists()
    assert window.windowTitle().startswith("copie.json")
    assert not window.isWindowModified()


def test_search_is_accent_insensitive_and_highlights(qtbot, window):
    window.focus_search()
    qtbot.keyClicks(window.search.field, "evenementiel")
    window.search.run()
    assert window.search.results.count() == 1
    assert window.search.matches == {"bureau-production"}
    assert window.scene.item_for("bureau-production").search_match
    assert window.scene.item_for("bureau-campagnes").dimmed
    window.search.field.clear()
    qtbot.keyClicks(window.search.field, "ALERTE SANITAIRE")  # a phrase of the attributions
    window.search.run()
    assert window.search.matches >= {"bureau-campagnes"}
    item = window.search.results.item(0)
    qtbot.mouseClick(window.search.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.search.results.visualItemRect(item).center())
    assert window.selection.current == item.data(Qt.ItemDataRole.UserRole)
    window.search.field.clear()
    window.search.run()
    assert not window.scene.item_for("bureau-campagnes").dimmed


def test_keyboard_navigation(qtbot, window):
    click_box(qtbot, window, "bureau-campagnes")
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert window.selection.current == "delegue"
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.selection.current == "delegues-adjoints"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.selection.current == "secretariat-general"
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.selection.current == "bureau-ressources"
    qtbot.keyClick(view, Qt.Key.Key_Left)  # no sibling: stays
    assert window.selection.current == "bureau-ressources"
    assert window.attributions.name_edit.text() == "Bureau des ressources"


def test_collapse_with_the_handle_and_the_action(qtbot, window):
    item = window.scene.item_for("secretariat-general")
    handle = window.view.mapFromScene(item.mapToScene(item.handle_rect().center()))
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=handle)
    qtbot.waitUntil(lambda: window.scene.item_for("bureau-ressources") is None)
    assert window.scene.item_for("secretariat-general").collapsed
    assert "bureau-ressources" in window.doc.graph  # the model is untouched
    assert window.undo_stack.count() == 0
    click_box(qtbot, window, "secretariat-general")
    window.act_collapse.trigger()
    assert window.scene.item_for("bureau-ressources") is not None


def test_focus_branch_and_show_all(qtbot, window):
    click_box(qtbot, window, "secretariat-general")
    window.act_focus.trigger()
    shown = set(window.scene.box_items())
    assert shown == {"delegue", "secretariat-general", "bureau-ressources"}
    window.act_show_all.trigger()
    assert len(window.scene.box_items()) == 10


def test_orientation_toggle_relayouts_left_to_right(qtbot, window):
    root = window.scene.item_for("delegue")
    child = window.scene.item_for("bureau-campagnes")
    assert child.y() > root.y() + root.box_rect().height()
    window.act_orientation.trigger()
    root = window.scene.item_for("delegue")
    child = window.scene.item_for("bureau-campagnes")
    assert child.x() > root.x() + root.box_rect().width()


def test_refused_move_shows_a_message_and_changes_nothing(qtbot, window):
    before = dump_organisation(window.doc.to_file_model())
    click_box(qtbot, window, "secretariat-general")
    combo = window.attributions.parent_combo
    row = window.attributions._parent_row("bureau-ressources")
    combo.setCurrentIndex(row)
    combo.activated.emit(row)
    assert window.dialogs.errors and "boucle" in window.dialogs.errors[-1][1]
    assert dump_organisation(window.doc.to_file_model()) == before
    assert window.undo_stack.count() == 0
    assert combo.currentData(Qt.ItemDataRole.UserRole) == "delegue"  # the field shows the model again


def test_parent_combo_moves_the_entity(qtbot, window):
    click_box(qtbot, window, "bureau-campagnes")
    index = window.doc.graph.index_in_parent("bureau-campagnes")
    combo = window.attributions.parent_combo
    row = window.attributions._parent_row("delegues-adjoints")
    combo.setCurrentIndex(row)
    combo.activated.emit(row)
    assert window.doc.graph.parent("bureau-campagnes") == "delegues-adjoints"
    window.undo_stack.undo()
    assert window.doc.graph.parent("bureau-campagnes") == "delegue"
    assert window.doc.graph.index_in_parent("bureau-campagnes") == index


def test_add_and_remove_functional_link_between_two_selected_boxes(qtbot, window):
    click_box(qtbot, window, "bureau-production")
    click_box(qtbot, window, "bureau-influence-digital", Qt.KeyboardModifier.ControlModifier)
    assert window.selection.ids == ("bureau-production", "bureau-influence-digital")
    assert window.act_add_link.isEnabled()
    window.act_add_link.trigger()
    links = [(l.source, l.target) for l in window.doc.graph.links]
    assert ("bureau-production", "bureau-influence-digital") in links
    assert window.act_remove_link.isEnabled()
    window.act_remove_link.trigger()
    assert len(window.doc.graph.links) == 2
    window.undo_stack.undo()
    assert len(window.doc.graph.links) == 3


def test_rubber_band_selects_several_boxes(qtbot, window):
    view = window.view
    # Two boxes of the left column of bureaux (filled row by row: 1st, 3rd, 5th bureau).
    a = window.scene.item_for("bureau-communication-interne").sceneBoundingRect()
    b = window.scene.item_for("bureau-production").sceneBoundingRect()
    # From empty space left of both boxes to the middle of the lower one.
    start = view.mapFromScene(QPointF(min(a.left(), b.left()) - 20, a.center().y()))
    end = view.mapFromScene(b.center())
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert {"bureau-communication-interne", "bureau-production"} <= set(window.selection.ids)


def test_zoom_keeps_within_bounds_and_fit_shows_everything(qtbot, window):
    view = window.view
    z = view.zoom()
    window.act_zoom_in.trigger()
    assert view.zoom() > z
    for _ in range(40):
        window.act_zoom_out.trigger()
    assert view.zoom() >= 0.03
    window.act_fit.trigger()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.chart_rect())
