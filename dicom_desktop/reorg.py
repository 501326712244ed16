"""Reorganisation gestures — merge, split, declare vacant, move a selection — as single undo steps.

Each gesture is built from the core operations (:mod:`dicom_desktop.operations`) and returned as
one :class:`ReorgBatch`: the editor applies it with ``doc.apply`` and gets one undo step. The
operations are worked out on a scratch copy of the graph, so a gesture that cannot be done is
refused (EditRefused, in French) before the document changes. Unexpected attachments (a bureau
under a bureau…) are only warned about, from the single table of :mod:`dicom_desktop.kinds`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import EditRefused
from .graph import OrgGraph
from . import edits
from .wording import id_slug, quoted
from .model import MAX_NAME_LENGTH, Entity, Link
from .operations import AddEntity, AddLink, Batch, MoveEntity, RemoveEntity, RemoveLink, UpdateEntity

if TYPE_CHECKING:
    from .document import Document


@dataclass
class ReorgBatch(Batch):
    """A Batch that also tells which entity the gesture produced (the survivor, the new entity…)."""

    entity_id: str = ""


class _Builder:
    """Collects operations while applying them to a copy, so each is valid when the real one runs."""

    def __init__(self, doc: "Document") -> None:
        self.organisation = doc.organisation
        self.graph: OrgGraph = doc.graph.copy()
        self.ops: list = []

    def run(self, op) -> None:
        op.apply(self)
        self.ops.append(op)


_q = quoted


# ---------------------------------------------------------------------------- warnings
def attachment_warnings(doc: "Document", entity_id: str, new_parent: str) -> list[str]:
    """French warnings (never refusals) for attaching ``entity_id`` under ``new_parent``."""
    return edits.attachment_warnings(doc.graph, entity_id, new_parent)


# ---------------------------------------------------------------------------- moving a selection
def _top_level(graph: OrgGraph, ids: Iterable[str]) -> list[str]:
    """The selected entities that are not inside another selected one, in chart order."""
    selected = set(ids)
    for entity_id in selected:
        graph.entity(entity_id)  # French refusal for an unknown id
    top = [e for e in selected if not any(a in selected for a in graph.ancestors(e))]
    if len(top) < 2:  # one box dragged: no need to walk the whole chart for its order
        return top
    rank = {e: i for i, e in enumerate(graph.preorder())}
    return sorted(top, key=rank.__getitem__)


def is_noop_move(graph: OrgGraph, entity_ids: Sequence[str], parent: str, index: int | None) -> bool:
    """True when the entities already sit under ``parent`` exactly where a drop at ``index``
    (before the child now there; None: at the end) would put them: nothing to undo then."""
    if any(graph.parent(e) != parent for e in entity_ids):
        return False
    moving_set = set(entity_ids)
    kids = graph.children_map()[parent]
    moving = [k for k in kids if k in moving_set]  # move_entities keeps chart order
    anchor = None
    if index is not None:
        anchor = next((k for k in kids[index:] if k not in moving_set), None)
    rest = [k for k in kids if k not in moving_set]
    position = len(rest) if anchor is None else rest.index(anchor)
    return rest[:position] + moving + rest[position:] == list(kids)


def move_entities(doc: "Document", entity_ids: Sequence[str], new_parent: str, index: int | None = None) -> ReorgBatch:
    """Re-attach a selection (each with its subtree) under ``new_parent``, in chart order, before the
    child now at ``index`` (the end when None): one drag and drop, one undo step."""
    moving = _top_level(doc.graph, entity_ids)
    for entity_id in moving:
        reason = doc.graph.move_refusal(entity_id, new_parent)
        if reason:
            raise EditRefused(reason)
    siblings = doc.graph.children(new_parent)
    anchor = next((c for c in siblings[index:] if c not in moving), None) if index is not None else None
    names = ", ".join(_q(doc.graph.entity(e).name) for e in moving[:3]) + (" …" if len(moving) > 3 else "")
    label = f"Rattacher {names} à {_q(doc.graph.entity(new_parent).name)}"
    if len(moving) == 1:
        # One box dropped (the usual drag): its refusal, checked above, is MoveEntity's only one,
        # so no rehearsal on a copy of the whole graph (15 ms at 10,000 entities).
        position = _position_before(doc.graph, moving[0], new_parent, anchor)
        return ReorgBatch([MoveEntity(moving[0], new_parent, position)], label=label, entity_id=moving[0])
    b = _Builder(doc)
    for entity_id in moving:
        b.run(MoveEntity(entity_id, new_parent, _position_before(b.graph, entity_id, new_parent, anchor)))
    return ReorgBatch(b.ops, label=label, entity_id=moving[0] if moving else "")


def _position_before(graph: OrgGraph, entity_id: str, new_parent: str, anchor: str | None) -> int | None:
    """The index under ``new_parent`` that puts ``entity_id`` just before ``anchor`` once it has
    left its place (None: at the end)."""
    if anchor is None:
        return None
    kids = graph.children(new_parent)
    position = kids.index(anchor)
    if entity_id in kids and kids.index(entity_id) < position:
        position -= 1
    return position


def move_warnings(doc: "Document", entity_ids: Sequence[str], new_parent: str) -> list[str]:
    """The attachment warnings of a whole selection."""
    graph = doc.graph
    return [w for e in _top_level(graph, entity_ids) for w in attachment_warnings(doc, e, new_parent)]


# ---------------------------------------------------------------------------- merge
def merged_name(first: str, second: str) -> str:
    """A default name for two merged entities, for the user to edit.

    Same leading word: « Bureau de l’influence et du digital » + « Bureau de la veille et de
    l’opinion » → « Bureau de l’influence, du digital, de la veille et de l’opinion ». Otherwise
    « A et B ». Too long a result gives back ``first``.
    """
    head_a, _, rest_a = first.partition(" ")
    head_b, _, rest_b = second.partition(" ")
    if head_a.casefold() == head_b.casefold() and rest_a and rest_b:
        parts = [p for rest in (rest_a, rest_b) for p in rest.split(" et ") if p]
        name = f"{head_a} {', '.join(parts[:-1])} et {parts[-1]}"
    else:
        name = f"{first} et {second}"
    return name if len(name) <= MAX_NAME_LENGTH else first


@dataclass(frozen=True)
class MergeProposal:
    """What a merge proposes by default: the editor's dialog shows it for the user to edit."""

    name: str
    attributions: list[str]
    headcount: int | None


