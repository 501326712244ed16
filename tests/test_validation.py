"""Every validation error a file can have, each with a French message naming the entity and field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dicom_desktop.errors import OrganisationFileError
from dicom_desktop.files.storage import parse_organisation

from .conftest import minimal_file


def problems_of(data) -> list[str]:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    with pytest.raises(OrganisationFileError) as info:
        parse_organisation(raw, "org.json")
    return [str(p) for p in info.value.problems]


def test_minimal_file_is_valid():
    loaded = parse_organisation(json.dumps(minimal_file()).encode())
    assert [e.id for e in loaded.data.entities] == ["root", "a", "b"]
    assert loaded.warnings == []


def test_duplicate_id_names_the_entity():
    data = minimal_file()
    data["entities"].append({"id": "a", "name": "Autre", "parent": "root"})
    [msg] = problems_of(data)
    assert "entité « a »" in msg and "champ « id »" in msg and "double" in msg


def test_unknown_parent_names_entity_field_and_target():
    data = minimal_file()
    data["entities"][1]["parent"] = "nulle-part"
    [msg] = problems_of(data)
    assert "entité « a »" in msg and "champ « parent »" in msg and "« nulle-part »" in msg


def test_cycle_is_reported_with_its_path():
    data = minimal_file()
    data["entities"] += [
        {"id": "x", "name": "X", "parent": "y"},
        {"id": "y", "name": "Y", "parent": "z"},
        {"id": "z", "name": "Z", "parent": "x"},
    ]
    [msg] = problems_of(data)
    assert "boucle" in msg and "x" in msg and "y" in msg and "z" in msg


def test_self_parent():
    data = minimal_file()
    data["entities"][1]["parent"] = "a"
    msgs = problems_of(data)
    assert any("elle-même" in m and "entité « a »" in m for m in msgs)


def test_two_roots():
    data = minimal_file()
    data["entities"][1]["parent"] = None
    [msg] = problems_of(data)
    assert "plusieurs entités de tête" in msg and "« root »" in msg and "« a »" in msg


def test_no_root():
    data = minimal_file()
    data["entities"][0]["parent"] = "a"
    msgs = problems_of(data)
    assert any("aucune entité de tête" in m for m in msgs)
    assert any("boucle" in m for m in msgs)


def test_no_entities():
    data = minimal_file(entities=[])
    [msg] = problems_of(data)
    assert "aucune entité" in msg


def test_link_to_unknown_entity():
    data = minimal_file(links=[{"source": "a", "target": "fantome", "kind": "functional"}])
    [msg] = problems_of(data)
    assert "lien n° 1" in msg and "« fantome »" in msg and "links[0].target" in msg


def test_self_link():
    data = minimal_file(links=[{"source": "a", "target": "a"}])
    [msg] = problems_of(data)
    assert "elle-même" in msg


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_names_entity_and_field(name):
    data = minimal_file()
    data["entities"][2]["name"] = name
    [msg] = problems_of(data)
    assert "entité « b »" in msg and "champ « name »" in msg and "vide" in msg


def test_missing_required_field():
    data = minimal_file()
    del data["entities"][1]["name"]
    [msg] = problems_of(data)
    assert "entité « a »" in msg and "« name »" in msg and "manquant" in msg


def test_wrong_type():
    data = minimal_file()
    data["entities"][1]["headcount"] = "douze"
    [msg] = problems_of(data)
    assert "entité « a »" in msg and "headcount" in msg and "nombre entier" in msg


def test_unknown_field_is_a_typo():
    data = minimal_file()
    data["entities"][1]["parnet"] = "root"
    [msg] = problems_of(data)
    assert "parnet" in msg and "inconnu" in msg


def test_control_character_and_lone_surrogate_in_name():
    data = minimal_file()
    data["entities"][1]["name"] = "Bureau\u0007A"
    [msg] = problems_of(data)
    assert "U+0007" in msg and "entité « a »" in msg
    raw = json.dumps(minimal_file()).replace("Bureau B", "Bureau \\ud800").encode()
    [msg] = problems_of(raw)
    assert "U+D800" in msg and "entité « b »" in msg


def test_overlong_name():
    data = minimal_file()
    data["entities"][1]["name"] = "x" * 10_000
    [msg] = problems_of(data)
    assert "trop long" in msg and "10000" in msg


def test_all_problems_reported_at_once():
    data = minimal_file()
    data["entities"][1]["parent"] = "inconnu"
    data["entities"].append({"id": "b", "name": "Doublon", "parent": "root"})
    assert len(problems_of(data)) == 2


def test_unknown_kind_is_a_warning_not_an_error():
    data = minimal_file()
    data["entities"][1]["kind"] = "agence"
    loaded = parse_organisation(json.dumps(data).encode())
    assert loaded.warnings and "agence" in loaded.warnings[0] and "neutre" in loaded.warnings[0]


def test_json_syntax_error_gives_line_and_column():
    raw = b'{\n  "schema_version": 1,\n  "organisation": {"name": "X"\n  "entities": []\n}'
    [msg] = problems_of(raw)
    assert "ligne 4" in msg and "JSON invalide" in msg


def test_duplicate_keys_are_refused():
    raw = b'{"schema_version": 1, "schema_version": 1, "organisation": {"name": "X"}, "entities": []}'
    [msg] = problems_of(raw)
    assert "deux fois" in msg and "schema_version" in msg


def test_latin1_file_is_explained():
    raw = json.dumps(minimal_file(), ensure_ascii=False).encode("latin-1", "replace")
    raw = raw.replace(b"Bureau A", "Bureau Général".encode("latin-1"))
    [msg] = problems_of(raw)
    assert "UTF-8" in msg and "Latin-1" in msg and "ligne 1" in msg


def test_utf8_bom_is_accepted():
    raw = b"\xef\xbb\xbf" + json.dumps(minimal_file()).encode()
    assert len(parse_organisation(raw).data.entities) == 3


def test_newer_schema_is_refused_with_reason():
    data = minimal_file()
    data["schema_version"] = 99
    [msg] = problems_of(data)
    assert "plus récente" in msg and "schema_version" in msg


def test_scenario_structure_is_checked_too():
    data = minimal_file()
    data["scenarios"] = [{"id": "s1", "name": "Variante", "entities": [{"id": "r", "name": "R"}, {"id": "r", "name": "R2", "parent": "r"}]}]
    msgs = problems_of(data)
    assert any("Variante" in m and "double" in m for m in msgs)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), st.one_of(st.none(), st.sampled_from("abcdefghz")), min_size=1))
def test_the_quick_no_loop_test_agrees_with_the_walk(parent_of):
    """Every entity reached from the heads ⇔ no loop, unknown parent nor self-parent (then the walk
    finds nothing); otherwise the walk runs and reports as before."""
    from dicom_desktop.validation import _all_reach_a_root, _cycle_walk, _cycles

    all_reached = _all_reach_a_root(parent_of)
    if all_reached:
        assert _cycle_walk(parent_of, "") == []
    assert [p.message for p in _cycles(parent_of, "")] == [p.message for p in _cycle_walk(parent_of, "")]
    bad_parent = any(p is not None and (p == node or p not in parent_of) for node, p in parent_of.items())
    assert all_reached == (not bad_parent and not _cycle_walk(parent_of, ""))
