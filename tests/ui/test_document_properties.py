"""The document's own fields (issue 12 §1) and the PDF export's options (§6), on the real window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from dicom_desktop.operations import UpdateEntity
from tests.test_pdf import normalise, page_texts
from tests.ui.helpers import click_box


def fill_properties_dialog(qtbot, window, edit):
    """Open the real « Propriétés… » dialog, let ``edit(dialog)`` type, press OK."""
    from dicom_desktop.ui.dialogs.organisation_properties import ask_properties

    def answer(organisation):
        from PySide6.QtCore import QTimer

        def drive():
            from PySide6.QtWidgets import QApplication

            dialog = QApplication.activeModalWidget()
            edit(dialog)
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
            if dialog.isVisible():
                dialog.reject()

        QTimer.singleShot(50, drive)
        return ask_properties(window, organisation)

    window.dialogs.properties_answer = answer


def test_properties_dialog_edits_every_organisation_field_as_one_undo_step(qtbot, window):
    before = window.doc.organisation

    def edit(dialog):
        dialog.name_edit.setText("Délégation à l’information et à la communication (DICOM)")
        dialog.acronym_edit.setText("DICOM-MS")
        dialog.date_edit.setDate(QDate(2026, 3, 1))
        dialog.legal_edit.setPlainText("Décret n° 2026-1 du 2 janvier 2026.")
        dialog.source_edit.setPlainText("Secrétariat de la DICOM")
        dialog.missions_edit.setPlainText("Première mission.\n\nSeconde mission.")

    fill_properties_dialog(qtbot, window, edit)
    steps = window.undo_stack.count()
    window.act_org_properties.trigger()
    org = window.doc.organisation
    assert org.acronym == "DICOM-MS" and org.updated == dt.date(2026, 3, 1)
    assert org.legal_basis == "Décret n° 2026-1 du 2 janvier 2026." and org.source == "Secrétariat de la DICOM"
    assert org.missions == ["Première mission.", "Seconde mission."]
    assert org.name.endswith("(DICOM)")
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText().startswith("Propriétés de l’organisation : nom, sigle, date")
    window.undo_stack.undo()
    assert window.doc.organisation == before
    assert "Propriétés…" in [a.text().replace("&", "") for a in window.organisation_menu.actions()]


def test_properties_dialog_refuses_an_empty_name_in_french(qtbot, window):
    from dicom_desktop.ui.dialogs.organisation_properties import OrganisationPropertiesDialog

    dialog = OrganisationPropertiesDialog(window.doc.organisation, window)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("  ")
    dialog.accept()
    assert dialog.error_label.isVisibleTo(dialog) and "ne peut pas être vide" in dialog.error_label.text()
    assert dialog.result() == 0


def test_entity_effective_date_is_edited_in_the_panel(qtbot, window):
    click_box(qtbot, window, "bureau-campagnes")
    edit = window.attributions.effective_date_edit
    initial = window.doc.graph.entity("bureau-campagnes").effective_date
    assert edit.text() == (initial.strftime("%d/%m/%Y") if initial else "—")
    edit.setFocus()
    edit.setDate(QDate(2026, 9, 1))
    edit.editingFinished.emit()
    assert window.doc.graph.entity("bureau-campagnes").effective_date == dt.date(2026, 9, 1)
    assert window.undo_stack.undoText() == "Date d’effet de « Bureau des campagnes » : 01/09/2026"
    edit.setDate(edit.minimumDate())  # « — »: no date
    edit.editingFinished.emit()
    assert window.doc.graph.entity("bureau-campagnes").effective_date is None
    assert edit.text() == "—"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.doc.graph.entity("bureau-campagnes").effective_date == initial


def test_export_after_an_edit_offers_today_as_the_update_date(qtbot, window, tmp_path):
    today = dt.date.today()
    assert window.doc.organisation.updated < today
    window.execute(UpdateEntity("bureau-campagnes", {"name": "Bureau des grandes campagnes"}))
    asked = []

    def yes_no(title, text, yes="Oui", no="Non"):
        asked.append(text)
        return title.startswith("Date de mise à jour")

    window.dialogs.ask_yes_no = yes_no
    window.dialogs.save_path_answer = tmp_path / "notice.pdf"
    out = window.exports.export_pdf()
    assert out is not None and "mise à jour du 23 septembre 2024" in normalise(asked[0])
    assert window.doc.organisation.updated == today
    assert window.undo_stack.undoText().startswith("Date de mise à jour")
    from dicom_desktop.wording import french_date

    text = normalise(" ".join(page_texts(out)))
    assert f"mise à jour du {normalise(french_date(today))}" in text, text[:300]


def test_no_date_question_for_an_unedited_organisation(qtbot, window, tmp_path):
    asked = []
    window.dialogs.ask_yes_no = lambda title, text, yes="Oui", no="Non": asked.append(title) or False
    window.dialogs.save_path_answer = tmp_path / "notice.pdf"
    assert window.exports.export_pdf() is not None
    assert not any(t.startswith("Date de mise à jour") for t in asked)


def test_pdf_export_dialog_offers_the_command_line_choices_and_remembers_them(qtbot, window, tmp_path):
    from pypdf import PdfReader

    from dicom_desktop.pdf.page_options import LARGE_CHART_CHOICES, ORIENTATION_CHOICES, PAGE_SIZE_CHOICES
    from dicom_desktop.ui.dialogs.pdf_options import PdfOptionsDialog, load_options

    shown = {}

    def answer(options):
        dialog = PdfOptionsDialog(options, window)
        qtbot.addWidget(dialog)
        for combo, key in ((dialog.page_size, "sizes"), (dialog.orientation, "orientations"),
                           (dialog.large_chart, "modes")):
            shown[key] = tuple(combo.itemData(i) for i in range(combo.count()))
        shown["initial"] = dialog.options()
        dialog.page_size.setCurrentIndex(dialog.page_size.findData("A3"))
        dialog.orientation.setCurrentIndex(dialog.orientation.findData("portrait"))
        return dialog.options()

    window.dialogs.pdf_options_answer = answer
    window.dialogs.save_path_answer = tmp_path / "notice.pdf"
    out = window.exports.export_pdf()
    assert shown["sizes"] == PAGE_SIZE_CHOICES and shown["orientations"] == ORIENTATION_CHOICES
    assert shown["modes"] == LARGE_CHART_CHOICES
    assert (shown["initial"].page_size, shown["initial"].orientation) == ("A4", "landscape")
    chart_page = PdfReader(out).pages[0].mediabox
    assert (round(float(chart_page.width)), round(float(chart_page.height))) == (842, 1191)  # A3 portrait
    remembered = load_options(window.settings)
    assert (remembered.page_size, remembered.orientation) == ("A3", "portrait")
    window.exports.export_pdf()
    assert (shown["initial"].page_size, shown["initial"].orientation) == ("A3", "portrait")
