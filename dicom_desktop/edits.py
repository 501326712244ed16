"""The editor's everyday edits as plain functions: new subdivision or sibling, deletion, links.

Each returns the core operation the editor pushes as one undo step (or the fact it needs), so
the rules — what a new subdivision is under each kind, which entities a deletion takes, which
attachment deserves a warning — are written once, here, and tested without a screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from dicom_desktop.errors import EditRefused
from dicom_desktop.graph import OrgGraph
from dicom_desktop.kinds import attachment_warning, child_kind, head_title
from dicom_desktop.model import Entity, Link
from dicom_desktop.operations import AddEntity, Batch, MoveEntity, Operation, RemoveEntity
from dicom_desktop.wording import quoted

NEW_ENTITY_NAME = "Nouvelle entité"
NEW_ENTITY_ID = "nouvelle-entite"


def new_subdivision(graph: OrgGraph, parent: str) -> AddEntity:
    """A new entity at the end of ``parent``'s subdivisions, of the kind usual below it."""
    kind = child_kind(graph.entity(parent).kind)
    entity = Entity(id=graph.new_id(NEW_ENTITY_ID), name=NEW_ENTITY_NAME, kind=kind, head_title=head_title(kind))
    return AddEntity(entity, parent)


def new_sibling(graph: OrgGraph, entity_id: str) -> AddEntity:
    """A new entity right after ``entity_id``, of its kind and head title; the head has no sibling."""
    parent = graph.parent(entity_id)
    if parent is None:
        raise EditRefused("L’entité de tête n’a pas d’entité de même niveau : ajoutez plutôt une subdivision.")
    model = graph.entity(entity_id)
    entity = Entity(id=graph.new_id(NEW_ENTITY_ID), name=NEW_ENTITY_NAME, kind=model.kind,
                    head_title=model.head_title)
    return AddEntity(entity, parent, graph.index_in_parent(entity_id) + 1)


def removal_targets(graph: OrgGraph, entity_ids: Sequence[str], with_subtree: bool) -> list[str]:
    """The entities a deletion removes one by one: never the head; with their branches, an entity
    inside another removed branch goes with it (it is not removed on its own)."""
    ids = [i for i in dict.fromkeys(entity_ids) if i in graph and i != graph.root]
    if with_subtree:
        ids = [i for i in ids if not any(a in ids for a in graph.ancestors(i))]
    return ids


def removal(graph: OrgGraph, entity_ids: Sequence[str], with_subtree: bool) -> Operation:
    """Delete ``entity_ids`` (never the head): alone (their subdivisions move up) or with their
    branches. One undo step."""
    ids = removal_targets(graph, entity_ids, with_subtree)
    if not ids:
        raise EditRefused("L’entité de tête ne peut pas être supprimée.")
    ops: list[Operation] = [RemoveEntity(i, with_subtree=with_subtree) for i in ids]
    return ops[0] if len(ops) == 1 else Batch(ops, label=f"Supprimer {len(ops)} entités")


def link_between(graph: OrgGraph, a: str, b: str) -> Link | None:
    """The functional link joining ``a`` and ``b`` (either direction), if any."""
    for link in graph.links:
        if {link.source, link.target} == {a, b}:
            return link
    return None


def attachment_warnings(graph: OrgGraph, entity_id: str, parent_id: str) -> list[str]:
    """French warnings (never refusals) for ``entity_id`` under ``parent_id``: the one wording."""
    child, parent = graph.entity(entity_id), graph.entity(parent_id)
    warning = attachment_warning(child.kind, parent.kind)
    return [f"{quoted(child.name)} sous {quoted(parent.name)} : {warning}"] if warning else []


def operation_warnings(graph: OrgGraph, operation: object) -> list[str]:
    """After an entity was added or moved: the attachment warnings of where it now hangs."""
    if isinstance(operation, MoveEntity):
        entity_id = operation.entity_id
    elif isinstance(operation, AddEntity):
        entity_id = operation.entity.id
    else:
        return []
    parent = graph.parent(entity_id) if entity_id in graph else None
    return attachment_warnings(graph, entity_id, parent) if parent is not None else []
