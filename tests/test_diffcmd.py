"""``dicom-desktop diff``: French lines, JSON, scenarios named in the file, exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dicom_desktop.cli import main
from dicom_desktop.document import Document
from dicom_desktop.operations import MoveEntity, RemoveEntity, UpdateEntity
from dicom_desktop.scenarios import ActivateScenario, NewScenario

from .conftest import DICOM_FILE, minimal_file, write_json


@pytest.fixture
def files(tmp_path):
    """The DICOM file, an edited copy, and a copy holding the edit as a scenario named « Variante A »."""
    other = Document.open(DICOM_FILE)
    other.apply(MoveEntity("bureau-campagnes", "delegues-adjoints"))
    other.apply(UpdateEntity("bureau-production", {"vacant": True}))
    other_path = other.save(tmp_path / "autre.json")

    with_scenario = Document.open(DICOM_FILE)
    with_scenario.apply(NewScenario("Variante A", "Campagnes auprès des adjoints", scenario_id="variante-a"))
    with_scenario.apply(ActivateScenario("variante-a"))
    with_scenario.apply(MoveEntity("bureau-campagnes", "delegues-adjoints"))
    with_scenario.apply(RemoveEntity("bureau-communication-crise"))
    scenario_path = with_scenario.save(tmp_path / "scenarios.json")
    return tmp_path, other_path, scenario_path


def test_identical_files_exit_0(capsys):
    assert main(["diff", str(DICOM_FILE), str(DICOM_FILE)]) == 0
    assert "Aucune différence" in capsys.readouterr().out


def test_different_files_print_one_french_line_per_change_and_exit_1(files, capsys):
    _, other_path, _ = files
    assert main(["diff", str(DICOM_FILE), str(other_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Rattachement : « Bureau des campagnes » passe de « Délégation à l’information et à la communication » à « Délégués adjoints »",
        "Vacance : le poste de responsable de « Bureau de la production multimédia et événementielle » est déclaré vacant",
    ]


def test_json_format(files, capsys):
    _, other_path, _ = files
    assert main(["diff", str(DICOM_FILE), str(other_path), "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["identical"] is False and payload["count"] == 2
    assert [c["type"] for c in payload["changes"]] == ["moved", "vacancy"]
    moved = payload["changes"][0]
    assert moved["entity_id"] == "bureau-campagnes" and moved["new_parent"] == "delegues-adjoints"
    assert moved["description"].startswith("Rattachement : ")
    assert payload["base"] == {"path": str(DICOM_FILE), "scenario": None}
    assert payload["other"] == {"path": str(other_path), "scenario": None}


def test_json_identical(capsys):
    assert main(["diff", str(DICOM_FILE), str(DICOM_FILE), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["identical"] is True and payload["changes"] == []


def test_scenario_by_fragment_by_name_or_id_and_by_option(files, capsys):
    _, _, scenario_path = files
    for argv in (
        [str(scenario_path), f"{scenario_path}#Variante A"],
        [str(scenario_path), f"{scenario_path}#variante-a"],
        [str(scenario_path), str(scenario_path), "--scenario", "variante a"],
    ):
        assert main(["diff", *argv]) == 1
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 3
        assert out[0].startswith("Suppression : « Bureau de la communication de crise »")
        assert out[1].startswith("Rattachement : « Bureau des campagnes »")
        assert out[2].startswith("Lien fonctionnel supprimé : « Bureau des campagnes » → « Bureau de la communication de crise »")
    # The scenario against itself, and the base scenario option.
    assert main(["diff", f"{scenario_path}#variante-a", str(scenario_path), "--scenario", "variante-a"]) == 0
    capsys.readouterr()
    assert main(["diff", str(scenario_path), f"{scenario_path}#Variante A", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["other"] == {"path": str(scenario_path), "scenario": "variante-a"}
    assert main(["diff", str(scenario_path), str(DICOM_FILE), "--base-scenario", "Variante A"]) == 1
    capsys.readouterr()


def test_unknown_scenario_exits_2_listing_the_available_ones(files, capsys):
    _, _, scenario_path = files
    assert main(["diff", str(scenario_path), f"{scenario_path}#Variante Z"]) == 2
    err = capsys.readouterr().err
    assert "Scénario « Variante Z » introuvable" in err and "« Variante A » (variante-a)" in err
    assert main(["diff", str(scenario_path), f"{scenario_path}#variante-a", "--scenario", "autre"]) == 2
    assert "Deux scénarios différents" in capsys.readouterr().err


def test_bad_input_exits_2_in_french(tmp_path, capsys):
    broken = tmp_path / "casse.json"
    broken.write_text('{"schema_version": 1, ', encoding="utf-8")
    assert main(["diff", str(DICOM_FILE), str(broken)]) == 2
    err = capsys.readouterr().err
    assert "Erreur" in err and "casse.json" in err and "Traceback" not in err
    assert main(["diff", str(DICOM_FILE), str(tmp_path / "absent.json")]) == 2
    assert "introuvable" in capsys.readouterr().err
    data = minimal_file()
    data["entities"][1]["parent"] = "inexistant"
    assert main(["diff", str(write_json(tmp_path, data)), str(DICOM_FILE)]) == 2
    assert "« inexistant »" in capsys.readouterr().err


def test_path_containing_a_hash_still_opens(tmp_path, capsys):
    path = tmp_path / "orga#2.json"
    path.write_bytes(DICOM_FILE.read_bytes())
    assert main(["diff", str(path), str(DICOM_FILE)]) == 0


def test_real_entry_point_exit_codes(files):
    _, other_path, _ = files
    run = lambda *a: subprocess.run([sys.executable, "-m", "dicom_desktop", "diff", *a], capture_output=True, text=True, timeout=120)
    same = run(str(DICOM_FILE), str(DICOM_FILE))
    assert same.returncode == 0
    different = run(str(DICOM_FILE), str(other_path))
    assert different.returncode == 1 and "Rattachement" in different.stdout and not different.stderr
    bad = run(str(DICOM_FILE), "--format", "xml", str(other_path))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
