"""Entities as the editor holds them in memory: one slim immutable record each.

A validated pydantic ``Entity`` costs about 1.3 KiB besides its text (an instance ``__dict__``
and a ``__pydantic_fields_set__`` set per entity); a record is a tuple of the same fields, in the
same order, about 150 bytes. pydantic stays at the file boundary: files are validated into
``Entity`` models, the graph keeps records (:meth:`EntityRecord.from_model`), and saving turns
them back into models for the serializer (:meth:`EntityRecord.to_model`). Records keep the
attribute names and the few model methods callers use (``model_copy(update=…)``,
``model_dump()``), so code reading an entity does not care which of the two it holds.
"""

from __future__ import annotations

import datetime as _dt
from collections import namedtuple
from typing import TYPE_CHECKING, NamedTuple
from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter, itemgetter

from pydantic import BaseModel

from dicom_desktop.model import Entity

#: Entity fields in model (and file) order; a field added to the model is a field of the record.
FIELDS: tuple[str, ...] = tuple(Entity.model_fields)

_values_of = itemgetter(*FIELDS)
_model_dict = attrgetter("__dict__")
_new_tuple = tuple.__new__
_new_model = object.__new__
# The model's own slots, written through their descriptors (what model_construct does, minus
# its per-field Python loop): a record's values passed the model's checks when it was made.
_slots = {name: getattr(BaseModel, name).__set__
          for name in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")}
_set_fields_set = _slots["__pydantic_fields_set__"]
_set_extra = _slots["__pydantic_extra__"]
_set_private = _slots["__pydantic_private__"]
_set = object.__setattr__
_ALL_SET = frozenset(FIELDS)


if TYPE_CHECKING:  # the fields, as the type checker sees them (built from Entity at run time)

    class _Fields(NamedTuple):
        id: str
        name: str
        kind: str
        parent: str | None
        attributions: list[str]
        short_name: str
        head_title: str
        head_name: str
        headcount: int | None
        vacant: bool
        legal_reference: str
        effective_date: _dt.date | None
        order: int
        staff: bool
else:
    _Fields = namedtuple("EntityRecord", FIELDS)


class EntityRecord(_Fields):
    """One entity's fields, read like the model's (``record.name``…); never changed in place."""

    __slots__ = ()

    @classmethod
    def from_model(cls, entity: Entity | "EntityRecord") -> "EntityRecord":
        """The record of a validated model (no check: the model was checked); records pass through."""
        if type(entity) is cls:
            return entity
        return _new_tuple(cls, _values_of(entity.__dict__))

    def to_model(self) -> Entity:
        """The pydantic model of the same values, for the serializer (no re-validation: a record
        only ever holds values that passed the model's checks)."""
        model = _new_model(Entity)
        _set(model, "__dict__", dict(zip(FIELDS, self)))
        _set_fields_set(model, set(_ALL_SET))
        _set_extra(model, None)
        _set_private(model, None)
        return model

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> "EntityRecord":
        """Like ``Entity.model_copy``: a record with some fields replaced (values not re-checked)."""
        return self._replace(**update) if update else self

    def model_dump(self, *, mode: str = "python") -> dict:
        """Like ``Entity.model_dump``: field → value (``mode="json"``: dates as text)."""
        if mode == "json":
            return self.to_model().model_dump(mode="json")
        return {name: list(value) if type(value) is list else value for name, value in zip(FIELDS, self)}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entity):
            other = EntityRecord.from_model(other)
        if not isinstance(other, EntityRecord):
            return NotImplemented
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]  # holds a list, like the model: not hashable

    def __repr__(self) -> str:
        return "EntityRecord(" + ", ".join(f"{name}={value!r}" for name, value in zip(FIELDS, self)) + ")"


def records_of(entities: Sequence[Entity | EntityRecord]) -> list[EntityRecord]:
    """:meth:`EntityRecord.from_model` of each, in C loops when all are models (opening a file)."""
    if set(map(type, entities)) <= {Entity}:
        return list(map(_new_tuple, repeat(EntityRecord), map(_values_of, map(_model_dict, entities))))
    return [EntityRecord.from_model(entity) for entity in entities]
