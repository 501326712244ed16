"""« Disposition compacte » in the editor, and functional links routed by the core."""

from __future__ import annotations

from PySide6.QtGui import QPainterPath

from dicom_desktop.chart.linkroute import route_link
from dicom_desktop.files.storage import save_organisation
from dicom_desktop.synthetic import generate_organisation
from dicom_desktop.ui.chart.chart_items import LinkItem


def test_links_are_drawn_as_the_core_routes_them(window):
    scene = window.scene
    items = [i for i in scene.items() if isinstance(i, LinkItem)]
    assert len(items) == len(window.doc.graph.links) == 2
    layout = scene.layout_result
    for item in items:
        curve = route_link(layout.boxes[item.source], layout.boxes[item.target], layout)
        path = item.path()
        assert path.elementCount() == len(curve) >= 4  # moveTo + 3 elements per cubic piece
        assert path.elementAt(1).type == QPainterPath.ElementType.CurveToElement
        points = [(round(path.elementAt(k).x, 6), round(path.elementAt(k).y, 6)) for k in range(len(curve))]
        assert points == [(round(x, 6), round(y, 6)) for x, y in curve]


def test_compact_layout_toggle(window, tmp_path):
    # The small DICOM chart keeps the classic tree; the action reflects it.
    assert not window.scene.compact_active() and not window.act_compact.isChecked()
    assert window.act_compact in window.view_menu.actions()
    path = tmp_path / "grande.json"
    save_organisation(generate_organisation(1000), path)
    assert window.open_path(path, prompt=False)
    scene = window.scene
    # Large chart: on by default, small branches hang as lists, the chart near landscape.
    assert scene.compact_active() and window.act_compact.isChecked()
    compact = scene.layout_result
    assert compact.hanging and compact.width / compact.height < 4
    window.act_compact.trigger()  # the user turns it off
    assert not window.act_compact.isChecked() and not scene.compact_active()
    classic = scene.layout_result  # wide rows fold into two columns: near square, but larger
    assert classic.hanging == frozenset() and classic.width * classic.height > 2 * compact.width * compact.height
    assert len(classic.boxes) == len(compact.boxes) == 1000
    window.act_compact.trigger()
    assert window.act_compact.isChecked() and scene.layout_result.hanging
