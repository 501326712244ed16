"""Routing of functional links: one cubic Bézier per link, shared by the editor and the PDF.

Hierarchy connectors use the middle of box sides (top and bottom centres, the trunk's arms at
mid-height, the spine of hanging lists near the left edge). A straight line between two boxes
would often run exactly along them (two staff positions facing each other across the trunk), so
a functional link leaves and enters boxes at a quarter of a side and curves away:

* boxes side by side (their heights overlap): from both bottom edges, an arc below them;
* boxes stacked in one column (same right edge): from both right edges, an arc on the right;
* otherwise: from the upper box's bottom edge to the lower box's top edge, an S curve that
  stays in the gap between them.

Coordinates are the layout's (y grows down); left-right layouts are routed transposed.
"""

from __future__ import annotations

from typing import Sequence

from .layout import Box, Layout

Point = tuple[float, float]
Curve = tuple[Point, Point, Point, Point]  # p0, control 1, control 2, p3

MAX_BULGE = 14.0  # greatest distance of an arc from the boxes, in points
SIDE_BULGE = 10.0  # arcs on the right of a column stay inside the gap between columns


def route_link(source: Box, target: Box, layout: Layout | None = None) -> Curve:
    """The cubic Bézier (p0, c1, c2, p3) drawing the functional link ``source`` → ``target``."""
    if layout is not None and layout.orientation == "left-right":
        a, b = _transpose_box(source), _transpose_box(target)
        curve = _route(a, b, _bulge(layout))
        return tuple((y, x) for x, y in curve)  # type: ignore[return-value]
    return _route(source, target, _bulge(layout))


def _bulge(layout: Layout | None) -> float:
    # Stay clear of the bus line that runs half a row gap below a row of boxes.
    gap = getattr(layout, "v_gap", 36.0) if layout is not None else 36.0
    return min(MAX_BULGE, 0.4 * gap)


def _transpose_box(b: Box) -> Box:
    return Box(b.id, b.y, b.x, b.h, b.w)


def _route(a: Box, b: Box, bulge: float) -> Curve:
    k = bulge / 0.75  # a symmetric cubic's control offset reaching ``bulge`` at its middle
    acx, bcx = a.x + a.w / 2, b.x + b.w / 2
    if a.y < b.y + b.h and b.y < a.y + a.h:  # side by side: arc below both
        if acx <= bcx:
            p0, p3 = (a.x + 0.75 * a.w, a.y + a.h), (b.x + 0.25 * b.w, b.y + b.h)
        else:
            p0, p3 = (a.x + 0.25 * a.w, a.y + a.h), (b.x + 0.75 * b.w, b.y + b.h)
        base = max(p0[1], p3[1]) + min(k, max(0.25 * abs(p3[0] - p0[0]), 8.0) / 0.75)
        return p0, (p0[0], base), (p3[0], base), p3
    upper_is_a = a.y + a.h / 2 <= b.y + b.h / 2
    up, low = (a, b) if upper_is_a else (b, a)
    same_right_edge = abs((up.x + up.w) - (low.x + low.w)) < 0.5
    if same_right_edge and up.x < low.x + low.w and low.x < up.x + up.w:  # one column: arc on the right
        # Both ends on one vertical line and every control point right of it: the curve (inside
        # its control polygon) cannot enter either box. Unequal right edges take the S curve.
        side = max(up.x + up.w, low.x + low.w) + SIDE_BULGE / 0.75
        q0 = (up.x + up.w, up.y + 0.75 * up.h)
        q3 = (low.x + low.w, low.y + 0.25 * low.h)
        curve = (q0, (side, q0[1]), (side, q3[1]), q3)
    else:  # diagonal: S curve from the upper box's bottom to the lower box's top
        ucx, lcx = up.x + up.w / 2, low.x + low.w / 2
        towards = 0.75 if lcx > ucx else 0.25
        q0 = (up.x + towards * up.w, up.y + up.h)
        q3 = (low.x + (1 - towards) * low.w, low.y)
        gap = q3[1] - q0[1]  # ≥ 0: the boxes do not share a row
        # Controls stay within the gap between the two boxes, so the curve never enters them.
        t = min(max(12.0, 0.5 * gap), gap)
        curve = (q0, (q0[0], q0[1] + t), (q3[0], q3[1] - t), q3)
    if not upper_is_a:
        curve = curve[::-1]
    return curve  # type: ignore[return-value]


def curve_bounds(curve: Sequence[Point]) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) enclosing the curve (its control polygon's box: the convex hull rule)."""
    xs = [p[0] for p in curve]
    ys = [p[1] for p in curve]
    return min(xs), min(ys), max(xs), max(ys)


def curve_points(curve: Curve, steps: int = 24) -> list[Point]:
    """``steps + 1`` points along the curve, for tests and hit checks."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out
