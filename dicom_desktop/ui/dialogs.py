"""Every modal question the editor asks, in one replaceable object.

The window calls ``self.dialogs.<question>()``; tests replace these methods (monkeypatch) so that
nothing blocks. Texts are French, buttons too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

ORGANISATION_FILTER = "Organisations (*.json);;Tous les fichiers (*)"
PDF_FILTER = "Documents PDF (*.pdf)"


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
                        f"« {name} » a {descendants} subdivision{'s' if descendants > 1 else ''}.\n"
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

    def open_path(self, directory: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "Ouvrir une organisation", directory, ORGANISATION_FILTER)
        return Path(path) if path else None

    def save_path(self, title: str, suggested: str, file_filter: str = ORGANISATION_FILTER) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, file_filter)
        return Path(path) if path else None

    def print_dialog(self, printer) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, self.parent)
        dialog.setWindowTitle("Imprimer la notice")
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)
