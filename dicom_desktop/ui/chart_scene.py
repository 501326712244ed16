"""The chart scene: rebuilt from the document in one pass after each change.

The scene never edits the model: it reads ``doc.graph``, asks the core for box contents and the
layout, and creates lightweight items. View-only state lives here too: collapsed subtrees, the
focused branch (« Afficher uniquement cette branche ») and the orientation.

Extension points: ``item_for(id)``, ``box_items()``, ``set_highlight``/``set_badge`` (kept across
rebuilds), ``add_ghost_box`` (drawn until ``clear_ghosts``), ``entity_at(scene_pos)`` and the
``collapseToggled``/``renameRequested`` signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene, QToolTip

from ..boxes import BoxContent, box_content
from ..graph import OrgGraph
from ..layout import Layout, choose_compaction, compute_layout
from ..linkroute import route_link
from ..model import Entity
from .chart_items import ConnectorsItem, EntityBoxItem, GhostBoxItem, LinkItem

SCENE_MARGIN = 40.0
COMPACT_AUTO_MIN = 300  # « Disposition compacte » is on by default above this many entities


class _LazyContents(Mapping):
    """Box contents computed on demand: only the visible boxes are measured."""

    def __init__(self, graph: OrgGraph, cache: dict) -> None:
        self._nodes = graph.tree.nodes
        self._cache = cache  # (name, head_title, head_name, vacant) -> BoxContent, across rebuilds
        self.contents: dict[str, BoxContent] = {}

    def content(self, entity_id: str) -> BoxContent:
        c = self.contents.get(entity_id)
        if c is None:
            e: Entity = self._nodes[entity_id]["entity"]
            key = (e.name, e.head_title, e.head_name, e.vacant)
            c = self._cache.get(key)
            if c is None:
                c = self._cache[key] = box_content(e.name, e.head_title, e.head_name, e.vacant)
            self.contents[entity_id] = c
        return c

    def __getitem__(self, entity_id: str) -> tuple[float, float]:
        c = self.content(entity_id)
        return c.width, c.height

    def __iter__(self):
        return iter(self.contents)

    def __len__(self) -> int:
        return len(self.contents)


def visible_children(graph: OrgGraph, collapsed: set[str], focus: str | None) -> Mapping[str, list[str]]:
    """The children map the layout should see: collapsed subtrees cut, focus keeps one path."""
    base = graph.children_map()
    if not collapsed and focus is None:
        return base
    children = dict(base)
    if focus is not None and focus in graph:
        path = graph.path_from_root(focus)
        for parent, child in zip(path, path[1:]):
            children[parent] = [child]
    for entity_id in collapsed:
        if entity_id in children:
            children[entity_id] = []
    return children


class ChartScene(QGraphicsScene):
    """Boxes, connectors and links of one organisation, plus the view state of the chart."""

    collapseToggled = Signal(str)
    renameRequested = Signal(str)
    rebuilt = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.collapsed: set[str] = set()
        self.focus: str | None = None
        self.orientation = "top-down"
        # « Disposition compacte »: True/False chosen by the user, None = automatic (large charts).
        self.compact: bool | None = None
        self.compact_level: int | None = None  # hanging-list height in use (None: classic tree)
        self._compact_key: tuple | None = None
        self.layout_result: Layout | None = None
        self._items: dict[str, EntityBoxItem] = {}
        self._highlights: dict[str, QColor] = {}
        self._badges: dict[str, tuple[str, QColor]] = {}
        self._ghosts: list[GhostBoxItem] = []
        self._search: set[str] | None = None
        self._graph: OrgGraph | None = None
        self._content_cache: dict = {}

    # ------------------------------------------------------------------ building
    def rebuild(self, graph: OrgGraph) -> None:
        """Lay out and redraw everything from ``graph`` (one pass, no per-item relayout)."""
        self._graph = graph
        self._items = {}
        self._ghosts = []
        self.clear()
        if graph.root is None:
            self.layout_result = None
            self.rebuilt.emit()
            return
        self.collapsed &= set(graph.tree.nodes)
        if self.focus is not None and self.focus not in graph:
            self.focus = None
        children = visible_children(graph, self.collapsed, self.focus)
        if len(self._content_cache) > 4 * len(graph) + 1000:
            self._content_cache.clear()
        contents = _LazyContents(graph, self._content_cache)
        nodes = graph.tree.nodes
        staff = {n for n, data in nodes(data=True) if data["entity"].staff}
        level = self._compaction(graph, children, contents, staff)
        layout = compute_layout(graph.root, children, contents, staff, self.orientation, compact=level)
        self.layout_result = layout
        self.addItem(ConnectorsItem(c.points for c in layout.connectors))
        full = graph.children_map()
        add = self.addItem
        for entity_id, box in layout.boxes.items():
            kids = full[entity_id]
            is_collapsed = entity_id in self.collapsed and bool(kids)
            item = EntityBoxItem(
                nodes[entity_id]["entity"], contents.content(entity_id),
                has_children=bool(kids), collapsed=is_collapsed,
                hidden_count=len(graph.subtree(entity_id)) - 1 if is_collapsed else 0,
                orientation=self.orientation,
            )
            item.setPos(box.x, box.y)
            add(item)
            self._items[entity_id] = item
        boxes = layout.boxes
        for link in graph.links:
            a, b = self._items.get(link.source), self._items.get(link.target)
            if a is not None and b is not None and link.source != link.target:
                curve = route_link(boxes[link.source], boxes[link.target], layout)
                add(LinkItem(link.source, link.target, link.kind, link.label, a.sceneBoundingRect(),
                             b.sceneBoundingRect(), curve))
        self.setSceneRect(QRectF(-SCENE_MARGIN, -SCENE_MARGIN,
                                 layout.width + 2 * SCENE_MARGIN, layout.height + 2 * SCENE_MARGIN))
        self._apply_decorations()
        self.rebuilt.emit()

    def compact_active(self, graph: OrgGraph | None = None) -> bool:
        """Whether the compact layout applies: the user's choice, else on for large charts."""
        if self.compact is not None:
            return self.compact
        graph = graph if graph is not None else self._graph
        return graph is not None and len(graph) > COMPACT_AUTO_MIN

    def _compaction(self, graph: OrgGraph, children, sizes, staff) -> int | None:
        """The hanging-list level for a landscape chart; chosen again only when the view state
        changes or the entity count moves by more than 10 % (drags stay one layout long)."""
        if not self.compact_active(graph):
            self.compact_level, self._compact_key = None, None
            return None
        n = len(graph)
        key = (self.orientation, self.focus, frozenset(self.collapsed))
        if self._compact_key is not None:
            old_key, old_n = self._compact_key
            if old_key == key and abs(n - old_n) <= 0.1 * old_n:
                return self.compact_level
        self.compact_level = choose_compaction(graph.root, children, sizes, staff, orientation=self.orientation)
        self._compact_key = (key, n)
        return self.compact_level

    def chart_rect(self) -> QRectF:
        """The rectangle of the drawn boxes (what « Ajuster à la fenêtre » shows)."""
        if self.layout_result is None:
            return QRectF()
        return QRectF(0, 0, self.layout_result.width, self.layout_result.height).adjusted(-12, -12, 12, 12)

    def helpEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Box tooltips are built only when asked for (cheaper than 10,000 setToolTip calls)."""
        for item in self.items(event.scenePos()):
            if isinstance(item, EntityBoxItem):
                QToolTip.showText(event.screenPos(), item.tooltip_text(), event.widget())
                event.accept()
                return
        super().helpEvent(event)

    # ------------------------------------------------------------------ lookup
    def item_for(self, entity_id: str) -> EntityBoxItem | None:
        return self._items.get(entity_id)

    def box_items(self) -> dict[str, EntityBoxItem]:
        """Visible boxes by entity id (read-only)."""
        return self._items

    def entity_at(self, scene_pos: QPointF) -> str | None:
        for item in self.items(scene_pos):
            if isinstance(item, EntityBoxItem) and not isinstance(item, GhostBoxItem):
                return item.entity_id
        return None

    def selected_ids(self) -> list[str]:
        return [i.entity_id for i in self.selectedItems() if isinstance(i, EntityBoxItem)]

    def set_selected_ids(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        for item in self.selectedItems():
            if getattr(item, "entity_id", None) not in wanted:
                item.setSelected(False)
        for entity_id in wanted:
            item = self._items.get(entity_id)
            if item is not None and not item.isSelected():
                item.setSelected(True)

    # ------------------------------------------------------------------ view state
    def toggle_collapsed(self, entity_id: str) -> None:
        if entity_id in self.collapsed:
            self.collapsed.discard(entity_id)
        else:
            self.collapsed.add(entity_id)

    # ------------------------------------------------------------------ decorations
    def set_highlight(self, entity_id: str, color: QColor | str | None) -> None:
        """Halo a box in ``color`` (None removes it); kept across rebuilds."""
        if color is None:
            self._highlights.pop(entity_id, None)
        else:
            self._highlights[entity_id] = QColor(color)
        item = self._items.get(entity_id)
        if item is not None:
            item.set_highlight(self._highlights.get(entity_id))

    def set_badge(self, entity_id: str, text: str | None, color: QColor | str = "#c0392b") -> None:
        """A small badge on a box (None removes it); kept across rebuilds."""
        if text:
            self._badges[entity_id] = (text, QColor(color))
        else:
            self._badges.pop(entity_id, None)
        item = self._items.get(entity_id)
        if item is not None:
            item.set_badge(*(self._badges.get(entity_id) or (None,)))

    def clear_decorations(self) -> None:
        for entity_id in list(self._highlights):
            self.set_highlight(entity_id, None)
        for entity_id in list(self._badges):
            self.set_badge(entity_id, None)

    def add_ghost_box(self, entity: Entity, pos: QPointF, badge: str | None = None,
                      color: QColor | str = "#c0392b") -> GhostBoxItem:
        """Draw a faded, dashed box (e.g. a removed entity where it was) until clear_ghosts()."""
        content = box_content(entity.name, entity.head_title, entity.head_name, entity.vacant)
        ghost = GhostBoxItem(entity, content, self.orientation)
        ghost.setPos(pos)
        if badge:
            ghost.set_badge(badge, color)
        self.addItem(ghost)
        self._ghosts.append(ghost)
        return ghost

    def clear_ghosts(self) -> None:
        for ghost in self._ghosts:
            self.removeItem(ghost)
        self._ghosts = []

    def set_search(self, matches: set[str] | None) -> None:
        """Highlight ``matches`` and dim the other boxes; None ends the search."""
        self._search = matches
        for entity_id, item in self._items.items():
            if matches is None:
                item.set_search_state(False, False)
            else:
                hit = entity_id in matches
                item.set_search_state(hit, not hit)

    def _apply_decorations(self) -> None:
        for entity_id, color in self._highlights.items():
            if entity_id in self._items:
                self._items[entity_id].set_highlight(color)
        for entity_id, badge in self._badges.items():
            if entity_id in self._items:
                self._items[entity_id].set_badge(*badge)
        if self._search is not None:
            self.set_search(self._search)
