"""« Exporter le dossier de réorganisation (PDF)… »: enabled with a scenario on screen, writes its dossier."""

from __future__ import annotations

from pypdf import PdfReader

from tests.ui.test_scenarios_ui import FUSION, choose, scenario_window  # noqa: F401 - fixture


def test_action_follows_the_scenario_on_screen_and_writes_its_dossier(qtbot, scenario_window, tmp_path):
    window = scenario_window
    assert not window.exports.act_export_dossier.isEnabled()  # current organisation on screen
    choose(window, 1)
    assert window.doc.active_scenario == FUSION
    assert window.exports.act_export_dossier.isEnabled()
    window.dialogs.save_path_answer = tmp_path / "dossier"  # no extension: .pdf is added
    window.exports.act_export_dossier.trigger()
    out = tmp_path / "dossier.pdf"
    assert window.dialogs.errors == []
    reader = PdfReader(str(out))
    assert reader.metadata.title.endswith("Campagnes auprès des adjoints, veille et influence fusionnées")
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Rattachement : « Délégués adjoints »" in text
    choose(window, 0)
    assert not window.exports.act_export_dossier.isEnabled()


def test_unwritable_place_is_a_french_error_and_no_file(qtbot, scenario_window, tmp_path):
    window = scenario_window
    choose(window, 2)
    window.dialogs.save_path_answer = tmp_path / "absent" / "dossier.pdf"
    assert window.exports.export_dossier() is None
    [(title, text)] = window.dialogs.errors
    assert title == "Export PDF impossible" and "dossier introuvable" in text
    assert not (tmp_path / "absent").exists()
