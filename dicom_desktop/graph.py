"""The organisation as a NetworkX graph, with every edit the editor needs as a plain method.

Entities are held as slim records (:mod:`dicom_desktop.records`) in a dict by id; the hierarchy
is a parent per entity and an explicit ordered list of children per parent, since a chart's
sibling order is meaningful. :attr:`OrgGraph.tree` gives the same hierarchy as a
``networkx.DiGraph`` carrying ids only (edge parent → child), built when first asked for, so
opening a file neither imports NetworkX nor pays a node dict per entity. Functional links are an
ordered list (several kinds may join the same pair).

Invariants — one root, no cycle, no orphan, unique ids, known link ends — are checked *before*
anything changes; a refused edit raises :class:`EditRefused` with a French reason and leaves the
graph untouched. Every walk is iterative.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from .errors import EditRefused
from .gcpause import gc_paused
from .model import Entity, Link
from .records import FIELDS, EntityRecord, records_of

if TYPE_CHECKING:
    import networkx as nx

_ID, _PARENT, _ORDER = (itemgetter(FIELDS.index(name)) for name in ("id", "parent", "order"))


class ChangeLog:
    """The ids an :class:`OrgGraph`'s edits touched since the log was made or last taken: entities
    added, removed or changed (records replaced, renumbered ones too) and parents whose child list
    changed. Incremental readers of a large chart (the box measures and the layout the editor
    keeps) compare only these with what they kept, not every entity. Made by
    :meth:`OrgGraph.change_log`, held weakly by the graph: a log nobody keeps costs nothing."""

    __slots__ = ("ids", "__weakref__")

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def take(self) -> set[str]:
        """The ids touched so far; the log starts empty again."""
        ids, self.ids = self.ids, set()
        return ids


class OrgGraph:
    """An organisation chart in memory: entities, hierarchy, sibling order, functional links."""

    def __init__(self) -> None:
        self._entities: dict[str, EntityRecord] = {}
        self._tree: nx.DiGraph | None = None  # built on demand, dropped on every structural edit
        self._children: dict[str, list[str]] = {}
        self._parent: dict[str, str | None] = {}
        self.links: list[Link] = []
        self.root: str | None = None
        self._kinds: Counter | None = None  # entities per kind, kept up to date once counted
        self._logs: list[weakref.ref[ChangeLog]] = []

    def __getstate__(self) -> dict:
        """Copies and pickles leave the change logs behind (they follow this graph only)."""
        state = self.__dict__.copy()
        state["_logs"] = []
        return state

    def change_log(self) -> ChangeLog:
        """A new :class:`ChangeLog` of this graph's edits from now on (entities, child lists; not links)."""
        log = ChangeLog()
        self._logs = [ref for ref in self._logs if ref() is not None]
        self._logs.append(weakref.ref(log))
        return log

    def _touch(self, ids: Iterable[str]) -> None:
        """Record ``ids`` in every live change log (every edit calls it before changing anything)."""
        for ref in self._logs:
            log = ref()
            if log is not None:
                log.ids.update(ids)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_entities(cls, entities: Sequence[Entity], links: Sequence[Link] = ()) -> "OrgGraph":
        """Build from validated entities (see validation.check_structure); file order is kept."""
        graph = cls()
        with gc_paused():  # 100,000 entities: bulk inserts, one pass, no collector scans
            graph._build(entities)
        graph.links = list(links)
        return graph

    def _build(self, entities: Sequence[Entity]) -> None:
        """Fill an empty graph; ``order`` is renumbered (a copy) only where it differs from the rank."""
        self._kinds = None
        recs = records_of(entities)
        ids = list(map(_ID, recs))
        parents = list(map(_PARENT, recs))
        self._children = {entity_id: [] for entity_id in ids}
        self._parent = dict(zip(ids, parents))
        pending: dict[str, list[tuple[int, int, str]]] = {}
        for index, (entity_id, parent, order) in enumerate(zip(ids, parents, map(_ORDER, recs))):
            if parent is None:
                self.root = entity_id
            else:
                pending.setdefault(parent, []).append((order, index, entity_id))
        renumbered: list[tuple[int, int]] = []
        for parent, kids in pending.items():
            kids.sort()
            ordered = []
            for rank, (order, index, child) in enumerate(kids):
                ordered.append(child)
                if order != rank:
                    renumbered.append((index, rank))
            self._children[parent] = ordered
        # A repeated id (unchecked input) keeps the last record, as a dict does.
        records = self._entities = dict(zip(ids, recs))
        for index, rank in renumbered:
            entity_id = ids[index]
            records[entity_id] = records[entity_id]._replace(order=rank)
        if self.root is not None:
            root_entity = records[self.root]
            if root_entity.order != 0:
                records[self.root] = root_entity._replace(order=0)

    def to_entities(self) -> list[Entity]:
        """Entities (pydantic models, for the file) in hierarchical order (the file reads like the
        chart, and an undone edit gives back the same bytes whatever order they were re-inserted in)."""
        records = self._entities
        return [records[node].to_model() for node in self.preorder()]

    @property
    def tree(self) -> "nx.DiGraph":
        """The hierarchy as a NetworkX DiGraph of ids (edge parent → child), for graph algorithms
        and checks; built on first use after a change. Read-only: edit through the methods."""
        if self._tree is None:
            import networkx as nx

            tree = nx.DiGraph()
            tree.add_nodes_from(self._entities)
            tree.add_edges_from((parent, child) for parent, kids in self._children.items() for child in kids)
            self._tree = tree
        return self._tree

    def entities_map(self) -> Mapping[str, EntityRecord]:
        """Read-only view of every entity by id (for bulk readers: the scene; do not mutate)."""
        return self._entities

    def copy(self) -> "OrgGraph":
        """An independent copy (entities are immutable records, so they are shared)."""
        other = OrgGraph()
        other._entities = dict(self._entities)
        other._children = {k: list(v) for k, v in self._children.items()}
        other._parent = dict(self._parent)
        other.links = list(self.links)
        other.root = self.root
        other._kinds = None if self._kinds is None else Counter(self._kinds)
        return other

    def _renumber(self, parent: str) -> None:
        """Keep each child's stored ``order`` equal to its index (only rewrites what changed)."""
        records = self._entities
        for index, child in enumerate(self._children[parent]):
            entity = records[child]
            if entity.order != index or entity.parent != parent:
                self._touch((child,))
                records[child] = entity._replace(order=index, parent=parent)

    # ------------------------------------------------------------------ queries
    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._parent

    def __iter__(self) -> Iterator[str]:
        return iter(self._entities)

    def entity(self, entity_id: str) -> EntityRecord:
        try:
            return self._entities[entity_id]
        except KeyError:
            raise EditRefused(f"L’entité « {entity_id} » n’existe pas.") from None

    def parent(self, entity_id: str) -> str | None:
        self._require(entity_id)
        return self._parent[entity_id]

    def children(self, entity_id: str) -> list[str]:
        """Children in their chart order (a copy: safe to keep)."""
        self._require(entity_id)
        return list(self._children[entity_id])

    def children_map(self) -> dict[str, list[str]]:
        """Read-only view of every parent's ordered children, for the layout (do not mutate)."""
        return self._children

    def index_in_parent(self, entity_id: str) -> int:
        parent = self.parent(entity_id)
        return 0 if parent is None else self._children[parent].index(entity_id)

    def ancestors(self, entity_id: str) -> list[str]:
        """From the parent up to the root."""
        self._require(entity_id)
        result = []
        node = self._parent[entity_id]
        while node is not None:
            result.append(node)
            node = self._parent[node]
        return result

    def path_from_root(self, entity_id: str) -> list[str]:
        return list(reversed(self.ancestors(entity_id))) + [entity_id]

    def subtree(self, entity_id: str) -> list[str]:
        """The entity and all its descendants, in pre-order (parent before children, in order)."""
        self._require(entity_id)
        result = []
        stack = [entity_id]
        children = self._children
        while stack:
            node = stack.pop()
            result.append(node)
            stack.extend(reversed(children[node]))
        return result

    def preorder(self) -> list[str]:
        """Every entity in hierarchical order — the order of the notice."""
        return self.subtree(self.root) if self.root is not None else []

    def depth(self, entity_id: str) -> int:
        return len(self.ancestors(entity_id))

    def depths(self) -> dict[str, int]:
        """Depth of every entity in one linear pass."""
        result: dict[str, int] = {}
        if self.root is None:
            return result
        result[self.root] = 0
        stack = [self.root]
        while stack:
            node = stack.pop()
            d = result[node] + 1
            for child in self._children[node]:
                result[child] = d
                stack.append(child)
        return result

    def max_depth(self) -> int:
        return max(self.depths().values(), default=0)

    def is_descendant(self, entity_id: str, ancestor: str) -> bool:
        """True when ``entity_id`` is ``ancestor`` itself or lies below it."""
        node: str | None = entity_id
        while node is not None:
            if node == ancestor:
                return True
            node = self._parent[node]
        return False

    def counts_per_kind(self) -> Counter:
        """Entities per kind (the legend's counts). Counted once, then kept up to date by the
        edits that add, remove or retype an entity: after a drop at 100,000 entities the legend
        no longer walks them all (60 ms)."""
        if self._kinds is None:
            self._kinds = Counter(map(attrgetter("kind"), self._entities.values()))
        return Counter(self._kinds)

    def _count_kind(self, kind: str, step: int) -> None:
        kinds = self._kinds
        if kinds is not None:
            kinds[kind] += step
            if kinds[kind] <= 0:
                del kinds[kind]

    def links_of(self, entity_id: str) -> list[Link]:
        return [link for link in self.links if entity_id in (link.source, link.target)]

    def new_id(self, base: str = "entite") -> str:
        """A fresh id derived from ``base`` (``base``, ``base-2``, ``base-3``…)."""
        if base not in self._parent:
            return base
        n = 2
        while f"{base}-{n}" in self._parent:
            n += 1
        return f"{base}-{n}"

    def _require(self, entity_id: str) -> None:
        if entity_id not in self._parent:
            raise EditRefused(f"L’entité « {entity_id} » n’existe pas.")

    # ------------------------------------------------------------------ checks
    def move_refusal(self, entity_id: str, new_parent: str) -> str | None:
        """Why moving ``entity_id`` under ``new_parent`` is impossible, or None when it is allowed."""
        if entity_id not in self._parent:
            return f"L’entité « {entity_id} » n’existe pas."
        if new_parent not in self._parent:
            return f"L’entité « {new_parent} » n’existe pas."
        if entity_id == self.root:
            return "L’entité de tête ne peut pas être rattachée à une autre entité."
        if entity_id == new_parent:
            return "Une entité ne peut pas être rattachée à elle-même."
        if self.is_descendant(new_parent, entity_id):
            return (
                f"« {self.entity(new_parent).name} » fait partie de la branche de « {self.entity(entity_id).name} » : "
                "la rattacher à l’une de ses propres subdivisions créerait une boucle."
            )
        return None

    # ------------------------------------------------------------------ edits
    def add_entity(self, entity: Entity | EntityRecord, parent: str | None, index: int | None = None) -> None:
        """Add a new entity under ``parent`` at ``index`` (end by default); None makes it the root."""
        if entity.id in self._parent:
            raise EditRefused(f"L’identifiant « {entity.id} » est déjà utilisé.")
        if parent is None:
            if self.root is not None:
                raise EditRefused("L’organisation a déjà une entité de tête : rattachez la nouvelle entité à une entité existante.")
            if entity.staff:
                raise EditRefused("L’entité de tête ne peut pas être une position d’état-major.")
        else:
            self._require(parent)
        position = index or 0
        self._touch((entity.id,) if parent is None else (entity.id, parent))
        if parent is not None:
            siblings = self._children[parent]
            position = len(siblings) if index is None else max(0, min(index, len(siblings)))
        self._entities[entity.id] = EntityRecord.from_model(entity)._replace(parent=parent, order=position)
        self._count_kind(entity.kind, 1)
        self._tree = None
        self._children[entity.id] = []
        self._parent[entity.id] = parent
        if parent is None:
            self.root = entity.id
        else:
            self._children[parent].insert(position, entity.id)
            self._renumber(parent)

    def remove_entity(self, entity_id: str, *, with_subtree: bool = False) -> None:
        """Remove an entity; its children go to its parent at its place, or go with it.

        Its functional links (and those of its subtree) are removed too.
        """
        self._require(entity_id)
        parent = self._parent[entity_id]
        if parent is None:
            raise EditRefused("L’entité de tête ne peut pas être supprimée (créez une nouvelle organisation pour repartir de zéro).")
        removed = set(self.subtree(entity_id)) if with_subtree else {entity_id}
        self._touch(removed)
        self._touch((parent,))
        position = self._children[parent].index(entity_id)
        orphans = [] if with_subtree else self._children[entity_id]
        self._children[parent][position:position + 1] = orphans
        for child in orphans:
            self._parent[child] = parent
        for node in removed:
            del self._children[node]
            del self._parent[node]
            self._count_kind(self._entities.pop(node).kind, -1)
        self._tree = None
        self.links = [l for l in self.links if l.source not in removed and l.target not in removed]
        self._renumber(parent)

    def move_entity(self, entity_id: str, new_parent: str, index: int | None = None) -> None:
        """Re-attach ``entity_id`` (with its subtree) under ``new_parent`` at ``index``; refused on a loop."""
        reason = self.move_refusal(entity_id, new_parent)
        if reason:
            raise EditRefused(reason)
        old_parent = self._parent[entity_id]
        assert old_parent is not None  # move_refusal refuses to move the head
        self._touch((entity_id, old_parent, new_parent))
        self._children[old_parent].remove(entity_id)
        siblings = self._children[new_parent]
        index = len(siblings) if index is None else max(0, min(index, len(siblings)))
        siblings.insert(index, entity_id)
        self._tree = None
        self._parent[entity_id] = new_parent
        self._renumber(old_parent)
        if new_parent != old_parent:
            self._renumber(new_parent)

    def reorder(self, entity_id: str, index: int) -> None:
        """Move an entity among its siblings."""
        parent = self.parent(entity_id)
        if parent is None:
            return
        self.move_entity(entity_id, parent, index)

    def update_entity(self, entity_id: str, **changes: object) -> EntityRecord:
        """Change fields of an entity (name, kind, attributions, head_title…); returns the new entity.

        Values are checked by the model exactly as when reading a file. ``id``, ``parent`` and
        ``order`` change only through add/move/remove.
        """
        old = self.entity(entity_id)
        forbidden = {"id", "parent", "order"} & set(changes)
        if forbidden:
            raise EditRefused(f"Le champ « {sorted(forbidden)[0]} » ne se modifie pas ainsi.")
        if changes.get("staff") and entity_id == self.root:
            raise EditRefused("L’entité de tête ne peut pas être une position d’état-major.")
        data = old.model_dump()
        data.update(changes)
        try:
            new = Entity.model_validate(data)
        except Exception as exc:  # pydantic ValidationError: turn it into a readable refusal
            from pydantic import ValidationError

            if isinstance(exc, ValidationError):
                err = exc.errors(include_url=False)[0]
                msg = err.get("ctx", {}).get("error") or err["msg"]
                raise EditRefused(f"Champ « {'.'.join(map(str, err['loc']))} » : {msg}") from None
            raise
        self._touch((entity_id,))
        record = self._entities[entity_id] = EntityRecord.from_model(new)
        if record.kind != old.kind:
            self._count_kind(old.kind, -1)
            self._count_kind(record.kind, 1)
        return record

    def rename(self, entity_id: str, name: str) -> EntityRecord:
        return self.update_entity(entity_id, name=name)

    def set_attributions(self, entity_id: str, paragraphs: Iterable[str]) -> EntityRecord:
        return self.update_entity(entity_id, attributions=list(paragraphs))

    def add_link(self, link: Link, index: int | None = None) -> None:
        for end in (link.source, link.target):
            self._require(end)
        if link.source == link.target:
            raise EditRefused("Un lien ne peut pas relier une entité à elle-même.")
        if any((l.source, l.target, l.kind) == (link.source, link.target, link.kind) for l in self.links):
            raise EditRefused("Ce lien existe déjà.")
        self.links.insert(len(self.links) if index is None else index, link)

    def remove_link(self, source: str, target: str, kind: str = "functional") -> tuple[Link, int]:
        """Remove a link; returns it and its former index (for undo)."""
        for index, link in enumerate(self.links):
            if (link.source, link.target, link.kind) == (source, target, kind):
                del self.links[index]
                return link, index
        raise EditRefused(f"Aucun lien {kind} de « {source} » vers « {target} ».")

