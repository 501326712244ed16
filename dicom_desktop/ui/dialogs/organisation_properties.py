"""« Organisation › Propriétés… »: every field of the organisation itself, as one undo step.

The dialog edits a copy of the organisation's fields (name, acronym, « mise à jour » date, legal
basis, source, missions, notes) and returns only what changed; the caller applies it as one
``UpdateOrganisation`` on the undo stack. Also here: the question asked before a notice is
exported, printed or published when the organisation changed since its « mise à jour » date.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from dicom_desktop.model import Organisation
from dicom_desktop.operations import UpdateOrganisation
from dicom_desktop.ui.panels.attributions import join_paragraphs, split_paragraphs

FIELD_LABELS = {
    "name": "nom", "acronym": "sigle", "updated": "date de mise à jour", "legal_basis": "base juridique",
    "source": "source", "missions": "missions", "notes": "notes",
}


def _qdate(day: _dt.date | None) -> QDate:
    day = day or _dt.date.today()
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> _dt.date:
    return _dt.date(value.year(), value.month(), value.day())


class OrganisationPropertiesDialog(QDialog):
    """The organisation's fields in one form; ``changes()`` gives what the user changed."""

    def __init__(self, organisation: Organisation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("organisationPropertiesDialog")
        self.setWindowTitle("Propriétés de l’organisation")
        self._original = organisation
        self.name_edit = QLineEdit(organisation.name)
        self.acronym_edit = QLineEdit(organisation.acronym)
        self.acronym_edit.setPlaceholderText("ex. DICOM")
        self.has_date = QCheckBox("Mise à jour du")
        self.has_date.setChecked(organisation.updated is not None)
        self.date_edit = QDateEdit(_qdate(organisation.updated))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setEnabled(organisation.updated is not None)
        self.has_date.toggled.connect(self.date_edit.setEnabled)
        today = QPushButton("Aujourd’hui")
        today.setObjectName("todayButton")
        today.clicked.connect(self.set_today)
        self.legal_edit = self._paragraph(organisation.legal_basis, 60, "Décret, arrêté… qui fondent l’organisation")
        self.source_edit = self._paragraph(organisation.source, 50, "D’où viennent ces informations")
        self.missions_edit = self._paragraph(join_paragraphs(organisation.missions), 140,
                                             "Un paragraphe par bloc, séparés par une ligne vide.")
        self.notes_edit = self._paragraph(organisation.notes, 50, "Notes internes (non publiées)")
        for widget, name in ((self.name_edit, "orgNameEdit"), (self.acronym_edit, "orgAcronymEdit"),
                             (self.date_edit, "orgDateEdit"), (self.has_date, "orgHasDate"),
                             (self.legal_edit, "orgLegalEdit"), (self.source_edit, "orgSourceEdit"),
                             (self.missions_edit, "orgMissionsEdit"), (self.notes_edit, "orgNotesEdit")):
            widget.setObjectName(name)
        date_row = QHBoxLayout()
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.date_edit)
        date_row.addWidget(today)
        date_row.addStretch(1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Nom :", self.name_edit)
        form.addRow("Sigle :", self.acronym_edit)
        form.addRow("Date :", date_row)
        form.addRow("Base juridique :", self.legal_edit)
        form.addRow("Source :", self.source_edit)
        form.addRow("Missions :", self.missions_edit)
        form.addRow("Notes :", self.notes_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("orgPropertiesError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(620, 640)

    @staticmethod
    def _paragraph(text: str, height: int, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(height)
        return edit

    def set_today(self) -> None:
        self.has_date.setChecked(True)
        self.date_edit.setDate(QDate.currentDate())

    def values(self) -> dict:
        return {
            "name": self.name_edit.text().strip(),
            "acronym": self.acronym_edit.text().strip(),
            "updated": _pydate(self.date_edit.date()) if self.has_date.isChecked() else None,
            "legal_basis": self.legal_edit.toPlainText().strip(),
            "source": self.source_edit.toPlainText().strip(),
            "missions": split_paragraphs(self.missions_edit.toPlainText()),
            "notes": self.notes_edit.toPlainText().strip(),
        }

    def changes(self) -> dict:
        """Only the fields whose value differs from the organisation's."""
        return {key: value for key, value in self.values().items() if getattr(self._original, key) != value}

    def accept(self) -> None:  # noqa: D401 - Qt API
        """Refuse an empty name or a text the file cannot hold, in French, before closing."""
        problem = properties_problem(self._original, self.changes())
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        super().accept()


def properties_problem(organisation: Organisation, changes: dict) -> str:
    """The French reason why ``changes`` cannot be applied ('' when they can)."""
    if "name" in changes and not changes["name"]:
        return "Le nom de l’organisation ne peut pas être vide."
    data = organisation.model_dump()
    data.update(changes)
    try:
        Organisation.model_validate(data)
    except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        return f"Propriétés refusées : {exc}"
    return ""


def properties_operation(changes: dict) -> UpdateOrganisation:
    """One undo step for every changed field, its label naming them."""
    if set(changes) == {"updated"}:
        day = changes["updated"]
        label = f"Date de mise à jour : {day.strftime('%d/%m/%Y')}" if day else "Retirer la date de mise à jour"
    elif set(changes) == {"name"}:
        label = f"Renommer l’organisation en « {changes['name']} »"
    else:
        label = "Propriétés de l’organisation : " + ", ".join(FIELD_LABELS.get(k, k) for k in changes)
    return UpdateOrganisation(dict(changes), label=label)


def ask_properties(parent: QWidget, organisation: Organisation) -> dict | None:
    """The modal dialog (Dialogs.ask_organisation_properties calls this): changes, or None."""
    dialog = OrganisationPropertiesDialog(organisation, parent)
    return dialog.changes() if dialog.exec() == QDialog.DialogCode.Accepted else None


def offer_today(organisation: Organisation, edited: bool, ask_yes_no: Callable[..., bool],
                execute: Callable[[object], bool], today: _dt.date | None = None) -> bool:
    """Before a notice goes out: if the organisation was edited since its « mise à jour » date,
    offer to set that date to today (one undo step). Returns True when the date was changed."""
    today = today or _dt.date.today()
    if not edited or organisation.updated is None or organisation.updated >= today:
        return False
    from dicom_desktop.wording import french_date  # the notice's own date wording

    if not ask_yes_no("Date de mise à jour de la notice",
                      f"L’organisation a été modifiée, mais la notice indiquera « mise à jour du "
                      f"{french_date(organisation.updated)} ».\n\nMettre la date de mise à jour au "
                      f"{french_date(today)} ?", yes="Mettre à jour la date", no="Garder la date"):
        return False
    return execute(properties_operation({"updated": today}))
