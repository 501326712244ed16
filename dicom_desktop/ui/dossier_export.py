"""« Exporter le dossier de réorganisation (PDF)… »: the before/after dossier of the scenario on screen.

The questions go through the window's ``dialogs`` (``save_path``, ``error``, ``ask_yes_no``), so
tests answer them without a modal window; the document is :mod:`dicom_desktop.pdf.dossier`'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication

from ..errors import DicomError
from .dialogs import PDF_FILTER

if TYPE_CHECKING:
    from .main_window import MainWindow


def suggested_path(window: "MainWindow", scenario_id: str) -> Path:
    doc = window.doc
    if doc.path:
        return doc.path.with_name(f"{doc.path.stem}-dossier-{scenario_id}.pdf")
    return Path.home() / f"dossier-{scenario_id}.pdf"


def export_dossier(window: "MainWindow") -> Path | None:
    """Ask where, write the dossier of the shown scenario, offer to open it; None if nothing written."""
    from ..pdf.dossier import export_dossier_pdf

    doc = window.doc
    if doc is None or doc.active_scenario is None:
        window.dialogs.error("Aucun scénario affiché",
                             "Affichez un scénario (dock « Scénarios ») pour exporter son dossier de réorganisation.")
        return None
    window.attributions.commit_pending()
    scenario_id = doc.active_scenario
    out = window.dialogs.save_path("Exporter le dossier de réorganisation", str(suggested_path(window, scenario_id)),
                                   PDF_FILTER)
    if out is None:
        return None
    if out.suffix.lower() != ".pdf":
        out = out.with_suffix(".pdf")
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        report = export_dossier_pdf(doc, scenario_id, out)
    except (DicomError, OSError) as exc:
        QGuiApplication.restoreOverrideCursor()
        window.dialogs.error("Export PDF impossible", f"Le dossier n’a pas pu être exporté vers « {out} » :\n{exc}")
        return None
    QGuiApplication.restoreOverrideCursor()
    window.statusBar().showMessage(f"Dossier de réorganisation exporté dans « {out} ».", 8000)
    if window.dialogs.ask_yes_no("Dossier exporté",
                                 f"Le dossier du scénario « {report.scenario_name} » ({report.pages} pages) a été "
                                 f"enregistré dans « {out} ».\nVoulez-vous l’ouvrir ?", yes="Ouvrir", no="Fermer"):
        window.dialogs.open_url(QUrl.fromLocalFile(str(out)))
    return out
