"""Functional links never cross a box they do not join (issue 12, item 4): property tests."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from dicom_desktop.chart.layout import Box, Layout, compute_layout
from dicom_desktop.chart.linkroute import MARGIN, curve_points, route_link, route_polyline

from .test_layout import layouts_with_two_boxes, on_border
from .test_linkroute import dicom_layout

EPS = 1e-6


def segment_enters(box: Box, a, b, margin: float = 0.0) -> bool:
    """Whether the axis-parallel segment a-b meets the inside of ``box`` grown by ``margin``."""
    x0, y0, x1, y1 = box.x - margin, box.y - margin, box.x + box.w + margin, box.y + box.h + margin
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < EPS:  # horizontal
        return y0 + EPS < ay < y1 - EPS and min(ax, bx) < x1 - EPS and max(ax, bx) > x0 + EPS
    return x0 + EPS < ax < x1 - EPS and min(ay, by) < y1 - EPS and max(ay, by) > y0 + EPS


def crossed_boxes(layout, source: str, target: str) -> list[str]:
    """Other boxes that the routed link enters: its polyline (exactly) or its drawn curve (sampled)."""
    a, b = layout.boxes[source], layout.boxes[target]
    polyline = route_polyline(a, b, layout)
    assert polyline is not None, (source, target)
    for p, q in zip(polyline, polyline[1:]):
        assert abs(p[0] - q[0]) < EPS or abs(p[1] - q[1]) < EPS  # orthogonal
    curve = route_link(a, b, layout)
    assert on_border(a, curve[0]) and on_border(b, curve[-1])
    samples = curve_points(curve, 12)
    bad = []
    for other in layout.boxes.values():
        if other.id in (source, target):
            continue
        if any(segment_enters(other, p, q, MARGIN - 1.5) for p, q in zip(polyline, polyline[1:])):
            bad.append(other.id)
        elif any(other.x < x < other.x + other.w and other.y < y < other.y + other.h for x, y in samples):
            bad.append(other.id)
    for p, q in zip(polyline[1:-2], polyline[2:-1]):  # never back through its own boxes
        assert not segment_enters(a, p, q) and not segment_enters(b, p, q), (source, target, polyline)
    return bad


def test_dicom_links_cross_no_box():
    for orientation in ("top-down", "left-right"):
        layout, links = dicom_layout(orientation)
        for link in links:
            assert crossed_boxes(layout, link.source, link.target) == [], (orientation, link)


def test_a_detour_out_of_the_search_frame_avoids_the_boxes_out_there():
    """Found by hypothesis: the search grid reaches the far side of a box sticking out of the frame
    of the boxes it was given, and a path out there went through a box it was never told about."""
    boxes = {b.id: b for b in [
        Box("t", 1000, 0, 40, 20), Box("s", 1000, 400, 40, 20),
        Box("wall", 400, 200, 1000, 20),  # across the search frame and beyond both of its sides
        Box("out", 1380, 300, 60, 40),  # outside the first frame, where that detour went
    ]}
    layout = Layout(boxes, [], 1500.0, 420.0, "top-down", frozenset(), 36.0)
    polyline = route_polyline(boxes["s"], boxes["t"], layout)
    assert polyline is not None
    for other in (boxes["wall"], boxes["out"]):
        assert not any(segment_enters(other, p, q, MARGIN - 1.5) for p, q in zip(polyline, polyline[1:])), other.id


def test_the_issue_case_bureau_des_campagnes_under_the_adjoints():
    """Moved under the délégués adjoints, its link to the crisis bureau used to cut through the
    bureau de la veille et de l'opinion."""
    from .test_layout import layout_inputs
    from dicom_desktop.files.storage import load_organisation
    from .conftest import DICOM_FILE

    root, children, sizes, staff = layout_inputs(load_organisation(DICOM_FILE).data)
    children = {**children, root: [c for c in children[root] if c != "bureau-campagnes"],
                "delegues-adjoints": ["bureau-campagnes"]}
    layout = compute_layout(root, children, sizes, staff)
    assert crossed_boxes(layout, "bureau-campagnes", "bureau-communication-crise") == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts_with_two_boxes(max_compact=2))
def test_random_links_cross_no_box(case):
    layout, s, t = case
    assert crossed_boxes(layout, s, t) == []
    assert route_link(layout.boxes[s], layout.boxes[t], layout) == route_link(layout.boxes[s], layout.boxes[t], layout)
