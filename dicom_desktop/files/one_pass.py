"""Reading a sound file in one pass of pydantic's Rust core: bytes → checked models, no Python per value.

The careful reader of :mod:`dicom_desktop.files.storage` decodes the JSON with Python's parser (to
refuse duplicate keys and name the place of every error) and then validates the decoded objects,
each model calling the text rules of :mod:`dicom_desktop.model` in Python: about 3 µs per entity
before anything is built. Most files are sound. This module tries them first with a validator
derived from the models' own schema, with every text rule expressed as a Rust regex and a length
(:meth:`~dicom_desktop.model.LineRule.rust_pattern`), reading the bytes straight into the models.

It only ever says « sound » or « don't know »: whatever it refuses or cannot vouch for (any
validation error, a duplicate key it cannot rule out, a number the careful reader finds too long,
another format version) makes :func:`read_in_one_pass` return None, and the careful reader
then reads the file and gives its French errors, so messages and places are unchanged. What it
accepts, the careful reader accepts too, with the same values (checked by property tests).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from operator import attrgetter
from typing import Any

from pydantic import BaseModel
from pydantic_core import SchemaValidator, core_schema

from dicom_desktop.model import INFERABLE_FIELDS, SCHEMA_VERSION, Entity, LineRule, OrganisationFile, ParagraphRule

# No number of the file may have more digits than the careful reader takes (storage.MAX_INT_DIGITS).
_HUGE = 10**30
# A key, its closing quote, then blanks before the colon: allowed by JSON, never written by
# dicom-desktop; such a file goes to the careful reader (see _keys_are_unique).
_SPACED_KEY = re.compile(rb'"[ \t\r\n]+:')
_fields_set = attrgetter("__pydantic_fields_set__")


def read_in_one_pass(raw: bytes, version: int = SCHEMA_VERSION) -> OrganisationFile | None:
    """The checked file model of ``raw``, or None when only the careful reader can tell (a file
    of another format ``version`` than the one read here goes through its migrations there).

    The models' structural rules (one root, no cycle…) are not checked here: the caller applies
    them to either reader's result."""
    validator = _validator()
    if validator is None:
        return None
    try:
        data = validator.validate_json(raw)
    except (ValueError, RecursionError):  # pydantic's ValidationError is a ValueError
        return None
    if data.schema_version != version or not _keys_are_unique(raw, data):
        return None
    for entities in _entity_lists(data):
        if max(map(attrgetter("order"), entities), default=0) >= _HUGE or _repeats_inferred(entities):
            return None
    return data


def _entity_lists(data: OrganisationFile) -> list[list]:
    return [data.entities] + [scenario.entities for scenario in data.scenarios]


def _keys_are_unique(raw: bytes, data: OrganisationFile) -> bool:
    """True when no object of the file repeats a key (Rust's reader keeps the last one silently).

    Unknown keys are refused by the schema, so the file's keys are the fields each model saw,
    once each, plus any repeats. A key with no blank before its colon ends with ``":``, and
    inside a text ``":`` can only be an escaped quote followed by a colon. So when the file has
    no ``"<blanks>:`` at all, its count of ``":`` is at least its number of keys, and equals the
    fields seen only when no key repeats (a text holding ``\\":`` just sends the file to the
    careful reader). Two scans of the bytes in C: ~0.1 s for 80 Mo."""
    seen = len(data.model_fields_set) + _fields_seen([data.organisation]) + _fields_seen(data.links)
    seen += _fields_seen(data.scenarios)
    for entities in _entity_lists(data):
        seen += _fields_seen(entities)
    for scenario in data.scenarios:
        seen += _fields_seen(scenario.links)
    return raw.count(b'":') == seen and _SPACED_KEY.search(raw) is None


def _fields_seen(models: Iterable[BaseModel]) -> int:
    return sum(map(len, map(_fields_set, models)))


@lru_cache(maxsize=1)
def _validator() -> SchemaValidator | None:
    """The one-pass validator, built on first use (a few ms); None if this pydantic cannot build it."""
    try:
        return SchemaValidator(_rust_only(OrganisationFile.__pydantic_core_schema__))
    except Exception:  # noqa: BLE001 - a pydantic or regex-crate version without some feature: careful reader only
        return None


def _rust_only(schema: Any) -> Any:
    """A copy of a model's core schema with the text rules as Rust constraints instead of the
    Python model validator that applies them (``_Strict._check_texts``)."""
    if isinstance(schema, list):
        return [_rust_only(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    inner = schema.get("schema")
    if schema.get("type") == "function-wrap" and isinstance(inner, dict) and inner.get("type") == "model":
        rules = getattr(inner.get("cls"), "_text_rules", None)
        if rules is not None:  # the wrap validator of the text rules: constraints instead
            return _constrained_model(_rust_only(inner), rules)
    return {key: _rust_only(value) for key, value in schema.items()}


def _constrained_model(model: dict, rules: Any) -> dict:
    fields = model["schema"]["fields"]
    for name, rule in rules.rules.items():
        fields[name]["schema"] = _constrain_str(fields[name]["schema"], rule)
    if model["cls"] is Entity:  # its Python field validator: known names (repeats: see _repeats_inferred)
        inferred = fields["inferred"]["schema"]
        if inferred["type"] != "default" or inferred["schema"]["type"] != "function-after":
            raise TypeError("Entity.inferred: unexpected schema")
        inferred["schema"] = core_schema.list_schema(core_schema.literal_schema(list(INFERABLE_FIELDS)))
    return model


def _repeats_inferred(entities: list[Entity]) -> bool:
    """A field named twice in ``inferred``: the careful reader keeps it once (rare: left to it)."""
    return any(len(names) > 1 and len(set(names)) < len(names) for names in map(attrgetter("inferred"), entities))


def _constrain_str(schema: dict, rule: LineRule | ParagraphRule) -> dict:
    """The ``str`` schema inside ``schema`` (under defaults, ``None`` options and lists) with the
    rule's pattern and length; a schema without one is a programming error."""
    kind = schema.get("type")
    if kind == "str":
        return {**schema, "pattern": rule.rust_pattern(), "max_length": rule.max_length}
    if kind in ("default", "nullable"):
        return {**schema, "schema": _constrain_str(schema["schema"], rule)}
    if kind == "list":
        return {**schema, "items_schema": _constrain_str(schema["items_schema"], rule)}
    raise TypeError(f"no str schema for a text rule in {kind!r}")
