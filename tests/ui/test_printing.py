"""Printing the notice (issue 12 §5): preview, page setup, each page in its orientation, lossless."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtGui import QPageSize

LANDSCAPE_A4 = (842, 595)
PORTRAIT_A4 = (595, 842)


def sizes(path):
    return [tuple(round(float(v)) for v in page.mediabox[2:]) for page in PdfReader(path).pages]


def images(path):
    found = []
    for page in PdfReader(path).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        found.append([(x.get_object()["/Filter"], x.get_object()["/Width"]) for x in xobjects.values()
                      if x.get_object()["/Subtype"] == "/Image"])
    return found


def to_pdf(printer, path, resolution):
    from PySide6.QtPrintSupport import QPrinter

    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(resolution)


def test_print_to_a_file_is_the_vector_notice_itself(window, tmp_path):
    printed = tmp_path / "imprime.pdf"
    window.dialogs.print_answer = lambda printer: to_pdf(printer, printed, 300) or True
    assert window.exports.print_notice()
    assert sizes(printed) == [LANDSCAPE_A4] + [PORTRAIT_A4] * 3  # the chart page stays landscape
    assert images(printed) == [[]] * 4  # vector: text and shapes, no page pictures
    assert "4 pages" in window.statusBar().currentMessage()


def test_printer_output_is_lossless_at_its_resolution_each_page_in_its_orientation(window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from dicom_desktop.ui.services.printing import load_pdf, print_pdf

    notice = tmp_path / "notice.pdf"
    from dicom_desktop.ui.services.exports import write_notice

    assert write_notice(window.editor, notice)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printed = tmp_path / "file-d-attente.pdf"
    to_pdf(printer, printed, 150)
    assert print_pdf(load_pdf(notice), printer) == 4  # no source: rendered as for a real printer
    assert sizes(printed) == [PORTRAIT_A4] * 4  # A4 paper, as the printer holds it
    # The chart page is turned a quarter (landscape on the sheet) and fills it at full size.
    matrix = quarter_turn(PdfReader(printed).pages[0])
    assert matrix is not None and abs(abs(matrix[1]) - 842) < 2 and abs(abs(matrix[2]) - 595) < 2
    assert quarter_turn(PdfReader(printed).pages[1]) is None
    rendered = images(printed)
    assert [len(page) for page in rendered] == [1, 1, 1, 1]
    assert {f for page in rendered for f, _ in page} == {"/FlateDecode"}  # lossless, never JPEG
    assert rendered[0][0][1] == round(842 / 72 * 150) and rendered[1][0][1] == round(595 / 72 * 150)
    # A page range from the print dialog prints those pages only.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    to_pdf(printer, tmp_path / "deux.pdf", 72)
    printer.setFromTo(2, 3)
    assert print_pdf(load_pdf(notice), printer) == 2
    assert sizes(tmp_path / "deux.pdf") == [PORTRAIT_A4] * 2


def quarter_turn(page):
    """The image's placement matrix on ``page`` when it is turned a quarter (a = d = 0), else None."""
    from pypdf.generic import ContentStream

    stream = ContentStream(page.get_contents(), page.pdf)
    ctm, saved = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
    for operands, operator in stream.operations:
        if operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            p = ctm
            ctm = [a * p[0] + b * p[2], a * p[1] + b * p[3], c * p[0] + d * p[2], c * p[1] + d * p[3],
                   e * p[0] + f * p[2] + p[4], e * p[1] + f * p[3] + p[5]]
        elif operator == b"Do":
            scale = max(abs(v) for v in ctm[:4])
            turned = abs(ctm[0]) < 1e-6 * scale and abs(ctm[3]) < 1e-6 * scale
            return ctm if turned else None
        elif operator == b"q":
            saved.append(ctm)
        elif operator == b"Q":
            ctm = saved.pop()
    return None


def test_print_preview_shows_every_page_the_chart_landscape(qtbot, window):
    from PySide6.QtWidgets import QGraphicsView
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    seen = {}

    def preview(printer, paint):
        dialog = QPrintPreviewDialog(printer, window)
        dialog.paintRequested.connect(paint)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        widget = dialog.findChild(QPrintPreviewWidget)
        widget.updatePreview()
        qtbot.waitUntil(lambda: widget.pageCount() == 4, timeout=20000)
        scene = dialog.findChild(QGraphicsView).scene()
        pages = sorted((item for item in scene.items() if item.parentItem() is None),
                       key=lambda item: item.pos().y())
        seen["count"] = widget.pageCount()
        seen["spans"] = [inked_height_share(scene, item) for item in pages[:2]]
        dialog.close()
        return False

    window.dialogs.preview_answer = preview
    assert not window.exports.preview_notice()
    assert seen["count"] == 4
    # The landscape chart page fills the sheet's height (turned a quarter, full size), where a
    # page merely shrunk to the sheet's width would fill less than half of it.
    (chart, chart_ink), (text, text_ink) = seen["spans"]
    assert chart > 0.8 and text > 0.6
    assert chart_ink < 0.3 and text_ink < 0.3  # black on white paper, not a dark page


def inked_height_share(scene, item):
    """Share of a preview sheet's height between its first and last inked rows, and its inked share."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    rect = item.mapRectToScene(item.boundingRect())
    image = QImage(200, round(200 * rect.height() / rect.width()), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    margin = 6  # the sheet's frame and shadow
    inked = [[QColor(image.pixel(x, y)).lightness() < 200 for x in range(margin, image.width() - margin, 2)]
             for y in range(margin, image.height() - margin)]
    rows = [y for y, row in enumerate(inked) if any(row)]
    share = sum(map(sum, inked)) / sum(map(len, inked))
    return ((rows[-1] - rows[0]) / image.height() if rows else 0.0), share


def test_page_setup_is_remembered_for_the_next_print(window):
    def choose_a3(printer):
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A3))
        return True

    window.dialogs.page_setup_answer = choose_a3
    assert window.exports.page_setup()
    assert "A3" in window.statusBar().currentMessage()
    chosen = {}
    window.dialogs.print_answer = lambda printer: chosen.setdefault("size", printer.pageLayout().pageSize().id()) and False
    assert not window.exports.print_notice()
    assert chosen["size"] == QPageSize.PageSizeId.A3
