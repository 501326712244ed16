"""Scenarios: create, show and edit, rename, duplicate, delete, adopt — undoable, saved, reopened."""

from __future__ import annotations

import datetime as _dt

import pytest

from dicom_desktop.cli import main
from dicom_desktop.comparison.diff import diff_organisations
from dicom_desktop.document import Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.operations import MoveEntity, RemoveEntity, UpdateEntity
from dicom_desktop.scenarios import (
    ActivateScenario,
    AdoptScenario,
    DeleteScenario,
    DuplicateScenario,
    NewScenario,
    RenameScenario,
    ScenarioNotFound,
    compare_with_current,
    find_scenario,
    scenario_document,
    scenario_graph,
)
from tests.helpers import snapshot

from . import scenario_example
from .conftest import DICOM_FILE

DAY = _dt.date(2026, 3, 2)



class History:
    """A minimal undo stack, as the editor's QUndoStack drives operations."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.undos: list = []

    def do(self, op) -> None:
        self.undos.append(self.doc.apply(op))

    def undo_all(self) -> None:
        while self.undos:
            self.doc.apply(self.undos.pop())


def with_scenario(doc: Document, name="Variante", scenario_id="variante") -> str:
    doc.apply(NewScenario(name, "Essai", scenario_id=scenario_id, created=DAY))
    return scenario_id


def test_new_scenario_copies_the_current_organisation_and_undoes_exactly(dicom_doc):
    before = snapshot(dicom_doc)
    inverse = dicom_doc.apply(NewScenario("Réorganisation 2026", "Hypothèse de travail", created=DAY))
    (scenario,) = dicom_doc.scenarios
    assert (scenario.id, scenario.name, scenario.description, scenario.created) == (
        "reorganisation-2026", "Réorganisation 2026", "Hypothèse de travail", DAY)
    assert scenario.entities == dicom_doc.graph.to_entities() and scenario.links == dicom_doc.graph.links
    assert inverse.label == "Nouveau scénario « Réorganisation 2026 »"
    redo = dicom_doc.apply(inverse)
    assert snapshot(dicom_doc) == before
    dicom_doc.apply(redo)
    assert dicom_doc.scenarios == [scenario]


def test_new_scenario_ids_are_unique_and_names_checked(dicom_doc):
    dicom_doc.apply(NewScenario("Variante", created=DAY))
    dicom_doc.apply(NewScenario("Variante", created=DAY))
    assert [s.id for s in dicom_doc.scenarios] == ["variante", "variante-2"]
    with pytest.raises(EditRefused, match="nom"):
        dicom_doc.apply(NewScenario("   "))
    assert len(dicom_doc.scenarios) == 2


def test_editing_a_shown_scenario_leaves_the_current_organisation_alone(dicom_doc, tmp_path):
    original = snapshot(dicom_doc)
    sid = with_scenario(dicom_doc)
    dicom_doc.modified = False
    dicom_doc.apply(ActivateScenario(sid))
    assert dicom_doc.active_scenario == sid and not dicom_doc.modified  # showing is not a change
    dicom_doc.apply(MoveEntity("bureau-campagnes", "delegues-adjoints"))
    assert dicom_doc.graph.parent("bureau-campagnes") == "delegues-adjoints"
    assert dicom_doc.organisation_graph.parent("bureau-campagnes") == "delegue"
    assert scenario_graph(dicom_doc, sid) is dicom_doc.graph

    # Saving while the scenario is shown keeps its edits and the current organisation intact.
    shown_bytes = snapshot(dicom_doc)
    path = dicom_doc.save(tmp_path / "orga.json")
    reopened = Document.open(path)
    assert reopened.graph.parent("bureau-campagnes") == "delegue"
    assert scenario_graph(reopened, sid).parent("bureau-campagnes") == "delegues-adjoints"
    assert snapshot(reopened) == shown_bytes == path.read_bytes()

    # The saved bytes do not depend on which variant is on screen.
    dicom_doc.apply(ActivateScenario(None))
    assert snapshot(dicom_doc) == shown_bytes
    assert dicom_doc.graph.parent("bureau-campagnes") == "delegue"
    assert snapshot(Document.open(DICOM_FILE)) == original
    assert find_scenario(dicom_doc.scenarios, sid).entities != Document.open(DICOM_FILE).graph.to_entities()


def test_undo_across_switches_edits_the_right_variant(dicom_doc):
    original = snapshot(dicom_doc)
    history = History(dicom_doc)
    history.do(NewScenario("A", scenario_id="a", created=DAY))
    history.do(NewScenario("B", scenario_id="b", created=DAY))
    history.do(ActivateScenario("a"))
    history.do(RemoveEntity("bureau-production"))
    history.do(ActivateScenario("b"))
    history.do(UpdateEntity("bureau-campagnes", {"vacant": True}))
    history.do(ActivateScenario(None))
    history.do(UpdateEntity("bureau-ressources", {"name": "Bureau des moyens"}))
    final = snapshot(dicom_doc)
    assert "bureau-production" not in scenario_graph(dicom_doc, "a")
    assert scenario_graph(dicom_doc, "b").entity("bureau-campagnes").vacant
    assert dicom_doc.graph.entity("bureau-ressources").name == "Bureau des moyens"

    # Undo three steps: back into scenario B, its vacancy undone.
    for _ in range(3):
        dicom_doc.apply(history.undos.pop())
    assert dicom_doc.active_scenario == "b"
    assert not dicom_doc.graph.entity("bureau-campagnes").vacant
    assert "bureau-production" not in scenario_graph(dicom_doc, "a")
    history.undo_all()
    assert dicom_doc.active_scenario is None
    assert snapshot(dicom_doc) == original
    assert final != original


def test_rename_scenario_and_undo(dicom_doc):
    sid = with_scenario(dicom_doc)
    before = snapshot(dicom_doc)
    inverse = dicom_doc.apply(RenameScenario(sid, name="Hypothèse B", description="Autre description"))
    assert dicom_doc.scenarios[0].name == "Hypothèse B" and dicom_doc.scenarios[0].id == sid
    assert dicom_doc.scenarios[0].description == "Autre description"
    dicom_doc.apply(inverse)
    assert snapshot(dicom_doc) == before
    with pytest.raises(EditRefused, match="nom"):
        dicom_doc.apply(RenameScenario(sid, name=""))
    with pytest.raises(EditRefused, match="n’existe pas"):
        dicom_doc.apply(RenameScenario("absent", name="X"))
    assert snapshot(dicom_doc) == before


def test_duplicate_takes_the_live_edits_of_a_shown_scenario(dicom_doc):
    sid = with_scenario(dicom_doc)
    dicom_doc.apply(ActivateScenario(sid))
    dicom_doc.apply(RemoveEntity("bureau-production"))
    inverse = dicom_doc.apply(DuplicateScenario(sid, created=DAY))
    copy = dicom_doc.scenarios[1]
    assert (copy.id, copy.name, copy.description) == ("variante-copie", "Variante (copie)", "Essai")
    assert all(e.id != "bureau-production" for e in copy.entities)
    assert inverse.label == "Dupliquer le scénario « Variante »"
    dicom_doc.apply(inverse)
    assert len(dicom_doc.scenarios) == 1


def test_new_scenario_from_another_scenario(dicom_doc):
    sid = with_scenario(dicom_doc)
    dicom_doc.apply(ActivateScenario(sid))
    dicom_doc.apply(MoveEntity("bureau-campagnes", "delegues-adjoints"))
    dicom_doc.apply(ActivateScenario(None))
    dicom_doc.apply(NewScenario("Dérivée", source=sid, created=DAY))
    assert scenario_graph(dicom_doc, "derivee").parent("bureau-campagnes") == "delegues-adjoints"


def test_delete_a_shown_scenario_and_undo_brings_it_back_on_screen(dicom_doc):
    sid = with_scenario(dicom_doc)
    dicom_doc.apply(ActivateScenario(sid))
    dicom_doc.apply(RemoveEntity("bureau-production"))
    before = snapshot(dicom_doc)
    inverse = dicom_doc.apply(DeleteScenario(sid))
    assert dicom_doc.scenarios == [] and dicom_doc.active_scenario is None
    assert "bureau-production" in dicom_doc.graph
    dicom_doc.apply(inverse)
    assert dicom_doc.active_scenario == sid and "bureau-production" not in dicom_doc.graph
    assert snapshot(dicom_doc) == before


def test_adopt_makes_the_scenario_current_and_keeps_the_former_one(dicom_doc):
    sid = with_scenario(dicom_doc)
    dicom_doc.apply(ActivateScenario(sid))
    dicom_doc.apply(MoveEntity("bureau-campagnes", "delegues-adjoints"))
    before = snapshot(dicom_doc)
    inverse = dicom_doc.apply(AdoptScenario(sid, today=DAY))
    assert inverse.label == "Adopter le scénario « Variante »"
    assert dicom_doc.active_scenario is None
    assert dicom_doc.graph.parent("bureau-campagnes") == "delegues-adjoints"
    (former,) = dicom_doc.scenarios
    assert former.name == "Organisation au 02/03/2026 (avant adoption)"
    assert former.id == "organisation-avant-adoption-2026-03-02" and former.created == DAY
    assert "« Variante »" in former.description
    assert former.entities == Document.open(DICOM_FILE).graph.to_entities()
    # What adoption changed is exactly the scenario's difference.
    diff = diff_organisations(scenario_document(dicom_doc, former.id), dicom_doc)
    assert [c.kind for c in diff.changes] == ["moved"]
    # Undo restores everything, scenario on screen included; redo adopts again.
    redo = dicom_doc.apply(inverse)
    assert snapshot(dicom_doc) == before and dicom_doc.active_scenario == sid
    dicom_doc.apply(redo)
    assert dicom_doc.graph.parent("bureau-campagnes") == "delegues-adjoints" and dicom_doc.active_scenario is None


def test_compare_with_current(dicom_doc):
    sid = with_scenario(dicom_doc)
    with pytest.raises(EditRefused, match="Aucun scénario"):
        compare_with_current(dicom_doc)
    dicom_doc.apply(ActivateScenario(sid))
    assert compare_with_current(dicom_doc).is_empty
    dicom_doc.apply(UpdateEntity("bureau-campagnes", {"vacant": True}))
    assert [c.kind for c in compare_with_current(dicom_doc).changes] == ["vacancy"]
    dicom_doc.apply(ActivateScenario(None))
    assert [c.kind for c in compare_with_current(dicom_doc, sid).changes] == ["vacancy"]


def test_find_scenario_by_id_name_or_case(dicom_doc):
    sid = with_scenario(dicom_doc, name="Hypothèse Été")
    assert find_scenario(dicom_doc.scenarios, sid).id == sid
    assert find_scenario(dicom_doc.scenarios, "Hypothèse Été").id == sid
    assert find_scenario(dicom_doc.scenarios, "hypothèse été").id == sid
    with pytest.raises(ScenarioNotFound, match="« Hypothèse Été » \\(variante\\)"):
        find_scenario(dicom_doc.scenarios, "autre")


def test_activate_unknown_scenario_is_refused(dicom_doc):
    with pytest.raises(EditRefused, match="n’existe pas"):
        dicom_doc.apply(ActivateScenario("absent"))
    assert dicom_doc.active_scenario is None


# ---------------------------------------------------------------------------- the shipped example
def test_example_file_is_what_the_operations_produce():
    """dicom_desktop/resources/examples/dicom-scenarios.json is regenerated by ``python -m tests.scenario_example``."""
    assert scenario_example.EXAMPLE.read_bytes() == snapshot(scenario_example.build_example())


def test_example_file_reopens_and_diffs_as_the_issue_describes(capsys):
    doc = Document.open(scenario_example.EXAMPLE)
    assert [s.name for s in doc.scenarios] == [
        "Campagnes auprès des adjoints, veille et influence fusionnées",
        "Bureau de l’événementiel distinct",
    ]
    fusion = compare_with_current(doc, scenario_example.FUSION_ID)
    assert [c.kind for c in fusion.changes] == ["merged", "moved", "renamed", "attributions"]
    assert fusion.changes[0].survivor_id == "bureau-influence-digital"
    split = compare_with_current(doc, scenario_example.EVENEMENTIEL_ID)
    assert [c.kind for c in split.changes] == ["split", "renamed", "attributions"]
    assert split.changes[0].entity.vacant
    path = str(scenario_example.EXAMPLE)
    assert main(["diff", path, f"{path}#{scenario_example.FUSION_ID}"]) == 1
    out = capsys.readouterr().out
    assert "absorbe « Bureau de la veille et de l’opinion »" in out
    assert "Rattachement : « Bureau des campagnes » passe de « Délégation à l’information et à la communication » à « Délégués adjoints »" in out
