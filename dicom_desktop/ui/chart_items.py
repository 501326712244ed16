"""Lightweight graphics items of the chart: entity boxes, hierarchy connectors, functional links.

A box draws exactly the lines :mod:`dicom_desktop.boxes` computed (same wrapping, same sizes as the
PDF), centred with the TTF widths of :mod:`dicom_desktop.textmetrics`. Scene units are points.
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
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyle, QStyleOptionGraphicsItem

from ..boxes import BoxContent, text_lines
from ..kinds import style_for
from ..model import Entity
from ..textmetrics import text_width

ENTITY_ID_ROLE = 0  # QGraphicsItem.data key holding the entity id
HANDLE_SIZE = 11.0
SELECTION_COLOR = QColor("#e07b00")
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


class EntityBoxItem(QGraphicsItem):
    """One entity's box: fill and border by kind, name in bold, head line below."""

    def __init__(self, entity: Entity, content: BoxContent, *, has_children: bool = False,
                 collapsed: bool = False, hidden_count: int = 0, orientation: str = "top-down") -> None:
        super().__init__()
        self.entity_id = entity.id
        self.entity = entity
        self.content = content
        self.has_children = has_children
        self.collapsed = collapsed
        self.hidden_count = hidden_count
        self.orientation = orientation
        self._rect = QRectF(0, 0, content.width, content.height)
        self._highlight: QColor | None = None
        self._badge: tuple[str, QColor] | None = None
        self._ghosted = False
        self._refused = False
        self._search_match = False
        self._dimmed = False
        self.setData(ENTITY_ID_ROLE, entity.id)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable, False)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # No setToolTip here: ChartScene.helpEvent asks tooltip_text() lazily (10,000 boxes).

    # ------------------------------------------------------------------ geometry
    def box_rect(self) -> QRectF:
        """The box itself, in item coordinates (the bounding rect adds halo and handle)."""
        return self._rect

    def handle_rect(self) -> QRectF:
        """The collapse/expand handle, straddling the edge where the children hang."""
        s = HANDLE_SIZE
        r = self._rect
        if self.orientation == "left-right":
            return QRectF(r.right() - s / 2, r.center().y() - s / 2, s, s)
        return QRectF(r.center().x() - s / 2, r.bottom() - s / 2, s, s)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        m = 6.0
        rect = self._rect.adjusted(-m, -m, m, m)
        if self.has_children:
            rect = rect.united(self.handle_rect().adjusted(-1, -1, 1, 1))
        if self._badge:
            rect = rect.united(self._badge_rect().adjusted(-1, -1, 1, 1))
        return rect

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        if self.has_children:
            path.addEllipse(self.handle_rect())
        return path

    def _badge_rect(self) -> QRectF:
        text = self._badge[0] if self._badge else ""
        w = max(14.0, text_width(text, "bold", 7.0) + 8.0)
        return QRectF(self._rect.right() - w + 4, self._rect.top() - 7, w, 14)

    # ------------------------------------------------------------------ decorations
    def set_highlight(self, color: QColor | str | None) -> None:
        self._highlight = QColor(color) if color is not None else None
        self._refresh()

    def set_badge(self, text: str | None, color: QColor | str = "#c0392b") -> None:
        self.prepareGeometryChange()
        self._badge = (text, QColor(color)) if text else None
        self._refresh()

    def set_ghosted(self, ghosted: bool) -> None:
        self._ghosted = ghosted
        self._refresh()

    def set_refused(self, refused: bool) -> None:
        self._refused = refused
        self._refresh()

    def set_search_state(self, match: bool, dimmed: bool) -> None:
        if (match, dimmed) != (self._search_match, self._dimmed):
            self._search_match, self._dimmed = match, dimmed
            self._refresh()

    @property
    def search_match(self) -> bool:
        return self._search_match

    @property
    def dimmed(self) -> bool:
        return self._dimmed

    def _refresh(self) -> None:
        self.update()

    def tooltip_text(self) -> str:
        e = self.entity
        parts = [f"<b>{_escape(e.name)}</b>", _escape(e.kind)]
        if e.head_title or e.head_name:
            parts.append(_escape(" : ".join(p for p in (e.head_title, e.head_name) if p)))
        if e.vacant:
            parts.append("<i>poste vacant</i>")
        if self.collapsed and self.hidden_count:
            parts.append(f"{self.hidden_count} entité(s) repliée(s)")
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
        style = style_for(self.entity.kind)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = self._rect
        if self._dimmed or self._ghosted:
            painter.setOpacity(0.3 if self._ghosted else 0.35)
        # Halo: selection first, then the caller's highlight, then the search match.
        halo = SELECTION_COLOR if selected else self._highlight or (SEARCH_COLOR if self._search_match else None)
        if self._refused:
            halo = QColor("#c0392b")
        if halo is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(halo.red(), halo.green(), halo.blue(), 110))
            painter.drawRoundedRect(rect.adjusted(-5, -5, 5, 5), 6, 6)
        pen = QPen(QColor(style.border), 2.2 if selected else 1.2)
        if self.entity.vacant or self._ghosted:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor(style.fill)))
        painter.drawRoundedRect(rect, 3, 3)
        if self.entity.staff and lod >= TEXT_LOD:
            # Staff positions: a thin inner band on the left, as on printed organigrammes.
            painter.fillRect(QRectF(rect.left() + 1, rect.top() + 1, 3, rect.height() - 2), QColor(style.border))
        if lod >= TEXT_LOD:
            painter.setPen(QColor(style.text))
            cx = rect.center().x()
            for line in text_lines(self.content):
                draw_text_line(painter, line.text, line.font, line.size, cx, rect.top() + line.baseline)
        if self._refused:
            painter.setPen(QPen(QColor("#c0392b"), 2))
            painter.drawLine(rect.topLeft(), rect.bottomRight())
            painter.drawLine(rect.topRight(), rect.bottomLeft())
        painter.setOpacity(1.0)
        if self.has_children and lod >= TEXT_LOD / 2:
            self._paint_handle(painter, style.border)
        if self._badge:
            self._paint_badge(painter)

    def _paint_handle(self, painter: QPainter, border: str) -> None:
        h = self.handle_rect()
        painter.setPen(QPen(QColor(border), 1))
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


class ConnectorsItem(QGraphicsPathItem):
    """Every hierarchy connector of the chart as one path: one item instead of thousands."""

    def __init__(self, polylines) -> None:
        path = QPainterPath()
        for points in polylines:
            (x0, y0), *rest = points
            path.moveTo(x0, y0)
            for x, y in rest:
                path.lineTo(x, y)
        super().__init__(path)
        pen = QPen(CONNECTOR_COLOR, 1.2)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        self.setPen(pen)
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)


class LinkItem(QGraphicsPathItem):
    """A functional link, dotted, from border to border of the two boxes (routed by the core)."""

    def __init__(self, source: str, target: str, kind: str, label: str, a: QRectF, b: QRectF,
                 curve=None) -> None:
        """``curve`` = the core's ``route_link`` Bézier (p0, c1, c2, p3); else a straight line."""
        super().__init__()
        self.source, self.target, self.kind = source, target, kind
        if curve is not None:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
            path = QPainterPath(QPointF(x0, y0))
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
