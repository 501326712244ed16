"""Wide levels (thousands of siblings under one parent) cost linear time in the PDF chart.

Timing lives in benchmarks/bench_wide_pdf.py; here the cause is checked: the tile index holds a
number of connector entries proportional to the entities, not to entities × chart size.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Entity
from dicom_desktop.chart.geometry import merge_segments
from dicom_desktop.pdf.chart import draw_chart, geometry_for_graph


def _wide(n: int) -> OrgGraph:
    entities = [Entity(id="root", name="Direction", kind="direction")]
    entities += [Entity(id=f"b{i}", name=f"Bureau {i}", kind="bureau", parent="root") for i in range(n)]
    return OrgGraph.from_entities(entities, [])


def _index_entries(geom) -> int:
    return sum(len(v) for v in geom._index()["conns"].values())


def test_connector_index_is_linear_in_siblings():
    for orientation, compact in (("top-down", None), ("top-down", 1), ("left-right", None)):
        small = geometry_for_graph(_wide(500), orientation=orientation, compact=compact)
        big = geometry_for_graph(_wide(4000), orientation=orientation, compact=compact)
        ratio = _index_entries(big) / max(_index_entries(small), 1)
        assert ratio < 8 * 1.5, (orientation, compact, ratio)  # 8× the siblings: about 8× the entries


def test_merged_segments_cover_every_connector_once():
    geom = geometry_for_graph(_wide(300))
    segments = merge_segments(geom.layout.connectors)
    assert len(segments) <= 2 * 300 + 2
    # Every point of every connector lies on a merged segment.
    for conn in geom.layout.connectors:
        for x, y in conn.points:
            assert any(min(a, c) - 1e-6 <= x <= max(a, c) + 1e-6 and min(b, d) - 1e-6 <= y <= max(b, d) + 1e-6
                       for a, b, c, d in segments)


def test_a_tile_draws_only_nearby_segments():
    geom = geometry_for_graph(_wide(3000))
    view = (0.0, 0.0, 600.0, 600.0)
    _, conns, _ = geom.items_in(view)
    assert 0 < len(conns) < 100
    canvas = Canvas(io.BytesIO())
    drawn = draw_chart(canvas, geom, left=0, top=600, scale=1.0, view=view)
    assert drawn and len(drawn) < 100
