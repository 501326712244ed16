"""« Comparer avec l’organisation actuelle »: badges on the right boxes, ghosts, the changes list."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor

from dicom_desktop.operations import UpdateEntity
from dicom_desktop.ui.chart.chart_items import EntityBoxItem, GhostBoxItem
from dicom_desktop.comparison.change_styles import CHANGE_STYLES
from tests.ui.test_scenarios_ui import FUSION, choose, scenario_window  # noqa: F401 - fixture


def badge(window, entity_id):
    item = window.scene.item_for(entity_id)
    return item._badge[0] if item is not None and item._badge else None


def ghosts(window):
    return [i for i in window.scene.items() if isinstance(i, GhostBoxItem)]


def test_comparison_marks_changed_boxes_ghosts_removed_ones_and_lists_changes(qtbot, scenario_window):
    window = scenario_window
    choose(window, 1)
    window.compare.action.trigger()  # Affichage › Comparer avec l’organisation actuelle
    assert window.compare.enabled and window.compare.dock.isVisible()
    assert badge(window, "bureau-campagnes") == "Déplacé"
    assert window.scene.item_for("bureau-campagnes")._highlight.name() == CHANGE_STYLES["moved"].color
    assert badge(window, "bureau-influence-digital").startswith("Fusionné +")  # also renamed, new attributions
    assert badge(window, "bureau-production") is None  # unchanged boxes stay plain
    [ghost] = ghosts(window)
    assert ghost.entity_id == "bureau-veille-opinion"
    ghost_rect = ghost.mapRectToScene(ghost.box_rect())
    for item in window.scene.box_items().values():  # drawn where it hides no box
        assert not ghost_rect.intersects(item.mapRectToScene(item.box_rect()))
    lines = [window.compare.panel.list.item(i).text() for i in range(window.compare.panel.list.count())]
    assert len(lines) == len(window.compare.diff) == 4
    assert any(line.startswith("Fusion : ") and line.endswith("absorbe « Bureau de la veille et de l’opinion »") for line in lines)
    assert "4 changements" in window.variant_banner.toolTip()


def test_clicking_a_change_selects_its_boxes(qtbot, scenario_window):
    window = scenario_window
    choose(window, 1)
    window.compare.set_enabled(True)
    changes = window.compare.panel.list
    row = next(i for i in range(changes.count()) if changes.item(i).text().startswith("Rattachement"))
    rect = changes.visualItemRect(changes.item(row))
    qtbot.mouseClick(changes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selection.ids == ("bureau-campagnes",)
    assert window.scene.item_for("bureau-campagnes").isSelected()
    row = next(i for i in range(changes.count()) if changes.item(i).text().startswith("Fusion"))
    rect = changes.visualItemRect(changes.item(row))
    qtbot.mouseClick(changes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selection.ids == ("bureau-influence-digital",)  # the absorbed one is only a ghost


def test_comparison_follows_edits_live_and_switches(qtbot, scenario_window):
    window = scenario_window
    choose(window, 1)
    window.compare.set_enabled(True)
    assert window.execute(UpdateEntity("bureau-production", {"name": "Bureau de la vidéo"}))
    assert badge(window, "bureau-production") == "Renommé"
    assert len(window.compare.diff) == 5
    assert window.compare.panel.list.count() == 5
    window.undo_stack.undo()
    assert badge(window, "bureau-production") is None
    assert window.compare.panel.list.count() == 4
    # Collapsing relayouts the chart: ghosts are drawn again, not lost.
    window.navigation.toggle_collapse("delegue")
    window.navigation.toggle_collapse("delegue")
    assert len(ghosts(window)) == 1
    # The current organisation has nothing to compare: no marks, an explanation.
    choose(window, 0)
    assert badge(window, "bureau-campagnes") is None and ghosts(window) == []
    assert "Affichez un scénario" in window.compare.panel.summary.text()
    choose(window, 2)
    assert window.compare.panel.list.count() == len(window.compare.diff) > 0
    assert any(badge(window, i) for i in window.doc.graph.preorder())


def test_turning_the_comparison_off_removes_every_mark(qtbot, scenario_window):
    window = scenario_window
    choose(window, 1)
    window.compare.set_enabled(True)
    window.compare.set_enabled(False)
    assert not window.compare.action.isChecked()
    assert not window.compare.dock.isVisible()
    assert ghosts(window) == []
    assert all(not item._badge and item._highlight is None
               for item in window.scene.box_items().values() if isinstance(item, EntityBoxItem))


def test_screenshot_of_a_comparison(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from dicom_desktop.ui.screenshot_command import render_screenshot
    from tests.ui.test_scenarios_ui import EXAMPLE

    out = render_screenshot(EXAMPLE, tmp_path / "cmp.png", size=(1200, 800), scenario=FUSION, compare=True)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)


def test_turning_comparison_on_refits_to_show_the_ghosts(qtbot, scenario_window):
    """Issue 12 §8: ghosts of removed or absorbed entities lie beside the chart: the view includes them."""
    window = scenario_window
    choose(window, 1)
    window.view.fit_chart()
    window.view.set_zoom(1.3)
    window.view.centerOn(0, 0)
    window.compare.action.setChecked(True)
    qtbot.wait(30)
    ghosts = window.scene._ghosts  # noqa: SLF001
    assert ghosts
    shown = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    for ghost in ghosts:
        assert shown.contains(ghost.sceneBoundingRect()), ghost.entity.name
    assert shown.contains(QRectF(0, 0, window.scene.layout_result.width, window.scene.layout_result.height))


def test_selection_colour_is_no_change_colour():
    """Issue 12 §8: selection and « Déplacé » were both orange."""
    import math

    from dicom_desktop.comparison.change_styles import CHANGE_STYLES
    from dicom_desktop.ui.chart.chart_items import SEARCH_COLOR, SELECTION_COLOR

    def lab(color):
        def linear(c):
            return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

        r, g, b = (linear(v) for v in (color.redF(), color.greenF(), color.blueF()))
        x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
        y = r * 0.2126 + g * 0.7152 + b * 0.0722
        z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883
        f = lambda v: v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116  # noqa: E731
        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    selection = lab(SELECTION_COLOR)
    for kind, style in list(CHANGE_STYLES.items()) + [("search", type("S", (), {"color": SEARCH_COLOR.name()}))]:
        assert math.dist(selection, lab(QColor(style.color))) > 30, kind  # CIE76 ΔE: clearly another colour
