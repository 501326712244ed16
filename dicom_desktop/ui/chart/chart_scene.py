"""The chart scene: updated in place from the document after each change.

The scene never edits the model: it reads ``doc.graph``, asks the core for box contents and the
layout, and creates lightweight items. View-only state lives here too: collapsed subtrees, the
focused branch (« Afficher uniquement cette branche ») and the orientation.

Box items exist only for the boxes that came into sight (or that a feature asked for): the scene
keeps every box's place (``placed_positions``, ``box_rect``), a grid of them (``BoxIndex``: hit
tests, rectangles) and the selection by id (``SceneSelection``); far out, the overview item draws
every box from the layout. ``item_for(id)`` gives a drawn box's item, creating it if needed;
``existing_item(id)`` and ``box_items()`` only the items already made; ``reveal(None)`` makes
them all (a scene rendered without a view, tests).

Extension points: ``item_for(id)``, ``is_shown(id)``, ``set_highlight``/``set_badge`` (kept across
rebuilds), ``add_ghost_box`` (drawn until ``clear_ghosts``), ``entity_at(scene_pos)`` and the
``collapseToggled``/``renameRequested`` signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF, Signal
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
from dicom_desktop.ui.chart.box_index import MARGIN, BoxIndex
from dicom_desktop.ui.chart.chart_items import (
    ConnectorsItem, EntityBoxItem, GhostBoxItem, LinkItem, handle_rect_of,
)
from dicom_desktop.chart.layout_diff import delta_between
from dicom_desktop.ui.chart.overview_item import BoxOverviewItem
from dicom_desktop.ui.chart.scene_selection import SceneSelection

SCENE_MARGIN = 40.0
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
        self._items: dict[str, EntityBoxItem] = {}  # the boxes that have an item (came into sight)
        self._placed: Mapping[str, tuple[float, float]] = _Places({})  # id -> (x, y) of the layout's box
        self._index = BoxIndex()  # every drawn box, by grid cell
        self.selection = SceneSelection(self)
        self.selectionChanged.connect(self._selection_from_qt)  # first: consumers read the new set
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
        only those boxes are looked at — their existing items moved or repainted, removed
        entities' items deleted, the grid updated; items are made only for the boxes now in
        sight of a view — the connector tiles holding a changed connector are redrawn, then the
        functional links. Without a delta (a new graph, another orientation) every existing item
        is checked. Selection, highlights and badges survive.
        """
        self.aboutToRebuild.emit()
        with gc_paused(), self.selection.quiet():  # no collector pass mid-update; no echo
            self._update(graph)
        self.selection.prune()
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
            self._placed = _Places({})
            self._index.rebuild({})
            self._update_connectors([])
            self._replace_links([])
            self.layout_result = None
            self.overview.set_bounds(QRectF())
            return
        if self.collapsed:  # (intersection_update with a dict walks all its keys: 15 ms at 100,000)
            nodes = graph.entities_map()
            self.collapsed.difference_update([c for c in self.collapsed if c not in nodes])
        if self.focus is not None and self.focus not in graph:
            self.focus = None
        previous = self.layout_result
        geometry = chart_geometry(
            graph, children=visible_children(graph, self.collapsed, self.focus), orientation=self.orientation,
            compact=lambda children, sizes, staff: self._compaction(graph, children, sizes, staff),
            measures=self._measures, engine=None if opening else self._engine)
        self.geometry, self.layout_result = geometry, geometry.layout
        layout = geometry.layout
        self._placed = _Places(layout.boxes)  # the one before stays as it was (a new dict per layout)
        if self.layout_done is not None:
            self.layout_done()
        delta = layout.delta
        if delta is None and previous is not None and not opening:  # laid out whole (first edit)
            delta = layout.delta = delta_between(previous, layout)  # the miniature reads it too
        changed = None  # the boxes whose overview rectangle may have changed (None: all)
        if delta is not None and previous is not None and delta.base is previous:
            changed = self._place_changed(graph, layout, delta)
            self._update_connectors(layout.connectors, delta)
        else:
            self._place_boxes(graph, layout)
            self._update_connectors(layout.connectors)
        self.update_links()
        self.setSceneRect(self.chart_rect().adjusted(12 - SCENE_MARGIN, 12 - SCENE_MARGIN,
                                                     SCENE_MARGIN - 12, SCENE_MARGIN - 12))
        self.overview.set_bounds(QRectF(-20, -20, layout.width + 40, layout.height + 40))
        self.overview.invalidate(changed)
        self._apply_decorations()
        if not self.lazy_contents:
            self.reveal(None)
        else:
            self.reveal_in_views()

    def _place_boxes(self, graph: OrgGraph, layout: Layout) -> None:
        """A whole new layout: every box's place, the grid again; the existing items are moved
        (or refreshed, or deleted with their box), no item is created here."""
        boxes = layout.boxes
        self._index.rebuild(boxes)
        gone = [entity_id for entity_id in self._items if entity_id not in boxes]
        self._remove_boxes(gone)
        self._refresh_items(graph, list(self._items), boxes)

    def _refresh_items(self, graph: OrgGraph, ids, boxes) -> None:
        """Bring these boxes' existing items up to date: place, texts, tree flags."""
        items, measures = self._items, self._measures
        nodes = measures.nodes
        full = graph.children_map()
        collapsed, orientation = self.collapsed, self.orientation
        for entity_id in ids:
            item = items.get(entity_id)
            box = boxes.get(entity_id)
            if item is None or box is None:
                continue
            entity = nodes[entity_id]
            has_children = bool(full[entity_id])
            is_collapsed = has_children and entity_id in collapsed
            if (item.entity is not entity or has_children != item.has_children or is_collapsed
                    or item.collapsed or orientation != item.orientation):
                hidden = len(graph.subtree(entity_id)) - 1 if is_collapsed else 0
                item.refresh_from(entity, measures.content(entity_id), has_children, is_collapsed, hidden,
                                  orientation)
            where = QPointF(box.x, box.y)
            if item.pos() != where:
                item.setPos(where)

    # ------------------------------------------------------------------ items in sight only
    # A box gets its Qt item when it first comes into sight (``reveal``, run by the view before
    # each frame) or when a feature asks for it (``item_for``); an item once made stays. An
    # item made out of sight carries ``ItemHasNoContents`` until it is in sight: Qt keeps no
    # per-view paint state for it. Far out (overview) no item is made for the frame: the
    # overview item draws every box from the layout.
    lazy_contents = True  # False: every box gets an item that paints at once (rendered without a view)

    def reveal(self, rect: QRectF | None = None, *, repaint: bool = False) -> None:
        """Make the items of the boxes in ``rect`` (scene units; None: every box) and let them
        paint from now on (far out, only ``None`` makes items: the overview draws the boxes)."""
        index = self._index
        if rect is None:
            ids = list(self._placed)
            pending = None
        else:
            if self.overview.active:  # far out the overview draws the boxes; revealed on the way in
                return
            pending = index.cells_in(rect.left(), rect.top(), rect.right(), rect.bottom())
            pending = [k for k in pending if k in index.pending]
            if not pending:
                return
            ids = index.ids_in_cells(pending)
        shown = not self.overview.active
        items = self._items
        made = []
        for entity_id in ids:
            item = items.get(entity_id)
            if item is None:
                made.append(entity_id)
            elif shown and not item.revealed:
                self._reveal_item(item, repaint)
        if made:
            self._create_items(made, revealed=shown)
        if shown:
            index.pending.difference_update(pending if pending is not None else list(index.pending))

    def _reveal_item(self, item: EntityBoxItem, repaint: bool) -> None:
        item.revealed = True
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, False)
        if repaint:
            item.update()

    def reveal_items(self, items, *, repaint: bool = False) -> None:
        """Reveal these boxes (the relayout animation glides them, maybe into sight)."""
        if self.overview.active:  # far out the overview draws the boxes; revealed on the way in
            return
        for item in items:
            if type(item) is EntityBoxItem and not item.revealed:
                self._reveal_item(item, repaint)

    def reveal_in_views(self) -> None:
        """Boxes a change brought into sight of a view paint at its next frame."""
        for view in self.views():
            viewport = view.viewport()
            self.reveal(view.mapToScene(viewport.rect()).boundingRect(), repaint=True)

    def ensure_items_in(self, rect: QRectF) -> None:
        """Make the items of the boxes meeting ``rect`` (a rubber band selects among items)."""
        boxes = self.layout_result.boxes if self.layout_result is not None else {}
        self._create_items([i for i in self.boxes_in(rect) if i not in self._items and i in boxes],
                           revealed=False)

    def _create_items(self, ids, revealed: bool) -> None:
        """Make the items of these drawn boxes with the scene's state: place, texts, tree flags,
        selection, halos, badges, search marks."""
        graph, layout = self._graph, self.layout_result
        if graph is None or layout is None:
            return
        boxes, measures = layout.boxes, self._measures
        nodes = measures.nodes
        full = graph.children_map()
        collapsed, orientation = self.collapsed, self.orientation
        items, add = self._items, self.addItem
        highlights, badges, search = self._highlights, self._badges, self._search
        selected = self.selection.ids
        no_contents = not revealed or self.overview.active
        flag = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        with self.selection.quiet():
            for entity_id in ids:
                box = boxes[entity_id]
                has_children = bool(full[entity_id])
                is_collapsed = has_children and entity_id in collapsed
                hidden = len(graph.subtree(entity_id)) - 1 if is_collapsed else 0
                item = EntityBoxItem(nodes[entity_id], measures.content(entity_id), has_children=has_children,
                                     collapsed=is_collapsed, hidden_count=hidden, orientation=orientation)
                if no_contents:
                    item.setFlag(flag, True)
                else:
                    item.revealed = True
                item.setPos(box.x, box.y)
                if entity_id in highlights:
                    item.set_highlight(highlights[entity_id])
                if entity_id in badges:
                    item.set_badge(*badges[entity_id])
                if search is not None:
                    hit = entity_id in search
                    item.set_search_state(hit, not hit)
                add(item)
                items[entity_id] = item
                if entity_id in selected:
                    item.setSelected(True)

    def _place_changed(self, graph: OrgGraph, layout: Layout, delta: LayoutDelta) -> set[str]:
        """Update only the boxes an incremental layout names (moved, new, removed boxes) and those
        whose drawing may have changed without moving: entities edited, child lists changed
        (the collapse triangle), collapsed boxes (their count of hidden entities). Only their
        existing items are touched; the grid follows the boxes that moved. Returns the ids of
        every box it looked at (removed ones included)."""
        self._remove_boxes(delta.removed)
        items = self._items
        self._index.update(delta.removed, delta.base.boxes, {}, bool)
        check = set(delta.boxes)
        check.update(self._measures.stale)
        check.update(delta.relisted)
        check.update(self.collapsed)
        boxes = layout.boxes
        self._index.update(check, delta.base.boxes, boxes, lambda i: i in items and items[i].revealed)
        self._refresh_items(graph, [i for i in check if i in items], boxes)
        check.update(delta.removed)
        return check

    def _remove_boxes(self, ids) -> None:
        gone = [self._items.pop(i) for i in ids if i in self._items]
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
            keys: dict[tuple[int, int], tuple[int, int]] = {}  # one key tuple per tile, not per box
            first = key = None
            for c in connectors:
                if c.points[0] is not first:  # siblings share their parent's first point
                    first = c.points[0]
                    x, y = first
                    key = (int(x // size), int(y // size))
                    key = keys.setdefault(key, key)
                tile_of[c.child] = key
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
                    item.set_polylines(polylines)
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
        layout = geometry.layout
        if self.selection_links_active():
            chosen = set(self.selected_ids())
            boxes = layout.boxes
            pairs = [(l, route_link(boxes[l.source], boxes[l.target], layout)) for l in geometry.links
                     if l.source in chosen or l.target in chosen]
        else:
            pairs = list(zip(geometry.links, geometry.link_curves(), strict=True))
        links = []
        rect = self.box_rect
        for link, curve in pairs:
            a = rect(link.source).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)  # as the items' bounds
            b = rect(link.target).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
            links.append(LinkItem(link.source, link.target, link.kind, link.label, a, b, curve, layout))
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

    def _selection_from_qt(self) -> None:
        self.selection.follow_qt()

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

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Far out boxes have no item: the one under the pointer gets its item before Qt looks
        for the item to select (a click selects it, Ctrl + click toggles it)."""
        self._item_under(event.scenePos())
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._item_under(event.scenePos())
        super().mouseDoubleClickEvent(event)

    def _item_under(self, scene_pos: QPointF) -> None:
        entity_id = self.entity_at(scene_pos)
        if entity_id is not None and entity_id not in self._items:
            self.item_for(entity_id)

    def helpEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Box tooltips are built only when asked for (cheaper than 10,000 setToolTip calls)."""
        pos = event.scenePos()
        entity_id = self.entity_at(pos)
        item = self.item_for(entity_id) if entity_id is not None else None
        if item is None:  # a comparison's ghost (a removed entity) has its tooltip too
            item = next((g for g in self._ghosts if g.mapRectToScene(g.rect()).contains(pos)), None)
        if item is not None:
            QToolTip.showText(event.screenPos(), item.tooltip_text(), event.widget())
            event.accept()
            return
        super().helpEvent(event)

    # ------------------------------------------------------------------ lookup
    def item_for(self, entity_id: str) -> EntityBoxItem | None:
        """The item of a drawn box, made now if it has none yet (None: the box is not drawn —
        under a collapsed box, outside the focused branch, or no such entity)."""
        item = self._items.get(entity_id)
        if item is None and entity_id in self._placed:
            self._create_items([entity_id], revealed=False)
            item = self._items.get(entity_id)
        return item

    def existing_item(self, entity_id: str) -> EntityBoxItem | None:
        """The box's item if one was made (in sight once, or asked for), without making one."""
        return self._items.get(entity_id)

    def is_shown(self, entity_id: str) -> bool:
        """Whether the box is drawn (item or not): not folded away, not outside the focus."""
        return entity_id in self._placed

    def box_rect(self, entity_id: str) -> QRectF:
        """The box in scene coordinates, as the layout placed it (empty: not drawn)."""
        layout = self.layout_result
        b = layout.boxes.get(entity_id) if layout is not None else None
        return QRectF(b.x, b.y, b.w, b.h) if b is not None else QRectF()

    def current_graph(self) -> OrgGraph | None:
        """The graph drawn (None before the first rebuild)."""
        return self._graph

    def search_matches(self) -> set[str] | None:
        """The search's matches (None: no search; the other boxes are dimmed)."""
        return self._search

    def placed_positions(self) -> Mapping[str, tuple[float, float]]:
        """Entity id -> top-left corner given by the last layout, for every drawn box (a new
        mapping after each rebuild: keep it to compare before and after; read from the layout's
        boxes, not copied)."""
        return self._placed

    def box_items(self) -> dict[str, EntityBoxItem]:
        """The items made so far, by entity id (read-only; ``reveal(None)`` makes them all)."""
        return self._items

    def boxes_in(self, rect: QRectF) -> list[str]:
        """The drawn boxes whose rectangle meets ``rect`` (scene coordinates)."""
        layout = self.layout_result
        if layout is None or rect.isEmpty():
            return []
        index = self._index
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        boxes = layout.boxes
        return [i for i in index.ids_in_cells(index.cells_in(left, top, right, bottom))
                if (b := boxes[i]).x < right and b.x + b.w > left and b.y < bottom and b.y + b.h > top]

    def box_at(self, scene_pos: QPointF) -> str | None:
        """The box whose rectangle holds ``scene_pos`` (the collapse handle not included)."""
        layout = self.layout_result
        if layout is None:
            return None
        x, y = scene_pos.x(), scene_pos.y()
        boxes = layout.boxes
        for entity_id in self._index.near(x, y):
            b = boxes[entity_id]
            if b.x <= x <= b.x + b.w and b.y <= y <= b.y + b.h:
                return entity_id
        return None

    def entity_at(self, scene_pos: QPointF) -> str | None:
        """The box under ``scene_pos``: its rectangle or its collapse handle."""
        found = self.box_at(scene_pos)
        if found is not None or self._graph is None:
            return found
        full = self._graph.children_map()
        boxes = self.layout_result.boxes
        for entity_id in self._index.near(scene_pos.x(), scene_pos.y()):
            b = boxes[entity_id]
            if full.get(entity_id) and handle_rect_of(QRectF(b.x, b.y, b.w, b.h), self.orientation).contains(scene_pos):
                return entity_id
        return None

    def selected_ids(self) -> list[str]:
        """The selected boxes, with an item or not."""
        return list(self.selection.ids)

    def set_selected_ids(self, ids: Iterable[str]) -> None:
        self.selection.set(ids)

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
        elif self.overview.active:  # far out the overview draws the halo of a box without item
            self.overview.update()

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
        before, self._search = self._search, matches
        for entity_id, item in self._items.items():
            if matches is None:
                item.set_search_state(False, False)
            else:
                hit = entity_id in matches
                item.set_search_state(hit, not hit)
        if before is None or matches is None:  # every box dimmed or lit again
            if before is not matches:
                self.overview.invalidate(None)
        elif before != matches:
            self.overview.invalidate(before ^ matches)

    def _apply_decorations(self) -> None:
        for entity_id, color in self._highlights.items():
            if entity_id in self._items:
                self._items[entity_id].set_highlight(color)
        for entity_id, badge in self._badges.items():
            if entity_id in self._items:
                self._items[entity_id].set_badge(*badge)
        if self._search is not None:
            self.set_search(self._search)


class _Places(Mapping):
    """``{id: (x, y)}`` read from a layout's boxes (no copy kept per box: 100,000 boxes)."""

    __slots__ = ("_boxes",)

    def __init__(self, boxes: Mapping) -> None:
        self._boxes = boxes

    def __getitem__(self, entity_id: str) -> tuple[float, float]:
        box = self._boxes[entity_id]
        return (box.x, box.y)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._boxes

    def __iter__(self):
        return iter(self._boxes)

    def __len__(self) -> int:
        return len(self._boxes)
