"""Fichier › « Publier la page web (accessible)… » and « Exporter la notice PDF balisée (accessible)… ».

The same documents as ``dicom-desktop export-html`` and ``export-pdf --tagged``, with the same
default file names (``<SIGLE>-<date>-notice.html`` / ``-notice-accessible.pdf`` beside the
printable notice). Like ``ui/exports.py``, each action takes the
:class:`~dicom_desktop.ui.editor.EditorController`, never the window; questions go through
``editor.dialogs`` so tests answer them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication

from dicom_desktop.errors import DicomError
from dicom_desktop.ui.dialogs.common import PDF_FILTER
from dicom_desktop.ui.editor import EditorController
from dicom_desktop.ui.services.exports import offer_date_update

HTML_FILTER = "Pages web (*.html *.htm)"


def suggested_web_page(editor: EditorController) -> Path:
    from dicom_desktop.html.page import default_html_path

    return default_html_path(editor.doc.organisation, editor.doc.path)


def suggested_tagged_pdf(editor: EditorController) -> Path:
    from dicom_desktop.html.tagged_pdf import default_tagged_path

    return default_tagged_path(editor.doc.organisation, "", editor.doc.path)


def publish_web_page(editor: EditorController) -> Path | None:
    """Ask where, write the accessible page of the organisation on screen, offer to open it."""
    from dicom_desktop.html.page import export_notice_html

    return _export(editor, "Publier la page web (accessible)", suggested_web_page(editor), HTML_FILTER, ".html",
                   lambda out: export_notice_html(editor.doc, out), "La page web")


def export_tagged_pdf(editor: EditorController) -> Path | None:
    """Ask where, write the PDF/UA-1 notice of the organisation on screen, offer to open it."""
    from dicom_desktop.html.tagged_pdf import export_tagged_pdf as export

    return _export(editor, "Exporter la notice PDF balisée (accessible)", suggested_tagged_pdf(editor), PDF_FILTER,
                   ".pdf", lambda out: export(editor.doc, out), "La notice PDF balisée")


def _export(editor: EditorController, title: str, suggested: Path, file_filter: str, suffix: str,
            write: Callable[[Path], object], what: str) -> Path | None:
    if editor.doc is None:
        return None
    editor.commit_pending()
    if offer_date_update(editor):  # the page's « Mis à jour le » changes, and so its default name
        suggested = suggested_web_page(editor) if suffix == ".html" else suggested_tagged_pdf(editor)
    out = editor.dialogs.save_path(title, str(suggested), file_filter)
    if out is None:
        return None
    out = Path(out)
    if out.suffix.lower() not in (suffix, ".htm" if suffix == ".html" else suffix):
        out = out.with_name(out.name + suffix)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        write(out)
    except (DicomError, OSError) as exc:
        QGuiApplication.restoreOverrideCursor()
        editor.dialogs.error("Export impossible", f"{what} n’a pas pu être écrite dans « {out} » :\n{exc}")
        return None
    QGuiApplication.restoreOverrideCursor()
    editor.show_status(f"{what} a été écrite dans « {out} ».", 8000)
    if editor.dialogs.ask_yes_no(title, f"{what} a été enregistrée dans « {out} ».\nVoulez-vous l’ouvrir ?",
                                 yes="Ouvrir", no="Fermer"):
        editor.dialogs.open_url(QUrl.fromLocalFile(str(out)))
    return out
