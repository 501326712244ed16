"""Small screens (issue 12 §7): at 1280×720 the chart keeps ≥ 60 % of the width, the attributions
panel never cuts its text, « Organigramme seul » (F11) hides the panels, the changes list is tall enough."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from tests.conftest import DICOM_FILE
from tests.ui.conftest import ScriptedDialogs
from tests.ui.test_scenarios_ui import EXAMPLE


@pytest.fixture
def laptop_window(qtbot, settings, tmp_path):
    """A first start (no saved layout) in a 1280×720 window."""
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow

    create_application()
    win = MainWindow(settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    path = tmp_path / "dicom.json"
    shutil.copyfile(DICOM_FILE, path)
    assert win.open_path(path, prompt=False)
    qtbot.wait(30)
    yield win
    win.undo_stack.setClean()
    win.close()


def test_chart_keeps_sixty_percent_of_a_laptop_window(laptop_window):
    window = laptop_window
    assert window.view.width() >= 0.6 * window.width()
    # Every panel is still one click away: its tab is there.
    tabbed = {d.objectName() for d in window.findChildren(QDockWidget) if window.tabifiedDockWidgets(d)}
    assert {"outlineDock", "searchDock", "legendDock", "attributionsDock", "historyDock", "scenariosDock"} <= tabbed
    assert window.outline_dock.isVisible() and window.attributions_dock.isVisible()


def test_attributions_panel_wraps_and_never_clips(qtbot, laptop_window):
    window = laptop_window
    window.select("bureau-campagnes")
    panel = window.attributions
    for width in (window.attributions_dock.width(), 240):
        window.resizeDocks([window.attributions_dock], [width], Qt.Orientation.Horizontal)
        qtbot.wait(20)
        inner, viewport = panel.scroll.widget(), panel.scroll.viewport()
        # Either the content fits the visible width, or a scroll bar lets the user reach the rest.
        fits = inner.width() <= viewport.width()
        assert fits or panel.scroll.horizontalScrollBar().isVisible(), width
        text = panel.paragraphs_edit
        right = text.mapTo(viewport, text.rect().topRight()).x()
        assert right <= viewport.width() or panel.scroll.horizontalScrollBar().isVisible()


def test_focus_chart_mode_hides_the_panels_and_brings_them_back(qtbot, laptop_window):
    window = laptop_window
    shown = {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F11)
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    qtbot.wait(20)
    assert window.view.width() >= 0.95 * window.width()
    qtbot.keyClick(window.view, Qt.Key.Key_F11)
    assert {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()} == shown


def test_changes_list_gets_the_height_it_needs(qtbot, laptop_window, tmp_path):
    window = laptop_window
    path = tmp_path / "scenarios.json"
    shutil.copyfile(EXAMPLE, path)
    assert window.open_path(path, prompt=False)
    window.scenarios_panel.show_variant(window.doc.scenarios[0].id)
    window.compare.action.setChecked(True)
    qtbot.wait(50)
    changes = window.compare.panel.list
    assert changes.count() == 4
    rows = [changes.visualItemRect(changes.item(i)) for i in range(changes.count())]
    assert all(changes.viewport().rect().contains(r) for r in rows)  # every line shown, not one of four
    assert changes.verticalScrollBar().maximum() == 0
