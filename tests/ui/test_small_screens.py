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


def test_attributions_text_is_in_sight_without_scrolling(qtbot, laptop_window):
    """The panel's reason to be: on a laptop the attributions were below the fold, under the
    dates and the provenance boxes, and the user had to scroll to read them."""
    window = laptop_window
    window.select("bureau-campagnes")
    qtbot.wait(20)
    panel = window.attributions
    viewport, text = panel.scroll.viewport(), panel.paragraphs_edit
    assert panel.scroll.verticalScrollBar().value() == 0
    top = text.mapTo(viewport, text.rect().topLeft()).y()
    lines = 4 * text.fontMetrics().lineSpacing()  # at least its first lines are readable
    assert top + lines <= viewport.height(), (top, viewport.height())
    assert "Il peut concevoir" in text.toPlainText()
    # Identity fields first, then the attributions, then the other details (tab order too).
    name = panel.name_edit.mapTo(viewport, panel.name_edit.rect().topLeft()).y()
    legal = panel.legal_edit.mapTo(viewport, panel.legal_edit.rect().topLeft()).y()
    assert name < top < legal
    order, widget = [], panel.name_edit
    for _ in range(40):
        order.append(widget)
        widget = widget.nextInFocusChain()
    assert order.index(panel.head_name_edit) < order.index(text) < order.index(panel.headcount_spin)


def test_dock_tabs_show_whole_titles(laptop_window):
    """Tabbed docks on a laptop read « Plan », « Recherche », not « P… », « R… »."""
    from PySide6.QtWidgets import QTabBar

    bars = [b for b in laptop_window.findChildren(QTabBar) if b.isVisible() and b.count() > 1]
    assert bars
    for bar in bars:
        metrics = bar.fontMetrics()
        for i in range(bar.count()):
            assert bar.tabRect(i).width() >= metrics.horizontalAdvance(bar.tabText(i)), bar.tabText(i)
