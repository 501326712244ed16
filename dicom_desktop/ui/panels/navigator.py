"""The « Vue d’ensemble » dock: the whole chart in miniature, the visible part framed.

A large organisation does not fit the window; this pane always shows all of it, with the part
the chart view shows as a rectangle. Click or drag in the pane to move the view there. The
miniature is drawn once per layout from the layout's boxes (one ``drawRects`` per kind) into a
pixmap; a pan only repaints the pixmap and the rectangle, so it stays cheap at any size.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...kinds import style_for

FRAME_COLOR = QColor("#e07b00")
PAD = 6.0


class NavigatorWidget(QWidget):
    """Miniature of the chart of ``view`` (a ChartView) with the visible rectangle."""

    def __init__(self, view, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self._pixmap: QPixmap | None = None
        self._layout = None  # the layout the pixmap shows
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
        """The layout changed (open, edit, collapse): redraw the miniature at next paint."""
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
        groups: dict[str, list[QRectF]] = {}
        graph = self.view.chart_scene()._graph  # noqa: SLF001 - the graph the scene shows
        records = graph.entities_map() if graph is not None else {}
        for b in layout.boxes.values():
            record = records.get(b.id)
            kind = record.kind if record is not None else ""
            groups.setdefault(kind, []).append(
                QRectF(b.x * s + dx, b.y * s + dy, max(b.w * s, 1.0), max(b.h * s, 1.0)))
        painter = QPainter(pixmap)
        for kind, rects in groups.items():
            st = style_for(kind)
            painter.setPen(QPen(QColor(st.border), 0) if s * 170 >= 6 else Qt.PenStyle.NoPen)
            painter.setBrush(QColor(st.fill if s * 170 >= 6 else st.border))
            painter.drawRects(rects)
        painter.end()
        return pixmap

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        if (self._pixmap is None or self._layout is not self.view.chart_scene().layout_result
                or self._pixmap.deviceIndependentSize().toSize() != self.size()):
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
