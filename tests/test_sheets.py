"""Spreadsheet import/export: encodings, separators, XLSX, every error with its row and column,
round trips, the template and the two commands."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from dicom_desktop.cli import main
from dicom_desktop.graph import OrgGraph
from dicom_desktop.sheets import (
    SheetImportError,
    Table,
    detect_columns,
    export_csv,
    export_xlsx,
    import_file,
    import_rows,
    read_spreadsheet,
)
from dicom_desktop.sheets.columns import HEADERS
from dicom_desktop.sheets.errors import SheetReadError
from dicom_desktop.sheets.table import Row
from dicom_desktop.files.storage import dump_organisation, load_organisation
from dicom_desktop.synthetic import generate_organisation

from .conftest import DICOM_FILE

ACCENTS = "Bureau de l’écoute, des élèves à l’accueil et du cœur de métier (ça va)"

# A small organisation, as a secretary would type it: parents by *name*, French headers with
# odd spelling, « oui »/« x » booleans, two paragraphs of attributions separated by a blank line.
CSV_ROWS = [
    ["Identifiant", "Intitulé de l’entité", "NATURE", "Entité de rattachement", "Intitulé du responsable",
     "Nom du responsable", "Effectif", "Poste vacant", "Attributions"],
    ["dir", "Direction générale", "Direction", "", "Directrice générale", "Zoé Lefèvre", "120", "non", ""],
    ["sd", "Sous-direction des élèves", "sous direction", "Direction générale", "Sous-directeur", "", "30", "x",
     "Elle pilote l’accueil.\n\nElle coordonne « les œuvres »."],
    ["b1", ACCENTS, "bureau", "sd", "Cheffe de bureau", "Françoise Hébert", "12", "oui", "Écoute ; accueil ; çà et là."],
]


def _csv_text(rows, sep):
    def quote(cell):
        if any(ch in cell for ch in (sep, "\n", '"')):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "\r\n".join(sep.join(quote(c) for c in row) for row in rows) + "\r\n"


def _check_small_org(data):
    by_id = {e.id: e for e in data.entities}
    assert [e.id for e in data.entities] == ["dir", "sd", "b1"]
    assert by_id["dir"].name == "Direction générale" and by_id["dir"].kind == "direction"
    assert by_id["dir"].head_name == "Zoé Lefèvre" and by_id["dir"].headcount == 120
    assert by_id["sd"].parent == "dir" and by_id["sd"].kind == "sous-direction" and by_id["sd"].vacant is True
    assert by_id["sd"].attributions == ["Elle pilote l’accueil.", "Elle coordonne « les œuvres »."]
    assert by_id["b1"].name == ACCENTS and by_id["b1"].parent == "sd"
    assert by_id["b1"].attributions == ["Écoute ; accueil ; çà et là."]
    assert by_id["b1"].head_name == "Françoise Hébert" and by_id["b1"].vacant is True
    assert data.organisation.name == "Direction générale"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_in_each_encoding_and_separator(tmp_path, encoding, sep):
    path = tmp_path / "org.csv"
    path.write_bytes(_csv_text(CSV_ROWS, sep).encode(encoding))
    sheet = read_spreadsheet(path)
    assert f"encodage {encoding}" in sheet.description
    result = import_file(path)
    _check_small_org(result.data)


@pytest.mark.parametrize("sep", ["\t", "|"])
def test_csv_tab_and_pipe(tmp_path, sep):
    path = tmp_path / "org.txt"
    path.write_text(_csv_text(CSV_ROWS, sep), encoding="utf-8")
    _check_small_org(import_file(path).data)


def test_cp1252_is_not_mistaken_for_utf8(tmp_path):
    # « ’ » is 0x92 in Windows-1252: invalid UTF-8, must come back as the typographic apostrophe.
    path = tmp_path / "excel.csv"
    path.write_bytes("Nom;Rattachement\r\nL’équipe;\r\nCœur;L’équipe\r\n".encode("cp1252"))
    data = import_file(path).data
    assert [e.name for e in data.entities] == ["L’équipe", "Cœur"]


def test_explicit_separator_and_excel_sep_line(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("sep=,\nNom,Rattachement\nA,\nB,A\n", encoding="utf-8")
    data = import_file(path).data
    assert [(e.name, e.parent) for e in data.entities] == [("A", None), ("B", "a")]
    path.write_text("Nom;Rattachement\nA;\nB;A\n", encoding="utf-8")
    with pytest.raises(SheetImportError):  # forced comma: one column « Nom;Rattachement », no name column
        import_file(path, separator=",")


def test_xlsx_written_by_openpyxl_with_english_headers(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Org"
    ws.append(["ID", "Name", "Kind", "Parent", "Head title", "Head name", "Headcount", "Vacant", "Attributions",
               "Short name", "Legal reference", "Effective date", "Order", "Staff", "Téléphone"])
    ws.append([1, "Délégation", "délégation", None, "Délégué", None, 40, False, None, "DICOM", None,
               dt.datetime(2024, 9, 23), 1, "non", "01 40 00 00 00"])
    ws.append([3, "Bureau B", "bureau", 1, None, None, 12.0, True, "Un.\n\nDeux.", None, None, "23/09/2024", 2, None, None])
    ws.append([2, "Bureau A", "bureau", "Délégation", None, None, None, "x", None, None, None, None, 1, "non", None])
    ws.append([4, "Adjoints", "adjoint", 1, None, None, None, None, None, None, None, None, 0, "oui", None])
    path = tmp_path / "org.xlsx"
    book.save(path)
    result = import_file(path)
    data = result.data
    # Position orders siblings (0 < 1 < 2), whatever the row order.
    assert [e.id for e in data.entities] == ["1", "4", "2", "3"]
    by_id = {e.id: e for e in data.entities}
    assert by_id["1"].effective_date == dt.date(2024, 9, 23) and by_id["1"].short_name == "DICOM"
    assert by_id["3"].headcount == 12 and by_id["3"].vacant and by_id["3"].attributions == ["Un.", "Deux."]
    assert by_id["3"].effective_date == dt.date(2024, 9, 23)
    assert by_id["2"].parent == "1" and by_id["4"].staff
    assert any("Téléphone" in w for w in result.warnings)


def test_ids_generated_from_names_when_absent(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Nom;Rattachement\nDirection Générale;\nBureau A;Direction générale\nBureau A !;Direction générale\n"
                    "Bureau a;Direction générale\n", encoding="utf-8")
    ids = [e.id for e in import_file(path).data.entities]
    assert ids == ["direction-generale", "bureau-a", "bureau-a-2", "bureau-a-3"]


def test_attributions_with_chosen_separator(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Nom;Attributions\nA;Premier ¶ Second¶Troisième\n", encoding="utf-8")
    assert import_file(path, attributions_separator="¶").data.entities[0].attributions == ["Premier", "Second", "Troisième"]


def _problems(path, **kw):
    with pytest.raises(SheetImportError) as info:
        import_file(path, **kw)
    return info.value


def test_every_problem_reported_with_row_and_column(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "Identifiant;Nom;Rattachement;Effectif;Poste vacant\n"
        "root;Direction;;10;non\n"           # 2: the root
        "a;Bureau A;inconnu;5;non\n"         # 3: unknown parent
        "a;Bureau A bis;root;3;non\n"        # 4: duplicate id
        "b;Bureau B;root;douze;peut-être\n"  # 5: bad headcount, bad boolean
        "c;Autre tête;;;\n"                  # 6: second root
        "d;Boucle D;e;;\n"                   # 7: cycle d → e → d
        "e;Boucle E;d;;\n"                   # 8
        "f;;root;-3;\n",                     # 9: empty name, negative headcount
        encoding="utf-8",
    )
    error = _problems(path)
    found = {(p.row, p.column) for p in error.problems}
    assert (3, "Rattachement") in found
    assert (4, "Identifiant") in found
    assert (5, "Effectif") in found and (5, "Poste vacant") in found
    assert (6, "Rattachement") in found
    assert (7, "Rattachement") in found
    assert (9, "Nom") in found and (9, "Effectif") in found
    text = str(error)
    assert "rien n’a été importé" in text
    assert "« inconnu » ne correspond à aucune entité" in text
    assert "en double (déjà utilisé ligne 3)" in text
    assert "boucle" in text and "ligne 7" in text and "ligne 8" in text
    assert "« douze » n’est pas un nombre entier" in text
    assert "« peut-être »" in text


def test_ambiguous_parent_name_and_no_root(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Nom;Rattachement\nA;\nB;A\nB;A\nC;B\n", encoding="utf-8")
    error = _problems(path)
    assert [(p.row, p.column) for p in error.problems] == [(5, "Rattachement")]
    assert "ambigu" in str(error) and "lignes 3, 4" in str(error)
    path.write_text("Nom;Rattachement\nA;B\nB;A\n", encoding="utf-8")
    assert "boucle" in str(_problems(path))


def test_missing_name_column_lists_columns(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Code;Chef\nA;B\n", encoding="utf-8")
    text = str(_problems(path))
    assert "aucune colonne « Nom »" in text and "« Chef »" in text


def test_xlsx_broken_rows_and_links(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Entités"
    for row in (["Identifiant", "Nom", "Rattachement", "Effectif"], ["r", "Racine", None, 1], ["a", "A", "r", 2.5],
                ["b", "B", "zz", None]):
        ws.append(row)
    links = book.create_sheet("Liens")
    links.append(["Source", "Cible", "Libellé"])
    links.append(["a", "nulle part", "x"])
    path = tmp_path / "broken.xlsx"
    book.save(path)
    error = _problems(path)
    where = {(p.sheet, p.row, p.column) for p in error.problems}
    assert ("Entités", 3, "Effectif") in where
    assert ("Entités", 4, "Rattachement") in where
    assert ("Liens", 2, "Cible") in where
    assert "feuille « Liens », ligne 2, colonne « Cible »" in str(error)


def test_unreadable_files(tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(SheetReadError, match="97-2003"):
        read_spreadsheet(xls)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Nom\nA\n")
    with pytest.raises(SheetReadError, match="XLSX"):
        read_spreadsheet(fake)
    with pytest.raises(SheetReadError, match="n’existe pas"):
        path = tmp_path / "ok.xlsx"
        path.write_bytes(export_xlsx(load_organisation(DICOM_FILE).data))
        read_spreadsheet(path, sheet="Inconnue")


# --------------------------------------------------------------------------- column mapping API
def test_detect_columns_is_accent_case_space_insensitive():
    mapping = detect_columns(["  IDENTIFIANT ", "intitule de l'entite", "Rattachement", "Intitulé  du Responsable",
                              "head_name", "Etat-major", "Date d'effet", "Téléphone", "Nom"])
    assert mapping.recognised == {
        "id": "  IDENTIFIANT ", "name": "intitule de l'entite", "parent": "Rattachement", "staff": "Etat-major",
        "head_title": "Intitulé  du Responsable", "head_name": "head_name", "effective_date": "Date d'effet",
    }
    # « Nom » is a second name column: left for the user to assign.
    assert [mapping.headers[i] for i in mapping.unrecognised] == ["Téléphone", "Nom"]


def test_mapping_assigned_by_user_is_used():
    table = Table(["Libellé long", "Service parent", "Agents"],
                  [Row(2, ("Direction", None, "4")), Row(3, ("Pôle", "Direction", "2"))])
    mapping = detect_columns(table.headers)
    assert mapping.missing_required == ["name"]
    mapping = mapping.assign(0, "name").assign(1, "parent").assign(2, "headcount")
    assert mapping.unrecognised == []
    data = import_rows(table, mapping).data
    assert [(e.name, e.parent, e.headcount) for e in data.entities] == [("Direction", None, 4), ("Pôle", "direction", 2)]
    # Re-assigning a field moves it; None ignores a column.
    moved = mapping.assign(2, "name")
    assert moved.column_of("name") == 2 and moved.field_of(0) is None
    assert mapping.assign(2, None).column_of("headcount") is None


# --------------------------------------------------------------------------- export and round trips
def test_dicom_round_trip_through_xlsx_is_byte_identical(tmp_path):
    original = load_organisation(DICOM_FILE).data
    path = tmp_path / "dicom.xlsx"
    path.write_bytes(export_xlsx(original))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Entités", "Liens", "Organisation"]
    ws = book["Entités"]
    assert [c.value for c in ws[1]] == HEADERS and ws[1][0].font.bold and ws.freeze_panes == "A2"
    assert ws.cell(3, HEADERS.index("Attributions") + 1).alignment.wrap_text  # row 2 (root) has none
    assert book["Liens"].max_row == 3
    assert dump_organisation(import_file(path).data) == dump_organisation(original)


def test_synthetic_round_trip_through_xlsx(tmp_path):
    original = generate_organisation(300, seed=4)
    original = original.model_copy(update={"entities": OrgGraph.from_entities(original.entities).to_entities()})
    path = tmp_path / "synth.xlsx"
    path.write_bytes(export_xlsx(original))
    assert dump_organisation(import_file(path).data) == dump_organisation(original)


@pytest.mark.parametrize("sep,encoding", [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252")])
def test_dicom_round_trip_through_csv_keeps_entities(tmp_path, sep, encoding):
    original = load_organisation(DICOM_FILE).data
    raw = export_csv(original, separator=sep, encoding=encoding)
    if encoding == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf") and raw.split(b"\r\n")[0].count(b";") == len(HEADERS) - 1
    path = tmp_path / "dicom.csv"
    path.write_bytes(raw)
    data = import_file(path).data
    assert data.entities == original.entities
    assert data.links == []  # CSV carries entities only (documented)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Nom;Intitulé du responsable\n=SOMME(A1);+33 chef\n", encoding="utf-8")
    data = import_file(path).data
    xlsx = tmp_path / "out.xlsx"
    xlsx.write_bytes(export_xlsx(data))
    back = import_file(xlsx).data
    assert back.entities[0].name == "=SOMME(A1)" and back.entities[0].head_title == "+33 chef"


# --------------------------------------------------------------------------- commands
def test_template_command(tmp_path, capsys):
    out = tmp_path / "modele.xlsx"
    assert main(["export-sheet", "--template", "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    ws = book["Entités"]
    assert [c.value for c in ws[1]] == HEADERS and ws.max_row == 2
    assert "Aide" in book.sheetnames
    assert len(import_file(out).data.entities) == 1  # the template imports as it is
    csv_out = tmp_path / "modele.csv"
    assert main(["export-sheet", "--template", "-o", str(csv_out)]) == 0
    assert csv_out.read_bytes().decode("utf-8-sig").startswith(";".join(HEADERS))


def test_export_then_import_commands(tmp_path, capsys):
    xlsx = tmp_path / "dicom.xlsx"
    assert main(["export-sheet", str(DICOM_FILE), "-o", str(xlsx)]) == 0
    out = tmp_path / "dicom.json"
    assert main(["import", str(xlsx), "-o", str(out)]) == 0
    assert out.read_bytes() == DICOM_FILE.read_bytes()
    assert "10 entités, 2 liens" in capsys.readouterr().out
    csv_path = tmp_path / "dicom.csv"
    assert main(["export-sheet", str(DICOM_FILE), "-o", str(csv_path), "--separator", ",", "--encoding", "utf-8"]) == 0
    assert "liens fonctionnels" in capsys.readouterr().err
    # An existing organisation file is never replaced by an import (issue 17): a new name.
    assert main(["import", str(csv_path), "-o", str(out), "--name", "La DICOM"]) == 2
    assert "fichier d’organisation" in capsys.readouterr().err
    assert out.read_bytes() == DICOM_FILE.read_bytes()
    second = tmp_path / "dicom-2.json"
    assert main(["import", str(csv_path), "-o", str(second), "--name", "La DICOM"]) == 0
    assert load_organisation(second).data.organisation.name == "La DICOM"


def test_import_command_refuses_bad_input_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Nom;Rattachement;Effectif\nA;;\nB;A;beaucoup\nC;X;\n", encoding="utf-8")
    out = tmp_path / "org.json"
    out.write_bytes(b"previous")
    assert main(["import", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "ligne 3, colonne « Effectif »" in err and "ligne 4, colonne « Rattachement »" in err
    assert "Traceback" not in err
    assert out.read_bytes() == b"previous"
    assert main(["import", str(tmp_path / "absent.xlsx"), "-o", str(out)]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert main(["import", str(bad), "-o", str(out), "--sheet", "X"]) == 2
    assert "XLSX" in capsys.readouterr().err
    assert main(["import", str(bad), "-o", str(out), "--encoding", "klingon"]) == 2
    assert "encodage" in capsys.readouterr().err
    assert main(["export-sheet", str(DICOM_FILE), "-o", str(tmp_path / "x.pdf")]) == 2
    assert ".xlsx ou .csv" in capsys.readouterr().err


def test_value_beyond_the_titled_columns_is_an_error_not_lost(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text('Nom;Rattachement\nA;\n"B\nsur deux lignes";A;oubli\n', encoding="utf-8")
    error = _problems(path)
    # The quoted cell spans two text lines, but it is row 3 of the spreadsheet.
    assert [(p.row, p.column) for p in error.problems] == [(3, "C (sans titre)")]
    assert "« oubli »" in str(error)


def test_export_sheet_given_a_spreadsheet_points_to_import(tmp_path, capsys):
    sheet = tmp_path / "org.csv"
    sheet.write_text("Nom\nA\n", encoding="utf-8")
    assert main(["export-sheet", str(sheet), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "dicom-desktop import" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()
