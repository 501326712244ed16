"""Reading and writing organisation files: bytes → checked model, model → bytes on disk, safely.

Reading never trusts the file: size, encoding, JSON syntax, duplicate keys, nesting depth,
schema, structure — each failure becomes an :class:`OrganisationFileError` in French naming the
place. Writing is canonical (one byte form per model) and atomic (:mod:`dicom_desktop.files.atomic`).
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import orjson
from pydantic import BaseModel, ValidationError

from dicom_desktop.errors import OrganisationFileError, Problem
from dicom_desktop.files.atomic import atomic_write
from dicom_desktop.gcpause import gc_paused, without_gc
from dicom_desktop.files.inputs import read_bounded
from dicom_desktop.files.one_pass import read_in_one_pass
from dicom_desktop.model import SCHEMA_VERSION, Entity, Link, Organisation, OrganisationFile, Scenario
from dicom_desktop.records import FIELDS as ENTITY_FIELDS, EntityRecord, records_of
from dicom_desktop.validation import check_structure, kind_warnings, vacancy_warnings

# A 10,000-entity ministry is about 8 Mo and 100,000 entities about 76 Mo; 256 Mo leaves room for
# that and refuses, at once and before reading, files that cannot be an organisation chart.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Building the one-pass validator (its Unicode regexes) costs ~8 ms once: below about 600
# entities the careful reader alone is as fast.
ONE_PASS_MIN_BYTES = 512 * 1024
MAX_INT_DIGITS = 30  # no field holds a bigger number; also avoids Python's 4,300-digit ValueError
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\r\x0c")


def _too_big_reason(size: int | None) -> str:
    found = f"{size / (1024 * 1024):.0f} Mo ; " if size is not None else ""
    return (f"fichier trop volumineux ({found}un fichier d’organisation fait au plus "
            f"{MAX_FILE_BYTES // (1024 * 1024)} Mo) : ce n’est sans doute pas un fichier d’organisation")


def _too_big(path: object, size: int) -> OrganisationFileError:
    return OrganisationFileError(path, _too_big_reason(size))


@dataclass
class LoadedFile:
    """A file that passed every check, with its non-blocking warnings (unknown kinds…)."""

    data: OrganisationFile
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None


class _DuplicateKey(ValueError):
    pass


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _byte_line_col(raw: bytes, pos: int) -> tuple[int, int]:
    """Line and column (in characters) of byte offset ``pos`` of a file that is not valid UTF-8."""
    line_start = raw.rfind(b"\n", 0, pos) + 1
    return raw.count(b"\n", 0, pos) + 1, len(raw[line_start:pos].decode("utf-8", "replace")) + 1


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes or many control bytes in the first 4 Kio: an image, an archive, a PDF…"""
    head = raw[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROL_BYTES)
    return controls * 20 > len(head)  # more than 5 %


class _BadNumber(ValueError):
    pass


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _BadNumber(digits)
    return int(digits)


def _refuse_constant(name: str) -> float:
    raise _BadNumber(name)


