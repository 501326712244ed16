"""The editor's exports: notice PDF and printing, reorganisation dossier, chart image, spreadsheet.

Each action takes the :class:`~dicom_desktop.ui.editor.EditorController` (and the chart scene for
the image, drawn as on screen), asks through ``editor.dialogs`` where to write (tests script the
answers), writes with the core (:mod:`dicom_desktop.pdf`, :mod:`dicom_desktop.sheets`,
:mod:`.image_export`), explains a failure in French and offers to open the result. Printing prints
the very PDF the export produces (QtPdf renders its pages into the printer), so paper and file match.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from dicom_desktop.document import Document
from dicom_desktop.errors import DicomError, os_reason
from dicom_desktop.files.outputs import write_output
from dicom_desktop.ui.chart.chart_scene import ChartScene
from dicom_desktop.ui.dialogs.common import PDF_FILTER, Dialogs
from dicom_desktop.ui.editor import EditorController
from dicom_desktop.ui.services.locations import export_folder, export_suggestion


# ---------------------------------------------------------------------------- notice and printing
def write_notice(editor: EditorController, out: Path, options=None) -> bool:
    """Write the notice of the variant on screen to ``out`` (``options``: a PdfOptions, the
    remembered ones by default); a failure is explained in French."""
    from dicom_desktop.pdf import (
        export_notice_pdf,  # ReportLab loads on the first export only
    )

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        export_notice_pdf(editor.doc, out, **(options.as_kwargs() if options is not None else {}))
    except (DicomError, OSError) as exc:
        editor.dialogs.error("Export PDF impossible", f"La notice n’a pas pu être exportée vers « {out} » :\n{exc}")
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()
    return True


def offer_date_update(editor: EditorController) -> bool:
    """Before a notice goes out (export, print, publish): if the organisation was edited since its
    « mise à jour » date, offer to set it to today (ui/organisation_properties.py)."""
    from dicom_desktop.ui.dialogs.organisation_properties import offer_today

    return offer_today(editor.doc.organisation, editor.undo_stack.index() > 0, editor.dialogs.ask_yes_no,
                       editor.execute)


def export_notice(editor: EditorController, settings: QSettings) -> Path | None:
    """Offer today's date if edited, ask the options (page size, orientation, large chart: remembered)
    and where, write the notice, offer to open it; None when nothing was written."""
    from dicom_desktop.ui.dialogs.pdf_options import load_options, save_options

    editor.commit_pending()
    offer_date_update(editor)
    doc, dialogs = editor.doc, editor.dialogs
    options = dialogs.ask_pdf_options(load_options(settings))  # ui/pdf_options.py
    if options is None:
        return None
    save_options(settings, options)
    base = export_suggestion(doc.path, doc.path.with_suffix(".pdf").name if doc.path else "notice-organigramme.pdf")
    out = dialogs.save_path("Exporter la notice PDF", str(base), PDF_FILTER)
    if out is None:
        return None
    if out.suffix.lower() != ".pdf":
        out = out.with_suffix(".pdf")
    if not write_notice(editor, out, options):
        return None
    editor.show_status(f"Notice exportée dans « {out} ».", 8000)
    if dialogs.ask_yes_no("Notice exportée", f"La notice a été enregistrée dans « {out} ».\n"
                                             "Voulez-vous l’ouvrir ?", yes="Ouvrir", no="Fermer"):
        dialogs.open_url(QUrl.fromLocalFile(str(out)))
    return out


def _printing(editor: EditorController, settings: QSettings, parent: QWidget | None):
    """The notice's printing commands (ui/printing.py) over a notice written with the remembered options."""
    from dicom_desktop.ui.dialogs.pdf_options import load_options
    from dicom_desktop.ui.services.printing import NoticePrinting

    def export(path: Path) -> bool:
        editor.commit_pending()
        return write_notice(editor, path, load_options(settings))

    return NoticePrinting(parent, settings, editor.dialogs, export, lambda text: editor.show_status(text, 6000),
                          lambda: editor.doc.organisation.name)


