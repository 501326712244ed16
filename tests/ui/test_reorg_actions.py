"""Merge, split, vacancy and « Rattacher à… » from the chart's context menu, dialogs scripted."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dicom_desktop.reorg import merge_proposal
from dicom_desktop.files.storage import dump_organisation
from dicom_desktop.ui.reorganisation.reorg_dialogs import EntityPickerDialog, MergeDialog, SplitChoice, SplitDialog


class ScriptedReorgDialogs:
    def __init__(self) -> None:
        self.merge_answer = None
        self.split_answer = None
        self.entity_answer = None
        self.scenario_answer = None
        self.asked: list[tuple] = []

    def ask_merge(self, survivor, absorbed, proposal):
        self.asked.append(("merge", survivor, absorbed, proposal))
        return self.merge_answer(proposal) if callable(self.merge_answer) else self.merge_answer

    def ask_split(self, graph, entity_id):
        self.asked.append(("split", entity_id))
        return self.split_answer

    def ask_entity(self, graph, title, prompt, refusals=None, exclude=()):
        self.asked.append(("entity", title, dict(refusals or {}), tuple(exclude)))
        return self.entity_answer

    def ask_scenario(self, title, name="", description=""):
        self.asked.append(("scenario", title, name, description))
        return self.scenario_answer


def menu_action(window, ids, text):
    menu = window.view.build_context_menu(ids)
    for action in menu.actions():
        if action.text().startswith(text):
            return action
    raise AssertionError(f"no « {text} » in {[a.text() for a in menu.actions()]}")


def file_bytes(window):
    return dump_organisation(window.doc.to_file_model())


def test_merge_two_selected_boxes_from_the_context_menu(qtbot, window):
    scripted = window.reorg_dialogs = ScriptedReorgDialogs()
    scripted.merge_answer = lambda p: ("Bureau de l’influence et de l’opinion", p.attributions[:1] + ["Texte revu."])
    graph = window.doc.graph
    before = file_bytes(window)
    influence_children = graph.children("bureau-influence-digital")
    menu_action(window, ["bureau-influence-digital", "bureau-veille-opinion"], "Fusionner avec « Bureau de la veille").trigger()
    _, survivor, absorbed, proposal = scripted.asked[0]
    assert (survivor, absorbed) == ("Bureau de l’influence et du digital", "Bureau de la veille et de l’opinion")
    assert proposal.name == "Bureau de l’influence, du digital, de la veille et de l’opinion"
    assert "bureau-veille-opinion" not in graph
    merged = graph.entity("bureau-influence-digital")
    assert merged.name == "Bureau de l’influence et de l’opinion"
    assert merged.attributions[-1] == "Texte revu."
    assert graph.children("bureau-influence-digital")[: len(influence_children)] == influence_children
    assert window.undo_stack.count() == 1
    assert window.selection.ids == ("bureau-influence-digital",)
    window.undo_stack.undo()
    assert file_bytes(window) == before


def test_merge_with_asks_the_partner_and_cancel_changes_nothing(qtbot, window):
    scripted = window.reorg_dialogs = ScriptedReorgDialogs()
    scripted.entity_answer = "bureau-veille-opinion"
    scripted.merge_answer = None  # the user cancels the merge dialog
    menu_action(window, ["bureau-influence-digital"], "Fusionner avec…").trigger()
    assert [a[0] for a in scripted.asked] == ["entity", "merge"]
    assert scripted.asked[0][3] == ("bureau-influence-digital",)  # not offered as its own partner
    assert "bureau-veille-opinion" in window.doc.graph
    assert window.undo_stack.count() == 0


def test_split_moves_the_chosen_paragraphs_to_a_new_entity(qtbot, window):
    scripted = window.reorg_dialogs = ScriptedReorgDialogs()
    graph = window.doc.graph
    source = graph.entity("bureau-campagnes")
    assert len(source.attributions) >= 1
    scripted.split_answer = SplitChoice("Bureau de l’événementiel", "bureau", (), (0,))
    menu_action(window, ["bureau-campagnes"], "Scinder…").trigger()
    new_id = window.selection.current
    assert new_id != "bureau-campagnes" and new_id in graph
    new = graph.entity(new_id)
    assert new.name == "Bureau de l’événementiel"
    assert new.attributions == [source.attributions[0]]
    assert graph.entity("bureau-campagnes").attributions == source.attributions[1:]
    assert graph.parent(new_id) == "delegue"
    assert graph.index_in_parent(new_id) == graph.index_in_parent("bureau-campagnes") + 1
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert new_id not in graph and graph.entity("bureau-campagnes").attributions == source.attributions


def test_declare_vacant_then_fill_the_post(qtbot, window):
    graph = window.doc.graph
    menu_action(window, ["bureau-production"], "Déclarer vacant").trigger()
    assert graph.entity("bureau-production").vacant
    assert window.scene.item_for("bureau-production").entity.vacant  # redrawn dashed
    menu_action(window, ["bureau-production"], "Pourvoir le poste").trigger()
    assert not graph.entity("bureau-production").vacant
    assert window.undo_stack.count() == 2


def test_attach_to_through_the_searchable_list(qtbot, window):
    scripted = window.reorg_dialogs = ScriptedReorgDialogs()
    scripted.entity_answer = "delegues-adjoints"
    menu_action(window, ["secretariat-general"], "Rattacher à…").trigger()
    _, _, refusals, _ = scripted.asked[0]
    assert set(refusals) == {"secretariat-general", "bureau-ressources"}  # itself and its branch
    assert window.doc.graph.parent("secretariat-general") == "delegues-adjoints"
    assert window.undo_stack.count() == 1


def test_reorganisation_menu_acts_on_the_selection(qtbot, window):
    scripted = window.reorg_dialogs = ScriptedReorgDialogs()
    scripted.entity_answer = "delegues-adjoints"
    window.select("bureau-campagnes")
    window.reorg.act_attach.trigger()
    assert window.doc.graph.parent("bureau-campagnes") == "delegues-adjoints"
    assert window.reorg.menu in [a.menu() for a in window.edit_menu.actions()]


# ---------------------------------------------------------------------------- the real dialogs
def test_merge_dialog_is_prefilled_and_editable(qtbot, window):
    proposal = merge_proposal(window.doc, "bureau-influence-digital", "bureau-veille-opinion")
    dialog = MergeDialog("A", "B", proposal)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == proposal.name
    name, paragraphs = dialog.values()
    assert paragraphs == proposal.attributions
    dialog.name_edit.setText("  Bureau de l’opinion  ")
    assert dialog.values()[0] == "Bureau de l’opinion"


def test_split_dialog_returns_the_checked_children_and_paragraphs(qtbot, window):
    graph = window.doc.graph
    dialog = SplitDialog(graph, "delegue")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()  # a name is required
    qtbot.keyClicks(dialog.name_edit, "Pole presse")
    assert ok.isEnabled()
    dialog.children_list.item(2).setCheckState(Qt.CheckState.Checked)
    choice = dialog.values()
    assert choice.name == "Pole presse" and choice.kind == graph.entity("delegue").kind
    assert choice.children == (graph.children("delegue")[2],)
    assert choice.paragraphs == ()


def test_entity_picker_filters_as_you_type_and_greys_refused_entries(qtbot, window):
    graph = window.doc.graph
    dialog = EntityPickerDialog(graph, "Rattacher à…", "Choisissez", {"bureau-ressources": "boucle"})
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.filter_edit, "veille opinion")
    visible = [dialog.list.item(i) for i in range(dialog.list.count()) if not dialog.list.item(i).isHidden()]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in visible] == ["bureau-veille-opinion"]
    assert dialog.values() == "bureau-veille-opinion"
    dialog.filter_edit.setText("ressources")
    assert dialog.values() is None  # the only match is refused