def decode_json(raw: bytes, path: object = None) -> object:
    """Bytes → Python objects, with French errors for every way a file can be broken."""
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big(path, len(raw))
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM):]
    if not raw.strip():
        raise OrganisationFileError(path, "le fichier est vide" if not raw else "le fichier ne contient que des espaces")
    if raw.startswith(_UTF16_BOMS):
        raise OrganisationFileError(
            path, "le fichier est encodé en UTF-16 ; réenregistrez-le en UTF-8 (le format attendu par dicom-desktop)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _looks_binary(raw):
            raise OrganisationFileError(
                path, "ce n’est pas un fichier texte (contenu binaire : image, archive, PDF… ?) ; un fichier d’organisation JSON est attendu"
            ) from None
        line, col = _byte_line_col(raw, exc.start)
        raise OrganisationFileError(
            path,
            Problem(
                "le fichier n’est pas encodé en UTF-8 (octet 0x%02X) ; il a peut-être été enregistré en Latin-1 ou "
                "Windows-1252 : réenregistrez-le en UTF-8" % raw[exc.start],
                line=line,
                column=col,
            ),
        ) from None
    if "\x00" in text[:4096] and _looks_binary(raw):
        raise OrganisationFileError(path, "ce n’est pas un fichier texte (contenu binaire) ; un fichier d’organisation JSON est attendu")
    try:
        return json.loads(
            text, object_pairs_hook=_refuse_duplicate_keys, parse_int=_parse_int, parse_constant=_refuse_constant
        )
    except _DuplicateKey as exc:
        key = exc.args[0]
        raise OrganisationFileError(
            path,
            Problem(
                f"la clé « {_shorten(key)} » apparaît deux fois dans le même objet JSON ; le sens est ambigu, supprimez l’une des deux",
                **_place_of_duplicate(text, key),
            ),
        ) from None
    except _BadNumber as exc:
        token = exc.args[0]
        line, col = _line_col(text, max(text.find(token), 0))
        if token in ("NaN", "Infinity", "-Infinity"):
            reason = f"« {token} » n’est pas une valeur JSON autorisée (nombre attendu)"
        else:
            reason = f"nombre beaucoup trop long ({len(token)} chiffres, au plus {MAX_INT_DIGITS})"
        raise OrganisationFileError(path, Problem(f"JSON invalide : {reason}", line=line, column=col)) from None
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg, exc.msg)
        before = text[: exc.pos].rstrip()[-1:]
        here = text[exc.pos: exc.pos + 1]
        if before == "," and here in ("}", "]"):
            reason = f"virgule en trop avant « {here} »"
        elif here == "'":
            reason = "les textes et les noms de champ s’écrivent entre guillemets droits \" et non entre apostrophes '"
        if exc.pos >= len(text.rstrip()) or (exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1:]):
            reason = "le fichier s’arrête avant la fin du JSON (fichier tronqué ?)"
        raise OrganisationFileError(path, Problem(f"JSON invalide : {reason}", line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        # The C decoder stops at Python's recursion limit (~1,000 levels) in microseconds; an
        # organisation file is 5 levels deep.
        raise OrganisationFileError(
            path, "JSON imbriqué beaucoup trop profondément (plus de 900 niveaux de [ ou { ) : ce n’est pas un fichier d’organisation"
        ) from None


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_STRUCTURAL = re.compile(r'["{}\[\],]')
# The JSON decoder's string scanner (C), not in the type stubs: (text, index after the opening quote)
# -> (decoded string, index after the closing quote).
_scanstring: Callable[[str, int], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009


def _place_of_duplicate(text: str, key: str) -> dict:
    """Line/column of the first repeated key of an object (rare path: a small scan, only on error)."""
    stack: list[list | None] = []  # per open object: [keys seen, expecting a key]; None for an array
    pos = 0
    try:
        while (match := _STRUCTURAL.search(text, pos)) is not None:
            char, pos = match.group(), match.end()
            top = stack[-1] if stack else None
            if char == '"':
                value, pos = _scanstring(text, pos)
                if top is not None and top[1]:
                    if value in top[0]:
                        line, col = _line_col(text, match.start())
                        return {"line": line, "column": col}
                    top[0].add(value)
                    top[1] = False
            elif char == "{":
                stack.append([set(), True])
            elif char == "[":
                stack.append(None)
            elif char in "}]":
                if stack:
                    stack.pop()
            elif top is not None:  # a comma inside an object: a key comes next
                top[1] = True
    except (ValueError, IndexError):
        pass
    return {}


_JSON_REASONS = {
    "Expecting value": "une valeur est attendue",
    "Expecting property name enclosed in double quotes": "un nom de champ entre guillemets droits \" est attendu",
    "Expecting ',' delimiter": "une virgule est attendue",
    "Expecting ':' delimiter": "deux-points « : » attendus",
    "Extra data": "du texte en trop après la fin du JSON",
    "Unterminated string starting at": "texte entre guillemets non terminé",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d’échappement « \\ » invalide",
    "Invalid \\uXXXX escape": "séquence « \\u » invalide",
}


_PYDANTIC_REASONS = {
    "missing": "champ obligatoire manquant",
    "string_type": "doit être un texte entre guillemets",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
    "list_type": "doit être une liste [ … ]",
    "dict_type": "doit être un objet { … }",
    "model_type": "doit être un objet { … }",
    "model_attributes_type": "doit être un objet { … }",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "string_unicode": "un nom de champ ou un texte contient un caractère invalide (demi-paire UTF-16 isolée « \\ud800 »…)",
    "date_parsing": "date invalide (format attendu AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date invalide (format attendu AAAA-MM-JJ)",
    "date_type": "date invalide (format attendu AAAA-MM-JJ)",
    "greater_than_equal": "doit être positif ou nul",
    "less_than_equal": "valeur trop grande",
}


def _problems_from_validation(exc: ValidationError, raw: object) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        entity_id, field_path = _locate(loc, raw)
        if err["type"] == "value_error":
            reason = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            reason = _PYDANTIC_REASONS.get(err["type"], f"valeur invalide ({err['msg']})")
        problems.append(Problem(reason, entity_id, field_path))
    return problems


def _locate(loc: tuple, raw: object) -> tuple[str | None, str | None]:
    """Turn a pydantic location into (entity id if known, readable field path)."""
    entity_id = None
    scenario_id = None
    entity_at = 0  # where the entity is in ``loc`` (meaningful once entity_id is set)
    node = raw
    for i, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            has_id = isinstance(node, dict) and isinstance(node.get("id"), str)
            if i > 0 and loc[i - 1] == "entities" and has_id:
                entity_id, entity_at = node["id"], i
            elif i > 0 and loc[i - 1] == "scenarios" and has_id:
                scenario_id = node["id"]
        else:
            node = None
    if entity_id is not None:
        # "entities[3].name" reads better as field "name" of entity "bureau-x".
        text = _loc_text(loc[entity_at + 1:])  # empty: the entity object itself is at fault
        scenario = f"scénario « {scenario_id} »" if scenario_id else ""
        if not text:
            return entity_id, scenario or None
        return entity_id, text + (f" ({scenario})" if scenario else "")
    return None, _loc_text(loc)


def _loc_text(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@without_gc  # bulk build of acyclic objects: the collector only costs time here
def parse_organisation(raw: bytes, path: object = None) -> LoadedFile:
    """Parse and check a whole file; raise OrganisationFileError listing every problem.

    A sound file is read in one pass of pydantic's Rust core (:mod:`dicom_desktop.files.one_pass`,
    100,000 entities about twice as fast); anything that reader cannot vouch for is read again
    here, step by step, to name each problem and its place in French."""
    if ONE_PASS_MIN_BYTES <= len(raw) <= MAX_FILE_BYTES:
        data = read_in_one_pass(raw, SCHEMA_VERSION)
        if data is not None:
            return _checked(data, path)
    return check_organisation_object(decode_json(raw, path), path)


def check_organisation_object(obj: object, path: object = None) -> LoadedFile:
    """Decoded JSON → checked model (migration, schema, structure); shared with recovery files."""
    if not isinstance(obj, dict):
        raise OrganisationFileError(path, "le fichier doit contenir un objet JSON { … } avec « schema_version », « organisation » et « entities »")
    obj = migrate(obj, path)
    try:
        data = OrganisationFile.model_validate(obj)
    except ValidationError as exc:
        raise OrganisationFileError(path, _problems_from_validation(exc, obj)) from None
    except RecursionError:
        raise OrganisationFileError(path, "JSON imbriqué trop profondément") from None
    return _checked(data, path)


def _checked(data: OrganisationFile, path: object) -> LoadedFile:
    """The rules that need the whole file (one root, no cycle, unique scenario ids…), and warnings."""
    problems = check_structure(data.entities, data.links)
    seen_scenarios: set[str] = set()
    for i, scenario in enumerate(data.scenarios):
        if scenario.id in seen_scenarios:
            problems.append(Problem(f"identifiant de scénario en double : « {scenario.id} » (scénario « {scenario.name} ») ; "
                                    "chaque scénario doit avoir son propre identifiant", field=f"scenarios[{i}].id"))
        seen_scenarios.add(scenario.id)
    for scenario in data.scenarios:
        problems += check_structure(scenario.entities, scenario.links, where=f"scénario « {scenario.name} »")
    if problems:
        raise OrganisationFileError(path, problems)
    warnings_found = kind_warnings(data.entities) + vacancy_warnings(data.entities)
    for scenario in data.scenarios:
        warnings_found += vacancy_warnings(scenario.entities, where=f"scénario « {scenario.name} »")
    return LoadedFile(data, warnings_found, Path(path) if path and isinstance(path, (str, os.PathLike)) else None)


# ---------------------------------------------------------------------------- schema versions
# One function per format change: MIGRATIONS[n] turns a version-n object into a version-(n+1)
# object (a plain dict, before validation). SCHEMA_VERSION is 1, so the table is empty today; the
# day version 2 exists, add ``MIGRATIONS[1] = _v1_to_v2`` and bump model.SCHEMA_VERSION.
Migration = Callable[[dict], dict]
MIGRATIONS: dict[int, Migration] = {}


def migrate(obj: dict, path: object = None, *, target: int | None = None) -> dict:
    """Bring an older file up to SCHEMA_VERSION step by step; refuse files from a newer version."""
    target = SCHEMA_VERSION if target is None else target
    version = obj.get("schema_version")
    if version is None:
        raise OrganisationFileError(path, Problem("champ obligatoire manquant (version du format)", field="schema_version"))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise OrganisationFileError(path, Problem("doit être un nombre entier positif (version du format)", field="schema_version"))
    if version > target:
        raise OrganisationFileError(
            path,
            Problem(
                f"ce fichier a été écrit par une version plus récente de dicom-desktop (format {version}, "
                f"cette version lit jusqu’au format {target}) : mettez l’application à jour",
                field="schema_version",
            ),
        )
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:  # a programming error, but say it in French rather than crash
            raise OrganisationFileError(
                path, Problem(f"aucune conversion connue du format {version} vers le format {version + 1}", field="schema_version")
            )
        obj = step(dict(obj))
        version += 1
        obj["schema_version"] = version
    return obj


# ---------------------------------------------------------------------------- reading
def load_organisation(path: str | os.PathLike) -> LoadedFile:
    """Read a file from disk (see parse_organisation). Never blocks on a device or a pipe."""
    p = Path(path)
    raw = read_bounded(p, MAX_FILE_BYTES, OrganisationFileError, _too_big_reason)
    return parse_organisation(raw, p)


# ---------------------------------------------------------------------------- writing
def dump_organisation(data: OrganisationFile) -> bytes:
    """The canonical bytes of a file: UTF-8, readable accents, two-space indent, final newline.

    pydantic's Rust serializer writes exactly what ``json.dumps(model_dump(mode="json"),
    ensure_ascii=False, indent=2)`` writes, ten times faster (8 Mo for 10,000 entities in ~50 ms);
    the property tests check the two stay identical. The slow path remains as a fallback.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a serializer warning means a model_construct surprise
            # Bytes straight from the serializer: model_dump_json() would decode them to str
            # and we would encode them back (two 8 Mo copies for 10,000 entities).
            return type(data).__pydantic_serializer__.to_json(data, indent=2) + b"\n"
    except Exception:  # noqa: BLE001 - fall back to the reference serialisation
        return dump_organisation_reference(data)


def dump_organisation_reference(data: OrganisationFile) -> bytes:
    """The definition of the canonical bytes (slow but obviously right)."""
    payload = data.model_dump(mode="json")
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dump_records(organisation: Organisation, entities: Sequence[EntityRecord | Entity], links: Sequence[Link],
                 scenarios: Sequence[Scenario]) -> bytes:
    """The canonical bytes of a file given by its parts, entities as the editor holds them (records).

    Exactly the bytes of :func:`dump_organisation` (checked by property tests), without turning
    each record back into a pydantic model first: each record becomes a plain dict of its fields
    in model order, written by orjson (text, numbers, dates, lists) with the same escaping and
    indentation as ``json.dumps(..., ensure_ascii=False, indent=2)``.
    """
    if _FILE_FIELDS != tuple(OrganisationFile.model_fields):  # the file model changed: the sure path
        return _dump_via_models(organisation, entities, links, scenarios)
    try:
        with gc_paused(), warnings.catch_warnings():
            warnings.simplefilter("error")  # the writer met a value it does not know: the sure path
            if set(map(type, entities)) != {EntityRecord}:
                entities = records_of(entities)  # zip() of a model would pair names with (name, value)
            plain = list(map(dict, map(zip, repeat(ENTITY_FIELDS), entities)))
            payload = dict(zip(_FILE_FIELDS, (SCHEMA_VERSION, organisation, plain, list(links), list(scenarios))))
            return orjson.dumps(payload, default=_plain_model, option=_ORJSON_OPTIONS)
    except Exception:  # noqa: BLE001 - fall back to the models' serializer
        return _dump_via_models(organisation, entities, links, scenarios)


_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE


def _plain_model(value: object) -> object:
    """orjson's hook for what it does not know: a pydantic model (organisation, link, scenario)
    becomes its JSON-mode dump, in field order; anything else stops the fast writer."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(type(value).__name__)


_FILE_FIELDS = ("schema_version", "organisation", "entities", "links", "scenarios")


def _dump_via_models(organisation: Organisation, entities: Sequence[EntityRecord | Entity], links: Sequence[Link],
                     scenarios: Sequence[Scenario]) -> bytes:
    models = [EntityRecord.from_model(entity).to_model() for entity in entities]
    return dump_organisation(OrganisationFile.model_construct(
        schema_version=SCHEMA_VERSION, organisation=organisation, entities=models, links=list(links),
        scenarios=list(scenarios)))


def save_organisation(data: OrganisationFile | bytes, path: str | os.PathLike, *, backup: bool = True) -> None:
    """Canonical, atomic save (the model is already valid in memory: no re-validation); ``data``
    may also be the canonical bytes already made (:func:`dump_records`)."""
    atomic_write(path, data if isinstance(data, bytes) else dump_organisation(data), backup=backup)
