"""The « Scénarios » dock on the real window: create, switch, rename, duplicate, delete, adopt, undo, save."""

from __future__ import annotations

import shutil

import pytest

from dicom_desktop.document import Document
from dicom_desktop.operations import UpdateEntity
from dicom_desktop.files.paths import EXAMPLES_DIR
from tests.ui.test_reorg_actions import ScriptedReorgDialogs

EXAMPLE = EXAMPLES_DIR / "dicom-scenarios.json"
FUSION = "campagnes-adjoints-fusion-veille-influence"


@pytest.fixture
def scenario_window(window, tmp_path):
    path = tmp_path / "scenarios.json"
    shutil.copyfile(EXAMPLE, path)
    assert window.open_path(path, prompt=False)
    window.drag.animator.enabled = False
    window.reorg_dialogs = ScriptedReorgDialogs()
    return window


def choose(window, row):
    """Pick a row of the selector as the user does (activated)."""
    selector = window.scenarios_panel.selector
    selector.setCurrentIndex(row)
    selector.activated.emit(row)


def test_selector_lists_the_variants_and_switches_the_chart(qtbot, scenario_window):
    window = scenario_window
    panel = window.scenarios_panel
    names = [panel.selector.itemText(i) for i in range(panel.selector.count())]
    assert names[0] == "Organisation actuelle"
    assert names[1:] == [s.name for s in window.doc.scenarios]
    assert "organisation actuelle" in window.variant_banner.text()
    assert not panel.rename_button.isEnabled()
    steps = window.undo_stack.count()
    choose(window, 1)
    assert window.doc.active_scenario == FUSION
    # Chart, outline and search show the scenario.
    assert window.scene.item_for("bureau-veille-opinion") is None
    assert window.doc.graph.parent("bureau-campagnes") == "delegues-adjoints"
    index = window.outline.model.index_of("bureau-campagnes")
    assert window.outline.model.entity_id(index.parent()) == "delegues-adjoints"
    window.search.field.setText("veille")
    window.search.run()
    assert "bureau-influence-digital" in window.search.matches  # « … de la veille et de l’opinion »
    assert "bureau-veille-opinion" not in window.search.matches
    assert "Scénario" in window.variant_banner.text()
    assert panel.rename_button.isEnabled() and panel.adopt_button.isEnabled()
    # Switching changes nothing in the file: no undo step, the document stays unmodified (issue 12 §10).
    assert window.undo_stack.count() == steps and not window.is_modified()
    choose(window, 0)
    assert window.doc.active_scenario is None
    assert window.scene.item_for("bureau-veille-opinion") is not None
    assert panel.selector.currentIndex() == 0
    assert window.undo_stack.count() == steps


def test_undo_shows_the_variant_the_edit_was_made_in(qtbot, scenario_window):
    window = scenario_window
    choose(window, 1)
    assert window.execute(UpdateEntity("bureau-campagnes", {"name": "Bureau des grandes campagnes"}))
    choose(window, 0)  # back to the current organisation: not an undo step
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()  # undoes the scenario's edit, on the scenario, and shows it
    assert window.doc.active_scenario == FUSION
    assert window.scenarios_panel.selector.currentIndex() == 1
    assert window.doc.graph.entity("bureau-campagnes").name == "Bureau des campagnes"
    assert window.doc.organisation_graph.entity("bureau-campagnes").name == "Bureau des campagnes"
    choose(window, 0)
    window.undo_stack.redo()
    assert window.doc.active_scenario == FUSION
    assert window.doc.graph.entity("bureau-campagnes").name == "Bureau des grandes campagnes"
    assert window.doc.organisation_graph.entity("bureau-campagnes").name == "Bureau des campagnes"


