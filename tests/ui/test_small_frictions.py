"""Small frictions of the daily loop (issue 12 §10): undo labels, search keys, stable scenario buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_undo_menu_names_the_rename_result(qtbot, window):
    window.gestures.commit_rename("bureau-campagnes", "Bureau des grandes campagnes")
    assert window.act_undo.text() == "&Annuler Renommer « Bureau des campagnes » en « Bureau des grandes campagnes »"


def test_search_enter_and_f3_go_to_the_next_result_escape_clears(qtbot, window):
    window.focus_search()
    field = window.search.field
    qtbot.keyClicks(field, "bureau")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    results = [window.search.results.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(window.search.results.count())]
    assert len(results) >= 3
    assert window.selection.current == results[0]
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.selection.current == results[1]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.selection.current == results[2]
    qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.selection.current == results[1]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "" and window.search.matches is None and window.search.results.count() == 0


def test_scenario_buttons_keep_their_place_whatever_the_description(qtbot, window):
    from dicom_desktop.scenarios import NewScenario, RenameScenario

    panel = window.scenarios_panel
    window.scenarios_dock.show()
    window.execute(NewScenario("Variante", "Courte."))
    panel.show_variant(window.doc.scenarios[-1].id)
    buttons = [panel.new_button, panel.rename_button, panel.duplicate_button, panel.delete_button,
               panel.adopt_button, panel.compare_button]

    def places():
        qtbot.wait(20)
        return [b.mapTo(panel, b.rect().topLeft()) for b in buttons]

    short = places()
    long_text = " ".join(["Une description très longue de la variante, qui occupe plusieurs lignes."] * 8)
    window.execute(RenameScenario(window.doc.scenarios[-1].id, "Variante", long_text))
    panel.refresh()
    assert panel.details.text().endswith("plusieurs lignes.")
    assert places() == short
    panel.show_variant(None)
    assert places() == short


def test_no_placeholder_organisation_while_a_large_file_loads(qtbot, settings, tmp_path):
    from dicom_desktop.files.storage import save_organisation
    from dicom_desktop.synthetic import generate_organisation
    from dicom_desktop.ui.main_window import MainWindow
    from tests.ui.conftest import ScriptedDialogs

    path = tmp_path / "grande-organisation.json"
    save_organisation(generate_organisation(3000, seed=5), path)
    win = MainWindow(settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.view.viewport().isVisible()
    seen = []
    win.files.open_progress_hook = lambda label, dialog: seen.append(
        (win.view.viewport().isVisible(), win.outline.isVisible(), win.windowTitle()))
    assert win.open_path(path, prompt=False)
    assert seen and all(not chart and not outline for chart, outline, _ in seen)
    assert all("Nouvelle organisation" not in title and "grande-organisation.json" in title for *_, title in seen)
    assert win.view.viewport().isVisible() and win.outline.isVisible()
    assert "grande-organisation.json" in win.windowTitle()
    win.close()