def merge_proposal(doc: "Document", survivor_id: str, absorbed_id: str) -> MergeProposal:
    graph = doc.graph
    survivor, absorbed = graph.entity(survivor_id), graph.entity(absorbed_id)
    counts = [c for c in (survivor.headcount, absorbed.headcount) if c is not None]
    return MergeProposal(
        name=merged_name(survivor.name, absorbed.name),
        attributions=list(survivor.attributions) + list(absorbed.attributions),
        headcount=sum(counts) if counts else None,
    )


def merge_entities(
    doc: "Document",
    survivor_id: str,
    absorbed_id: str,
    *,
    name: str | None = None,
    attributions: Sequence[str] | None = None,
) -> ReorgBatch:
    """« Fusionner »: ``absorbed_id`` disappears into ``survivor_id``.

    The absorbed entity's subdivisions go under the survivor (after its own), its functional
    links are carried over to the survivor (a link between the two disappears), and the survivor
    takes ``name`` and ``attributions`` — by default :func:`merge_proposal`'s (names combined,
    the survivor's paragraphs then the absorbed one's), headcounts added up. When the survivor
    lies inside the absorbed entity's branch, it first takes the absorbed entity's place.
    """
    graph = doc.graph
    survivor, absorbed = graph.entity(survivor_id), graph.entity(absorbed_id)
    if survivor_id == absorbed_id:
        raise EditRefused("Choisissez deux entités différentes à fusionner.")
    if absorbed_id == graph.root:
        raise EditRefused(
            f"L’entité de tête {_q(absorbed.name)} ne peut pas disparaître dans une fusion : "
            "fusionnez plutôt l’autre entité dans l’entité de tête."
        )
    proposal = merge_proposal(doc, survivor_id, absorbed_id)
    b = _Builder(doc)
    g = b.graph
    if g.is_descendant(survivor_id, absorbed_id):
        absorbed_parent = g.parent(absorbed_id)
        assert absorbed_parent is not None  # the head cannot be absorbed (refused above)
        b.run(MoveEntity(survivor_id, absorbed_parent, g.index_in_parent(absorbed_id)))
    for child in g.children(absorbed_id):
        b.run(MoveEntity(child, survivor_id))
    for link in list(g.links):
        if absorbed_id not in (link.source, link.target):
            continue
        index = g.links.index(link)
        b.run(RemoveLink(link.source, link.target, link.kind))
        source = survivor_id if link.source == absorbed_id else link.source
        target = survivor_id if link.target == absorbed_id else link.target
        duplicate = any((l.source, l.target, l.kind) == (source, target, link.kind) for l in g.links)
        if source != target and not duplicate:
            b.run(AddLink(Link(source=source, target=target, kind=link.kind, label=link.label), index))
    changes: dict = {}
    new_name = proposal.name if name is None else name
    new_attributions = proposal.attributions if attributions is None else list(attributions)
    if new_name != survivor.name:
        changes["name"] = new_name
    if new_attributions != survivor.attributions:
        changes["attributions"] = new_attributions
    if proposal.headcount != survivor.headcount:
        changes["headcount"] = proposal.headcount
    if changes:
        b.run(UpdateEntity(survivor_id, changes))
    b.run(RemoveEntity(absorbed_id))
    label = f"Fusionner {_q(absorbed.name)} dans {_q(survivor.name)}"
    return ReorgBatch(b.ops, label=label, entity_id=survivor_id)


