"""The difference between two organisations, matched by entity id, and the way back to operations.

A reorganisation is judged on what it changes: which boxes are created, removed, merged, split,
moved, renamed, declared vacant, which attributions texts change (word by word) and which
functional links appear or disappear. :func:`diff_organisations` computes that list of small
:class:`Change` objects, each with a French one-line ``describe()`` for the command line, the
comparison panel and the PDF dossier. Every change carries the new values and positions, so the
diff alone turns BASE into OTHER: :func:`dicom_desktop.comparison.patch.operations_for` gives the core
operations (one :class:`~dicom_desktop.operations.Batch`, one undo step) that do it, exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Entity, Link, Organisation, OrganisationFile, Scenario
from dicom_desktop.operations import (  # ENTITY_FIELD_LABELS lives there: undo labels use it too
    ENTITY_FIELD_LABELS,
)
from dicom_desktop.records import EntityRecord
from dicom_desktop.comparison.word_diff import PARAGRAPH_BREAK, Segment, _count_words, word_diff  # noqa: F401 - word_diff re-exported
from dicom_desktop.wording import ordinal, plural, quoted, short_date

if TYPE_CHECKING:
    from dicom_desktop.document import Document

# Entity fields compared one by one (id, parent and order are the structure, compared apart).
_STRUCTURE_FIELDS = ("id", "parent", "order")
ORGANISATION_FIELD_LABELS: dict[str, str] = {
    "name": "nom",
    "acronym": "sigle",
    "missions": "missions",
    "legal_basis": "base juridique",
    "updated": "date de mise à jour",
    "source": "source",
    "notes": "notes",
}

LinkKey = tuple[str, str, str]


# ---------------------------------------------------------------------------- formatting helpers
_q = quoted


def _value(value: object, limit: int = 80) -> str:
    """A field value as a short French phrase."""
    if value is None or value == "" or value == [] or value == ():
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, _dt.date):
        return short_date(value)
    if isinstance(value, (list, tuple)):
        value = " / ".join(str(v) for v in value)
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _q(text) if not isinstance(value, int) else text


_ordinal = ordinal


def _link_key(link: Link) -> LinkKey:
    return (link.source, link.target, link.kind)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (Entity, EntityRecord, Link)):
        return value.model_dump(mode="json")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------- the changes
@dataclass(frozen=True)
class Change:
    """One difference between BASE and OTHER. ``kind`` names it (stable, for JSON and the UI)."""

    kind: ClassVar[str] = "change"

    def describe(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def entity_ids(self) -> tuple[str, ...]:
        """The entities this change concerns (the boxes the comparison view marks)."""
        entity_id = getattr(self, "entity_id", None)
        return (entity_id,) if entity_id else ()

    def to_dict(self) -> dict:
        data = {"type": self.kind, "description": self.describe()}
        for f in dataclasses.fields(self):
            data[f.name] = _jsonable(getattr(self, f.name))
        return data


@dataclass(frozen=True)
class EntityAdded(Change):
    kind: ClassVar[str] = "added"
    entity_id: str
    name: str
    entity: Entity
    parent: str
    parent_name: str
    index: int

    def describe(self) -> str:
        return f"Création : {_q(self.name)} ({self.entity.kind}), sous {_q(self.parent_name)}"


@dataclass(frozen=True)
class EntitySplit(EntityAdded):
    """A new entity made from an existing one (paragraphs or children taken from it)."""

    kind: ClassVar[str] = "split"
    source_id: str = ""
    source_name: str = ""

    def entity_ids(self) -> tuple[str, ...]:
        return (self.entity_id, self.source_id)

    def describe(self) -> str:
        return (
            f"Scission : {_q(self.name)} ({self.entity.kind}) naît de {_q(self.source_name)}, "
            f"sous {_q(self.parent_name)}"
        )


@dataclass(frozen=True)
class EntityRemoved(Change):
    """An entity that is gone; ``parent``/``index`` say where it was in BASE (to draw it ghosted)."""

    kind: ClassVar[str] = "removed"
    entity_id: str
    name: str
    entity: Entity
    parent: str | None
    parent_name: str
    index: int

    def describe(self) -> str:
        return f"Suppression : {_q(self.name)} ({self.entity.kind}), qui relevait de {_q(self.parent_name)}"


@dataclass(frozen=True)
class EntityMerged(EntityRemoved):
    """A removed entity whose attributions or subdivisions went to a surviving one."""

    kind: ClassVar[str] = "merged"
    survivor_id: str = ""
    survivor_name: str = ""

    def entity_ids(self) -> tuple[str, ...]:
        return (self.entity_id, self.survivor_id)

    def describe(self) -> str:
        return f"Fusion : {_q(self.survivor_name)} absorbe {_q(self.name)}"


@dataclass(frozen=True)
class EntityMoved(Change):
    kind: ClassVar[str] = "moved"
    entity_id: str
    name: str
    old_parent: str | None  # None: it was the head (two files need not share their head)
    old_parent_name: str
    new_parent: str | None  # None: it becomes the head
    new_parent_name: str
    old_index: int
    new_index: int

    def describe(self) -> str:
        return f"Rattachement : {_q(self.name)} passe de {_q(self.old_parent_name)} à {_q(self.new_parent_name)}"


@dataclass(frozen=True)
class EntityReordered(Change):
    kind: ClassVar[str] = "reordered"
    entity_id: str
    name: str
    parent: str
    parent_name: str
    old_index: int
    new_index: int

    def describe(self) -> str:
        return (
            f"Ordre : {_q(self.name)} passe de la {_ordinal(self.old_index)} à la {_ordinal(self.new_index)} place "
            f"sous {_q(self.parent_name)}"
        )


@dataclass(frozen=True)
class EntityRenamed(Change):
    kind: ClassVar[str] = "renamed"
    entity_id: str
    old_name: str
    new_name: str

    @property
    def name(self) -> str:
        return self.new_name

    def describe(self) -> str:
        return f"Renommage : {_q(self.old_name)} devient {_q(self.new_name)}"


@dataclass(frozen=True)
class VacancyChanged(Change):
    kind: ClassVar[str] = "vacancy"
    entity_id: str
    name: str
    vacant: bool

    def describe(self) -> str:
        if self.vacant:
            return f"Vacance : le poste de responsable de {_q(self.name)} est déclaré vacant"
        return f"Vacance : le poste de responsable de {_q(self.name)} n’est plus vacant"


@dataclass(frozen=True)
class KindChanged(Change):
    kind: ClassVar[str] = "kind"
    entity_id: str
    name: str
    old_kind: str
    new_kind: str

    def describe(self) -> str:
        return f"Type : {_q(self.name)} passe de « {self.old_kind} » à « {self.new_kind} »"


@dataclass(frozen=True)
class FieldChanged(Change):
    """Any other field of an entity: head title, head name, short name, headcount, dates…"""

    kind: ClassVar[str] = "field"
    entity_id: str
    name: str
    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        label = ENTITY_FIELD_LABELS.get(self.field, self.field)
        return f"Modification : {label} de {_q(self.name)} : {_value(self.old)} → {_value(self.new)}"


@dataclass(frozen=True)
class AttributionsChanged(Change):
    kind: ClassVar[str] = "attributions"
    entity_id: str
    name: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    segments: tuple[Segment, ...]

    @property
    def words_added(self) -> int:
        return sum(_count_words(t) for op, t in self.segments if op == "insert")

    @property
    def words_removed(self) -> int:
        return sum(_count_words(t) for op, t in self.segments if op == "delete")

    def describe(self) -> str:
        details = []
        if self.words_added:
            details.append(plural(self.words_added, "mot ajouté", "mots ajoutés"))
        if self.words_removed:
            details.append(plural(self.words_removed, "mot retiré", "mots retirés"))
        if len(self.old) != len(self.new):
            details.append(f"{len(self.old)} → {plural(len(self.new), 'paragraphe')}")
        suffix = f" ({', '.join(details)})" if details else " (mise en forme)"
        return f"Attributions : texte de {_q(self.name)} modifié{suffix}"


@dataclass(frozen=True)
class LinkAdded(Change):
    kind: ClassVar[str] = "link-added"
    link: Link
    index: int
    source_name: str
    target_name: str

    def entity_ids(self) -> tuple[str, ...]:
        return (self.link.source, self.link.target)

    def describe(self) -> str:
        label = f" ({self.link.label})" if self.link.label else ""
        return f"Lien fonctionnel ajouté : {_q(self.source_name)} → {_q(self.target_name)}{label}"


@dataclass(frozen=True)
class LinkRemoved(Change):
    kind: ClassVar[str] = "link-removed"
    link: Link
    index: int
    source_name: str
    target_name: str

    def entity_ids(self) -> tuple[str, ...]:
        return (self.link.source, self.link.target)

    def describe(self) -> str:
        label = f" ({self.link.label})" if self.link.label else ""
        return f"Lien fonctionnel supprimé : {_q(self.source_name)} → {_q(self.target_name)}{label}"


@dataclass(frozen=True)
class LinkChanged(Change):
    """Same two ends and kind, another label."""

    kind: ClassVar[str] = "link-changed"
    old: Link
    new: Link
    index: int
    source_name: str
    target_name: str

    def entity_ids(self) -> tuple[str, ...]:
        return (self.new.source, self.new.target)

    def describe(self) -> str:
        return (
            f"Lien fonctionnel {_q(self.source_name)} → {_q(self.target_name)} : libellé "
            f"{_value(self.old.label)} → {_value(self.new.label)}"
        )


@dataclass(frozen=True)
class LinksReordered(Change):
    """The list of links is in another order (no effect on the chart; kept so the patch is exact)."""

    kind: ClassVar[str] = "links-reordered"
    order: tuple[LinkKey, ...]

    def describe(self) -> str:
        return "Liens fonctionnels : ordre modifié dans le fichier (sans effet sur l’organigramme)"


@dataclass(frozen=True)
class OrganisationChanged(Change):
    kind: ClassVar[str] = "organisation"
    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        label = ORGANISATION_FIELD_LABELS.get(self.field, self.field)
        if isinstance(self.new, (list, tuple)) or len(str(self.old)) > 80 or len(str(self.new)) > 80:
            return f"Organisation : {label} modifié(e)s"
        return f"Organisation : {label} : {_value(self.old)} → {_value(self.new)}"


# Order in which changes are listed: structure first, then contents, then links.
_LISTING_ORDER: list[type[Change]] = [
    OrganisationChanged, EntitySplit, EntityAdded, EntityMerged, EntityRemoved, EntityMoved, EntityReordered,
    EntityRenamed, KindChanged, VacancyChanged, FieldChanged, AttributionsChanged,
    LinkRemoved, LinkAdded, LinkChanged, LinksReordered,
]
CHANGE_TYPES: dict[str, type[Change]] = {cls.kind: cls for cls in _LISTING_ORDER}


@dataclass
class OrgDiff:
    """The changes that turn BASE into OTHER, in listing order."""

    changes: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self):
        return iter(self.changes)

    def of_kind(self, *kinds: str) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]

    def by_entity(self) -> dict[str, list[Change]]:
        """Entity id → the changes that concern it (for badges on the chart)."""
        result: dict[str, list[Change]] = {}
        for change in self.changes:
            for entity_id in change.entity_ids():
                result.setdefault(entity_id, []).append(change)
        return result

    def removed(self) -> list[EntityRemoved]:
        """Removed (and merged) entities with their BASE place, to draw them ghosted."""
        return [c for c in self.changes if isinstance(c, EntityRemoved)]

    def lines(self) -> list[str]:
        return [c.describe() for c in self.changes]

    def to_dict(self) -> dict:
        return {"identical": self.is_empty, "count": len(self.changes), "changes": [c.to_dict() for c in self.changes]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


# ---------------------------------------------------------------------------- computing the diff
@dataclass
class _Side:
    organisation: Organisation | None
    graph: OrgGraph


def _side(value: object) -> _Side:
    if isinstance(value, OrgGraph):
        return _Side(None, value)
    if isinstance(value, OrganisationFile):
        return _Side(value.organisation, OrgGraph.from_entities(value.entities, value.links))
    if isinstance(value, Scenario):
        return _Side(None, OrgGraph.from_entities(value.entities, value.links))
    graph = getattr(value, "graph", None)
    if isinstance(graph, OrgGraph):  # a Document (or anything shaped like one)
        return _Side(getattr(value, "organisation", None), graph)
    raise TypeError(f"cannot compare a {type(value).__name__}")


def diff_organisations(base: "OrgGraph | Document | OrganisationFile | Scenario", other: object) -> OrgDiff:
    """Everything that differs from BASE to OTHER, entities matched by id.

    A Document is compared through what it shows (``doc.graph``) and its organisation record;
    organisation fields are compared only when both sides have one.
    """
    a, b = _side(base), _side(other)
    ga, gb = a.graph, b.graph
    changes: list[Change] = []

    if a.organisation is not None and b.organisation is not None:
        for name in Organisation.model_fields:
            old, new = getattr(a.organisation, name), getattr(b.organisation, name)
            if old != new:
                changes.append(OrganisationChanged(name, old, new))

    def name_in(graph: OrgGraph, entity_id: str | None) -> str:
        if entity_id is None:
            return "(aucune)"
        return graph.entity(entity_id).name if entity_id in graph else entity_id

    def name_any(entity_id: str | None) -> str:
        return name_in(gb, entity_id) if entity_id in gb else name_in(ga, entity_id)

    order_a, order_b = ga.preorder(), gb.preorder()
    removed = [e for e in order_a if e not in gb]
    added = [e for e in order_b if e not in ga]
    merges = _detect_merges(ga, gb, removed)
    splits = _detect_splits(ga, gb, added)

    for entity_id in added:
        entity = gb.entity(entity_id)
        parent = gb.parent(entity_id)
        common: dict[str, Any] = dict(entity_id=entity_id, name=entity.name, entity=entity, parent=parent,
                                      parent_name=name_in(gb, parent), index=gb.index_in_parent(entity_id))
        if entity_id in splits:
            changes.append(EntitySplit(**common, source_id=splits[entity_id], source_name=name_any(splits[entity_id])))
        else:
            changes.append(EntityAdded(**common))
    for entity_id in removed:
        entity = ga.entity(entity_id)
        parent = ga.parent(entity_id)
        common = dict(entity_id=entity_id, name=entity.name, entity=entity, parent=parent,
                      parent_name=name_any(parent), index=ga.index_in_parent(entity_id))
        if entity_id in merges:
            changes.append(EntityMerged(**common, survivor_id=merges[entity_id], survivor_name=name_any(merges[entity_id])))
        else:
            changes.append(EntityRemoved(**common))

    common_ids = [e for e in order_b if e in ga]
    for entity_id in common_ids:
        old_parent, new_parent = ga.parent(entity_id), gb.parent(entity_id)
        if old_parent != new_parent:
            changes.append(EntityMoved(
                entity_id, gb.entity(entity_id).name, old_parent, name_any(old_parent), new_parent,
                name_in(gb, new_parent), ga.index_in_parent(entity_id), gb.index_in_parent(entity_id)))
    changes.extend(_reorders(ga, gb, name_in))

    for entity_id in common_ids:
        changes.extend(_field_changes(entity_id, ga.entity(entity_id), gb.entity(entity_id)))

    changes.extend(_link_changes(ga, gb, name_any))
    rank = {cls: i for i, cls in enumerate(_LISTING_ORDER)}
    changes.sort(key=lambda c: rank[type(c)])  # stable: keeps chart order within a kind
    return OrgDiff(changes)


def _reorders(ga: OrgGraph, gb: OrgGraph, name_in) -> list[Change]:
    """Entities that changed place among siblings that stayed under the same parent."""
    result: list[Change] = []
    for parent in gb.preorder():
        if parent not in ga:
            continue
        stay_b = [c for c in gb.children(parent) if c in ga and ga.parent(c) == parent]
        if len(stay_b) < 2:
            continue
        stay_a = [c for c in ga.children(parent) if c in gb and gb.parent(c) == parent]
        if stay_a == stay_b:
            continue
        matcher = difflib.SequenceMatcher(None, stay_a, stay_b, autojunk=False)
        kept = set()
        for block in matcher.get_matching_blocks():
            kept.update(stay_a[block.a: block.a + block.size])
        for child in stay_b:
            if child not in kept:
                result.append(EntityReordered(child, gb.entity(child).name, parent, name_in(gb, parent),
                                              ga.index_in_parent(child), gb.index_in_parent(child)))
    return result


def _field_changes(entity_id: str, old: Entity | EntityRecord, new: Entity | EntityRecord) -> list[Change]:
    result: list[Change] = []
    name = new.name
    for field_name in Entity.model_fields:
        if field_name in _STRUCTURE_FIELDS:
            continue
        before, after = getattr(old, field_name), getattr(new, field_name)
        if before == after:
            continue
        if field_name == "name":
            result.append(EntityRenamed(entity_id, before, after))
        elif field_name == "kind":
            result.append(KindChanged(entity_id, name, before, after))
        elif field_name == "vacant":
            result.append(VacancyChanged(entity_id, name, after))
        elif field_name == "attributions":
            result.append(AttributionsChanged(entity_id, name, tuple(before), tuple(after), tuple(word_diff(before, after))))
        else:
            result.append(FieldChanged(entity_id, name, field_name, before, after))
    return result


def _link_changes(ga: OrgGraph, gb: OrgGraph, name_any) -> list[Change]:
    result: list[Change] = []
    index_a = {_link_key(l): (i, l) for i, l in enumerate(ga.links)}
    index_b = {_link_key(l): (i, l) for i, l in enumerate(gb.links)}
    for key, (i, link) in index_a.items():
        if key not in index_b:
            result.append(LinkRemoved(link, i, name_any(link.source), name_any(link.target)))
    for key, (i, link) in index_b.items():
        if key not in index_a:
            result.append(LinkAdded(link, i, name_any(link.source), name_any(link.target)))
        elif index_a[key][1] != link:
            result.append(LinkChanged(index_a[key][1], link, i, name_any(link.source), name_any(link.target)))
    kept_a = [k for k in index_a if k in index_b]
    kept_b = [k for k in index_b if k in index_a]
    if kept_a != kept_b:
        result.append(LinksReordered(tuple(index_b)))
    return result


def _paragraphs(entity: Entity | EntityRecord) -> list[str]:
    return [p.strip() for p in entity.attributions if p.strip()]


_WORD = re.compile(r"\w+")
CARRIED_SHARE = 0.6  # share of an entity's words found moved to (from) another: merged (split)


def _changed_words(old: Sequence[str], new: Sequence[str], op: str) -> Counter:
    """Words inserted (op="insert") into, or deleted (op="delete") from, an attributions text."""
    if list(old) == list(new):
        return Counter()
    return _words([t for o, t in word_diff(old, new) if o == op])


def _words(paragraphs: Sequence[str]) -> Counter:
    return Counter(w.casefold() for p in paragraphs for w in _WORD.findall(p))


def _carried(words: Counter, gained: Counter) -> bool:
    """True when most of ``words`` (an entity's text) are among the ``gained`` ones."""
    total = words.total()
    if not total or gained.total() < total * CARRIED_SHARE:
        return False
    shared = sum(min(n, gained[w]) for w, n in words.items())
    return shared / total >= CARRIED_SHARE


def _detect_merges(ga: OrgGraph, gb: OrgGraph, removed: list[str]) -> dict[str, str]:
    """Removed entity → surviving entity that took its attributions (or all its subdivisions)."""
    result: dict[str, str] = {}
    gainers: list[tuple[str, Counter]] | None = None
    for entity_id in removed:
        paragraphs = _paragraphs(ga.entity(entity_id))
        candidates: list[str] = []
        if paragraphs:
            if gainers is None:  # only entities whose text grew can have taken the paragraphs
                gainers = []
                for other_id in gb.preorder():
                    old = ga.entity(other_id).attributions if other_id in ga else []
                    new = gb.entity(other_id).attributions
                    if new and old != new:
                        gainers.append((other_id, _changed_words(old, new, "insert")))
            words = _words(paragraphs)
            candidates = [other_id for other_id, gained in gainers if _carried(words, gained)]
        else:
            children = [c for c in ga.children(entity_id) if c in gb]
            new_parents = {gb.parent(c) for c in children}
            if children and len(new_parents) == 1:
                (survivor,) = new_parents
                if survivor is not None and survivor != ga.parent(entity_id):
                    candidates.append(survivor)
        if candidates:
            result[entity_id] = candidates[0]
    return result


def _detect_splits(ga: OrgGraph, gb: OrgGraph, added: list[str]) -> dict[str, str]:
    """New entity → existing entity it was carved out of (its paragraphs or subdivisions)."""
    result: dict[str, str] = {}
    losers: list[tuple[str, Counter]] | None = None
    for entity_id in added:
        paragraphs = _paragraphs(gb.entity(entity_id))
        candidates: list[str] = []
        if paragraphs:
            if losers is None:  # only entities whose text lost words can have given the paragraphs
                losers = []
                for source in ga.preorder():
                    if source in gb:
                        old, new = ga.entity(source).attributions, gb.entity(source).attributions
                        if old and old != new:
                            losers.append((source, _changed_words(old, new, "delete")))
            words = _words(paragraphs)
            candidates = [source for source, lost in losers if _carried(words, lost)]
        else:
            children = [c for c in gb.children(entity_id) if c in ga]
            old_parents = {ga.parent(c) for c in children}
            if children and len(old_parents) == 1:
                (old_parent,) = old_parents
                if old_parent is not None and old_parent in gb:
                    candidates.append(old_parent)
        if candidates:
            result[entity_id] = candidates[0]
    return result
