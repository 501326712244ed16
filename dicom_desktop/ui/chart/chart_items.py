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

Far out, ``overview_item.BoxOverviewItem`` draws the boxes instead.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
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
REFUSED_COLOR = QColor("#c0392b")


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

    def far_halo(self) -> QColor | None:
        """The halo drawn far out (``overview_item``): refused, else highlight, else search match."""
        if self._refused:
            return REFUSED_COLOR
        return self._highlight or (SEARCH_COLOR if self._search_match else None)

    def far_opacity(self) -> float:
        """The box's opacity far out: faded when ghosted, dimmed by a search."""
        return 0.3 if self._ghosted else 0.35 if self._dimmed else 1.0

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
            halo = REFUSED_COLOR
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
            painter.setPen(QPen(REFUSED_COLOR, 2))
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


class ConnectorsItem(QGraphicsItem):
    """Hierarchy connectors as one path: one item for many polylines.

    The scene cuts the chart's connectors into tiles (one item per tile) so that repainting a
    small region (a drop-target halo) strokes only the few polylines around it. A tile's path
    is made when it is first painted (a drop changes the tiles of ~1,500 shifted boxes, most of
    them out of sight); its bounds come from the points alone.
    """

    _PEN = None

    def __init__(self, polylines) -> None:
        super().__init__()
        self._polylines = polylines
        self._path: QPainterPath | None = None
        self._bounds = self._bounds_of(polylines)
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    @staticmethod
    def _bounds_of(polylines) -> QRectF:
        xs = [x for points in polylines for x, _y in points]
        ys = [y for points in polylines for _x, y in points]
        if not xs:
            return QRectF()
        half = 0.6  # half the pen's width
        x0, y0 = min(xs) - half, min(ys) - half
        return QRectF(x0, y0, max(xs) + half - x0, max(ys) + half - y0)

    def set_polylines(self, polylines) -> None:
        self.prepareGeometryChange()
        self._polylines = polylines
        self._path = None
        self._bounds = self._bounds_of(polylines)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def path(self) -> QPainterPath:
        if self._path is None:
            self._path = self.path_of(self._polylines)
        return self._path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if ConnectorsItem._PEN is None:
            ConnectorsItem._PEN = connector_pen()
        painter.setPen(ConnectorsItem._PEN)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())

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
