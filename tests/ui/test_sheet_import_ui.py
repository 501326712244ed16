"""Spreadsheets in the editor: column mapping dialog, all problems listed at once, import as a new document, export."""

from __future__ import annotations

from pathlib import Path

import pytest

from dicom_desktop.operations import UpdateEntity

# « Intitulé complet » is not in the vocabulary: the name column must be assigned by hand.
GOOD_CSV = (
    "Identifiant;Intitulé complet;Type;Rattachement;Responsable;Attributions\n"
    "dir;Direction de l’essai;direction;;Mme Émilie Durand;Diriger.\n"
    "b1;Bureau des études;bureau;dir;M. Léo Petit;Étudier.\n"
    "b2;Bureau de la diffusion;bureau;Direction de l’essai;;Diffuser.\n"
)
BAD_CSV = (
    "Identifiant;Intitulé complet;Type;Rattachement\n"
    "dir;Direction;direction;\n"
    "b1;Bureau un;bureau;dir\n"
    "b1;Bureau deux;bureau;x\n"
    "b3;Bureau trois;bureau;inconnu\n"
)


def write(tmp_path, name, text, encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def mapping_dialog(path):
    from dicom_desktop.sheets import detect_columns, read_spreadsheet
    from dicom_desktop.ui.dialogs.sheet_import import ColumnMappingDialog

    spreadsheet = read_spreadsheet(path)
    return ColumnMappingDialog(spreadsheet, detect_columns(spreadsheet.entities.headers))


def assign_name_column(window, column=1):
    """Answer the mapping question as a user would: pick « Nom » in the combo of ``column``."""
    seen = {}

    def answer(spreadsheet, mapping):
        from dicom_desktop.ui.dialogs.sheet_import import ColumnMappingDialog

        dialog = ColumnMappingDialog(spreadsheet, mapping, window)
        seen["ok_before"] = dialog.ok_button.isEnabled()
        combo = dialog.combos[column]
        combo.setCurrentIndex(combo.findData("name"))
        seen["ok_after"] = dialog.ok_button.isEnabled()
        seen["mapping"] = dialog.mapping()
        return dialog.choice()

    window.dialogs.ask_column_mapping = answer
    return seen


@pytest.fixture
def problems_seen(window):
    shown = []
    window.dialogs.show_import_problems = lambda source, problems: shown.append((source, problems))
    return shown


def test_mapping_dialog_prefills_and_lets_the_user_assign_a_column(qtbot, tmp_path):
    dialog = mapping_dialog(write(tmp_path, "essai.csv", GOOD_CSV))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 6
    assert dialog.combos[0].currentData() == "id" and dialog.combos[3].currentData() == "parent"
    assert dialog.combos[1].currentData() is None  # « Intitulé complet »: not recognised → (ignorer)
    assert dialog.table.item(1, 1).text() == "Direction de l’essai"  # a sample value
    assert not dialog.ok_button.isEnabled() and "Nom" in dialog.status.text()
    dialog.set_field(1, "name")
    assert dialog.ok_button.isEnabled()
    assert dialog.mapping().column_of("name") == 1
    assert "Nom" in dialog.preview.horizontalHeaderItem(1).text()
    assert dialog.preview.rowCount() == 3 and dialog.preview.item(0, 1).text() == "Direction de l’essai"
    # A field feeds from one column: choosing « Identifiant » elsewhere frees the first column.
    dialog.set_field(2, "id")
    assert dialog.combos[0].currentData() is None and dialog.mapping().column_of("id") == 2
    dialog.set_field(1, None)
    assert not dialog.ok_button.isEnabled()


def test_import_with_assigned_column_opens_a_new_unsaved_document(window, tmp_path):
    path = write(tmp_path, "essai.csv", GOOD_CSV, encoding="cp1252")
    window.dialogs.open_sheet_path = lambda directory: path
    seen = assign_name_column(window)
    assert window.import_sheet()
    assert seen["ok_before"] is False and seen["ok_after"] is True
    graph = window.doc.graph
    assert window.doc.path is None and window.isWindowModified() and "Sans titre" in window.windowTitle()
    assert [graph.entity(i).name for i in graph.preorder()] == [
        "Direction de l’essai", "Bureau des études", "Bureau de la diffusion"]
    assert graph.parent("b2") == "dir"  # parent given by name
    assert graph.entity("dir").head_name == "Mme Émilie Durand"
    assert set(window.scene.box_items()) == {"dir", "b1", "b2"}
    # Closing or opening another file now asks first: the import is not lost silently.
    window.dialogs.save_answer = "cancel"
    assert not window.maybe_save() and window.dialogs.asked_save == 1


def test_all_problems_listed_at_once_and_nothing_imported(window, tmp_path, problems_seen):
    path = write(tmp_path, "casse.csv", BAD_CSV)
    window.dialogs.open_sheet_path = lambda directory: path
    assign_name_column(window)
    before = window.doc
    assert not window.import_sheet()
    assert window.doc is before and not window.isWindowModified()
    (source, problems), = problems_seen
    assert source == "casse.csv"
    where = sorted((p.row, p.column) for p in problems)
    assert where == [(4, "Identifiant"), (4, "Rattachement"), (5, "Rattachement")]
    assert any("b1" in p.message and "double" in p.message for p in problems)


def test_problems_dialog_shows_row_and_column_of_each_problem(qtbot):
    from dicom_desktop.sheets.errors import RowProblem
    from dicom_desktop.ui.dialogs.sheet_import import ImportProblemsDialog

    problems = [RowProblem("identifiant « b1 » en double", 4, "Identifiant"),
                RowProblem("rattachement « x » inconnu", 5, "Rattachement")]
    dialog = ImportProblemsDialog("casse.csv", problems)
    qtbot.addWidget(dialog)
    cells = [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]
    assert cells == [["4", "Identifiant", "identifiant « b1 » en double"], ["5", "Rattachement", "rattachement « x » inconnu"]]
    assert "ligne 4" in dialog.as_text() and "colonne « Rattachement »" in dialog.as_text()


def test_import_over_unsaved_changes_asks_first(window, tmp_path):
    window.execute(UpdateEntity("bureau-production", {"short_name": "Prod"}))
    asked_file = []
    window.dialogs.open_sheet_path = lambda directory: asked_file.append(directory)
    window.dialogs.save_answer = "cancel"
    assert not window.import_sheet()
    assert window.dialogs.asked_save == 1 and asked_file == []
    assert window.doc.graph.entity("bureau-production").short_name == "Prod"


def test_unreadable_sheet_and_cancelled_mapping_change_nothing(window, tmp_path):
    window.dialogs.open_sheet_path = lambda directory: tmp_path / "absent.xlsx"
    before = window.doc
    assert not window.import_sheet()
    title, text = window.dialogs.errors[-1]
    assert title == "Import impossible" and "absent.xlsx" in text
    window.dialogs.open_sheet_path = lambda directory: write(tmp_path, "ok.csv", GOOD_CSV)
    window.dialogs.ask_column_mapping = lambda spreadsheet, mapping: None
    assert not window.import_sheet() and window.doc is before


def test_export_sheet_round_trip_and_template(window, tmp_path):
    from dicom_desktop.sheets import import_file, read_spreadsheet

    window.dialogs.save_path_answer = tmp_path / "dicom"  # no extension: XLSX
    assert window.exports.export_sheet() == tmp_path / "dicom.xlsx"
    data = import_file(tmp_path / "dicom.xlsx").data
    original = window.doc.to_file_model()
    assert data.entities == original.entities and data.links == original.links
    window.dialogs.save_path_answer = tmp_path / "modele.csv"
    assert window.exports.save_sheet_template() == tmp_path / "modele.csv"
    template = read_spreadsheet(tmp_path / "modele.csv")
    assert "Nom" in template.entities.headers and len(template.entities.rows) == 1
    assert window.act_import_sheet in window.file_menu.actions()
    assert window.exports.act_sheet_template in window.file_menu.actions()