# ---------------------------------------------------------------------------- split
def split_entity(
    doc: "Document",
    entity_id: str,
    new_entity: Entity | None = None,
    *,
    name: str | None = None,
    kind: str | None = None,
    children_to_move: Sequence[str] = (),
    paragraphs_to_move: Sequence[int] = (),
    parent: str | None = None,
    index: int | None = None,
) -> ReorgBatch:
    """« Scinder »: carve a new entity out of ``entity_id``.

    The new entity is ``new_entity`` or one named ``name`` (same kind, head title and staff
    position as the source unless ``kind`` says otherwise, a fresh id). It goes beside the source,
    just after it (under ``parent`` at ``index`` when given; under the source when the source is
    the head entity), takes the chosen subdivisions (with their branches) and the chosen
    attribution paragraphs (indices in the source's list, removed from the source). The new id is
    the returned batch's ``entity_id``.
    """
    graph = doc.graph
    source = graph.entity(entity_id)
    if new_entity is None:
        if not name or not name.strip():
            raise EditRefused("Donnez un nom à la nouvelle entité issue de la scission.")
        new_entity = Entity(
            id=graph.new_id(id_slug(name)),
            name=name,
            kind=kind or source.kind,
            head_title=source.head_title,
            staff=source.staff,
        )
    elif kind is not None:
        new_entity = new_entity.model_copy(update={"kind": kind})
    paragraphs = list(source.attributions)
    chosen = sorted(set(paragraphs_to_move))
    bad = [i for i in chosen if not 0 <= i < len(paragraphs)]
    if bad:
        raise EditRefused(
            f"{_q(source.name)} n’a pas de paragraphe n° {bad[0] + 1} (il en a {len(paragraphs)})."
        )
    strays = [c for c in children_to_move if c not in graph or graph.parent(c) != entity_id]
    if strays:
        raise EditRefused(f"{_q(strays[0])} n’est pas une subdivision de {_q(source.name)} : elle ne peut pas passer dans la nouvelle entité.")
    source_parent = graph.parent(entity_id)
    if parent is None:
        parent = source_parent if source_parent is not None else entity_id
        if index is None and source_parent is not None:
            index = graph.index_in_parent(entity_id) + 1
    moved_paragraphs = [paragraphs[i] for i in chosen]
    if moved_paragraphs:
        new_entity = new_entity.model_copy(update={"attributions": list(new_entity.attributions) + moved_paragraphs})
    b = _Builder(doc)
    b.run(AddEntity(new_entity, parent, index))
    for child in children_to_move:
        b.run(MoveEntity(child, new_entity.id))
    if moved_paragraphs:
        b.run(UpdateEntity(entity_id, {"attributions": [p for i, p in enumerate(paragraphs) if i not in set(chosen)]}))
    label = f"Scinder {_q(source.name)} (nouvelle entité {_q(new_entity.name)})"
    return ReorgBatch(b.ops, label=label, entity_id=new_entity.id)


# ---------------------------------------------------------------------------- vacancy
def declare_vacant(doc: "Document", entity_id: str, vacant: bool = True) -> UpdateEntity:
    """« Déclarer vacant » (or filled again) the head position of an entity, as one undo step.

    A vacant post holds no name: declaring a vacancy also clears the holder's name (undo brings
    both back). Filling the post again leaves the name empty, for the new holder's to be typed."""
    entity = doc.graph.entity(entity_id)
    if vacant:
        label = f"Déclarer vacant le poste de responsable de {_q(entity.name)}"
        changes: dict = {"vacant": True}
        if entity.head_name:
            changes["head_name"] = ""
    else:
        label = f"Déclarer pourvu le poste de responsable de {_q(entity.name)}"
        changes = {"vacant": False}
    return UpdateEntity(entity_id, changes, label=label)