def test_new_scenario_from_current_then_edit_leaves_the_current_organisation_alone(qtbot, scenario_window, tmp_path):
    window = scenario_window
    window.reorg_dialogs.scenario_answer = ("Crise rattachée au SG", "Essai")
    new_id = window.scenarios_panel.new_scenario()
    assert new_id is not None and window.doc.active_scenario == new_id
    assert window.scenarios_panel.selector.currentText() == "Crise rattachée au SG"
    assert window.execute(UpdateEntity("bureau-communication-crise", {"name": "Bureau de crise"}))
    assert window.doc.organisation_graph.entity("bureau-communication-crise").name == "Bureau de la communication de crise"
    assert window.save()
    reopened = Document.open(window.doc.path)
    scenario = next(s for s in reopened.scenarios if s.id == new_id)
    assert scenario.description == "Essai"
    assert next(e for e in scenario.entities if e.id == "bureau-communication-crise").name == "Bureau de crise"
    assert reopened.graph.entity("bureau-communication-crise").name == "Bureau de la communication de crise"
    # Undo everything: edit, creation (showing the new scenario was no undo step).
    for _ in range(2):
        window.undo_stack.undo()
    assert all(s.id != new_id for s in window.doc.scenarios)
    assert window.doc.active_scenario is None


def test_new_scenario_from_the_shown_scenario(qtbot, scenario_window):
    window = scenario_window
    choose(window, 1)
    window.reorg_dialogs.scenario_answer = ("Variante B", "")
    new_id = window.scenarios_panel.new_scenario(from_shown=True)
    assert window.doc.active_scenario == new_id
    assert "bureau-veille-opinion" not in window.doc.graph  # copied from the fusion scenario


def test_rename_duplicate_delete_with_undo(qtbot, scenario_window):
    window = scenario_window
    panel = window.scenarios_panel
    choose(window, 1)
    window.reorg_dialogs.scenario_answer = ("Fusion veille-influence", "Nouvelle description")
    assert panel.rename_scenario()
    assert window.doc.scenarios[0].name == "Fusion veille-influence"
    assert panel.selector.currentText() == "Fusion veille-influence"
    assert "Nouvelle description" in panel.details.text()
    copy_id = panel.duplicate_scenario()
    assert [s.name for s in window.doc.scenarios][-1] == "Fusion veille-influence (copie)"
    assert panel.selector.count() == 4
    window.dialogs.yes_no_answer = False
    assert not panel.delete_scenario()  # declined: nothing happens
    window.dialogs.yes_no_answer = True
    assert panel.delete_scenario()
    assert all(s.id != FUSION for s in window.doc.scenarios)
    assert window.doc.active_scenario is None
    assert panel.selector.count() == 3
    window.undo_stack.undo()  # delete undone: back, and shown again
    assert window.doc.active_scenario == FUSION
    assert panel.selector.currentText() == "Fusion veille-influence"
    window.undo_stack.undo()  # duplicate undone
    assert all(s.id != copy_id for s in window.doc.scenarios)
    window.undo_stack.undo()  # rename undone
    assert window.doc.scenarios[0].name == "Campagnes auprès des adjoints, veille et influence fusionnées"


def test_adopt_with_confirmation_saved_and_reopened(qtbot, scenario_window):
    window = scenario_window
    panel = window.scenarios_panel
    choose(window, 1)
    window.dialogs.yes_no_answer = True
    assert panel.adopt_scenario()
    doc = window.doc
    assert doc.active_scenario is None
    assert "bureau-veille-opinion" not in doc.graph  # the scenario is now the current organisation
    assert window.scene.item_for("bureau-veille-opinion") is None
    assert any("avant adoption" in s.name for s in doc.scenarios)
    assert all(s.id != FUSION for s in doc.scenarios)
    assert window.save()
    reopened = Document.open(doc.path)
    assert "bureau-veille-opinion" not in reopened.graph
    assert any("avant adoption" in s.name for s in reopened.scenarios)
    window.undo_stack.undo()
    assert "bureau-veille-opinion" in window.doc.organisation_graph
    assert any(s.id == FUSION for s in window.doc.scenarios)


def test_drag_in_a_scenario_edits_the_scenario_only(qtbot, scenario_window):
    from tests.ui.test_drag_drop import drag, scene_point

    window = scenario_window
    choose(window, 1)
    drag(qtbot, window, "bureau-communication-crise", scene_point(window, "secretariat-general"))
    assert window.doc.graph.parent("bureau-communication-crise") == "secretariat-general"
    assert window.doc.organisation_graph.parent("bureau-communication-crise") == "delegue"
