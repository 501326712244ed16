"""The command line: validate's French summary, exit codes, no traceback."""

from __future__ import annotations

import subprocess
import sys

from dicom_desktop.cli import main

from .conftest import minimal_file, write_json


def test_validate_default_file_lists_the_dicom(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "Fichier valide" in out
    assert "10 entités" in out and "bureau : 7" in out
    for name in ("Délégués adjoints", "Secrétariat général", "Bureau des campagnes", "Bureau des ressources", "Délégué"):
        assert name in out
    assert out.count("[bureau]") == 7


def test_validate_bad_file_exits_2_in_french(tmp_path, capsys):
    data = minimal_file()
    data["entities"][1]["parent"] = "inexistant"
    path = write_json(tmp_path, data)
    before = path.read_bytes()
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Erreur" in err and "entité « a »" in err and "« inexistant »" in err
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "absent.json")]) == 2
    assert "introuvable" in capsys.readouterr().err


def test_unknown_kind_warns_on_stderr_but_succeeds(tmp_path, capsys):
    data = minimal_file()
    data["entities"][1]["kind"] = "agence régionale"
    assert main(["validate", str(write_json(tmp_path, data))]) == 0
    assert "agence régionale" in capsys.readouterr().err


def test_real_entry_point_subprocess(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": 1, "organisation": ', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "dicom_desktop", "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "tronqué" in result.stderr and "ligne 1" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_usage_errors_are_french_and_exit_2(capsys):
    try:
        main(["validate", "a.json", "b.json"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "arguments non reconnus" in capsys.readouterr().err


def test_headless_commands_load_neither_qt_nor_unrelated_modules():
    code = (
        "import sys\n"
        "from dicom_desktop.cli import main\n"
        "assert main(['validate']) == 0\n"
        "assert main(['diff', 'dicom_desktop/resources/dicom-organigramme.json', 'dicom_desktop/resources/dicom-organigramme.json']) == 0\n"
        "loaded = [m for m in ('PySide6', 'reportlab', 'openpyxl') if m in sys.modules]\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    from .conftest import REPO

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
