"""Reorganisation gestures: merge, split, vacancy, moving a selection — one undo step each."""

from __future__ import annotations

import pytest

from dicom_desktop.comparison.diff import diff_organisations
from dicom_desktop.document import Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.model import Entity, Link
from dicom_desktop.operations import AddEntity, AddLink
from dicom_desktop.reorg import (
    attachment_warnings,
    declare_vacant,
    merge_entities,
    merge_proposal,
    merged_name,
    move_entities,
    move_warnings,
    split_entity,
)
from tests.helpers import snapshot

from .conftest import DICOM_FILE



def apply_and_check_undo(doc: Document, op) -> None:
    """Apply, undo (exact bytes back), redo (exact bytes again)."""
    before = snapshot(doc)
    inverse = doc.apply(op)
    after = snapshot(doc)
    assert after != before
    redo = doc.apply(inverse)
    assert snapshot(doc) == before
    doc.apply(redo)
    assert snapshot(doc) == after


def test_merged_name():
    assert merged_name("Bureau de l’influence et du digital", "Bureau de la veille et de l’opinion") == (
        "Bureau de l’influence, du digital, de la veille et de l’opinion"
    )
    assert merged_name("Bureau des campagnes", "Bureau des ressources") == "Bureau des campagnes et des ressources"
    assert merged_name("Secrétariat général", "Bureau des ressources") == "Secrétariat général et Bureau des ressources"
    assert merged_name("A" * 200, "B" * 200) == "A" * 200


def test_merge_with_defaults(dicom_doc):
    g = dicom_doc.graph
    survivor_text = g.entity("bureau-influence-digital").attributions
    absorbed_text = g.entity("bureau-veille-opinion").attributions
    op = merge_entities(dicom_doc, "bureau-influence-digital", "bureau-veille-opinion")
    assert op.entity_id == "bureau-influence-digital"
    assert op.label == "Fusionner « Bureau de la veille et de l’opinion » dans « Bureau de l’influence et du digital »"
    apply_and_check_undo(dicom_doc, op)
    g = dicom_doc.graph
    assert "bureau-veille-opinion" not in g
    survivor = g.entity("bureau-influence-digital")
    assert survivor.name == "Bureau de l’influence, du digital, de la veille et de l’opinion"
    assert survivor.attributions == survivor_text + absorbed_text
    diff = diff_organisations(Document.open(DICOM_FILE), dicom_doc)
    assert [c.kind for c in diff.changes] == ["merged", "renamed", "attributions"]


def test_merge_moves_children_and_links_to_the_survivor(dicom_doc):
    dicom_doc.apply(AddEntity(Entity(id="pole-etudes", name="Pôle études", kind="pôle"), "bureau-veille-opinion"))
    dicom_doc.apply(AddEntity(Entity(id="pole-sondages", name="Pôle sondages", kind="pôle"), "bureau-veille-opinion"))
    dicom_doc.apply(AddEntity(Entity(id="pole-web", name="Pôle web", kind="pôle"), "bureau-influence-digital"))
    dicom_doc.apply(AddLink(Link(source="bureau-veille-opinion", target="bureau-communication-crise", label="veille de crise")))
    dicom_doc.apply(AddLink(Link(source="bureau-veille-opinion", target="bureau-influence-digital")))
    links_before = len(dicom_doc.graph.links)
    op = merge_entities(dicom_doc, "bureau-influence-digital", "bureau-veille-opinion", name="Bureau de l’influence", attributions=["Texte revu."])
    apply_and_check_undo(dicom_doc, op)
    g = dicom_doc.graph
    assert g.children("bureau-influence-digital") == ["pole-web", "pole-etudes", "pole-sondages"]
    assert g.entity("bureau-influence-digital").name == "Bureau de l’influence"
    assert g.entity("bureau-influence-digital").attributions == ["Texte revu."]
    carried = [l for l in g.links if l.label == "veille de crise"]
    assert [(l.source, l.target) for l in carried] == [("bureau-influence-digital", "bureau-communication-crise")]
    assert len(g.links) == links_before - 1  # the link between the two merged entities is gone
    assert all("bureau-veille-opinion" not in (l.source, l.target) for l in g.links)


def test_merge_into_an_own_subdivision_takes_the_absorbed_place(dicom_doc):
    # The bureau des ressources absorbs its own parent, the secrétariat général.
    op = merge_entities(dicom_doc, "bureau-ressources", "secretariat-general", name="Secrétariat général et ressources")
    apply_and_check_undo(dicom_doc, op)
    g = dicom_doc.graph
    assert g.parent("bureau-ressources") == "delegue" and g.index_in_parent("bureau-ressources") == 1
    assert "secretariat-general" not in g
    # its link to the adjoints was carried over
    assert any(l.source == "bureau-ressources" and l.target == "delegues-adjoints" for l in g.links)


