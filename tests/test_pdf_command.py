"""``dicom-desktop export-pdf``: default paths, French errors, exit codes, no partial file."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from pypdf import PdfReader

from dicom_desktop.files import paths
from dicom_desktop.cli import main
from dicom_desktop.pdf import PdfExportError, export_notice_pdf

from .conftest import DICOM_FILE, minimal_file, write_json


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_default_output_goes_to_exports_named_after_acronym_and_update_date(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "EXPORTS_DIR", tmp_path / "exports")
    assert main(["export-pdf", str(DICOM_FILE)]) == 0
    out = tmp_path / "exports" / "DICOM-2024-09-23-notice.pdf"
    assert out.is_file() and len(PdfReader(str(out)).pages) >= 3
    said = capsys.readouterr().out
    assert "PDF écrit" in said and str(out) in said and "organigramme sur une page" in said


def test_without_file_exports_the_bundled_dicom_organisation(tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["export-pdf", "-o", str(out), "--page-size", "A3", "--orientation", "portrait"]) == 0
    reader = PdfReader(str(out))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 1191)  # A3 portrait chart page
    assert "Délégation à l’information" in reader.metadata.author


def test_default_name_uses_today_when_no_update_date(tmp_path, monkeypatch):
    import datetime as dt

    from dicom_desktop.pdf.notice import default_output_path
    from dicom_desktop.model import Organisation

    path = default_output_path(Organisation(name="Direction d’essai / test"), tmp_path)
    assert path == tmp_path / f"Direction-d-essai-test-{dt.date.today().isoformat()}-notice.pdf"


def test_missing_output_folder_is_a_french_error_exit_2_and_no_file(tmp_path, capsys):
    out = tmp_path / "absent" / "notice.pdf"
    assert main(["export-pdf", str(DICOM_FILE), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Impossible d’écrire le PDF" in err and "dossier introuvable" in err and "Traceback" not in err
    assert not out.parent.exists()


def test_output_under_a_file_is_refused(tmp_path, capsys):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    assert main(["export-pdf", str(DICOM_FILE), "-o", str(blocker / "n.pdf")]) == 2
    assert "Impossible d’écrire le PDF" in capsys.readouterr().err
    assert _files(tmp_path) == ["fichier"]


def test_failure_while_writing_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch, capsys):
    from reportlab.platypus import BaseDocTemplate

    out = tmp_path / "notice.pdf"
    out.write_bytes(b"ancienne version")

    def full_disk(self, *args, **kwargs):
        self.filename.write(b"%PDF-1.4 partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BaseDocTemplate, "build", full_disk)
    assert main(["export-pdf", str(DICOM_FILE), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "disque plein" in err
    assert _files(tmp_path) == ["notice.pdf"]
    assert out.read_bytes() == b"ancienne version"


def test_unexpected_failure_also_removes_the_temporary_file(tmp_path, monkeypatch):
    from reportlab.platypus import BaseDocTemplate

    def broken(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(BaseDocTemplate, "build", broken)
    with pytest.raises(RuntimeError):
        export_notice_pdf(DICOM_FILE, tmp_path / "n.pdf")
    assert _files(tmp_path) == []


@pytest.mark.parametrize(
    "content",
    [
        b"{ pas du json",
        b'{"schema_version": 1, "organisation": {"name": "X"}, "entities": [], "links": []}',
        None,  # a well-formed file with an entity whose parent does not exist
    ],
)
def test_bad_input_gets_the_same_french_error_as_validate(tmp_path, capsys, content):
    if content is None:
        data = minimal_file()
        data["entities"][1]["parent"] = "inconnu"
        bad = write_json(tmp_path, data, "bad.json")
    else:
        bad = tmp_path / "bad.json"
        bad.write_bytes(content)
    assert main(["validate", str(bad)]) == 2
    expected = capsys.readouterr().err
    out = tmp_path / "n.pdf"
    assert main(["export-pdf", str(bad), "-o", str(out)]) == 2
    got = capsys.readouterr().err
    assert got == expected and got.startswith("Erreur : ")
    assert not out.exists()


def test_missing_input_file_is_exit_2(tmp_path, capsys):
    assert main(["export-pdf", str(tmp_path / "absent.json"), "-o", str(tmp_path / "n.pdf")]) == 2
    err = capsys.readouterr().err
    assert "absent.json" in err and "Traceback" not in err


def test_bad_option_values_are_refused_in_french(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export-pdf", "--page-size", "A5"])
    assert exc.value.code == 2
    assert "choix invalide" in capsys.readouterr().err
    with pytest.raises(PdfExportError):
        export_notice_pdf(DICOM_FILE, tmp_path / "n.pdf", large_chart="zoom")


def test_large_chart_option_reaches_the_export(tmp_path, capsys):
    from .test_pdf import _departments_file

    src = tmp_path / "dgt.json"
    src.write_text(_departments_file().model_dump_json(), encoding="utf-8")
    out = tmp_path / "dgt.pdf"
    assert main(["export-pdf", str(src), "-o", str(out), "--large-chart", "branches"]) == 0
    assert "une par branche" in capsys.readouterr().out
    assert main(["export-pdf", str(src), "-o", str(out), "--large-chart", "tile"]) == 0
    assert "feuilles à assembler" in capsys.readouterr().out
    assert main(["export-pdf", str(src), "-o", str(out)]) == 0  # the book, by default
    assert "une page par unité" in capsys.readouterr().out
