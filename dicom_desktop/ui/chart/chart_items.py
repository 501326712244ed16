"""Lightweight graphics items of the chart: entity boxes, hierarchy connectors, functional links.

A box draws exactly the lines :mod:`dicom_desktop.chart.boxes` computed (same wrapping, same sizes as the
PDF), centred with the TTF widths of :mod:`dicom_desktop.chart.textmetrics`. Scene units are points.
Items are cheap (no child items, device-coordinate cache, no text when zoomed far out) so that a
10,000-box chart builds in one pass.

Extension points (for reorganisation simulations and comparisons):
- ``EntityBoxItem.set_highlight(color)``: a coloured halo (drop target, changed box…);
- ``EntityBoxItem.set_badge(text, color)``: a small round badge at the top-right corner;
- ``EntityBoxItem.set_ghosted(True)`` or :class:`GhostBoxItem`: a box drawn faded and dashed;
- ``EntityBoxItem.set_refused(True)``: a red, crossed halo (invalid drop target).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QGraphicsSimpleTextItem, QStyle,
    QStyleOptionGraphicsItem,
)

from dicom_desktop.chart.boxes import BoxContent, head_label, text_lines
from dicom_desktop.comparison.change_styles import SELECTION_HEX
from dicom_desktop.kinds import style_for
from dicom_desktop.chart.linkroute import LABEL_SIZE, label_block, place_label
from dicom_desktop.model import Entity
from dicom_desktop.chart.textmetrics import text_width
from dicom_desktop.wording import plural

HANDLE_SIZE = 11.0
SELECTION_COLOR = QColor(SELECTION_HEX)
SEARCH_COLOR = QColor("#f2c200")
CONNECTOR_COLOR = QColor("#55657a")
LINK_COLOR = QColor("#7a4d9c")
LABEL_DEPTH = 3  # far out, names stay readable down to this depth (head = 0) where room allows
MAX_LABELS = 400
ELIDED_KEPT = 4000  # overview labels whose fitted text is remembered between frames
TEXT_LOD = 0.32  # below this zoom the text would be unreadable: draw plain boxes
_FONT_PIXELS = 100  # text is drawn with a 100 px font scaled down: exact fractional sizes


@lru_cache(maxsize=8)
def scaled_font(weight: str) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(_FONT_PIXELS)
    font.setBold(weight == "bold")
    font.setKerning(False)  # ReportLab and textmetrics ignore kerning too
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


_LINES: dict[int, tuple[BoxContent, list]] = {}


def lines_of(content: BoxContent) -> list:
    """``boxes.text_lines(content)``, computed once per shared content (not per paint)."""
    entry = _LINES.get(id(content))
    if entry is None or entry[0] is not content:
        if len(_LINES) > 50_000:
            _LINES.clear()
        entry = _LINES[id(content)] = (content, text_lines(content))
    return entry[1]


def draw_text_line(painter: QPainter, text: str, weight: str, size: float, centre_x: float, baseline: float) -> None:
    """Draw ``text`` centred on ``centre_x`` at an exact point size (same widths as the PDF)."""
    scale = size / _FONT_PIXELS
    width = text_width(text, weight, size)
    painter.save()
    painter.translate(centre_x - width / 2, baseline)
    painter.scale(scale, scale)
    painter.setFont(scaled_font(weight))
    painter.drawText(QPointF(0, 0), text)
    painter.restore()


@lru_cache(maxsize=64)
def kind_paint(kind: str) -> tuple:
    """Shared pens, brushes and colours of one kind (built once, not per paint or per item)."""
    style = style_for(kind)
    border = QColor(style.border)
    pens = {}
    for selected in (False, True):
        for dashed in (False, True):
            pen = QPen(border, 2.2 if selected else 1.2)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            pens[selected, dashed] = pen
    overview_pen = QPen(border, 0)  # cosmetic hairline: visible at any zoom, cheapest to draw
    return border, QBrush(QColor(style.fill)), QColor(style.text), pens, overview_pen


# Every box's bounding rect = its box grown by half this pen's width, computed by Qt in C++
# (halo 5 pt, handle 6.5 pt, badge 8 pt): no Python boundingRect() call for the scene index.
_BOUNDS_PEN = QPen(Qt.GlobalColor.transparent, 16.0)
_REFUSED_COLOR = QColor("#c0392b")


def handle_rect_of(box: QRectF, orientation: str) -> QRectF:
    """A box's collapse/expand handle, straddling the edge where the children hang."""
    s = HANDLE_SIZE
    if orientation == "left-right":
        return QRectF(box.right() - s / 2, box.center().y() - s / 2, s, s)
    return QRectF(box.center().x() - s / 2, box.bottom() - s / 2, s, s)


