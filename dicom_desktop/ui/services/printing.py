"""Print the notice's own PDF: preview, page setup, each page in its orientation, lossless output.

Printing starts from the exported PDF, so paper and file match. Printed « to a PDF file », that
PDF is copied as it is (vector, every page in its own size). To a printer, each page is rendered
by QtPdf at the printer's resolution (at most :data:`MAX_PRINT_DPI`) and sent losslessly
(``QPainter.LosslessImageRendering``: Flate, never JPEG artefacts on text). Each page keeps its
orientation: the landscape chart page is turned a quarter on portrait paper, as printers print
landscape pages (Qt's print preview has one sheet orientation for all pages, so this is also what
it shows). Full-page mode: the PDF carries its margins, so a page is printed at full size on paper
of its size and scaled down only on smaller paper.
The page setup (paper, margins) is remembered in QSettings.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSettings, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPdf import QPdfDocument
from dicom_desktop.wording import plural

MAX_PRINT_DPI = 600  # 600 dpi is what office laser printers print; 1200 would mean 140 Mpx per A4 page
PREVIEW_DPI = 150  # the preview draws on screen: sharp up to 150 % zoom, and a page renders in a blink
SETTINGS_PAGE_SIZE = "print/pageSize"


class PrintError(Exception):
    """The PDF could not be read or the printer could not be opened (French message)."""


def load_pdf(path: Path, parent=None) -> QPdfDocument:
    pdf = QPdfDocument(parent)
    error = pdf.load(str(path))
    if error != QPdfDocument.Error.None_ or pdf.pageCount() == 0:
        raise PrintError(f"Le PDF « {path} » ne peut pas être lu pour l’impression.")
    return pdf


def page_orientation(points: QSizeF) -> QPageLayout.Orientation:
    """Landscape for a page wider than tall (the chart page), portrait otherwise."""
    if points.width() > points.height():
        return QPageLayout.Orientation.Landscape
    return QPageLayout.Orientation.Portrait


def _page_range(printer, count: int) -> range:
    """The pages the print dialog asked for (« Pages de … à … »), all by default."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        return range(count)
    return range(max(first, 1) - 1, min(last, count))


def _prints_to_file(printer) -> bool:
    from PySide6.QtPrintSupport import QPrinter

    return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and bool(printer.outputFileName())


