"""The one-pass reader (pydantic's Rust core, text rules as Rust regexes) accepts only what the
careful reader accepts, with the same values; everything else goes to the careful reader, whose
French messages are unchanged (tests/test_bad_inputs.py)."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import SchemaValidator, core_schema

from dicom_desktop.errors import OrganisationFileError
from dicom_desktop.files import one_pass, storage
from dicom_desktop.files.storage import check_organisation_object, decode_json, dump_organisation, parse_organisation
from dicom_desktop.model import (
    _FORBIDDEN_IN_ID,
    _FORBIDDEN_IN_LINE,
    _FORBIDDEN_IN_PARAGRAPH,
    LineRule,
    ParagraphRule,
    is_visible,
)
from dicom_desktop.synthetic import generate_organisation

from .strategies import organisation_files


@pytest.fixture(autouse=True)
def one_pass_for_every_size(monkeypatch):
    """parse_organisation tries the one-pass reader on large files only: here on every file."""
    monkeypatch.setattr(storage, "ONE_PASS_MIN_BYTES", 0)


def _careful(raw: bytes):
    return check_organisation_object(decode_json(raw, None), None)


def _outcome(read, raw: bytes):
    try:
        loaded = read(raw)
    except OrganisationFileError as exc:
        return ("refused", str(exc))
    return ("read", dump_organisation(loaded.data), loaded.warnings)


def test_a_saved_file_is_read_in_one_pass_with_the_same_values():
    raw = dump_organisation(generate_organisation(300, seed=3))
    data = one_pass.read_in_one_pass(raw)
    assert data is not None
    careful = _careful(raw).data
    assert data == careful
    assert dump_organisation(data) == raw
    assert [e.__pydantic_fields_set__ for e in data.entities] == [e.__pydantic_fields_set__ for e in careful.entities]


@pytest.mark.parametrize("name, expected", [
    ("direction", True),  # canonical
    ('direction\\" : x', False),  # an escaped quote then a colon inside a text: careful reader
])
def test_texts_that_look_like_keys_go_to_the_careful_reader(name, expected):
    raw = dump_organisation(generate_organisation(5, seed=1)).replace(b'"name": "', f'"name": "{name}'.encode(), 1)
    assert (one_pass.read_in_one_pass(raw) is not None) is expected
    assert _outcome(parse_organisation, raw) == _outcome(_careful, raw)


def test_a_repeated_key_is_still_refused_with_its_place():
    raw = dump_organisation(generate_organisation(5, seed=1))
    for key in (b'"name": ', b'"head_title": ', b'"inferred": ', b'"organisation": '):
        twice = raw.replace(key, key + b'"x", ' + key, 1) if key != b'"organisation": ' else raw.replace(
            b'"entities": ', b'"organisation": {"name": "X"},\n  "entities": ', 1)
        assert one_pass.read_in_one_pass(twice) is None
        with pytest.raises(OrganisationFileError, match="apparaît deux fois dans le même objet JSON"):
            parse_organisation(twice)


def _rust_accepts(rule) -> SchemaValidator:
    return SchemaValidator(core_schema.str_schema(pattern=rule.rust_pattern(), max_length=rule.max_length))


def test_every_character_is_judged_alike_by_the_rust_and_python_rules():
    """All of Unicode but the surrogates (which the Rust JSON reader refuses): a character is
    forbidden, visible or neither for the Rust patterns exactly as for model.py's rules."""
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    name, ident, optional = (_rust_accepts(LineRule("x", 300, **kw)) for kw in ({}, {"identifier": True}, {"optional": True}))
    paragraph = _rust_accepts(ParagraphRule())
    not_in_line = set(_FORBIDDEN_IN_LINE.findall(chars))
    not_in_id = set(_FORBIDDEN_IN_ID.findall(chars))
    not_in_paragraph = set(_FORBIDDEN_IN_PARAGRAPH.findall(chars))
    wrong = []
    for c in chars:
        visible = is_visible(c)
        checks = (
            (name, c, visible and c not in not_in_line),
            (name, "a" + c, c not in not_in_line),
            (ident, c, visible and c not in not_in_id),
            (ident, "a" + c, c not in not_in_id),
            (optional, "a" + c, c not in not_in_line),
            (paragraph, "a" + c, c not in not_in_paragraph),
        )
        wrong += [(f"U+{ord(c):04X}", text) for validator, text, python in checks if validator.isinstance_python(text) != python]
    assert not wrong[:20]
    assert optional.isinstance_python("") and not name.isinstance_python("")
    assert name.isinstance_python("a" * 300) and not name.isinstance_python("a" * 301)


