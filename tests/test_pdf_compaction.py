"""The PDF chart uses the compact layout when it fits on fewer sheets (pure core + ReportLab)."""

from __future__ import annotations

from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Entity, Organisation
from dicom_desktop.pdf.chart import geometry_for_graph
from dicom_desktop.pdf.chartpages import plan_chart
from dicom_desktop.pdf.chartplan import TILE_SCALE, _tiles
from dicom_desktop.synthetic import generate_organisation

A4_LANDSCAPE_FRAME = (770.0, 520.0)  # about an A4 landscape page inside its margins
ORG = Organisation(name="Direction d’essai", missions=[])


def test_four_departments_fit_one_page_only_when_compact():
    entities = [Entity(id="dir", name="Direction", kind="direction")]
    for d in range(4):
        entities.append(Entity(id=f"d{d}", name=f"Département {d}", kind="département", parent="dir", order=d))
        entities += [Entity(id=f"b{d}{b}", name=f"Bureau {d}.{b}", parent=f"d{d}", order=b) for b in range(4)]
    graph = OrgGraph.from_entities(entities, [])
    plan = plan_chart(graph, ORG, A4_LANDSCAPE_FRAME)
    assert plan.mode == "single"
    geom = plan.pages[0].geom
    assert geom.layout.hanging == {"d0", "d1", "d2", "d3"}  # bureaux hang below their department
    assert plan.scale * geom.min_text_size() >= 7.0
    classic = geometry_for_graph(graph)
    assert min(A4_LANDSCAPE_FRAME[0] / classic.width, A4_LANDSCAPE_FRAME[1] / classic.height) * 7.5 < 7.0


def test_large_chart_tiles_on_far_fewer_sheets():
    data = generate_organisation(1000)
    graph = OrgGraph.from_entities(data.entities, data.links)
    plan = plan_chart(graph, ORG, A4_LANDSCAPE_FRAME, "tile")
    assert plan.mode == "tiled" and plan.scale * 7.5 >= 7.0
    geom = plan.pages[0].geom
    assert geom.layout.hanging  # a compact layout won
    area = (A4_LANDSCAPE_FRAME[0], A4_LANDSCAPE_FRAME[1] - 20.0)
    classic = min(len(_tiles(geometry_for_graph(graph, orientation=o), *area, TILE_SCALE))
                  for o in ("top-down", "left-right"))
    assert plan.tiles < classic / 1.5, (plan.tiles, classic)  # measured: 46 vs 90
