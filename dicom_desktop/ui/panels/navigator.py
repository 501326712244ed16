"""The « Vue d’ensemble » dock: the whole chart in miniature, the visible part framed.

A large organisation does not fit the window; this pane always shows all of it, with the part
the chart view shows as a rectangle. Click or drag in the pane to move the view there. The
miniature is drawn once per layout from the layout's boxes (one ``drawRects`` per kind) into a
pixmap; a pan only repaints the pixmap and the rectangle, so it stays cheap at any size. The
rectangles are kept in chart units between layouts and, after an edit, only those of the boxes
the incremental layout moved (or whose kind changed) are replaced; the painter's transform does
the scaling. After an edit the miniature is redrawn ``REDRAW_DELAY_MS`` later (a burst of edits,
or a drag and its drop, redraws it once), so it never delays the chart's own repaint.
"""

from __future__ import annotations

from itertools import compress
from operator import is_not

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...gcpause import gc_paused
from ...kinds import style_for
from ..chart.box_rects import SharedBoxRects

FRAME_COLOR = QColor("#e07b00")
PAD = 6.0
REDRAW_DELAY_MS = 120  # after a change of the chart, the miniature follows this much later


class NavigatorWidget(QWidget):
    """Miniature of the chart of ``view`` (a ChartView) with the visible rectangle."""

    def __init__(self, view, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self._pixmap: QPixmap | None = None
        self._layout = None  # the layout the pixmap shows
        self._rects = _KindRects()
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_DELAY_MS)
        self._redraw.timeout.connect(self._redraw_now)
        self._dragging = False
        self.setObjectName("navigator")
        self.setMinimumSize(160, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Vue d’ensemble de l’organigramme : cliquez ou faites glisser pour vous déplacer")
        self.setAccessibleName("Vue d’ensemble de l’organigramme")
        view.horizontalScrollBar().valueChanged.connect(self.update)
        view.verticalScrollBar().valueChanged.connect(self.update)
        view.zoomChanged.connect(self.update)
        view.chart_scene().rebuilt.connect(self.chart_changed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(260, 180)

    # ------------------------------------------------------------------ geometry
    def chart_changed(self) -> None:
        """The layout changed (open, edit, collapse): redraw the miniature a moment later (at once
        if it shows nothing yet)."""
        self._rects.note(self.view.chart_scene().layout_result)
        if self._pixmap is None or self._layout is None:
            self._redraw_now()
        else:
            self._redraw.start()  # restarted by each change: one redraw after a burst

    def _redraw_now(self) -> None:
        self._redraw.stop()
        self._pixmap = None
        self.update()

    def _chart_rect(self) -> QRectF:
        layout = self.view.chart_scene().layout_result
        if layout is None:
            return QRectF()
        return QRectF(0, 0, max(layout.width, 1.0), max(layout.height, 1.0))

    def _mapping(self) -> tuple[float, float, float]:
        """(scale, dx, dy): widget point = chart point × scale + (dx, dy), chart centred."""
        chart = self._chart_rect()
        if chart.isEmpty():
            return 1.0, 0.0, 0.0
        w, h = self.width() - 2 * PAD, self.height() - 2 * PAD
        s = min(w / chart.width(), h / chart.height())
        return s, PAD + (w - chart.width() * s) / 2, PAD + (h - chart.height() * s) / 2

    def to_scene(self, point: QPointF) -> QPointF:
        s, dx, dy = self._mapping()
        return QPointF((point.x() - dx) / s, (point.y() - dy) / s)

    def visible_rect(self) -> QRectF:
        """The scene rectangle the chart view shows now."""
        return self.view.mapToScene(self.view.viewport().rect()).boundingRect()

    # ------------------------------------------------------------------ painting
    def _render(self) -> QPixmap:
        """The miniature: every box as a small rectangle of its kind's colours."""
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.white)
        layout = self.view.chart_scene().layout_result
        self._layout = layout
        if layout is None:
            return pixmap
        s, dx, dy = self._mapping()
        graph = self.view.chart_scene()._graph  # noqa: SLF001 - the graph the scene shows
        shared = self.view.chart_scene().overview.box_rects  # the overview's rectangles, not copies
        groups = self._rects.update(layout, graph.entities_map() if graph is not None else {}, shared)
        painter = QPainter(pixmap)
        painter.translate(dx, dy)
        painter.scale(s, s)
        for kind, rects in groups.items():
            if not rects:
                continue
            st = style_for(kind)
            # A cosmetic pen (one pixel at any scale): far out, a box is a dot of its border colour.
            painter.setPen(QPen(QColor(st.border), 0))
            painter.setBrush(QColor(st.fill if s * 170 >= 6 else st.border))
            painter.drawRects(list(rects.values()))
        painter.end()
        return pixmap

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._pixmap is None or self._pixmap.deviceIndependentSize().toSize() != self.size():
            self._pixmap = self._render()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._pixmap)
        if self._layout is not None:
            s, dx, dy = self._mapping()
            r = self.visible_rect()
            frame = QRectF(r.x() * s + dx, r.y() * s + dy, r.width() * s, r.height() * s)
            frame = frame.intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))
            painter.setPen(QPen(FRAME_COLOR, 2))
            painter.setBrush(QColor(224, 123, 0, 40))
            painter.drawRect(frame)
        painter.setPen(QPen(QColor("#b3b3b3"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._pixmap = None
        super().resizeEvent(event)

    # ------------------------------------------------------------------ moving the view
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self._move_to(event.position())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._dragging:
            self._move_to(event.position())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._dragging = False
        super().mouseReleaseEvent(event)

    def _move_to(self, point: QPointF) -> None:
        """Centre the chart view on the chart point under ``point``."""
        if self._layout is None and self.view.chart_scene().layout_result is None:
            return
        self.view.centerOn(self.to_scene(point))
        self.update()


class _KindRects:
    """Box rectangles in chart units grouped by kind, updated from the layouts' deltas.

    The miniature redraws once after a burst of edits (a drop and its undo, a drag's previews),
    so it sees only every few layouts: ``note`` is told of each one and gathers the boxes their
    deltas name, and ``update`` replaces only those. Before, a missed layout broke the chain and
    all the rectangles were made again (1.2 s at 100,000 entities, after every drop)."""

    def __init__(self) -> None:
        self.layout = None  # the layout the rectangles match
        self.groups: dict[str, dict[str, QRectF]] = {}
        self.kind_of: dict[str, str] = {}
        self.records: dict = {}
        self.noted = None  # the last layout told of
        self.pending: set[str] | None = None  # boxes moved, added or removed since; None: all

    def note(self, layout) -> None:
        """A new layout of the chart: remember which boxes it moved, added or removed."""
        if layout is self.noted:
            return
        delta = None if layout is None else layout.delta
        if self.pending is not None and delta is not None and delta.base is self.noted:
            self.pending.update(delta.boxes)
            self.pending.update(delta.removed)
        else:
            self.pending = None
        self.noted = layout

    def update(self, layout, records, shared: SharedBoxRects) -> dict[str, dict[str, QRectF]]:
        self.note(layout)
        boxes = layout.boxes
        if self.layout is not None and self.pending is not None:
            ids = set()
            for entity_id in self.pending:
                if entity_id in boxes:
                    ids.add(entity_id)
                    continue
                self.records.pop(entity_id, None)  # removed (or now under a collapsed box)
                shared.forget(entity_id)
                kind = self.kind_of.pop(entity_id, None)
                if kind is not None:
                    del self.groups[kind][entity_id]
            keys = list(boxes)  # below: kind perhaps changed (record changed), at C speed
            ids.update(compress(keys, map(is_not, map(self.records.get, keys), map(records.get, keys))))
        else:
            self._build(boxes, records, shared)
            self.layout = layout
            self.pending = set()
            return self.groups
        groups, kind_of, seen, rect = self.groups, self.kind_of, self.records, shared.rect
        for entity_id in ids:
            b = boxes[entity_id]
            record = seen[entity_id] = records.get(entity_id)
            kind = record.kind if record is not None else ""
            before = kind_of.get(entity_id)
            if before is not None and before != kind:
                del groups[before][entity_id]
            kind_of[entity_id] = kind
            group = groups.get(kind)
            if group is None:
                group = groups[kind] = {}
            group[entity_id] = rect(b)
        self.layout = layout
        self.pending = set()
        return groups

    def _build(self, boxes, records, shared: SharedBoxRects) -> None:
        """Every rectangle, from scratch (opening, or a layout without a delta): one tight loop,
        the lookups done at C speed beforehand."""
        with gc_paused():  # 100,000 rectangles and no cycle among them: no collector passes
            keys = list(boxes)
            found = list(map(records.get, keys))
            self.records = dict(zip(keys, found))
            kinds = [r.kind if r is not None else "" for r in found]
            self.kind_of = dict(zip(keys, kinds))
            # Kinds in the order the chart meets them (not a set's, which changes with the hash
            # seed): the miniature paints them in this order, and overlapping dots must not change
            # colour from one run to the next.
            groups: dict[str, dict[str, QRectF]] = {kind: {} for kind in dict.fromkeys(kinds)}
            rect = shared.rect
            for entity_id, kind, b in zip(keys, kinds, boxes.values()):
                groups[kind][entity_id] = rect(b)
            self.groups = groups
