"""Saving writes the file straight from the editor's records (storage.dump_records), and the bytes
are exactly those of the pydantic models' serializer: same fields, same order, same escaping,
same indentation, on the DICOM chart, synthetic charts and random organisations."""

from __future__ import annotations

import datetime as _dt
import types

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dicom_desktop.document import Document
from dicom_desktop.files import storage
from dicom_desktop.files.recovery import Autosaver, read_recovery
from dicom_desktop.files.storage import dump_organisation, dump_organisation_reference, dump_records, parse_organisation
from dicom_desktop.model import INFERABLE_FIELDS, OrganisationFile
from dicom_desktop.operations import MoveEntity, UpdateEntity
from dicom_desktop.records import EntityRecord
from dicom_desktop.scenarios import ActivateScenario, NewScenario
from dicom_desktop.synthetic import generate_organisation

from .conftest import DICOM_FILE
from .strategies import LINE, OPTIONAL_LINE, PARAGRAPH, organisation_files

# Dates over the whole range the model accepts (years below 1000 are written with four digits).
ANY_DATE = st.one_of(st.none(), st.dates(_dt.date(1, 1, 1), _dt.date(9999, 12, 31)))


@st.composite
def varied_files(draw) -> OrganisationFile:
    """Random organisations, each entity given more varied values than the shared strategy draws:
    inferred fields, any date, headcount 0 or huge, empty or exotic optional texts."""
    data = draw(organisation_files())
    entities = []
    for entity in data.entities:
        update = {
            "inferred": draw(st.lists(st.sampled_from(list(INFERABLE_FIELDS)), max_size=3, unique=True)),
            "effective_date": draw(ANY_DATE),
            "headcount": draw(st.one_of(st.none(), st.sampled_from([0, 1, 1_000_000]))),
            "short_name": draw(OPTIONAL_LINE),
            "attributions": draw(st.lists(PARAGRAPH, max_size=2)),
        }
        if draw(st.booleans()):
            update["name"] = draw(LINE)
        entities.append(entity.model_copy(update=update))
    # Through the validating constructor: every value is one a real file could hold.
    return OrganisationFile.model_validate(data.model_copy(update={"entities": entities}).model_dump())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(varied_files())
def test_records_are_written_with_the_bytes_of_the_models(data):
    reference = dump_organisation_reference(data)
    doc = Document.from_file_model(parse_organisation(reference).data)
    assert doc.file_bytes() == reference
    assert dump_organisation(doc.to_file_model()) == reference
    records = [EntityRecord.from_model(entity) for entity in data.entities]
    assert dump_records(data.organisation, records, data.links, data.scenarios) == reference
    # Models, and a mix of models and records, are written the same way too.
    assert dump_records(data.organisation, data.entities, data.links, data.scenarios) == reference
    mixed = [record if i % 2 else entity for i, (record, entity) in enumerate(zip(records, data.entities))]
    assert dump_records(data.organisation, mixed, data.links, data.scenarios) == reference


def test_the_dicom_chart_and_synthetic_charts_save_to_the_same_bytes(tmp_path):
    doc = Document.open(DICOM_FILE)
    assert doc.file_bytes() == dump_organisation(doc.to_file_model()) == dump_organisation_reference(doc.to_file_model())
    for size in (1, 50, 600):
        doc = Document.from_file_model(generate_organisation(size))
        assert doc.file_bytes() == dump_organisation_reference(doc.to_file_model())


def test_saving_does_not_turn_records_back_into_models(tmp_path, monkeypatch):
    """The point of the record writer: no pydantic model per entity on save or autosave."""
    doc = Document.from_file_model(generate_organisation(200))
    expected = dump_organisation_reference(doc.to_file_model())

    def refuse(self):
        raise AssertionError("a record was turned back into a model to be saved")

    monkeypatch.setattr(EntityRecord, "to_model", refuse)
    target = doc.save(tmp_path / "org.json")
    assert target.read_bytes() == expected
    doc.modified = True
    snapshot = Autosaver(tmp_path / "data").autosave(doc)
    monkeypatch.undo()
    assert snapshot is not None
    assert dump_organisation(read_recovery(snapshot)[1].data) == expected


def test_a_scenario_on_screen_is_saved_with_its_edits(tmp_path):
    doc = Document.open(DICOM_FILE)
    root = doc.graph.root
    doc.apply(NewScenario("Variante « été »"))
    scenario_id = doc.scenarios[-1].id
    doc.apply(ActivateScenario(scenario_id))
    child = doc.graph.children(root)[0]
    doc.apply(UpdateEntity(child, {"name": "Pôle « données » — essai"}))
    grandchild = next(c for c in doc.graph.children(root)[1:] if doc.graph.children(c))
    doc.apply(MoveEntity(doc.graph.children(grandchild)[0], child))
    assert doc.file_bytes() == dump_organisation_reference(doc.to_file_model())
    doc.save(tmp_path / "v.json")
    reopened = Document.open(tmp_path / "v.json")
    saved = next(s for s in reopened.scenarios if s.id == scenario_id)
    assert any(e.name == "Pôle « données » — essai" for e in saved.entities)
    assert reopened.graph.entity(child).name == doc.organisation_graph.entity(child).name  # current one untouched


def test_a_value_the_fast_writer_does_not_know_falls_back_to_the_models(monkeypatch):
    doc = Document.from_file_model(generate_organisation(30))
    expected = dump_organisation_reference(doc.to_file_model())

    def broken(*args, **kwargs):
        raise ValueError("unknown value")

    monkeypatch.setattr(storage, "orjson", types.SimpleNamespace(dumps=broken))
    assert doc.file_bytes() == expected


@pytest.mark.parametrize("swap", [("name", "kind"), ("staff", "inferred")])
def test_a_field_out_of_order_would_be_seen(monkeypatch, swap):
    """Guard on the guard: the byte comparison above notices a field written in the wrong order."""
    doc = Document.from_file_model(generate_organisation(5))
    fields = list(storage.ENTITY_FIELDS)
    i, j = fields.index(swap[0]), fields.index(swap[1])
    fields[i], fields[j] = fields[j], fields[i]
    monkeypatch.setattr(storage, "ENTITY_FIELDS", tuple(fields))
    assert doc.file_bytes() != dump_organisation_reference(doc.to_file_model())