def print_notice(editor: EditorController, settings: QSettings, parent: QWidget | None = None) -> bool:
    """Print the very PDF the export produces, each page in its orientation (ui/printing.py)."""
    offer_date_update(editor)
    return _printing(editor, settings, parent).print_notice()


def preview_notice(editor: EditorController, settings: QSettings, parent: QWidget | None = None) -> bool:
    offer_date_update(editor)
    return _printing(editor, settings, parent).preview_notice()


def page_setup(editor: EditorController, settings: QSettings, parent: QWidget | None = None) -> bool:
    return _printing(editor, settings, parent).page_setup()


# ---------------------------------------------------------------------------- reorganisation dossier
def suggested_path(doc: Document, scenario_id: str) -> Path:
    return export_suggestion(doc.path, f"{doc.path.stem}-dossier-{scenario_id}.pdf" if doc.path
                             else f"dossier-{scenario_id}.pdf")


def export_dossier(editor: EditorController) -> Path | None:
    """Ask where, write the dossier of the shown scenario, offer to open it; None if nothing written."""
    from dicom_desktop.pdf.dossier import (
        export_dossier_pdf,  # ReportLab loads on first export only
    )

    doc, dialogs = editor.doc, editor.dialogs
    if doc.active_scenario is None:
        dialogs.error("Aucun scénario affiché",
                      "Affichez un scénario (dock « Scénarios ») pour exporter son dossier de réorganisation.")
        return None
    editor.commit_pending()
    scenario_id = doc.active_scenario
    out = dialogs.save_path("Exporter le dossier de réorganisation", str(suggested_path(doc, scenario_id)),
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
        dialogs.error("Export PDF impossible", f"Le dossier n’a pas pu être exporté vers « {out} » :\n{exc}")
        return None
    QGuiApplication.restoreOverrideCursor()
    editor.show_status(f"Dossier de réorganisation exporté dans « {out} ».", 8000)
    if dialogs.ask_yes_no("Dossier exporté",
                          f"Le dossier du scénario « {report.scenario_name} » ({report.pages} pages) a été "
                          f"enregistré dans « {out} ».\nVoulez-vous l’ouvrir ?", yes="Ouvrir", no="Fermer"):
        dialogs.open_url(QUrl.fromLocalFile(str(out)))
    return out


# ---------------------------------------------------------------------------- chart image
def export_chart_image(editor: EditorController, scene: ChartScene) -> Path | None:
    """The « Exporter l’image… » action: the chart as drawn in ``scene`` (its orientation, its
    focused branch); returns the written file or None."""
    doc, dialogs = editor.doc, editor.dialogs
    graph = doc.graph
    if graph.root is None:
        dialogs.info("Exporter l’image", "L’organisation est vide : il n’y a pas d’organigramme à exporter.")
        return None
    current = editor.selection.current if editor.selection.current in graph else None
    focus = scene.focus if scene.focus in graph else None
    branch_id = current or focus
    branch_name = graph.entity(branch_id).name if branch_id is not None else None
    # The image writer and its dialog load with the first image export (start-up).
    from dicom_desktop.ui.chart.image_export import export_image
    from dicom_desktop.ui.dialogs.image_export_dialog import IMAGE_FILTER

    options = dialogs.ask_image_options(branch_name, focus is not None)
    if options is None:
        return None
    base = export_suggestion(doc.path, doc.path.with_suffix(".svg").name if doc.path else "organigramme.svg")
    out = dialogs.save_path("Exporter l’image de l’organigramme", str(base), IMAGE_FILTER)
    if out is None:
        return None
    if out.suffix.lower() not in (".svg", ".png"):
        out = out.with_name(out.name + ".svg")
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = export_image(graph, out, scale=options.scale, orientation=scene.orientation,
                              branch=branch_id if options.branch_only else None, title=doc.organisation.name,
                              sources=(doc.path,) if doc.path else ())
    except DicomError as exc:
        QGuiApplication.restoreOverrideCursor()
        dialogs.error("Export de l’image impossible", f"L’image n’a pas pu être exportée vers « {out} » :\n{exc}")
        return None
    except OSError as exc:
        QGuiApplication.restoreOverrideCursor()
        dialogs.error("Export de l’image impossible",
                      f"Le fichier « {out} » ne peut pas être écrit : {os_reason(exc)}.")
        return None
    QGuiApplication.restoreOverrideCursor()
    editor.show_status(f"Image exportée dans « {out} » ({result.boxes} entités).", 8000)
    if dialogs.ask_yes_no("Image exportée", f"L’image a été enregistrée dans « {out} ».\nVoulez-vous l’ouvrir ?",
                          yes="Ouvrir", no="Fermer"):
        dialogs.open_url(QUrl.fromLocalFile(str(out)))
    return out


# ---------------------------------------------------------------------------- spreadsheet
def _folder(editor: EditorController) -> str:
    """Where spreadsheet dialogs start (the user's folders, never the installation)."""
    return str(export_folder(editor.doc.path))


def _ask_sheet_target(dialogs: Dialogs, title: str, suggested: Path) -> Path | None:
    from dicom_desktop.ui.dialogs.sheet_import import SHEET_SAVE_FILTER  # with the spreadsheet code, on first use

    out = dialogs.save_path(title, str(suggested), SHEET_SAVE_FILTER)
    if out is None:
        return None
    if out.suffix.lower() not in (".xlsx", ".csv"):
        out = out.with_name(out.name + ".xlsx")
    return out


def _write(dialogs: Dialogs, out: Path, content: bytes, what: str, document: Path | None = None) -> bool:
    """Write an export through the shared output check (never over ``document`` nor any
    organisation file) and the one atomic writer."""
    try:
        write_output(out, content, inputs=[document])
    except (DicomError, OSError) as exc:
        dialogs.error("Export impossible", f"{what} n’a pas pu être écrit dans « {out} » :\n{exc}")
        return False
    return True


def export_sheet(editor: EditorController) -> Path | None:
    """« Exporter le tableau… »: the entities (and, in XLSX, links and organisation) to a spreadsheet."""
    from dicom_desktop.sheets import export_csv, export_xlsx

    editor.commit_pending()
    doc, dialogs = editor.doc, editor.dialogs
    base = Path(_folder(editor)) / (doc.path.with_suffix(".xlsx").name if doc.path else "organisation.xlsx")
    out = _ask_sheet_target(editor.dialogs, "Exporter le tableau des entités", base)
    if out is None:
        return None
    data = doc.to_file_model()
    try:
        content = export_xlsx(data) if out.suffix.lower() == ".xlsx" else export_csv(data)
    except DicomError as exc:
        dialogs.error("Export impossible", str(exc))
        return None
    if not _write(editor.dialogs, out, content, "Le tableau", doc.path):
        return None
    message = f"Tableau exporté dans « {out} » ({len(data.entities)} entités)."
    if out.suffix.lower() == ".csv" and data.links:
        message += f" Un CSV ne contient que les entités : les {len(data.links)} liens fonctionnels ne sont conservés qu’en XLSX."
        dialogs.info("Tableau exporté", message)
    editor.show_status(message, 10000)
    return out


def save_template(editor: EditorController) -> Path | None:
    """« Modèle de tableau… »: the empty spreadsheet with the headers and one example row."""
    from dicom_desktop.sheets.template import template_csv, template_xlsx

    out = _ask_sheet_target(editor.dialogs, "Enregistrer le modèle de tableau", Path(_folder(editor)) / "modele-organigramme.xlsx")
    if out is None:
        return None
    content = template_xlsx() if out.suffix.lower() == ".xlsx" else template_csv()
    if not _write(editor.dialogs, out, content, "Le modèle"):
        return None
    editor.show_status(f"Modèle de tableau enregistré dans « {out} ».", 8000)
    return out
