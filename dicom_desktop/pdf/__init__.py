"""Printable PDF of an organisation: the chart drawn as vectors, then the explanatory notice.

Pure core (ReportLab only, no Qt): ``export_notice_pdf`` is the entry point; ``chart.draw_chart``
is reusable by other documents (the before/after dossier of a reorganisation scenario).
"""

from __future__ import annotations


def __getattr__(name):  # lazy: importing dicom_desktop.pdf.chart must not build the notice module
    if name in __all__:
        from . import notice

        return getattr(notice, name)
    raise AttributeError(name)


__all__ = ["ExportReport", "PdfExportError", "default_output_path", "export_notice_pdf"]
