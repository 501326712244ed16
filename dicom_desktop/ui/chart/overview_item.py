"""The chart far out: one item draws every box as a plain rectangle (level of detail).

Below ``TEXT_LOD`` text would be unreadable and 10,000 to 100,000 box paints would cost a frame
each: this item draws the boxes of the layout (not the items: most boxes have none, see
``ChartScene``) with one ``drawRects`` call per style, the halos of the selected and marked
boxes, and the names of the upper levels on white labels.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from dicom_desktop.ui.chart.chart_items import SEARCH_COLOR, SELECTION_COLOR, EntityBoxItem, kind_paint
from dicom_desktop.ui.chart.box_rects import SharedBoxRects

LABEL_DEPTH = 3  # far out, names stay readable down to this depth (head = 0) where room allows
MAX_LABELS = 400
ELIDED_KEPT = 4000  # overview labels whose fitted text is remembered between frames


class BoxOverviewItem(QGraphicsItem):
    """Every box of the chart drawn at once when zoomed far out (level of detail).

    In overview mode the box items made so far carry ``ItemHasNoContents`` (Qt skips them when
    painting) and no other is made; this one item draws every box of the layout as a plain
    rectangle, one ``drawRects`` call per kind, plus the halos of selected and decorated boxes,
    from the scene's state (selection, search, halos by id), so a box needs no item to be drawn.
    Out of overview mode it draws nothing.
    """

    def __init__(self, scene) -> None:
        super().__init__()
        self._chart_scene = scene
        self.active = False
        self._bounds = QRectF()
        self._groups: list | None = None  # [(brush, pen, opacity, [QRectF])], rebuilt lazily
        # The rectangles by drawing style, kept between changes: a change marks only the boxes it
        # touched (``_dirty``; None: every box), and the next paint moves just those between lists.
        self._members: dict[tuple, dict[str, QRectF]] = {}  # (kind, opacity) -> {entity id: rect}
        self.box_rects = SharedBoxRects()  # the rectangles themselves, shared with the miniature
        self._dirty: set[str] | None = None
        self._elided: dict = {}  # label (depth, name, room) -> (text, width, height), across frames
        self._decorated: set = set()
        self.setZValue(-0.1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def set_bounds(self, rect: QRectF) -> None:
        if rect != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(rect)

    def invalidate(self, changed=None) -> None:
        """Box positions, sizes or styles changed: bring the rectangle lists up to date at the next
        paint — only for the entity ids in ``changed`` (moved, new, removed or redrawn boxes),
        every box when it is None."""
        self._groups = None
        self._labels = None
        if changed is None or self._dirty is None:
            self._dirty = None
        else:
            self._dirty.update(changed)
        self._decorated = {i for i in self._decorated if _alive(i)}
        if self.active:
            self.update()

    def set_active(self, active: bool) -> None:
        if active == self.active:
            return
        self.active = active
        flag = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        self.setFlag(flag, not active)
        decorated = set()
        for item in self._chart_scene.box_items().values():
            item.setFlag(flag, active or not item.revealed)  # unseen boxes stay lazy
            if item.far_halo() is not None:
                decorated.add(item)
        self._decorated = decorated
        self.update()  # the rectangle lists stay valid: they depend on geometry, not on zoom

    def box_changed(self, item: "EntityBoxItem", restyle: bool) -> None:
        """A box's decorations changed while in overview mode: repaint around it only."""
        if item.far_halo() is not None:
            self._decorated.add(item)
        else:
            self._decorated.discard(item)
        if restyle:
            self.restyled(item)
            self.update()
        else:
            m = 5.0 + 4.0 / max(self._lod, 1e-3)
            self.update(item.sceneBoundingRect().adjusted(-m, -m, m, m))

    def restyled(self, item: "EntityBoxItem") -> None:
        """``item`` changed its overview style (ghosted, dimmed): move it at the next paint."""
        self._groups = None
        if self._dirty is not None:
            self._dirty.add(item.entity_id)

    _lod = 0.1

    _labels: list | None = None  # [(depth, box rect, name, border colour)], upper levels first

    def _build_labels(self) -> list:
        """Names of the upper levels (depth ≤ LABEL_DEPTH), head first, drawn over tiny boxes."""
        scene = self._chart_scene
        graph = scene.current_graph()
        layout = scene.layout_result
        if graph is None or layout is None or graph.root is None:
            return []
        out = []
        level = [(graph.root, 0)]
        while level:
            nxt = []
            for entity_id, depth in level:
                b = layout.boxes.get(entity_id)
                if b is None:
                    continue
                entity = graph.entity(entity_id)
                out.append((depth, QRectF(b.x, b.y, b.w, b.h), entity.name, kind_paint(entity.kind)[0]))
                if depth < LABEL_DEPTH:
                    nxt.extend((c, depth + 1) for c in graph.children(entity_id))
            level = nxt
        return out

    def _paint_labels(self, painter: QPainter, exposed: QRectF) -> None:
        """Level of detail by depth: the head and the first levels keep readable names at any
        zoom, each on a white label; a deeper label that would overlap an upper one is left out."""
        if self._labels is None:
            self._labels = self._build_labels()
        elided = self._elided
        if len(elided) > ELIDED_KEPT:  # close up ``room`` varies with the zoom: keep it bounded
            elided = self._elided = {}
        if not self._labels:
            return
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        placed: list[QRectF] = []
        fonts = {}
        device = painter.device()
        window = QRectF(0, 0, device.width(), device.height())
        for depth, rect, name, border in self._labels:
            if not rect.intersects(exposed):
                continue
            font = fonts.get(depth)
            if font is None:
                font = fonts[depth] = QFont()
                font.setPixelSize(12 if depth <= 1 else 11)
                font.setBold(depth <= 1)
            screen = transform.mapRect(rect)
            if not screen.intersects(window):  # off screen: no label (it would be clamped in)
                continue
            room = max(screen.width(), 320.0 if depth <= 1 else 220.0)
            fitted = elided.get((depth, name, room))
            if fitted is None:  # far out ``room`` is a constant: the next frames reuse the text
                metrics = QFontMetricsF(font)
                text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
                fitted = elided[(depth, name, room)] = (text, metrics.horizontalAdvance(text) + 10,
                                                        metrics.height() + 4)
            text, w, h = fitted
            # Centred on its box, kept inside the window, and never above its level's row: far
            # out the levels, a few pixels apart, read as rows (head, first level, second…).
            x = min(max(screen.center().x() - w / 2, 2.0), max(2.0, device.width() - w - 2))
            y = min(max(screen.center().y() - h / 2, 4.0 + depth * (h + 6.0)), max(2.0, device.height() - h - 2))
            label = QRectF(x, y, w, h)
            if any(label.intersects(other) for other in placed):
                continue
            placed.append(label)
            painter.setPen(QPen(border, 1.2))
            painter.setBrush(QColor(255, 255, 255, 235))
            painter.drawRoundedRect(label, 3, 3)
            painter.setFont(font)
            painter.setPen(QColor("#1a1a1a"))
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)
            if len(placed) >= MAX_LABELS:
                break
        painter.restore()

    def _build_groups(self) -> list:
        scene = self._chart_scene
        items = scene.box_items()
        layout = scene.layout_result
        boxes = layout.boxes if layout is not None else {}
        graph = scene.current_graph()
        nodes = graph.entities_map() if graph is not None else {}
        search = scene.search_matches()
        members = self._members
        ids: Iterable[str]
        rect = self.box_rects.rect
        if self._dirty is None:  # every box: the plain ones in one tight loop (100,000 far out)
            members.clear()
            self.box_rects.keep_only(boxes)
            odd = []  # with an item (maybe ghosted) or dimmed by a search
            for b in boxes.values():
                entity_id = b[0]
                if entity_id in items or (search is not None and entity_id not in search):
                    odd.append(entity_id)
                    continue
                kind = nodes[entity_id].kind
                rects = members.get((kind, 1.0))
                if rects is None:
                    rects = members[(kind, 1.0)] = {}
                rects[entity_id] = rect(b)
            ids = odd
        else:
            ids = self._dirty
        for entity_id in ids:
            b = boxes.get(entity_id)  # the layout's place (the items sit there once any glide ended)
            if b is None:  # removed (or under a collapsed box): out of its style's list
                self._forget(entity_id)
                self.box_rects.forget(entity_id)
                continue
            item = items.get(entity_id)
            if item is not None:
                faded = item.far_opacity()
            else:  # no item: dimmed by the scene's search
                faded = 0.35 if search is not None and entity_id not in search else 1.0
            key = (nodes[entity_id].kind, faded)
            rects = members.get(key)
            if rects is None:
                rects = members[key] = {}
            if entity_id not in rects:  # a new box, or its style changed (most moved boxes keep it)
                self._forget(entity_id)
            rects[entity_id] = rect(b)
        self._dirty = set()
        out = []
        for (kind, faded), rects in members.items():
            if rects:
                _border, fill, _text, _pens, plain_pen = kind_paint(kind)
                out.append((fill, plain_pen, faded, list(rects.values())))
        return out

    def _forget(self, entity_id: str) -> None:
        """Take a box out of whichever style's list holds it (a handful of lists)."""
        for rects in self._members.values():
            if rects.pop(entity_id, None) is not None:
                return

    def _halos(self) -> list[tuple[QColor, QRectF]]:
        """(colour, box) of the halos to draw far out: the selection, then the search matches
        and the scene's halos of boxes without item, then the items' own decorations."""
        scene = self._chart_scene
        layout = scene.layout_result
        if layout is None:
            return []
        boxes, items = layout.boxes, scene.box_items()
        halos = [(SELECTION_COLOR, i) for i in scene.selected_ids()]
        search = scene.search_matches()
        if search is not None:
            halos += [(SEARCH_COLOR, i) for i in search if i not in items]
        halos += [(color, i) for i, color in scene.highlights().items() if i not in items]
        out = []
        for color, entity_id in halos:
            b = boxes.get(entity_id)
            if b is not None:
                out.append((color, QRectF(b.x, b.y, b.w, b.h)))
        for item in self._decorated:
            if not _alive(item):
                continue
            color = item.far_halo()
            if color is not None:
                out.append((color, item.mapRectToScene(item.rect())))
        return out

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if not self.active:
            return
        self._lod = lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        margin = 5.0 + 3.0 / max(lod, 1e-3)  # a halo stays visible (3 px) however far out
        for color, rect in self._halos():
            painter.fillRect(rect.adjusted(-margin, -margin, margin, margin), color)
        if self._groups is None:
            self._groups = self._build_groups()
        for fill, pen, faded, rects in self._groups:
            painter.setOpacity(faded)
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRects(rects)
        painter.setOpacity(1.0)
        self._paint_labels(painter, option.exposedRect)


def _alive(item) -> bool:
    try:
        return item.scene() is not None
    except RuntimeError:
        return False