def test_merge_refusals_change_nothing(dicom_doc):
    before = snapshot(dicom_doc)
    with pytest.raises(EditRefused, match="deux entités différentes"):
        merge_entities(dicom_doc, "bureau-campagnes", "bureau-campagnes")
    with pytest.raises(EditRefused, match="entité de tête"):
        merge_entities(dicom_doc, "bureau-campagnes", "delegue")
    with pytest.raises(EditRefused, match="n’existe pas"):
        merge_entities(dicom_doc, "bureau-campagnes", "inconnu")
    with pytest.raises(EditRefused, match="nom"):
        dicom_doc.apply(merge_entities(dicom_doc, "bureau-campagnes", "bureau-production", name="   "))
    assert snapshot(dicom_doc) == before


def test_merge_proposal_adds_headcounts(dicom_doc):
    from dicom_desktop.operations import UpdateEntity

    dicom_doc.apply(UpdateEntity("bureau-campagnes", {"headcount": 8}))
    dicom_doc.apply(UpdateEntity("bureau-production", {"headcount": 12}))
    proposal = merge_proposal(dicom_doc, "bureau-campagnes", "bureau-production")
    assert proposal.headcount == 20
    assert proposal.name == "Bureau des campagnes, de la production multimédia et événementielle"


def test_split_with_paragraphs_and_children(dicom_doc):
    dicom_doc.apply(AddEntity(Entity(id="pole-photo", name="Pôle photo", kind="pôle"), "bureau-production"))
    dicom_doc.apply(AddEntity(Entity(id="pole-salons", name="Pôle salons", kind="pôle"), "bureau-production"))
    from dicom_desktop.operations import UpdateEntity

    dicom_doc.apply(UpdateEntity("bureau-production", {"attributions": ["Contenus multimédias.", "Chartes.", "Évènements et salons."]}))
    op = split_entity(dicom_doc, "bureau-production", name="Bureau de l’événementiel",
                      children_to_move=["pole-salons"], paragraphs_to_move=[2])
    assert op.entity_id == "bureau-de-l-evenementiel"
    apply_and_check_undo(dicom_doc, op)
    g = dicom_doc.graph
    new = g.entity("bureau-de-l-evenementiel")
    assert (new.kind, new.head_title, new.attributions) == ("bureau", "Chef de bureau", ["Évènements et salons."])
    assert g.parent(new.id) == "delegue" and g.index_in_parent(new.id) == g.index_in_parent("bureau-production") + 1
    assert g.children(new.id) == ["pole-salons"] and g.children("bureau-production") == ["pole-photo"]
    assert g.entity("bureau-production").attributions == ["Contenus multimédias.", "Chartes."]


def test_split_detected_by_the_diff(dicom_doc):
    from dicom_desktop.operations import UpdateEntity

    dicom_doc.apply(UpdateEntity("bureau-production", {"attributions": ["Contenus multimédias.", "Évènements."]}))
    base = Document.from_file_model(dicom_doc.to_file_model())
    dicom_doc.apply(split_entity(dicom_doc, "bureau-production", Entity(id="evenementiel", name="Bureau de l’événementiel"),
                                 paragraphs_to_move=[1], kind="pôle"))
    diff = diff_organisations(base, dicom_doc)
    assert [c.kind for c in diff.changes] == ["split", "attributions"]
    assert diff.changes[0].source_id == "bureau-production" and diff.changes[0].entity.kind == "pôle"


def test_split_of_the_head_entity_goes_under_it(dicom_doc):
    op = split_entity(dicom_doc, "delegue", name="Mission nouvelle", kind="mission")
    dicom_doc.apply(op)
    assert dicom_doc.graph.parent(op.entity_id) == "delegue"


def test_split_refusals(dicom_doc):
    before = snapshot(dicom_doc)
    with pytest.raises(EditRefused, match="Donnez un nom"):
        split_entity(dicom_doc, "bureau-production")
    with pytest.raises(EditRefused, match="paragraphe n° 3"):
        split_entity(dicom_doc, "bureau-production", name="X", paragraphs_to_move=[2])
    with pytest.raises(EditRefused, match="n’est pas une subdivision"):
        split_entity(dicom_doc, "bureau-production", name="X", children_to_move=["bureau-campagnes"])
    with pytest.raises(EditRefused, match="déjà utilisé"):
        split_entity(dicom_doc, "bureau-production", Entity(id="bureau-campagnes", name="Doublon"))
    assert snapshot(dicom_doc) == before