# ------------------------------------------------------------------ random files, random damage
ODD_VALUES = [
    "", " ", "\u00a0", "\u200b", "\u3164", "a\u3164", "\u0301", "a\u202e", "a\x07", "a\tb", "a\nb", "\ufeffa", "a\uffff",
    "é" * 301, "x" * 20_001, "Bureau : budget", 'dit "oui" : non', "\\", "parent", "kind", "staff", "kind-x",
    0, 1, -1, 10**31, 10**29, 1.0, 1.5, 1e40, True, False, None, [], ["a", "a"], ["parent", "parent"], ["parent", "kind"],
    ["nope"], {}, {"a": 1}, "2024-02-30", "2024-02-29", "2024-01-01T00:00:00", "true", "1",
]
ENTITY_KEYS = ["id", "name", "kind", "parent", "attributions", "short_name", "head_title", "head_name", "headcount",
               "vacant", "legal_reference", "effective_date", "order", "staff", "inferred", "parnet"]
ORGANISATION_KEYS = ["name", "acronym", "missions", "legal_basis", "updated", "source", "notes", "extra"]


@st.composite
def damaged_files(draw) -> bytes:
    payload = draw(organisation_files(max_size=8)).model_dump(mode="json")
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["entity", "organisation", "top", "link"]))
        value = draw(st.sampled_from(ODD_VALUES))
        if where == "entity":
            entity = draw(st.sampled_from(payload["entities"]))
            key = draw(st.sampled_from(ENTITY_KEYS))
            if draw(st.booleans()) and key in entity and key != "parnet":
                del entity[key]
            else:
                entity[key] = value
        elif where == "organisation":
            payload["organisation"][draw(st.sampled_from(ORGANISATION_KEYS))] = value
        elif where == "link" and isinstance(payload["links"], list) and payload["links"] and isinstance(payload["links"][0], dict):
            payload["links"][0][draw(st.sampled_from(["source", "target", "kind", "label"]))] = value
        else:
            payload[draw(st.sampled_from(["schema_version", "links", "scenarios", "other"]))] = value
    text = json.dumps(payload, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    key = draw(st.sampled_from(['"name": ', '"id": ', '"order": ', '"inferred": ', '"notes": ']))
    how = draw(st.sampled_from(["as is", "repeat the key", "blank before the colon", "escaped colon", "escaped quote"]))
    if how == "repeat the key" and key in text:
        at = draw(st.integers(0, text.count(key) - 1))
        parts = text.split(key)
        parts[at + 1] = draw(st.sampled_from(['"x", ', "1, ", "null, ", "[], "])) + key + parts[at + 1]
        text = key.join(parts)
    elif how == "blank before the colon":
        text = text.replace(key, key.replace('":', '"\n :'), 1)
    elif how == "escaped colon":
        text = text.replace('"name": "', '"name": "\\u003a', 1)
    elif how == "escaped quote":
        text = text.replace('"name": "', '"name": "\\":', 1)
    return text.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(damaged_files())
def test_both_readers_agree_on_damaged_files(raw):
    """Same values or same French refusal, whichever reader read the file."""
    assert _outcome(parse_organisation, raw) == _outcome(_careful, raw)


def test_the_one_pass_reader_is_used_for_most_sound_files():
    raws = [dump_organisation(generate_organisation(n, seed=n)) for n in (1, 2, 10, 50)]
    assert all(one_pass.read_in_one_pass(raw) is not None for raw in raws)
    assert storage.read_in_one_pass is one_pass.read_in_one_pass


def test_large_files_are_read_in_one_pass(monkeypatch):
    raw = dump_organisation(generate_organisation(40, seed=4))
    monkeypatch.setattr(storage, "ONE_PASS_MIN_BYTES", len(raw))
    calls = []
    monkeypatch.setattr(storage, "read_in_one_pass", lambda *args: calls.append(args) or one_pass.read_in_one_pass(*args))
    parse_organisation(raw)
    parse_organisation(raw[:-1])  # one byte less: the careful reader alone
    assert len(calls) == 1


@pytest.mark.parametrize("names, one_pass_reads", [([], True), (["parent", "kind"], True), (["parent", "parent"], False),
                                                    (["nope"], False)])
def test_inferred_names_are_checked_in_one_pass_too(names, one_pass_reads):
    payload = generate_organisation(3, seed=2).model_dump(mode="json")
    payload["entities"][1]["inferred"] = names
    raw = json.dumps(payload, ensure_ascii=False, indent=2).encode()
    assert (one_pass.read_in_one_pass(raw) is not None) is one_pass_reads
    assert _outcome(parse_organisation, raw) == _outcome(_careful, raw)
