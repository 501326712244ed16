"""The editor's everyday edits and the move rule, as plain core functions (no Qt)."""

from __future__ import annotations

import pytest

from dicom_desktop import edits
from dicom_desktop.document import OPEN_CHECKING, OPEN_READING, Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.kinds import CHILD_KIND, HEAD_TITLE, child_kind, head_title
from dicom_desktop.operations import AddEntity, Batch, MoveEntity, RemoveEntity
from dicom_desktop.reorg import is_noop_move, move_warnings


# ---------------------------------------------------------------------------- new entities
@pytest.mark.parametrize("parent_kind", sorted(CHILD_KIND))
def test_a_new_subdivision_gets_the_kind_usual_below_its_parent(parent_kind):
    kind = child_kind(parent_kind)
    assert kind == CHILD_KIND[parent_kind]
    assert head_title(kind) == HEAD_TITLE.get(kind, "")


def test_under_an_unknown_kind_a_new_subdivision_is_a_bureau():
    assert child_kind("agence régionale") == "bureau" and head_title("bureau") == "Chef de bureau"


def test_new_subdivision_under_the_delegation(dicom_doc):
    op = edits.new_subdivision(dicom_doc.graph, "delegue")
    assert isinstance(op, AddEntity) and op.parent == "delegue" and op.index is None
    assert (op.entity.kind, op.entity.head_title, op.entity.name) == ("bureau", "Chef de bureau", "Nouvelle entité")
    assert op.entity.id not in dicom_doc.graph
    dicom_doc.apply(op)
    assert dicom_doc.graph.children_map()["delegue"][-1] == op.entity.id
    assert edits.new_subdivision(dicom_doc.graph, "delegue").entity.id != op.entity.id  # ids stay unique


def test_new_sibling_copies_kind_and_title_and_sits_right_after(dicom_doc):
    graph = dicom_doc.graph
    op = edits.new_sibling(graph, "bureau-campagnes")
    assert op.parent == "delegue" and op.index == graph.index_in_parent("bureau-campagnes") + 1
    model = graph.entity("bureau-campagnes")
    assert (op.entity.kind, op.entity.head_title) == (model.kind, model.head_title)


def test_the_head_has_no_sibling(dicom_doc):
    with pytest.raises(EditRefused, match="entité de tête"):
        edits.new_sibling(dicom_doc.graph, "delegue")


# ---------------------------------------------------------------------------- deletion and links
def test_removal_never_takes_the_head_and_nests_branches(dicom_doc):
    graph = dicom_doc.graph
    ids = ["delegue", "secretariat-general", "bureau-ressources"]
    assert edits.removal_targets(graph, ids, with_subtree=True) == ["secretariat-general"]
    assert edits.removal_targets(graph, ids, with_subtree=False) == ["secretariat-general", "bureau-ressources"]
    op = edits.removal(graph, ids, with_subtree=True)
    assert op == RemoveEntity("secretariat-general", with_subtree=True)
    assert isinstance(edits.removal(graph, ids, with_subtree=False), Batch)
    with pytest.raises(EditRefused):
        edits.removal(graph, ["delegue"], with_subtree=False)


def test_link_lookup_works_both_ways(dicom_doc):
    graph = dicom_doc.graph
    link = edits.link_between(graph, "delegues-adjoints", "secretariat-general")
    assert link is not None and link.source == "secretariat-general"
    assert edits.link_between(graph, "bureau-production", "delegue") is None


# ---------------------------------------------------------------------------- one warning wording
def test_one_attachment_warning_wording_for_moves_adds_and_gestures(dicom_doc):
    graph = dicom_doc.graph
    expected = edits.attachment_warnings(graph, "bureau-campagnes", "bureau-production")
    assert expected and expected[0].startswith("« Bureau") and " sous « " in expected[0]
    assert move_warnings(dicom_doc, ["bureau-campagnes"], "bureau-production") == expected
    dicom_doc.apply(MoveEntity("bureau-campagnes", "bureau-production"))
    assert edits.operation_warnings(dicom_doc.graph, MoveEntity("bureau-campagnes", "bureau-production")) == expected
    assert edits.operation_warnings(dicom_doc.graph, RemoveEntity("bureau-veille-opinion")) == []


# ---------------------------------------------------------------------------- the move rule
def test_a_drop_where_the_entities_already_are_is_a_no_op(dicom_doc):
    graph = dicom_doc.graph
    kids = graph.children_map()["delegue"]
    second = kids[1]
    assert is_noop_move(graph, [second], "delegue", 1)  # before itself
    assert is_noop_move(graph, [second], "delegue", 2)  # before its next sibling
    assert not is_noop_move(graph, [second], "delegue", 0)
    assert is_noop_move(graph, [kids[-1]], "delegue", None)  # the last one, at the end
    assert not is_noop_move(graph, [second], "delegue", None)
    assert is_noop_move(graph, kids[1:3], "delegue", 1)  # a block that does not move
    assert not is_noop_move(graph, [second], "secretariat-general", None)  # another parent


# ---------------------------------------------------------------------------- one open path
def test_document_open_tells_its_phases(dicom_path):
    phases: list[str] = []
    doc = Document.open(dicom_path, progress=phases.append)
    assert phases == [OPEN_READING, OPEN_CHECKING] and len(doc.graph) == 10
    assert Document.open(dicom_path).graph.root == doc.graph.root  # no callback: same document