class EntityBoxItem(QGraphicsRectItem):
    """One entity's box: fill and border by kind, name in bold, head line below.

    Slim on purpose (10,000 boxes): geometry lives in the C++ rect, the wrapped lines are the
    shared :class:`BoxContent` of the scene's content cache, decorations default to class
    attributes so an undecorated box stores only its entity, content and tree flags.
    """

    # Decoration defaults (class attributes: set on the instance only when used).
    _highlight: QColor | None = None
    _badge: tuple[str, QColor] | None = None
    _ghosted = False
    _refused = False
    _search_match = False
    _dimmed = False
    revealed = False  # painted at least once in sight (see ChartScene.reveal)
    has_children = False
    collapsed = False
    hidden_count = 0
    orientation = "top-down"

    def __init__(self, entity: Entity, content: BoxContent, *, has_children: bool = False,
                 collapsed: bool = False, hidden_count: int = 0, orientation: str = "top-down") -> None:
        super().__init__(0.0, 0.0, content.width, content.height)
        self.entity_id = entity.id
        self.entity = entity
        self.content = content
        if has_children:
            self.has_children = True
        if collapsed:
            self.collapsed = True
        if hidden_count:
            self.hidden_count = hidden_count
        if orientation != "top-down":
            self.orientation = orientation
        self.setPen(_BOUNDS_PEN)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        # No cache mode (a pixmap per box costs memory and is redrawn at every zoom), no
        # setToolTip (ChartScene.helpEvent asks tooltip_text() lazily).

    def refresh_from(self, entity: Entity, content: BoxContent, has_children: bool, collapsed: bool,
                     hidden_count: int, orientation: str) -> bool:
        """Take the entity's current state; repaint only when what is drawn changed."""
        old = self.entity
        changed = (content is not self.content or has_children != self.has_children
                   or collapsed != self.collapsed or hidden_count != self.hidden_count
                   or orientation != self.orientation or old.kind != entity.kind
                   or old.vacant != entity.vacant or old.staff != entity.staff)
        self.entity = entity
        if not changed:
            return False
        if content is not self.content:
            self.content = content
            if content.width != self.rect().width() or content.height != self.rect().height():
                self.setRect(0.0, 0.0, content.width, content.height)
        self.has_children, self.collapsed = has_children, collapsed
        self.hidden_count, self.orientation = hidden_count, orientation
        self._refresh()
        return True

    # ------------------------------------------------------------------ geometry
    def box_rect(self) -> QRectF:
        """The box itself, in item coordinates (the bounding rect adds halo and handle)."""
        return self.rect()

    def handle_rect(self) -> QRectF:
        """The collapse/expand handle, straddling the edge where the children hang."""
        return handle_rect_of(self.rect(), self.orientation)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.rect())
        if self.has_children:
            path.addEllipse(self.handle_rect())
        return path

    def _badge_rect(self) -> QRectF:
        text = self._badge[0] if self._badge else ""
        w = max(14.0, text_width(text, "bold", 7.0) + 8.0)
        r = self.rect()
        return QRectF(r.right() - w + 4, r.top() - 7, w, 14)

    # ------------------------------------------------------------------ decorations
    def set_highlight(self, color: QColor | str | None) -> None:
        self._highlight = QColor(color) if color is not None else None
        self._refresh()

    def set_badge(self, text: str | None, color: QColor | str = "#c0392b") -> None:
        self._badge = (text, QColor(color)) if text else None
        self._refresh()

    def set_ghosted(self, ghosted: bool) -> None:
        self._ghosted = ghosted
        self._refresh(restyle=True)

    def set_refused(self, refused: bool) -> None:
        self._refused = refused
        self._refresh()

    def set_search_state(self, match: bool, dimmed: bool) -> None:
        if (match, dimmed) != (self._search_match, self._dimmed):
            self._search_match, self._dimmed = match, dimmed
            self._refresh(restyle=True)

    @property
    def search_match(self) -> bool:
        return self._search_match

    @property
    def dimmed(self) -> bool:
        return self._dimmed

    def _refresh(self, restyle: bool = False) -> None:
        """Repaint this box only; in the scene's overview mode the overview item draws it."""
        scene = self.scene()
        overview = getattr(scene, "overview", None)
        if overview is not None and overview.active:
            overview.box_changed(self, restyle)
        else:
            if restyle and overview is not None:  # its overview rectangle follows when shown
                overview.restyled(self)
            self.update()

    def tooltip_text(self) -> str:
        e = self.entity
        parts = [f"<b>{_escape(e.name)}</b>", _escape(e.kind)]
        head = head_label(e.head_title, e.head_name, e.vacant)  # a vacant post shows no name
        if head:
            parts.append(_escape(head))
        if self.collapsed and self.hidden_count:
            parts.append(plural(self.hidden_count, "entité repliée", "entités repliées"))
        return "<br>".join(parts)

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if (self.has_children and event.button() == Qt.MouseButton.LeftButton
                and self.handle_rect().contains(event.pos())):
            event.accept()
            self.scene().collapseToggled.emit(self.entity_id)
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.has_children and self.handle_rect().contains(event.pos()):
            event.accept()
            return
        event.accept()
        self.scene().renameRequested.emit(self.entity_id)

    # ------------------------------------------------------------------ painting
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        border, fill, text_color, pens, plain_pen = kind_paint(self.entity.kind)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = self.rect()
        if self._dimmed or self._ghosted:
            painter.setOpacity(0.3 if self._ghosted else 0.35)
        # Halo: selection first, then the caller's highlight, then the search match.
        halo = SELECTION_COLOR if selected else self._highlight or (SEARCH_COLOR if self._search_match else None)
        if self._refused:
            halo = _REFUSED_COLOR
        if lod < TEXT_LOD:
            # Level of detail: text would be unreadable; a plain filled rectangle (and its halo).
            if halo is not None:
                painter.fillRect(rect.adjusted(-5, -5, 5, 5), halo)
            painter.setPen(plain_pen)
            painter.setBrush(fill)
            painter.drawRect(rect)
            painter.setOpacity(1.0)
            return
        if halo is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(halo.red(), halo.green(), halo.blue(), 110))
            painter.drawRoundedRect(rect.adjusted(-5, -5, 5, 5), 6, 6)
        painter.setPen(pens[selected, self.entity.vacant or self._ghosted])
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        if self.entity.staff:
            # Staff positions: a thin inner band on the left, as on printed organigrammes.
            painter.fillRect(QRectF(rect.left() + 1, rect.top() + 1, 3, rect.height() - 2), border)
        painter.setPen(text_color)
        cx = rect.center().x()
        top = rect.top()
        for line in lines_of(self.content):
            draw_text_line(painter, line.text, line.font, line.size, cx, top + line.baseline)
        if self._refused:
            painter.setPen(QPen(_REFUSED_COLOR, 2))
            painter.drawLine(rect.topLeft(), rect.bottomRight())
            painter.drawLine(rect.topRight(), rect.bottomLeft())
        painter.setOpacity(1.0)
        if self.has_children:
            self._paint_handle(painter, border)
        if self._badge:
            self._paint_badge(painter)

    def _paint_handle(self, painter: QPainter, border: QColor) -> None:
        h = self.handle_rect()
        painter.setPen(QPen(border, 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(h)
        c = h.center()
        d = h.width() * 0.28
        painter.setPen(QPen(QColor("#1a1a1a"), 1.3))
        painter.drawLine(QPointF(c.x() - d, c.y()), QPointF(c.x() + d, c.y()))
        if self.collapsed:
            painter.drawLine(QPointF(c.x(), c.y() - d), QPointF(c.x(), c.y() + d))

    def _paint_badge(self, painter: QPainter) -> None:
        text, color = self._badge
        r = self._badge_rect()
        painter.setPen(QPen(QColor("#ffffff"), 1))
        painter.setBrush(color)
        painter.drawRoundedRect(r, 7, 7)
        painter.setPen(QColor("#ffffff"))
        draw_text_line(painter, text, "bold", 7.0, r.center().x(), r.center().y() + 2.5)


class GhostBoxItem(EntityBoxItem):
    """A box that is not in the current organisation (a removed entity in a comparison)."""

    def __init__(self, entity: Entity, content: BoxContent, orientation: str = "top-down") -> None:
        super().__init__(entity, content, orientation=orientation)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.set_ghosted(True)
        self.setZValue(-0.2)


def connector_pen() -> QPen:
    pen = QPen(CONNECTOR_COLOR, 1.2)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


class ConnectorsItem(QGraphicsPathItem):
    """Hierarchy connectors as one path: one item for many polylines.

    The scene cuts the chart's connectors into tiles (one item per tile) so that repainting a
    small region (a drop-target halo) strokes only the few polylines around it.
    """

    def __init__(self, polylines) -> None:
        super().__init__(self.path_of(polylines))
        self.setPen(connector_pen())
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    @staticmethod
    def path_of(polylines) -> QPainterPath:
        path = QPainterPath()
        move, line = path.moveTo, path.lineTo
        for points in polylines:
            (x0, y0), *rest = points
            move(x0, y0)
            for x, y in rest:
                line(x, y)
        return path


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
        self._key_of: dict[str, tuple] = {}
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
            if item._highlight is not None or item._refused or item._search_match:
                decorated.add(item)
        self._decorated = decorated
        self.update()  # the rectangle lists stay valid: they depend on geometry, not on zoom

    def box_changed(self, item: "EntityBoxItem", restyle: bool) -> None:
        """A box's decorations changed while in overview mode: repaint around it only."""
        if item._highlight is not None or item._refused or item._badge or item._search_match:
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
        graph = getattr(scene, "_graph", None)
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
        graph = scene._graph
        nodes = graph.entities_map() if graph is not None else {}
        search = scene._search
        members, key_of = self._members, self._key_of
        if self._dirty is None:  # every box
            members.clear()
            key_of.clear()
            ids = boxes
        else:
            ids = self._dirty
        for entity_id in ids:
            old = key_of.get(entity_id)
            if entity_id not in boxes:  # removed (or under a collapsed box)
                if old is not None:
                    del members[old][entity_id], key_of[entity_id]
                continue
            item = items.get(entity_id)
            if item is not None:
                faded = 0.3 if item._ghosted else 0.35 if item._dimmed else 1.0
            else:  # no item: dimmed by the scene's search
                faded = 0.35 if search is not None and entity_id not in search else 1.0
            key = (nodes[entity_id].kind, faded)
            if key != old:
                if old is not None:
                    del members[old][entity_id]
                key_of[entity_id] = key
            rects = members.get(key)
            if rects is None:
                rects = members[key] = {}
            b = boxes[entity_id]  # the layout's place (the items sit there once any glide ended)
            rects[entity_id] = QRectF(b.x, b.y, b.w, b.h)
        self._dirty = set()
        out = []
        for (kind, faded), rects in members.items():
            if rects:
                _border, fill, _text, _pens, plain_pen = kind_paint(kind)
                out.append((fill, plain_pen, faded, list(rects.values())))
        return out

    def _halos(self) -> list[tuple[QColor, QRectF]]:
        """(colour, box) of the halos to draw far out: the selection, then the search matches
        and the scene's halos of boxes without item, then the items' own decorations."""
        scene = self._chart_scene
        layout = scene.layout_result
        if layout is None:
            return []
        boxes, items = layout.boxes, scene.box_items()
        halos = [(SELECTION_COLOR, i) for i in scene.selected_ids()]
        if scene._search is not None:
            halos += [(SEARCH_COLOR, i) for i in scene._search if i not in items]
        halos += [(color, i) for i, color in scene.highlights().items() if i not in items]
        out = []
        for color, entity_id in halos:
            b = boxes.get(entity_id)
            if b is not None:
                out.append((color, QRectF(b.x, b.y, b.w, b.h)))
        for item in self._decorated:
            if not _alive(item):
                continue
            color = _REFUSED_COLOR if item._refused else item._highlight or (
                SEARCH_COLOR if item._search_match else None)
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


class LinkItem(QGraphicsPathItem):
    """A functional link, dotted, from border to border of the two boxes (routed by the core),
    with its label, if any, on a white ground at the middle of its longest piece."""

    def __init__(self, source: str, target: str, kind: str, label: str, a: QRectF, b: QRectF,
                 curve=None, layout=None) -> None:
        """``curve`` = the core's ``route_link`` poly-Bézier (p0, then c1, c2, p per piece);
        else a straight line. ``layout`` lets the label avoid the boxes."""
        super().__init__()
        self.source, self.target, self.kind, self.label = source, target, kind, label
        self.curve = curve
        if curve is not None:
            path = QPainterPath(QPointF(*curve[0]))
            for k in range(1, len(curve) - 2, 3):
                (x1, y1), (x2, y2), (x3, y3) = curve[k:k + 3]
                path.cubicTo(x1, y1, x2, y2, x3, y3)
        else:
            path = QPainterPath(_border_point(a, b.center()))
            path.lineTo(_border_point(b, a.center()))
        self.setPath(path)
        pen = QPen(LINK_COLOR, 1.4, Qt.PenStyle.DotLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        self.setZValue(-0.5)
        self.setToolTip(f"Lien fonctionnel{' : ' + label if label else ''}")
        self.label_item: QGraphicsSimpleTextItem | None = None
        if label and curve is not None:
            self.label_item = _link_label(self, label, curve, layout)


def _link_label(parent: QGraphicsPathItem, label: str, curve, layout) -> QGraphicsSimpleTextItem:
    """The label's lines as the core wraps and places them (``linkroute``), on a white ground."""
    lines, width, height = label_block(label)
    x, y = place_label(curve, width, height, layout)
    ground = QGraphicsRectItem(QRectF(x, y, width, height), parent)
    ground.setBrush(QColor(255, 255, 255, 235))
    ground.setPen(QPen(Qt.PenStyle.NoPen))
    text = QGraphicsSimpleTextItem("\n".join(lines), parent)
    text.setFont(scaled_font("regular"))
    text.setScale(LABEL_SIZE / _FONT_PIXELS)
    text.setBrush(LINK_COLOR)
    text.setPos(x + 1, y)
    return text


def _border_point(rect: QRectF, towards: QPointF) -> QPointF:
    """Where the segment from ``rect``'s centre to ``towards`` leaves the rectangle."""
    c = rect.center()
    dx, dy = towards.x() - c.x(), towards.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    tx = (rect.width() / 2) / abs(dx) if dx else float("inf")
    ty = (rect.height() / 2) / abs(dy) if dy else float("inf")
    t = min(tx, ty, 1.0)
    return QPointF(c.x() + dx * t, c.y() + dy * t)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