def test_declare_vacant_and_filled(dicom_doc):
    op = declare_vacant(dicom_doc, "bureau-campagnes")
    assert op.label == "Déclarer vacant le poste de responsable de « Bureau des campagnes »"
    apply_and_check_undo(dicom_doc, op)
    assert dicom_doc.graph.entity("bureau-campagnes").vacant
    dicom_doc.apply(declare_vacant(dicom_doc, "bureau-campagnes", False))
    assert not dicom_doc.graph.entity("bureau-campagnes").vacant


def test_attachment_warnings_come_from_the_kinds_table(dicom_doc):
    warnings = attachment_warnings(dicom_doc, "bureau-campagnes", "bureau-production")
    assert len(warnings) == 1
    assert warnings[0].startswith("« Bureau des campagnes » sous « Bureau de la production multimédia et événementielle » : ")
    assert "inhabituel" in warnings[0]
    assert "Rattacher un bureau à un bureau est inhabituel" in warnings[0]  # French articles, not « un(e) »
    assert attachment_warnings(dicom_doc, "bureau-campagnes", "delegues-adjoints") == []
    assert attachment_warnings(dicom_doc, "bureau-campagnes", "delegue") == []
    assert len(move_warnings(dicom_doc, ["bureau-campagnes", "bureau-veille-opinion"], "bureau-production")) == 2


def test_move_a_selection_in_one_step(dicom_doc):
    op = move_entities(dicom_doc, ["bureau-veille-opinion", "bureau-campagnes"], "delegues-adjoints")
    apply_and_check_undo(dicom_doc, op)
    assert dicom_doc.graph.children("delegues-adjoints") == ["bureau-campagnes", "bureau-veille-opinion"]


def test_move_a_selection_between_siblings(dicom_doc):
    # Drop « crise » and « campagnes » before the child now at index 2 (communication interne).
    op = move_entities(dicom_doc, ["bureau-communication-crise", "bureau-campagnes"], "delegue", 2)
    dicom_doc.apply(op)
    assert dicom_doc.graph.children("delegue") == [
        "delegues-adjoints", "secretariat-general", "bureau-campagnes", "bureau-communication-crise",
        "bureau-communication-interne", "bureau-production", "bureau-influence-digital", "bureau-veille-opinion",
    ]


def test_one_box_dropped_anywhere_lands_before_the_child_it_was_dropped_on(dicom_doc, monkeypatch):
    """A single box (the usual drag) is moved without rehearsing on a copy of the whole graph, and
    lands where the builder would put it: before the child now at ``index`` (None: at the end)."""
    from dicom_desktop.graph import OrgGraph

    def no_copy(self):
        raise AssertionError("the whole graph was copied to move one box")

    graph = dicom_doc.graph
    for entity in graph.preorder()[1:]:
        for parent in [graph.parent(entity), "delegue", "secretariat-general", "delegues-adjoints"]:
            if graph.move_refusal(entity, parent):
                continue
            kids = graph.children(parent)
            for index in [*range(len(kids) + 1), None]:
                anchor = next((c for c in kids[index:] if c != entity), None) if index is not None else None
                rest = [c for c in kids if c != entity]
                where = len(rest) if anchor is None else rest.index(anchor)
                expected = rest[:where] + [entity] + rest[where:]
                if expected == kids:
                    continue  # a no-op drop (the editor does not even build it)
                before = snapshot(dicom_doc)
                with monkeypatch.context() as patch:
                    patch.setattr(OrgGraph, "copy", no_copy)
                    op = move_entities(dicom_doc, [entity], parent, index)
                undo = dicom_doc.apply(op)
                assert graph.children(parent) == expected, (entity, parent, index)
                dicom_doc.apply(undo)
                assert snapshot(dicom_doc) == before


def test_move_selection_skips_nested_and_refuses_loops(dicom_doc):
    op = move_entities(dicom_doc, ["secretariat-general", "bureau-ressources"], "delegues-adjoints")
    dicom_doc.apply(op)
    assert dicom_doc.graph.parent("bureau-ressources") == "secretariat-general"
    before = snapshot(dicom_doc)
    with pytest.raises(EditRefused, match="boucle"):
        move_entities(dicom_doc, ["delegues-adjoints"], "bureau-ressources")
    assert snapshot(dicom_doc) == before


def test_attachment_warnings_use_each_kind_s_article():
    from dicom_desktop.kinds import KNOWN_KINDS, attachment_warning, with_article

    assert attachment_warning("délégation", "pôle") == (
        "Rattacher une délégation à un pôle est inhabituel dans l’administration française.")
    assert attachment_warning("direction", "cabinet") == "Rattacher une direction à un cabinet est inhabituel."
    assert with_article("sous-direction") == "une sous-direction" and with_article("secrétariat général") == "un secrétariat général"
    assert all("(e)" not in with_article(kind) for kind in KNOWN_KINDS)
    assert with_article("agence") == "un(e) agence"  # outside the vocabulary: gender unknown
