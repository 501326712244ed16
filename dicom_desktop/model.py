"""The organisation file, as pydantic models: what is on disk, field by field.

The file is JSON, UTF-8, versioned by ``schema_version``. Field-level rules live here (types,
empty names, control characters); rules that need the whole organisation (unique ids, one root,
no cycle, known link ends) live in :mod:`dicom_desktop.validation`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

MAX_NAME_LENGTH = 300
MAX_PARAGRAPH_LENGTH = 20_000
MAX_ID_LENGTH = 200

# C0/C1 control characters and lone UTF-16 surrogates (json accepts "\ud800"; nothing can print it).
_FORBIDDEN_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_FORBIDDEN_IN_PARAGRAPH = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _describe_char(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"un caractère invalide (demi-paire UTF-16 isolée U+{code:04X})"
    return f"un caractère de contrôle invisible (U+{code:04X})"


def _clean_line(value: str, *, max_length: int, what: str) -> str:
    bad = _FORBIDDEN_IN_LINE.search(value)
    if bad:
        raise ValueError(f"{what} contient {_describe_char(bad.group())} à la position {bad.start() + 1}")
    if not value.strip():
        raise ValueError(f"{what} est vide")
    if len(value) > max_length:
        raise ValueError(f"{what} est trop long ({len(value)} caractères, au plus {max_length})")
    return value


def _clean_optional_line(value: str, *, max_length: int, what: str) -> str:
    return _clean_line(value, max_length=max_length, what=what) if value else value


def _clean_paragraph(value: str) -> str:
    bad = _FORBIDDEN_IN_PARAGRAPH.search(value)
    if bad:
        raise ValueError(f"le paragraphe contient {_describe_char(bad.group())} à la position {bad.start() + 1}")
    if len(value) > MAX_PARAGRAPH_LENGTH:
        raise ValueError(f"le paragraphe est trop long ({len(value)} caractères, au plus {MAX_PARAGRAPH_LENGTH})")
    return value


EntityId = Annotated[str, AfterValidator(lambda v: _clean_line(v, max_length=MAX_ID_LENGTH, what="l’identifiant"))]
Name = Annotated[str, AfterValidator(lambda v: _clean_line(v, max_length=MAX_NAME_LENGTH, what="le nom"))]
ShortText = Annotated[
    str, AfterValidator(lambda v: _clean_optional_line(v, max_length=MAX_NAME_LENGTH, what="le texte"))
]
Paragraph = Annotated[str, AfterValidator(_clean_paragraph)]


class _Strict(BaseModel):
    # Unknown fields are refused: a typo such as "parnet" must not silently drop a reporting line.
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Organisation(_Strict):
    """What the organisation is: name, legal basis, missions, where the data comes from."""

    name: Name
    acronym: ShortText = ""
    missions: list[Paragraph] = Field(default_factory=list)
    legal_basis: Paragraph = ""
    updated: _dt.date | None = None
    source: Paragraph = ""
    notes: Paragraph = ""


class Entity(_Strict):
    """One box of the chart: a délégation, a bureau, an adjoint…

    ``parent`` and ``order`` describe the hierarchy on disk; in memory the
    :class:`~dicom_desktop.graph.OrgGraph` is authoritative and keeps them in step.
    """

    id: EntityId
    name: Name
    kind: ShortText = "bureau"
    parent: EntityId | None = None
    attributions: list[Paragraph] = Field(default_factory=list)
    short_name: ShortText = ""
    head_title: ShortText = ""
    head_name: ShortText = ""
    headcount: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    vacant: bool = False
    legal_reference: ShortText = ""
    effective_date: _dt.date | None = None
    order: Annotated[int, Field(ge=0)] = 0
    staff: bool = False


class Link(_Strict):
    """A functional (non-hierarchical) link, drawn dotted."""

    source: EntityId
    target: EntityId
    kind: ShortText = "functional"
    label: ShortText = ""


class Scenario(_Strict):
    """A named variant of the organisation, for reorganisation simulations."""

    id: EntityId
    name: Name
    description: Paragraph = ""
    created: _dt.date | None = None
    entities: list[Entity]
    links: list[Link] = Field(default_factory=list)


class OrganisationFile(_Strict):
    """The whole file: the current organisation and its scenarios."""

    schema_version: int
    organisation: Organisation
    entities: list[Entity]
    links: list[Link] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
