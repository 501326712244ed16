"""Fichier › « Publier la page web (accessible)… » and the tagged PDF: same documents and defaults as the CLI."""

from __future__ import annotations

import pikepdf

from dicom_desktop.html.page import default_html_path
from dicom_desktop.html.tagged_pdf import default_tagged_path


def _file_menu_texts(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text().replace("&", "") for a in menu.actions()]


def test_file_menu_offers_the_web_page_and_the_tagged_pdf(qtbot, window):
    texts = _file_menu_texts(window)
    assert "Publier la page web (accessible)…" in texts
    assert "Exporter la notice PDF balisée (accessible)…" in texts


def test_web_page_is_written_with_the_cli_default_name(qtbot, window, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(window.dialogs, "save_path", lambda title, suggested, f="": asked.append(suggested) or tmp_path / "page")
    window.exports.act_publish_web.trigger()
    assert window.dialogs.errors == []
    assert asked == [str(default_html_path(window.doc.organisation, window.doc.path))]
    assert asked[0].endswith("DICOM-2024-09-23-notice.html")
    html = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html and "Bureau des campagnes" in html


def test_tagged_pdf_is_written_and_tagged(qtbot, window, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(window.dialogs, "save_path", lambda title, suggested, f="": asked.append(suggested) or tmp_path / "n.pdf")
    window.exports.act_export_tagged.trigger()
    assert window.dialogs.errors == []
    assert asked == [str(default_tagged_path(window.doc.organisation, "", window.doc.path))]
    with pikepdf.open(tmp_path / "n.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "fr-FR"


def test_unwritable_place_is_a_french_error(qtbot, window, tmp_path):
    window.dialogs.save_path_answer = tmp_path / "absent" / "page.html"
    assert window.exports.publish_web_page() is None
    [(title, text)] = window.dialogs.errors
    assert title == "Export impossible" and "le dossier n’existe pas" in text


def test_provenance_is_edited_in_the_attributions_panel_and_undone(qtbot, window):
    from PySide6.QtCore import Qt

    panel = window.attributions
    window.select("bureau-campagnes")
    checks = panel.inferred_checks
    assert checks["parent"].isChecked() and checks["head_title"].isChecked()
    assert not checks["attributions"].isChecked()
    qtbot.mouseClick(checks["head_title"], Qt.MouseButton.LeftButton)
    assert window.doc.graph.entity("bureau-campagnes").inferred == ["parent"]
    window.undo_stack.undo()
    assert window.doc.graph.entity("bureau-campagnes").inferred == ["parent", "head_title"]
    assert checks["head_title"].isChecked()  # the panel follows the model


def test_publishing_after_an_edit_offers_today_as_the_update_date(qtbot, window, tmp_path, monkeypatch):
    """The page says « Mis à jour le … »: publishing an edited organisation offers today's date first,
    and the suggested file name follows the new date (as export-html's default does)."""
    import datetime as dt

    from dicom_desktop.operations import UpdateEntity

    today = dt.date.today()
    window.execute(UpdateEntity("bureau-campagnes", {"name": "Bureau des grandes campagnes"}))
    asked, suggested = [], []
    window.dialogs.ask_yes_no = lambda title, text, yes="Oui", no="Non": asked.append(title) or title.startswith(
        "Date de mise à jour")
    monkeypatch.setattr(window.dialogs, "save_path",
                        lambda title, s, f="": suggested.append(s) or tmp_path / "page.html")
    window.exports.act_publish_web.trigger()
    assert asked[0].startswith("Date de mise à jour") and window.doc.organisation.updated == today
    assert suggested == [str(default_html_path(window.doc.organisation, window.doc.path))]
    assert today.isoformat() in suggested[0]