def _on_white(page: QImage) -> QImage:
    """The rendered page (transparent where the PDF draws nothing) on white paper, opaque: no
    soft mask in the print job, and no black background."""
    sheet = QImage(page.size(), QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    painter.drawImage(0, 0, page)
    painter.end()
    return sheet


def is_preview(printer) -> bool:
    """True while Qt's print preview records the pages (its paint engine is a QPicture recorder)."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def print_pdf(pdf: QPdfDocument, printer, *, source: Path | None = None) -> int:
    """Print ``pdf`` into ``printer``; returns the number of pages printed.

    With ``source`` (the PDF's file) and a « print to file » printer asking for every page, the
    file is copied (vector). Otherwise each page is rendered losslessly at the printer's
    resolution, in its own orientation, centred and scaled to fit only when the paper is smaller.
    """
    count = pdf.pageCount()
    pages = _page_range(printer, count)
    if source is not None and _prints_to_file(printer) and len(pages) == count:
        try:
            shutil.copyfile(source, printer.outputFileName())
        except OSError as exc:
            raise PrintError(f"Le fichier « {printer.outputFileName()} » ne peut pas être écrit : "
                             f"{exc.strerror or exc}.") from None
        return count
    if not pages:
        return 0
    printer.setFullPage(True)  # the PDF has its own margins: draw from the paper's corner
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("L’imprimante n’a pas pu être ouverte.")
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    try:
        dpi = min(printer.resolution(), PREVIEW_DPI if is_preview(printer) else MAX_PRINT_DPI)
        unit = printer.resolution() / 72.0  # points → device pixels
        sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
        for n, page in enumerate(pages):
            if n:
                printer.newPage()
            points = pdf.pagePointSize(page)
            turn = page_orientation(points) != page_orientation(sheet.size())
            room = sheet.size().transposed() if turn else sheet.size()
            # Never enlarge a page; shrink it only to fit smaller paper.
            scale = min(unit, room.width() / points.width(), room.height() / points.height())
            w, h = points.width() * scale, points.height() * scale
            pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = _on_white(pdf.render(page, pixels))
            painter.save()
            painter.translate(sheet.center())
            if turn:  # a landscape page on portrait paper: turned a quarter, top to the sheet's left
                painter.rotate(-90)
            painter.drawImage(QRectF(-w / 2, -h / 2, w, h), image)
            painter.restore()
        return len(pages)
    finally:
        painter.end()


# ---------------------------------------------------------------------------- page setup memory
def restore_page_setup(printer, settings: QSettings) -> None:
    """Put the remembered paper size on a new printer (orientation is chosen per page)."""
    key = settings.value(SETTINGS_PAGE_SIZE)
    if key:
        size = QPageSize(QPageSize.PageSizeId(int(key))) if str(key).isdigit() else None
        if size is not None and size.isValid():
            printer.setPageSize(size)


def remember_page_setup(printer, settings: QSettings) -> None:
    settings.setValue(SETTINGS_PAGE_SIZE, str(printer.pageLayout().pageSize().id().value))


def new_printer(settings: QSettings, doc_name: str):
    """A high-resolution printer with the remembered page setup."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc_name)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    restore_page_setup(printer, settings)
    return printer


# ---------------------------------------------------------------------------- the editor's commands
class NoticePrinting:
    """« Imprimer… », « Aperçu avant impression… » and « Mise en page… » of the notice.

    ``export(path) -> bool`` writes the notice PDF (the export's own code, errors shown by it);
    ``dialogs`` asks (print_dialog, print_preview, page_setup, error); ``status(text)`` reports.
    """

    def __init__(self, parent, settings: QSettings, dialogs, export, status, doc_name) -> None:
        self.parent = parent
        self.settings = settings
        self.dialogs = dialogs
        self.export = export
        self.status = status
        self.doc_name = doc_name  # () -> str
        self._folder = None

    def _exported(self) -> tuple[QPdfDocument, Path] | None:
        import tempfile

        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="dicom-impression-")
        path = Path(self._folder.name) / "notice.pdf"
        if not self.export(path):
            return None
        try:
            return load_pdf(path, self.parent), path
        except PrintError as exc:
            self.dialogs.error("Impression impossible", str(exc))
            return None

    def _printer(self):
        return new_printer(self.settings, f"Notice — {self.doc_name()}")

    def _report(self, pages: int) -> None:
        self.status(f"Notice envoyée à l’impression ({plural(pages, 'page')}).")

    def _print(self, pdf, printer, source) -> int | None:
        try:
            return print_pdf(pdf, printer, source=source)
        except PrintError as exc:
            self.dialogs.error("Impression impossible", str(exc))
            return None

    def print_notice(self) -> bool:
        exported = self._exported()
        if exported is None:
            return False
        pdf, source = exported
        printer = self._printer()
        printer.setFromTo(0, 0)
        if not self.dialogs.print_dialog(printer, pdf.pageCount()):
            return False
        remember_page_setup(printer, self.settings)
        pages = self._print(pdf, printer, source)
        if pages is None:
            return False
        self._report(pages)
        return True

    def preview_notice(self) -> bool:
        """The print preview: every page in its orientation; its « Imprimer » button prints."""
        exported = self._exported()
        if exported is None:
            return False
        pdf, source = exported
        printer = self._printer()
        printed: list[int] = []

        def paint(target) -> None:
            pages = self._print(pdf, target, None)  # the preview always draws the pages
            if pages is not None:
                printed.append(pages)

        if not self.dialogs.print_preview(printer, paint):
            return False
        remember_page_setup(printer, self.settings)
        if printed:
            self._report(printed[-1])
        return True

    def page_setup(self) -> bool:
        """« Mise en page… »: paper size kept for the next prints (orientation follows each page)."""
        printer = self._printer()
        if not self.dialogs.page_setup(printer):
            return False
        remember_page_setup(printer, self.settings)
        size = printer.pageLayout().pageSize().name()
        self.status(f"Mise en page : {size} (l’orientation suit chaque page de la notice).")
        return True
