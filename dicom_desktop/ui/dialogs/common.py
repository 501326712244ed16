"""Every modal question the editor asks, in one replaceable object.

The window calls ``self.dialogs.<question>()``; tests replace these methods (monkeypatch) so that
nothing blocks. Texts are French, buttons too.
"""

from __future__ import annotations

from pathlib import Path

from contextlib import contextmanager

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget
from dicom_desktop.wording import plural

ORGANISATION_FILTER = "Organisations (*.json);;Tous les fichiers (*)"
PDF_FILTER = "Documents PDF (*.pdf)"


@contextmanager
def _arrow_cursor():
    """A question asked while a wait cursor is up (during an Ouvrir) shows the normal arrow."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.ArrowCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class Dialogs:
    """Modal dialogs of the main window (file pickers, confirmations, errors)."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def _box(self, icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self.parent)
        return box

    def ask_save_changes(self, document_name: str) -> str:
        """« save », « discard » or « cancel »."""
        box = self._box(QMessageBox.Icon.Warning, "Modifications non enregistrées",
                        f"« {document_name} » a été modifié.\nVoulez-vous enregistrer les modifications ?")
        save = box.addButton("Enregistrer", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Ne pas enregistrer", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def ask_delete_mode(self, name: str, descendants: int) -> str | None:
        """« single » (subdivisions go up one level), « subtree », or None (cancelled)."""
        box = self._box(QMessageBox.Icon.Question, "Supprimer une entité",
                        f"« {name} » a {plural(descendants, 'subdivision')}.\n"
                        "Que voulez-vous supprimer ?")
        single = box.addButton("Supprimer seulement cette entité (ses subdivisions remontent d’un niveau)",
                               QMessageBox.ButtonRole.AcceptRole)
        subtree = box.addButton("Supprimer avec toute la branche", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(single)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return "single" if clicked is single else "subtree" if clicked is subtree else None

    def error(self, title: str, text: str) -> None:
        box = self._box(QMessageBox.Icon.Critical, title, text)
        box.addButton("Fermer", QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def info(self, title: str, text: str) -> None:
        box = self._box(QMessageBox.Icon.Information, title, text)
        box.addButton("OK", QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def ask_yes_no(self, title: str, text: str, yes: str = "Oui", no: str = "Non") -> bool:
        box = self._box(QMessageBox.Icon.Question, title, text)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
        no_button = box.addButton(no, QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(yes_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    def ask_recovery(self, description: str, damaged: bool = False) -> str:
        """After a crash: « restore », « discard » (delete the copy) or « later » (keep it, Échap)."""
        if damaged:
            text = (f"Une copie de secours a été trouvée mais elle est illisible :\n{description}\n\n"
                    "« Ignorer » la supprime ; « Plus tard » la conserve pour le prochain démarrage.")
        else:
            text = (f"L’éditeur ne s’est pas fermé normalement. Une copie de secours a été trouvée :\n"
                    f"{description}\n\n« Restaurer » rouvre ces modifications (à enregistrer ensuite) ; "
                    "« Ignorer » supprime la copie de secours.")
        box = self._box(QMessageBox.Icon.Warning, "Récupération après un arrêt inattendu", text)
        restore = None if damaged else box.addButton("Restaurer", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Ignorer", QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton("Plus tard", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore or later)
        box.setEscapeButton(later)
        box.exec()
        clicked = box.clickedButton()
        return "restore" if restore is not None and clicked is restore else "discard" if clicked is discard else "later"

    def ask_open_locked(self, text: str) -> str:
        """Another window holds the file: « readonly » (default, Échap) or « force »."""
        box = self._box(QMessageBox.Icon.Warning, "Fichier déjà ouvert", text)
        read_only = box.addButton("Ouvrir en lecture seule", QMessageBox.ButtonRole.AcceptRole)
        force = box.addButton("Ouvrir quand même", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(read_only)
        box.setEscapeButton(read_only)
        with _arrow_cursor():
            box.exec()
        return "force" if box.clickedButton() is force else "readonly"

    def ask_autosave_interval(self, seconds: int) -> int | None:
        """The autosave interval in seconds (0: off), or None if cancelled."""
        value, ok = QInputDialog.getInt(
            self.parent, "Enregistrement automatique",
            "Enregistrer une copie de secours des modifications toutes les … secondes\n(0 : désactivé) :",
            seconds, 0, 24 * 3600, 10)
        return value if ok else None

    def open_path(self, directory: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "Ouvrir une organisation", directory, ORGANISATION_FILTER)
        return Path(path) if path else None

    def save_path(self, title: str, suggested: str, file_filter: str = ORGANISATION_FILTER) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, file_filter)
        return Path(path) if path else None

    def print_dialog(self, printer, page_count: int = 0) -> bool:
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog

        dialog = QPrintDialog(printer, self.parent)
        dialog.setWindowTitle("Imprimer la notice")
        if page_count:
            dialog.setMinMax(1, page_count)
            dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def print_preview(self, printer, paint) -> bool:
        """The print preview; ``paint(printer)`` draws the pages (for the preview and for printing)."""
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        dialog = QPrintPreviewDialog(printer, self.parent)
        dialog.setWindowTitle("Aperçu avant impression de la notice")
        dialog.paintRequested.connect(paint)
        screen = self.parent.screen().availableGeometry() if self.parent is not None else None
        if screen is not None:
            dialog.resize(min(1100, screen.width() - 40), screen.height() - 60)
        return dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted

    def page_setup(self, printer) -> bool:
        from PySide6.QtPrintSupport import QPageSetupDialog

        dialog = QPageSetupDialog(printer, self.parent)
        dialog.setWindowTitle("Mise en page de la notice")
        return dialog.exec() == QPageSetupDialog.DialogCode.Accepted

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def ask_pdf_options(self, options):
        """Page size, chart orientation, large-chart mode: a PdfOptions, or None (cancelled)."""
        from dicom_desktop.ui.dialogs.pdf_options import ask_pdf_options

        return ask_pdf_options(self.parent, options)

    def ask_organisation_properties(self, organisation) -> dict | None:
        """« Organisation › Propriétés… »: the changed fields, or None (cancelled)."""
        from dicom_desktop.ui.dialogs.organisation_properties import ask_properties

        return ask_properties(self.parent, organisation)

    # ------------------------------------------------------------------ images and spreadsheets
    def ask_image_options(self, branch_name: str | None, branch_default: bool = False):
        """Whole chart or selected branch, PNG scale: an ImageOptions, or None (cancelled)."""
        from dicom_desktop.ui.dialogs.image_export_dialog import ask_image_options

        return ask_image_options(self.parent, branch_name, branch_default)

    def open_sheet_path(self, directory: str) -> Path | None:
        from dicom_desktop.ui.dialogs.sheet_import import SHEET_OPEN_FILTER

        path, _ = QFileDialog.getOpenFileName(self.parent, "Importer un tableau", directory, SHEET_OPEN_FILTER)
        return Path(path) if path else None

    def ask_column_mapping(self, spreadsheet, mapping):
        """The column-mapping dialog: a MappingChoice, or None (cancelled)."""
        from dicom_desktop.ui.dialogs.sheet_import import ask_column_mapping

        return ask_column_mapping(self.parent, spreadsheet, mapping)

    def show_import_problems(self, source: str, problems) -> None:
        """Every problem of a refused spreadsheet, with its row and column."""
        from dicom_desktop.ui.dialogs.sheet_import import show_import_problems

        show_import_problems(self.parent, source, problems)
