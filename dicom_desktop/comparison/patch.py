"""A diff turned back into operations: BASE + diff → OTHER, as one undoable Batch.

Every :class:`~dicom_desktop.comparison.diff.Change` carries the new values and positions, so the diff alone
rebuilds OTHER from BASE (a scenario adopted, a comparison applied); worked out step by step on a
copy, so each operation is valid when applied in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dicom_desktop.comparison.diff import (
    AttributionsChanged, EntityAdded, EntityMoved, EntityRemoved, EntityRenamed, EntityReordered, FieldChanged,
    KindChanged, LinkAdded, LinkChanged, LinkRemoved, LinksReordered, OrgDiff, OrganisationChanged, VacancyChanged,
    _link_key, _side,
)
from dicom_desktop.errors import EditRefused
from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Organisation
from dicom_desktop.operations import (
    AddEntity, AddLink, Batch, MoveEntity, RemoveEntity, RemoveLink, UpdateEntity, UpdateOrganisation,
)

if TYPE_CHECKING:
    from dicom_desktop.document import Document


class _Scratch:
    """A throwaway document-shaped object, to compute the operations step by step on a copy."""

    def __init__(self, organisation: Organisation | None, graph: OrgGraph) -> None:
        self.organisation = organisation
        self.graph = graph


def operations_for(diff: OrgDiff, base: object, label: str = "Appliquer les différences") -> Batch:
    """The core operations that turn BASE into the OTHER the diff was computed against.

    ``base`` is the BASE of the diff (a Document, OrgGraph or OrganisationFile). The operations
    are worked out on a copy, so each one is valid when applied in order; the result is one
    Batch (one undo step). Raises EditRefused (French) when the diff does not fit this base.
    """
    side = _side(base)
    scratch = _Scratch(side.organisation, side.graph.copy())
    graph = scratch.graph
    ops: list = []

    def run(op) -> None:
        op.apply(scratch)
        ops.append(op)

    changes = diff.changes
    org_changes = {c.field: c.new for c in changes if isinstance(c, OrganisationChanged)}
    if org_changes:
        if scratch.organisation is None:
            raise EditRefused("Ces différences modifient la fiche de l’organisation, absente de la base.")
        run(UpdateOrganisation(dict(org_changes)))

    # 1. Removals (children of a removed entity go up for now; their moves place them).
    for change in changes:
        if isinstance(change, EntityRemoved):
            if change.entity_id == graph.root:
                raise EditRefused("L’entité de tête diffère : ces deux organisations ne se transforment pas l’une en l’autre.")
            run(RemoveEntity(change.entity_id))

    # 2. Additions and moves, parents first (the target tree's pre-order keeps every move loop-free).
    added = {c.entity_id: c for c in changes if isinstance(c, EntityAdded)}
    target_parent: dict[str, str | None] = {e: graph.parent(e) for e in graph}
    explicit: dict[str, tuple[str, int]] = {}
    for change in changes:
        if isinstance(change, EntityMoved):
            if change.new_parent is None:  # it becomes the head: the other file has another head
                raise EditRefused("L’entité de tête diffère : ces deux organisations ne se transforment pas l’une en l’autre.")
            target_parent[change.entity_id] = change.new_parent
            explicit[change.entity_id] = (change.new_parent, change.new_index)
        elif isinstance(change, EntityReordered):
            explicit[change.entity_id] = (change.parent, change.new_index)
    for entity_id, change in added.items():
        if change.parent is None:
            raise EditRefused("L’entité de tête diffère : ces deux organisations ne se transforment pas l’une en l’autre.")
        target_parent[entity_id] = change.parent
        explicit[entity_id] = (change.parent, change.index)
    kids: dict[str | None, list[str]] = {}
    for entity_id, parent in target_parent.items():
        kids.setdefault(parent, []).append(entity_id)
    order: list[str] = []
    stack = list(kids.get(None, []))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(kids.get(node, []))
    if len(order) != len(target_parent):
        raise EditRefused("Ces différences ne s’appliquent pas à cette organisation (rattachements incohérents).")
    for entity_id in order:
        parent = target_parent[entity_id]
        if entity_id in added:
            run(AddEntity(added[entity_id].entity, parent))
        elif parent is not None and graph.parent(entity_id) != parent:
            run(MoveEntity(entity_id, parent))

    # 3. Sibling order: explicit places first, the others keep their relative order around them.
    by_parent: dict[str, dict[int, str]] = {}
    for entity_id, (parent, index) in explicit.items():
        by_parent.setdefault(parent, {})[index] = entity_id
    for parent in order:
        placed = by_parent.get(parent)
        if not placed:
            continue
        current = graph.children(parent)
        others = iter([c for c in current if c not in placed.values()])
        if len(placed) != len(set(placed.values())) or max(placed) >= len(current):
            raise EditRefused("Ces différences ne s’appliquent pas à cette organisation (positions incohérentes).")
        wanted = [placed[i] if i in placed else next(others) for i in range(len(current))]
        for index, child in enumerate(wanted):
            if graph.index_in_parent(child) != index:
                run(MoveEntity(child, parent, index))

    # 4. Contents of the entities that exist on both sides.
    updates: dict[str, dict] = {}
    for change in changes:
        if isinstance(change, EntityRenamed):
            updates.setdefault(change.entity_id, {})["name"] = change.new_name
        elif isinstance(change, KindChanged):
            updates.setdefault(change.entity_id, {})["kind"] = change.new_kind
        elif isinstance(change, VacancyChanged):
            updates.setdefault(change.entity_id, {})["vacant"] = change.vacant
        elif isinstance(change, AttributionsChanged):
            updates.setdefault(change.entity_id, {})["attributions"] = list(change.new)
        elif isinstance(change, FieldChanged):
            updates.setdefault(change.entity_id, {})[change.field] = change.new
    for entity_id, values in updates.items():
        run(UpdateEntity(entity_id, values))

    # 5. Links: remove, add at their place, then restore the file order if it changed.
    for change in changes:
        if isinstance(change, LinkRemoved) and any(_link_key(l) == _link_key(change.link) for l in graph.links):
            run(RemoveLink(*_link_key(change.link)))
        elif isinstance(change, LinkChanged):
            run(RemoveLink(*_link_key(change.old)))
    inserts = sorted(
        [(c.index, c.link) for c in changes if isinstance(c, LinkAdded)]
        + [(c.index, c.new) for c in changes if isinstance(c, LinkChanged)],
        key=lambda pair: pair[0],
    )
    for index, link in inserts:
        run(AddLink(link, index))
    for change in changes:
        if isinstance(change, LinksReordered):
            for index, key in enumerate(change.order):
                position = next((i for i, l in enumerate(graph.links) if _link_key(l) == key), None)
                if position is None:
                    raise EditRefused("Ces différences ne s’appliquent pas à cette organisation (liens incohérents).")
                if position != index:
                    link = graph.links[position]
                    run(RemoveLink(*key))
                    run(AddLink(link, index))
    return Batch(ops, label=label)


def apply_diff(doc: "Document", diff: OrgDiff, label: str = "Appliquer les différences"):
    """Apply the diff to a document (one undo step); returns the inverse operation."""
    return doc.apply(operations_for(diff, doc, label))
