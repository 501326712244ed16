"""Print a PDF page by page through QtPdf, so that paper and the exported PDF match."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument

MAX_PRINT_DPI = 300


class PrintError(Exception):
    """The PDF could not be read or the printer could not be opened (French message)."""


def load_pdf(path: Path, parent=None) -> QPdfDocument:
    pdf = QPdfDocument(parent)
    error = pdf.load(str(path))
    if error != QPdfDocument.Error.None_ or pdf.pageCount() == 0:
        raise PrintError(f"Le PDF « {path} » ne peut pas être lu pour l’impression.")
    return pdf


def print_pdf(pdf: QPdfDocument, printer) -> int:
    """Render each page of ``pdf`` into ``printer``, scaled to the printable area; returns pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("L’imprimante n’a pas pu être ouverte.")
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        area = QRectF(painter.viewport())
        for page in range(pdf.pageCount()):
            if page:
                printer.newPage()
            points = pdf.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            w, h = points.width() * scale, points.height() * scale
            target = QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
            pixels = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            painter.drawImage(target, pdf.render(page, pixels))
        return pdf.pageCount()
    finally:
        painter.end()
