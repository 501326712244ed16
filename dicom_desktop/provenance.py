"""Provenance of published statements: what the source states versus the editor's reading.

An entity lists in ``inferred`` the fields that are the editor's reading (a reporting line the
source does not state, a usual head title it does not cite). The notice (PDF and web page)
flags those fields in words and prints the source reference only in support of what the source
states — never as if it vouched for a reading.
"""

from __future__ import annotations

from dicom_desktop.model import INFERABLE_FIELDS, Entity

# What the published documents add after a field that is the editor's reading.
INFERRED_NOTES: dict[str, str] = {
    "parent": "rattachement retenu par l’éditeur, non énoncé par la source",
    "staff": "position d’état-major retenue par l’éditeur, non énoncée par la source",
    "head_title": "intitulé usuel, non cité par la source",
    "kind": "type retenu par l’éditeur",
    "attributions": "attributions rédigées par l’éditeur, non reprises de la source",
    "legal_reference": "référence indiquée par l’éditeur",
    "effective_date": "date retenue par l’éditeur",
}
assert set(INFERRED_NOTES) == set(INFERABLE_FIELDS)


def is_inferred(entity: Entity, field: str) -> bool:
    return field in entity.inferred


def note(entity: Entity, field: str) -> str:
    """« intitulé usuel, non cité par la source » when ``field`` is the editor's reading, else ""."""
    return INFERRED_NOTES[field] if field in entity.inferred else ""


def reference_applies(entity: Entity) -> bool:
    """The legal/source reference is printed only when it supports the entity's own statements:
    not when the attributions (what it would vouch for) or the reference itself are a reading."""
    return bool(entity.legal_reference) and not ({"attributions", "legal_reference"} & set(entity.inferred))
