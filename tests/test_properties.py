"""Property tests (hypothesis) on random organisations and random edit sequences.

- file → graph → file gives back the very same bytes, whatever the names (accents, typographic
  characters, any printable Unicode), and the fast serializer writes exactly the reference bytes;
- any sequence of edits followed by as many undos gives back the start exactly, and the redos the
  end; a refused edit changes nothing;
- no sequence of edits can create a cycle or an orphan (the tree stays an arborescence, and every
  intermediate file passes the loader's checks).

The number of examples run is printed at the end of the module (terminal summary line).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
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
from dicom_desktop.files.storage import dump_organisation, dump_organisation_reference, parse_organisation

from .strategies import KIND, LINE, organisation_files
from tests.helpers import snapshot

RUNS: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_examples(request):
    """Print how many examples hypothesis ran (visible even without ``-s``)."""
    yield
    line = "[test_properties] hypothesis examples run: " + ", ".join(f"{name} = {count}" for name, count in sorted(RUNS.items()))
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + line)
    else:
        print(line)


# ---------------------------------------------------------------------------- round trip
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organisation_files())
def test_file_graph_file_round_trip_is_exact(data):
    RUNS["round-trip"] += 1
    reference = dump_organisation_reference(data)
    assert dump_organisation(data) == reference  # the fast serializer writes the canonical bytes
    loaded = parse_organisation(reference)
    doc = Document.from_file_model(loaded.data)
    assert dump_organisation(doc.to_file_model()) == reference
    assert dump_organisation(parse_organisation(dump_organisation(doc.to_file_model())).data) == reference


# ---------------------------------------------------------------------------- edit sequences
STEP = st.tuples(st.integers(0, 10), st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000), LINE, KIND)



def _operation(doc: Document, step) -> object | None:
    """Turn a random step into an operation on the current document (None: nothing applicable)."""
    action, a, b, c, text, kind = step
    graph = doc.graph
    ids = graph.preorder()
    pick = lambda k: ids[k % len(ids)]  # noqa: E731
    if action == 0:
        parent = pick(a)
        entity = Entity(id=graph.new_id("nouveau"), name=text, kind=kind, staff=c % 5 == 0)
        return AddEntity(entity, parent, b % (len(graph.children(parent)) + 1))
    if action == 1:
        return RemoveEntity(pick(a), with_subtree=c % 2 == 0)
    if action == 2:
        return MoveEntity(pick(a), pick(b), c % (len(ids) + 1))
    if action == 3:
        entity_id = pick(a)
        parent = graph.parent(entity_id)
        return MoveEntity(entity_id, parent, b % len(graph.children(parent))) if parent is not None else None
    if action == 4:
        changes = [{"name": text}, {"head_title": text, "vacant": bool(b % 2)}, {"attributions": [text, "Deuxième paragraphe\u202f!"]},
                   {"kind": kind, "headcount": b}, {"effective_date": _dt.date(2000 + b % 50, 1 + c % 12, 1)}][c % 5]
        return UpdateEntity(pick(a), changes)
    if action == 5:
        return AddLink(Link(source=pick(a), target=pick(b), kind=kind, label=text if c % 2 else ""))
    if action == 6:
        if not graph.links:
            return None
        link = graph.links[a % len(graph.links)]
        return RemoveLink(link.source, link.target, link.kind)
    if action == 7:
        return UpdateOrganisation({"name": text} if c % 2 else {"acronym": text, "missions": [text]})
    if action == 8:  # one gesture, two edits; the second may be refused: the batch rolls back
        entity = Entity(id=graph.new_id("lot"), name=text, kind=kind)
        return Batch([AddEntity(entity, pick(a)), MoveEntity(pick(b), entity.id if c % 2 else pick(c))], label="Lot")
    if action == 9:
        return UpdateEntity(pick(a), {"staff": bool(b % 2)})
    return UpdateEntity(pick(a), {"name": " " * (b % 3)})  # always refused: blank name


def _check_tree(doc: Document, snapshot: bytes) -> None:
    graph = doc.graph
    tree = graph.tree
    assert nx.is_arborescence(tree), "cycle or orphan in the hierarchy"
    assert graph.root is not None and tree.in_degree(graph.root) == 0
    for entity_id in graph.preorder():
        parent = graph.parent(entity_id)
        assert (parent is None) == (entity_id == graph.root)
        assert parent is None or tree.has_edge(parent, entity_id)
    for link in graph.links:
        assert link.source in graph and link.target in graph and link.source != link.target
    parse_organisation(snapshot)  # the file form passes every check of the loader (no cycle, no orphan)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organisation_files(max_size=12), st.lists(STEP, min_size=5, max_size=40))
def test_undo_all_gives_start_and_redo_all_gives_end(data, steps):
    RUNS["edit-sequence"] += 1
    doc = Document.from_file_model(data)
    states = [snapshot(doc)]
    inverses = []
    for step in steps:
        op = _operation(doc, step)
        if op is None:
            continue
        before = states[-1]
        try:
            inverse = doc.apply(op)
        except EditRefused:
            RUNS["refused edit"] += 1
            assert snapshot(doc) == before, f"refused {op!r} changed the document"
            continue
        RUNS["applied edit"] += 1
        inverses.append(inverse)
        states.append(snapshot(doc))
        _check_tree(doc, states[-1])

    redos = []
    for inverse, expected in zip(reversed(inverses), reversed(states[:-1])):
        redos.append(doc.apply(inverse))
        assert snapshot(doc) == expected
    assert snapshot(doc) == states[0]

    for redo, expected in zip(reversed(redos), states[1:]):
        doc.apply(redo)
        assert snapshot(doc) == expected
    assert snapshot(doc) == states[-1]


# ---------------------------------------------------------------------------- any bytes at all
_VALID = None


def _valid_bytes() -> bytes:
    global _VALID
    if _VALID is None:
        from .conftest import DICOM_FILE

        _VALID = DICOM_FILE.read_bytes()
    return _VALID


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=400),
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=0, max_size=4), st.integers(0, 3)), min_size=1, max_size=6),
))
def test_any_bytes_give_a_file_or_a_french_file_error(mutation):
    """Random bytes, and a valid file with random cuts, insertions and overwrites: the loader
    either accepts it or raises OrganisationFileError — never another exception."""
    from dicom_desktop.errors import OrganisationFileError

    RUNS["corrupted bytes"] += 1
    if isinstance(mutation, bytes):
        raw = mutation
    else:
        raw = bytearray(_valid_bytes())
        for position, chunk, how in mutation:
            at = position % (len(raw) + 1)
            if how == 0:
                raw[at:at + len(chunk)] = chunk  # overwrite
            elif how == 1:
                raw[at:at] = chunk  # insert
            elif how == 2:
                del raw[at:at + 1 + len(chunk)]  # delete
            else:
                del raw[at:]  # truncate
        raw = bytes(raw)
    try:
        parse_organisation(raw, "essai.json")
    except OrganisationFileError as exc:
        assert exc.problems and str(exc).startswith("Fichier « essai.json » invalide")
