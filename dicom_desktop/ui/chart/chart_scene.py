"""The chart scene: updated in place from the document after each change.

The scene never edits the model: it reads ``doc.graph``, asks the core for box contents and the
layout, and creates lightweight items. View-only state lives here too: collapsed subtrees, the
focused branch (« Afficher uniquement cette branche ») and the orientation.

Extension points: ``item_for(id)``, ``box_items()``, ``set_highlight``/``set_badge`` (kept across
rebuilds), ``add_ghost_box`` (drawn until ``clear_ghosts``), ``entity_at(scene_pos)`` and the
``collapseToggled``/``renameRequested`` signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QToolTip

from dicom_desktop.chart.geometry import BoxMeasures, ChartGeometry, chart_geometry, measure_box, visible_children
from dicom_desktop.gcpause import gc_paused
from dicom_desktop.graph import OrgGraph
from dicom_desktop.chart.compaction import choose_compaction
from dicom_desktop.chart.incremental_layout import IncrementalLayout, LayoutDelta
from dicom_desktop.chart.layout import Layout
from dicom_desktop.chart.linkroute import route_link
from dicom_desktop.model import Entity
from dicom_desktop.ui.chart.chart_items import BoxOverviewItem, ConnectorsItem, EntityBoxItem, GhostBoxItem, LinkItem

SCENE_MARGIN = 40.0
_BY_BOUNDS = Qt.ItemSelectionMode.IntersectsItemBoundingRect
COMPACT_AUTO_MIN = 300
LINKS_SELECTION_MIN = 500  # more entities: by default only the selected entities' links are drawn
CONNECTOR_TILE = 1200.0  # points; connectors are grouped per tile of the chart  # « Disposition compacte » is on by default above this many entities


class ChartScene(QGraphicsScene):
    """Boxes, connectors and links of one organisation, plus the view state of the chart."""

    collapseToggled = Signal(str)
    renameRequested = Signal(str)
    aboutToRebuild = Signal()  # before items move (a running relayout animation must end first)
    rebuilt = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.collapsed: set[str] = set()
        self.focus: str | None = None
        self.orientation = "top-down"
        # « Disposition compacte »: True/False chosen by the user, None = automatic (large charts).
        self.compact: bool | None = None
        self.compact_level: int | None = None  # hanging-list height in use (None: classic tree)
        # « Liens de la sélection seulement »: True/False chosen by the user, None = automatic.
        self.selection_links: bool | None = None
        self._compact_key: tuple | None = None
        self.layout_result: Layout | None = None
        self._items: dict[str, EntityBoxItem] = {}
        self._placed: dict[str, tuple[float, float]] = {}  # entity id -> position given by the layout
        self._connector_tiles: dict = {}  # (column, row) -> (polylines, ConnectorsItem)
        self._tile_members: dict = {}  # (column, row) -> {child id: polyline}
        self._tile_of: dict[str, tuple[int, int]] = {}  # child id -> its connector's tile
        self._links: list[LinkItem] = []
        self.overview = BoxOverviewItem(self)
        self.addItem(self.overview)
        self.selectionChanged.connect(self._selection_repaint)
        self._highlights: dict[str, QColor] = {}
        self._badges: dict[str, tuple[str, QColor]] = {}
        self._ghosts: list[GhostBoxItem] = []
        self._search: set[str] | None = None
        self._graph: OrgGraph | None = None
        self._measures = BoxMeasures()  # box texts kept across updates (only changed entities re-measured)
        self._engine = IncrementalLayout()  # lays out again only the branches an edit reaches
        self.geometry: ChartGeometry | None = None  # what the scene shows (chart/geometry.py, as the PDF)
        self.layout_done = None  # callable run between the layout and the items (open progress)

    # ------------------------------------------------------------------ building
    def rebuild(self, graph: OrgGraph) -> None:
        """Lay out ``graph`` again and update the scene in place.

        The core layout is updated incrementally (only the branches the edit reached are laid
        out again, see ``layout.IncrementalLayout``) and tells which boxes and connectors changed:
        only those items are touched — moved boxes get ``setPos``, boxes whose drawn content
        changed repaint, added or removed entities create or delete items, the connector tiles
        holding a changed connector are redrawn — then the functional links. Without a delta (a
        new graph, another orientation) every item is checked. Selection, highlights and badges
        survive.
        """
        self.aboutToRebuild.emit()
        with gc_paused():  # many short-lived objects, no cycles: no collector pass mid-update
            self._update(graph)
        self.rebuilt.emit()

    def _update(self, graph: OrgGraph) -> None:
        # Opening a graph lays it out once, plainly (the incremental layout's kept state costs
        # time and memory, so it is built by the first edit, which then costs one full layout).
        opening = graph is not self._graph or self.layout_result is None
        if opening:
            self._engine.reset()
        self._graph = graph
        self.clear_ghosts()
        if graph.root is None:
            self._remove_boxes(list(self._items))
            self._update_connectors([])
            self._replace_links([])
            self.layout_result = None
            self.overview.set_bounds(QRectF())
            return
        self.collapsed.intersection_update(graph.entities_map())
        if self.focus is not None and self.focus not in graph:
            self.focus = None
        previous = self.layout_result
        geometry = chart_geometry(
            graph, children=visible_children(graph, self.collapsed, self.focus), orientation=self.orientation,
            compact=lambda children, sizes, staff: self._compaction(graph, children, sizes, staff),
            measures=self._measures, engine=None if opening else self._engine)
        self.geometry, self.layout_result = geometry, geometry.layout
        layout = geometry.layout
        if self.layout_done is not None:
            self.layout_done()
        delta = layout.delta
        changed = None  # the boxes whose overview rectangle may have changed (None: all)
        if delta is not None and previous is not None and delta.base is previous:
            changed = self._place_changed(graph, layout, delta)
            self._update_connectors(layout.connectors, delta)
        else:
            self._place_boxes(graph, layout, geometry)
            self._update_connectors(layout.connectors)
        self.update_links()
        self.setSceneRect(self.chart_rect().adjusted(12 - SCENE_MARGIN, 12 - SCENE_MARGIN,
                                                     SCENE_MARGIN - 12, SCENE_MARGIN - 12))
        self.overview.set_bounds(QRectF(-20, -20, layout.width + 40, layout.height + 40))
        self.overview.invalidate(changed)
        self._apply_decorations()

    def _place_boxes(self, graph: OrgGraph, layout: Layout, geometry: ChartGeometry) -> None:
        """Reuse, move, create and delete box items so they match ``layout`` exactly."""
        nodes = geometry.entities
        full = graph.children_map()
        collapsed, orientation = self.collapsed, self.orientation
        measured = geometry.contents
        old, placed = self._items, self._placed
        items: dict[str, EntityBoxItem] = {}
        new_placed: dict[str, tuple[float, float]] = {}
        add = self.addItem
        no_contents = self.lazy_contents or self.overview.active
        pop = old.pop
        unseen_moved = False  # a box not yet in sight was created or moved: maybe into sight now
        for entity_id, box in layout.boxes.items():
            entity = nodes[entity_id]
            has_children = bool(full[entity_id])
            where = (box.x, box.y)
            item = pop(entity_id, None)
            if item is None:
                is_collapsed = has_children and entity_id in collapsed
                hidden = len(graph.subtree(entity_id)) - 1 if is_collapsed else 0
                item = EntityBoxItem(entity, measured[entity_id], has_children=has_children,
                                     collapsed=is_collapsed, hidden_count=hidden, orientation=orientation)
                if no_contents:
                    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
                item.setPos(*where)
                add(item)
                unseen_moved = True
            else:
                is_collapsed = has_children and entity_id in collapsed
                if (item.entity is not entity or has_children != item.has_children or is_collapsed
                        or item.collapsed or orientation != item.orientation):
                    hidden = len(graph.subtree(entity_id)) - 1 if is_collapsed else 0
                    item.refresh_from(entity, measured[entity_id], has_children, is_collapsed, hidden,
                                      orientation)
                if placed.get(entity_id) != where:
                    item.setPos(*where)
                    unseen_moved = unseen_moved or not item.revealed
            items[entity_id] = item
            new_placed[entity_id] = where
        self._items, self._placed = items, new_placed
        self._remove_items(old.values())
        if unseen_moved:
            self.reveal_in_views()

    # ------------------------------------------------------------------ lazy contents
    # A box item paints only once it has been in sight. Until then it carries
    # ``ItemHasNoContents``: it keeps its geometry, selection and hit testing, but Qt keeps no
    # per-view paint state for it (about 1.4 KiB per item once a view has processed it), which
    # was a fifth of the editor's memory at 10,000 entities; the view reveals the boxes it is
    # about to paint (ChartView.paintEvent), the scene those that a change brought into sight.
    lazy_contents = True  # False: every box paints at once (a scene rendered without a view)

    def reveal(self, rect: QRectF | None = None, *, repaint: bool = False) -> None:
        """Let the boxes in ``rect`` (scene units; None: all) paint themselves from now on."""
        # Bounding rectangles only: no Python shape() call per box (this runs before each frame).
        found = self._items.values() if rect is None else self.items(rect, _BY_BOUNDS)
        self.reveal_items(found, repaint=repaint)

    def reveal_items(self, items, *, repaint: bool = False) -> None:
        """Reveal these boxes (the relayout animation glides them, maybe into sight)."""
        if self.overview.active:  # far out the overview draws the boxes; revealed on the way in
            return
        flag = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        for item in items:
            if type(item) is EntityBoxItem and not item.revealed:
                item.revealed = True
                item.setFlag(flag, False)
                if repaint:
                    item.update()

    def reveal_in_views(self) -> None:
        """Boxes a change brought into sight of a view paint at its next frame."""
        for view in self.views():
            viewport = view.viewport()
            self.reveal(view.mapToScene(viewport.rect()).boundingRect(), repaint=True)

    def _place_changed(self, graph: OrgGraph, layout: Layout, delta: LayoutDelta) -> set[str]:
        """Update only the items an incremental layout names (moved, new, removed boxes) and those
        whose drawing may have changed without moving: entities edited, child lists changed
        (the collapse triangle), collapsed boxes (their count of hidden entities). Returns the
        ids of every box it looked at (removed ones included)."""
        items = self._items
        self._placed = placed = dict(self._placed)  # placed_positions() of before stays as it was
        self._remove_boxes(delta.removed)
        check = set(delta.boxes)
        check.update(self._measures.stale)
        check.update(delta.relisted)
        check.update(self.collapsed)
        full = graph.children_map()
        collapsed, orientation = self.collapsed, self.orientation
        nodes, measures = self._measures.nodes, self._measures
        boxes = layout.boxes
        no_contents = self.lazy_contents or self.overview.active
        unseen_moved = False  # a box not yet in sight was created or moved: maybe into sight now
        for entity_id in check:
            box = boxes.get(entity_id)
            if box is None:
                continue  # not drawn (under a collapsed box)
            entity = nodes[entity_id]
            has_children = bool(full[entity_id])
            is_collapsed = has_children and entity_id in collapsed
            where = (box.x, box.y)
            item = items.get(entity_id)
            if item is None:
                hidden = len(graph.subtree(entity_id)) - 1 if is_collapsed else 0
                item = EntityBoxItem(entity, measures.content(entity_id), has_children=has_children,
                                     collapsed=is_collapsed, hidden_count=hidden, orientation=orientation)
                if no_contents:
                    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
                item.setPos(*where)
                self.addItem(item)
                items[entity_id] = item
                unseen_moved = True
            else:
                if (item.entity is not entity or has_children != item.has_children or is_collapsed
                        or item.collapsed or orientation != item.orientation):
                    hidden = len(graph.subtree(entity_id)) - 1 if is_collapsed else 0
                    item.refresh_from(entity, measures.content(entity_id), has_children, is_collapsed, hidden,
                                      orientation)
                if placed.get(entity_id) != where:
                    item.setPos(*where)
                    unseen_moved = unseen_moved or not item.revealed
            placed[entity_id] = where
        if unseen_moved:
            self.reveal_in_views()
        check.update(delta.removed)
        return check

    def _remove_boxes(self, ids) -> None:
        gone = [self._items.pop(i) for i in ids if i in self._items]
        for i in ids:
            self._placed.pop(i, None)
        self._remove_items(gone)

    def _remove_items(self, items) -> None:
        remove = self.removeItem
        for item in items:
            remove(item)

    def _update_connectors(self, connectors, delta: LayoutDelta | None = None) -> None:
        """Connectors in tiles of ``CONNECTOR_TILE`` points (by their first point): only the tiles
        holding a changed connector are redrawn. With ``delta``, only its connectors are regrouped."""
        size = CONNECTOR_TILE
        if delta is None:
            members: dict[tuple[int, int], dict] = {}
            tile_of: dict[str, tuple[int, int]] = {}
            for c in connectors:
                x, y = c.points[0]
                key = tile_of[c.child] = (int(x // size), int(y // size))
                tile = members.get(key)
                if tile is None:
                    members[key] = {c.child: c.points}
                else:
                    tile[c.child] = c.points
            dirty = set(members).union(self._connector_tiles)
            self._tile_members, self._tile_of = members, tile_of
        else:
            members, tile_of = self._tile_members, self._tile_of
            dirty = set()
            for child in delta.removed:
                key = tile_of.pop(child, None)
                if key is not None:
                    del members[key][child]
                    dirty.add(key)
            for c in delta.connectors:
                old = tile_of.get(c.child)
                if old is not None:
                    del members[old][c.child]
                    dirty.add(old)
                x, y = c.points[0]
                key = tile_of[c.child] = (int(x // size), int(y // size))
                members.setdefault(key, {})[c.child] = c.points
                dirty.add(key)
        tiles = self._connector_tiles
        for key in dirty:
            tile = members.get(key)
            entry = tiles.get(key)
            if not tile:
                members.pop(key, None)
                if entry is not None:
                    del tiles[key]
                    self.removeItem(entry[1])
                continue
            polylines = list(tile.values())
            if entry is None:
                item = ConnectorsItem(polylines)
                self.addItem(item)
            else:
                before, item = entry
                if before != polylines:
                    item.setPath(ConnectorsItem.path_of(polylines))
            tiles[key] = (polylines, item)

    def connector_items(self) -> list[ConnectorsItem]:
        return [item for _points, item in self._connector_tiles.values()]

    def selection_links_active(self) -> bool:
        """Whether only the selected entities' links are drawn: the user's choice, else on for
        large charts (hundreds of links across the chart are noise over the text)."""
        if self.selection_links is not None:
            return self.selection_links
        return self._graph is not None and len(self._graph) > LINKS_SELECTION_MIN

    def update_links(self) -> None:
        """Draw the functional links to show: all (routed once by the geometry, as the PDF does),
        or only the selection's, routed alone."""
        geometry = self.geometry
        if self._graph is None or geometry is None:
            self._replace_links([])
            return
        layout, items = geometry.layout, self._items
        if self.selection_links_active():
            chosen = set(self.selected_ids())
            boxes = layout.boxes
            pairs = [(l, route_link(boxes[l.source], boxes[l.target], layout)) for l in geometry.links
                     if l.source in chosen or l.target in chosen]
        else:
            pairs = list(zip(geometry.links, geometry.link_curves(), strict=True))
        links = []
        for link, curve in pairs:
            a, b = items[link.source], items[link.target]
            links.append(LinkItem(link.source, link.target, link.kind, link.label, a.sceneBoundingRect(),
                                  b.sceneBoundingRect(), curve, layout))
        self._replace_links(links)

    def _replace_links(self, links: list[LinkItem]) -> None:
        self._remove_items(self._links)
        add = self.addItem
        for link in links:
            add(link)
        self._links = links

    def link_items(self) -> list[LinkItem]:
        return list(self._links)

    def set_overview(self, active: bool) -> None:
        """Level of detail: far out, one item draws every box as a plain rectangle."""
        self.overview.set_active(active)

    def _selection_repaint(self) -> None:
        if self.overview.active:
            self.overview.update()
        if self.selection_links_active() and self._graph is not None and self._graph.links:
            shown = {(l.source, l.target) for l in self._links}
            chosen = set(self.selected_ids())
            wanted = {(l.source, l.target) for l in self._graph.links if l.source in chosen or l.target in chosen}
            if shown != wanted:
                self.update_links()

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
        """The rectangle of the drawn boxes and of the comparison's ghosts (what « Ajuster à la
        fenêtre » shows: a removed entity's ghost lies beside the chart)."""
        if self.layout_result is None:
            return QRectF()
        rect = QRectF(0, 0, self.layout_result.width, self.layout_result.height)
        for link in self._links:  # a link may run, or its label sit, in the margin
            rect = rect.united(link.sceneBoundingRect().united(link.childrenBoundingRect()))
        for ghost in self._ghosts:
            rect = rect.united(ghost.sceneBoundingRect())
        return rect.adjusted(-12, -12, 12, 12)

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

    def placed_positions(self) -> Mapping[str, tuple[float, float]]:
        """Entity id -> top-left corner given by the last layout (a new mapping after each
        rebuild: keep it to compare before and after)."""
        return self._placed

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
        content = measure_box(entity.name, entity.head_title, entity.head_name, entity.vacant)
        ghost = GhostBoxItem(entity, content, self.orientation)
        ghost.setPos(pos)
        if badge:
            ghost.set_badge(badge, color)
        self.addItem(ghost)
        self._ghosts.append(ghost)
        return ghost

    def ghosts(self) -> list[GhostBoxItem]:
        """The ghost boxes drawn now (removed entities of a comparison)."""
        return list(self._ghosts)

    def highlights(self) -> dict[str, QColor]:
        """The halo colour of each highlighted entity (the comparison's marks)."""
        return dict(self._highlights)

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
