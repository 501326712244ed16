"""The legend: colour of each kind present in the chart, and what the line styles mean."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ...kinds import KIND_STYLES, style_for
from dicom_desktop.ui.chart.chart_items import CONNECTOR_COLOR, LINK_COLOR

ROW = 20


class LegendWidget(QWidget):
    """Paints swatches for the kinds in use, then the line and border conventions."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._kinds: list[str] = []
        self.setMinimumWidth(180)

    def set_kinds(self, kinds) -> None:
        """Kinds in legend order (vocabulary order, unknown kinds last)."""
        kinds = set(kinds)
        ordered = [k for k in KIND_STYLES if k in kinds] + sorted(k for k in kinds if k not in KIND_STYLES)
        if ordered != self._kinds:
            self._kinds = ordered
            self.updateGeometry()
            self.update()

    def _rows(self) -> int:
        return len(self._kinds) + 4

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(220, self._rows() * ROW + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(180, self._rows() * ROW + 8)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        y = 4
        text_x = 44
        fm_shift = ROW / 2 + p.fontMetrics().ascent() / 2 - 2
        for kind in self._kinds:
            style = style_for(kind)
            p.setPen(QPen(QColor(style.border), 1.2))
            p.setBrush(QColor(style.fill))
            p.drawRoundedRect(QRectF(8, y + 3, 28, ROW - 7), 2, 2)
            p.setPen(self.palette().windowText().color())
            p.drawText(QPointF(text_x, y + fm_shift), style.legend if style.legend and kind in KIND_STYLES else kind)
            y += ROW
        samples = (
            ("Rattachement hiérarchique", QPen(CONNECTOR_COLOR, 1.4)),
            ("Lien fonctionnel", QPen(LINK_COLOR, 1.6, Qt.PenStyle.DotLine)),
        )
        for label, pen in samples:
            p.setPen(pen)
            p.drawLine(QPointF(8, y + ROW / 2), QPointF(36, y + ROW / 2))
            p.setPen(self.palette().windowText().color())
            p.drawText(QPointF(text_x, y + fm_shift), label)
            y += ROW
        pen = QPen(QColor("#4a6f9f"), 1.2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(QRectF(8, y + 3, 28, ROW - 7), 2, 2)
        p.setPen(self.palette().windowText().color())
        p.drawText(QPointF(text_x, y + fm_shift), "Poste vacant")
        y += ROW
        p.setPen(QPen(QColor("#4a6f9f"), 1.2))
        p.drawRoundedRect(QRectF(8, y + 3, 28, ROW - 7), 2, 2)
        p.fillRect(QRectF(9, y + 4, 3, ROW - 9), QColor("#4a6f9f"))
        p.setPen(self.palette().windowText().color())
        p.drawText(QPointF(text_x, y + fm_shift), "Auprès de l’entité supérieure")
        p.end()
