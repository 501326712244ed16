"""Operations and their inverses: apply then inverse gives back the exact starting file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dicom_desktop.document import Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.model import Entity, Link
from dicom_desktop.operations import (
    AddEntity,
    AddLink,
    Batch,
    MoveEntity,
    RemoveEntity,
    RemoveLink,
    UpdateEntity,
    UpdateOrganisation,
)
from tests.helpers import snapshot

from .conftest import DICOM_FILE



@pytest.mark.parametrize(
    "op",
    [
        AddEntity(Entity(id="nouveau", name="Nouveau bureau"), "delegue", 2),
        RemoveEntity("secretariat-general"),
        RemoveEntity("secretariat-general", with_subtree=True),
        MoveEntity("bureau-campagnes", "delegues-adjoints"),
        MoveEntity("bureau-ressources", "delegue", 0),
        UpdateEntity("bureau-campagnes", {"name": "Bureau des campagnes nationales", "vacant": True}),
        UpdateEntity("bureau-campagnes", {"attributions": ["Un seul paragraphe."]}),
        AddLink(Link(source="bureau-veille-opinion", target="bureau-influence-digital")),
        RemoveLink("bureau-campagnes", "bureau-communication-crise"),
        UpdateOrganisation({"acronym": "DICOM-2"}),
    ],
    ids=lambda op: type(op).__name__,
)
def test_inverse_restores_exactly(op):
    doc = Document.open(DICOM_FILE)
    before = snapshot(doc)
    inverse = doc.apply(op)
    assert snapshot(doc) != before
    after = snapshot(doc)
    redo = doc.apply(inverse)
    assert snapshot(doc) == before
    doc.apply(redo)
    assert snapshot(doc) == after
    assert inverse.label  # every step has a French label for the Historique


def test_remove_with_subtree_restores_links_and_positions():
    doc = Document.open(DICOM_FILE)
    before = snapshot(doc)
    inverse = doc.apply(RemoveEntity("bureau-campagnes", with_subtree=True))
    assert "bureau-campagnes" not in doc.graph and len(doc.graph.links) == 1
    doc.apply(inverse)
    assert snapshot(doc) == before


def test_refused_move_changes_nothing_and_notifies_nobody():
    doc = Document.open(DICOM_FILE)
    seen = []
    doc.subscribe(seen.append)
    before = snapshot(doc)
    with pytest.raises(EditRefused, match="boucle"):
        doc.apply(MoveEntity("secretariat-general", "bureau-ressources"))
    assert snapshot(doc) == before and seen == [] and not doc.modified


def test_batch_rolls_back_when_a_step_fails():
    doc = Document.open(DICOM_FILE)
    before = snapshot(doc)
    with pytest.raises(EditRefused):
        doc.apply(Batch([MoveEntity("bureau-campagnes", "delegues-adjoints"), MoveEntity("delegue", "bureau-campagnes")]))
    assert snapshot(doc) == before


def test_listeners_are_told_of_each_change():
    doc = Document.open(DICOM_FILE)
    seen = []
    unsubscribe = doc.subscribe(seen.append)
    op = UpdateEntity("bureau-campagnes", {"name": "Campagnes"})
    doc.apply(op)
    assert seen == [op] and doc.modified
    unsubscribe()
    doc.apply(UpdateEntity("bureau-campagnes", {"name": "Campagnes 2"}))
    assert len(seen) == 1


# --------------------------------------------------------------------- property test
@st.composite
def edit_sequences(draw):
    return draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=25))


def _op_from(doc: Document, code: int, a: int, b: int, counter: list[int]):
    ids = list(doc.graph)
    x = ids[a % len(ids)]
    y = ids[b % len(ids)]
    if code == 0:
        counter[0] += 1
        return AddEntity(Entity(id=f"n{counter[0]}", name=f"Nouvelle entité {counter[0]}"), x, b % 5)
    if code == 1:
        return RemoveEntity(x, with_subtree=bool(b % 2))
    if code == 2:
        return MoveEntity(x, y, b % 4)
    if code == 3:
        return UpdateEntity(x, {"name": f"Nom {b}", "attributions": [f"Attribution {a}."]})
    if code == 4:
        return AddLink(Link(source=x, target=y))
    return RemoveLink(x, y)


@settings(max_examples=60, deadline=None)
@given(edit_sequences())
def test_random_edits_undo_and_redo_exactly(sequence):
    import networkx as nx

    doc = Document.open(DICOM_FILE)
    start = snapshot(doc)
    undo_stack = []
    counter = [0]
    for code, a, b in sequence:
        try:
            undo_stack.append(doc.apply(_op_from(doc, code, a, b, counter)))
        except EditRefused:
            continue
        assert nx.is_arborescence(doc.graph.tree)  # never a cycle nor an orphan
    end = snapshot(doc)
    redo_stack = []
    while undo_stack:
        redo_stack.append(doc.apply(undo_stack.pop()))
    assert snapshot(doc) == start
    while redo_stack:
        doc.apply(redo_stack.pop())
    assert snapshot(doc) == end
