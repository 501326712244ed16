"""Every change a user can make, as a small object: ``apply(document)`` returns its inverse.

This is the one way to change an organisation. The editor wraps each operation in a
QUndoCommand (redo applies it, undo applies the inverse it returned); the command line and the
tests use the same objects without Qt. An operation checks everything before changing anything,
so a refused edit (EditRefused) leaves the document untouched; a Batch that fails half-way rolls
back what it had done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .errors import EditRefused
from .graph import OrgGraph
from .model import Entity, Link, Organisation
from .records import EntityRecord


class Editable(Protocol):
    """What an operation edits: a :class:`~dicom_desktop.document.Document`, or a scratch copy
    of its graph and organisation (reorganisation gestures check their steps on one)."""

    graph: OrgGraph
    organisation: Organisation


class Operation(Protocol):
    label: str

    def apply(self, doc: Editable) -> "Operation": ...


def _name(doc: Editable, entity_id: str) -> str:
    try:
        return doc.graph.entity(entity_id).name
    except EditRefused:
        return entity_id


@dataclass
class AddEntity:
    entity: Entity | EntityRecord
    parent: str | None
    index: int | None = None
    label: str = ""

    def apply(self, doc: Editable) -> "Operation":
        doc.graph.add_entity(self.entity, self.parent, self.index)
        return RemoveEntity(self.entity.id, with_subtree=False, label=self.label or f"Ajouter « {self.entity.name} »")


@dataclass
class RemoveEntity:
    entity_id: str
    with_subtree: bool = False
    label: str = ""

    def apply(self, doc: Editable) -> "Operation":
        graph = doc.graph
        entity_id = self.entity_id
        index = graph.index_in_parent(entity_id)
        removed = graph.subtree(entity_id) if self.with_subtree else [entity_id]
        removed_set = set(removed)
        restore: list[Operation] = []
        for node in removed:
            node_parent = graph.parent(node)
            node_index = graph.index_in_parent(node) if node != entity_id else index
            restore.append(AddEntity(graph.entity(node), node_parent, node_index))
        if not self.with_subtree:
            for i, child in enumerate(graph.children(entity_id)):
                restore.append(MoveEntity(child, entity_id, i))
        for link_index, link in enumerate(graph.links):
            if link.source in removed_set or link.target in removed_set:
                restore.append(AddLink(link, link_index))
        label = self.label or f"Supprimer « {_name(doc, entity_id)} »"
        graph.remove_entity(entity_id, with_subtree=self.with_subtree)
        return Batch(restore, label=label)


@dataclass
class MoveEntity:
    entity_id: str
    new_parent: str
    index: int | None = None
    label: str = ""

    def apply(self, doc: Editable) -> "Operation":
        graph = doc.graph
        reason = graph.move_refusal(self.entity_id, self.new_parent)
        if reason:
            raise EditRefused(reason)
        old_parent = graph.parent(self.entity_id)
        assert old_parent is not None  # move_refusal refuses to move the head
        old_index = graph.index_in_parent(self.entity_id)
        label = self.label or f"Rattacher « {_name(doc, self.entity_id)} » à « {_name(doc, self.new_parent)} »"
        graph.move_entity(self.entity_id, self.new_parent, self.index)
        return MoveEntity(self.entity_id, old_parent, old_index, label=label)


@dataclass
class UpdateEntity:
    """Change fields of one entity (name, kind, head_title, attributions, vacant…)."""

    entity_id: str
    changes: dict = field(default_factory=dict)
    label: str = ""

    def apply(self, doc: Editable) -> "Operation":
        old = doc.graph.entity(self.entity_id)
        previous = {key: getattr(old, key) for key in self.changes}
        label = self.label or _update_label(old.name, self.changes)
        doc.graph.update_entity(self.entity_id, **self.changes)
        return UpdateEntity(self.entity_id, previous, label=label)


# The French name of each entity field, for undo labels and the diff's descriptions.
ENTITY_FIELD_LABELS: dict[str, str] = {
    "name": "nom",
    "kind": "type",
    "attributions": "attributions",
    "short_name": "nom court",
    "head_title": "intitulé du responsable",
    "head_name": "nom du responsable",
    "headcount": "effectif",
    "vacant": "vacance du poste",
    "legal_reference": "référence juridique",
    "effective_date": "date d’effet",
    "staff": "position d’état-major",
    "inferred": "lecture de l’éditeur (champs non énoncés par la source)",
}


def _update_label(name: str, changes: dict) -> str:
    """The undo step's text names the result: « Renommer « X » en « Y » », « Effectif de « X » : 12 »."""
    if set(changes) == {"name"}:
        return f"Renommer « {name} » en « {changes['name']} »"
    if set(changes) == {"attributions"}:
        return f"Modifier les attributions de « {name} »"
    if len(changes) == 1:
        field_name, value = next(iter(changes.items()))
        what = ENTITY_FIELD_LABELS.get(field_name)
        if what:
            return f"{what[0].upper()}{what[1:]} de « {name} » : {_shown_value(value)}"
    return f"Modifier « {name} »"


def _shown_value(value) -> str:
    """A field value as an undo label shows it (French dates, oui/non, quoted text)."""
    if value is None or value == "" or value == []:
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return f"« {value if len(value) <= 60 else value[:59] + '…'} »"
    return str(value)


@dataclass
class AddLink:
    link: Link
    index: int | None = None
    label: str = ""

    def apply(self, doc: Editable) -> "Operation":
        doc.graph.add_link(self.link, self.index)
        return RemoveLink(self.link.source, self.link.target, self.link.kind, label=self.label or "Ajouter un lien fonctionnel")


@dataclass
class RemoveLink:
    source: str
    target: str
    kind: str = "functional"
    label: str = ""

    def apply(self, doc: Editable) -> "Operation":
        link, index = doc.graph.remove_link(self.source, self.target, self.kind)
        return AddLink(link, index, label=self.label or "Supprimer un lien fonctionnel")


@dataclass
class UpdateOrganisation:
    """Change the organisation's metadata (name, acronym, missions, legal basis, date…)."""

    changes: dict = field(default_factory=dict)
    label: str = "Modifier l’organisation"

    def apply(self, doc: Editable) -> "Operation":
        old = doc.organisation
        previous = {key: getattr(old, key) for key in self.changes}
        data = old.model_dump()
        data.update(self.changes)
        try:
            doc.organisation = Organisation.model_validate(data)
        except Exception as exc:  # noqa: BLE001 - any refusal becomes a French EditRefused
            raise EditRefused(f"Organisation : {exc}") from None
        return UpdateOrganisation(previous, label=self.label)


@dataclass
class Batch:
    """Several operations as one user gesture (one undo step)."""

    operations: list = field(default_factory=list)
    label: str = ""

    def apply(self, doc: Editable) -> "Operation":
        inverses: list[Operation] = []
        try:
            for op in self.operations:
                inverses.append(op.apply(doc))
        except Exception:
            for inverse in reversed(inverses):
                inverse.apply(doc)
            raise
        return Batch(list(reversed(inverses)), label=self.label)
