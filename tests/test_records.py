"""The lean in-memory entity (records.EntityRecord): same values, same bytes, far fewer bytes held."""

from __future__ import annotations

import sys

import networkx as nx
from hypothesis import HealthCheck, given, settings

from dicom_desktop.document import Document
from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Entity
from dicom_desktop.operations import MoveEntity, UpdateEntity
from dicom_desktop.records import FIELDS, EntityRecord
from dicom_desktop.files.storage import dump_organisation

from .strategies import organisation_files


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organisation_files())
def test_record_and_model_hold_the_same_values_and_bytes(data):
    for entity in data.entities:
        record = EntityRecord.from_model(entity)
        assert tuple(record) == tuple(getattr(entity, name) for name in FIELDS)
        assert record == entity and entity == record
        assert record.model_dump() == entity.model_dump()
        assert record.model_dump(mode="json") == entity.model_dump(mode="json")
        model = record.to_model()
        assert type(model) is Entity and model == entity
        assert model.model_dump_json() == entity.model_dump_json()
    doc = Document.from_file_model(data)
    assert dump_organisation(doc.to_file_model()) == dump_organisation(data)


def test_the_graph_holds_records_not_models(dicom_doc):
    graph = dicom_doc.graph
    assert all(type(graph.entity(i)) is EntityRecord for i in graph)
    assert all(type(e) is Entity for e in graph.to_entities())  # the file side stays pydantic
    model = graph.to_entities()[0]
    assert sys.getsizeof(graph.entity(graph.root)) < sys.getsizeof(model.__dict__)


def test_record_copy_dump_and_equality_behave_like_the_model():
    entity = Entity(id="b", name="Bureau", attributions=["Un."], parent="a", order=2)
    record = EntityRecord.from_model(entity)
    assert EntityRecord.from_model(record) is record
    renamed = record.model_copy(update={"name": "Autre"})
    assert renamed.name == "Autre" and record.name == "Bureau"
    assert renamed == entity.model_copy(update={"name": "Autre"})
    assert renamed != entity and record != ("b", "Bureau")
    dumped = record.model_dump()
    dumped["attributions"].append("Deux.")  # a dump is a copy, as with the model
    assert record.attributions == ["Un."]


def test_tree_is_built_on_demand_with_ids_only_and_follows_edits(dicom_doc):
    graph = dicom_doc.graph
    tree = graph.tree
    assert isinstance(tree, nx.DiGraph) and nx.is_arborescence(tree)
    assert all(not data for _, data in tree.nodes(data=True))  # ids only, no entity in the node
    assert graph.tree is tree  # kept while nothing changes
    moved, target = "bureau-ressources", "delegue"
    dicom_doc.apply(UpdateEntity(moved, {"name": "Bureau renommé"}))
    assert graph.tree is tree  # a field edit leaves the hierarchy as it was
    dicom_doc.apply(MoveEntity(moved, target))
    assert graph.tree is not tree and graph.tree.has_edge(target, moved)
    assert set(graph.tree) == set(graph) and nx.is_arborescence(graph.tree)


def test_opening_a_file_does_not_import_networkx(tmp_path):
    import subprocess

    code = ("import sys; from dicom_desktop.document import Document; from dicom_desktop.files.paths import "
            "DEFAULT_ORGANISATION; Document.open(DEFAULT_ORGANISATION); print('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_records_survive_a_graph_copy():
    root = Entity(id="r", name="Racine")
    graph = OrgGraph.from_entities([root, Entity(id="c", name="Enfant", parent="r")])
    other = graph.copy()
    other.update_entity("c", name="Changé")
    assert graph.entity("c").name == "Enfant" and other.entity("c").name == "Changé"


def test_records_of_models_records_and_a_mix_are_from_model_of_each():
    from dicom_desktop.records import records_of
    from dicom_desktop.synthetic import generate_organisation

    models = generate_organisation(30, seed=5).entities
    expected = [EntityRecord.from_model(m) for m in models]
    mixed = [expected[i] if i % 3 else m for i, m in enumerate(models)]
    for entities in (models, expected, mixed, []):
        got = records_of(entities)
        assert got == expected[:len(entities)] and all(type(r) is EntityRecord for r in got)
        assert [tuple(r) for r in got] == [tuple(r) for r in expected[:len(entities)]]
