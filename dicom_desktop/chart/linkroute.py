"""Routing of functional links around the boxes, shared by the editor, the PDF and the dossier.

A functional link is an orthogonal path with rounded corners that never enters a box other than
its two ends: it leaves its source at a quarter of a side (the middles belong to the hierarchy
connectors), keeps ``MARGIN`` points away from every other box, and enters its target at a
quarter of a side. The path is the cheapest one (length plus a penalty per bend) over the sparse
grid of the lines that bound the boxes, grown by the margin, around the two ends (A* search, as
orthogonal connector routers such as libavoid do). The boxes considered are those of a window
around both ends, widened until a path exists; when the window would hold more than
``MAX_OBSTACLES`` boxes (two ends far apart on a very large chart) the link falls back to one
Bézier curve between the ends, drawn like before (editor: such charts show only the selected
entity's links by default).

A route is a poly-Bézier: ``p0`` then ``(c1, c2, p)`` per cubic piece (3k + 1 points), which
every renderer draws as is. Coordinates are the layout's (y grows down).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from dicom_desktop.chart.layout import Box, Layout

Point = tuple[float, float]
Curve = tuple[Point, ...]  # poly-Bézier: p0, then c1, c2, p for each cubic piece

MARGIN = 6.0  # clearance from every other box, in points
CORNER = 4.0  # radius of the rounded corners (< MARGIN: a corner never nears a box)
BEND = 24.0  # cost of a bend, in points of length
MAX_OBSTACLES = 120
GRID_CELL = 400.0  # spatial index of the boxes, in points

MAX_BULGE = 14.0  # fallback curve: greatest distance of an arc from the boxes, in points
SIDE_BULGE = 10.0

_DIRS = ((1, 0), (0, 1), (-1, 0), (0, -1))  # right, down, left, up (index = direction)


def route_link(source: Box, target: Box, layout: Layout | None = None) -> Curve:
    """The poly-Bézier drawing the functional link ``source`` → ``target`` around the boxes."""
    polyline = route_polyline(source, target, layout)
    if polyline is None:
        return _fallback(source, target, layout)
    return rounded(polyline)


def route_polyline(source: Box, target: Box, layout: Layout | None = None) -> list[Point] | None:
    """The orthogonal polyline (border of ``source`` → border of ``target``), or None when the
    two boxes overlap or the boxes around them are too many to search."""
    if _overlap(source, target, 0.0):
        return None
    index = _index_of(layout) if layout is not None else None
    pad = 3 * max(getattr(layout, "v_gap", 36.0), 2 * MARGIN)
    x0 = min(source.x, target.x) - pad
    y0 = min(source.y, target.y) - pad
    x1 = max(source.x + source.w, target.x + target.w) + pad
    y1 = max(source.y + source.h, target.y + target.h) + pad
    for _attempt in range(6):
        # Boxes whose margin reaches into the frame count too: a path along its edge keeps clear of them.
        others = (index.query(x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN, source.id, target.id,
                              limit=MAX_OBSTACLES + 2) if index is not None else [])
        if len(others) > MAX_OBSTACLES:
            return None
        path = _search(source, target, others, (x0, y0, x1, y1))
        if path is not None:
            return path
        if index is None or (x0 <= index.x0 and y0 <= index.y0 and x1 >= index.x1 and y1 >= index.y1):
            return None
        w, h = x1 - x0, y1 - y0
        x0, y0, x1, y1 = x0 - w / 2, y0 - h / 2, x1 + w / 2, y1 + h / 2
    return None


# ------------------------------------------------------------------------------ spatial index
class _BoxIndex:
    """Boxes of one layout bucketed in a grid of ``GRID_CELL`` points (built once per layout)."""

    def __init__(self, boxes) -> None:
        cells: dict[tuple[int, int], list[Box]] = {}
        c = GRID_CELL
        self.x0 = self.y0 = 0.0
        self.x1 = self.y1 = 0.0
        for b in boxes:
            self.x1 = max(self.x1, b.x + b.w)
            self.y1 = max(self.y1, b.y + b.h)
            for gx in range(int(b.x // c), int((b.x + b.w) // c) + 1):
                for gy in range(int(b.y // c), int((b.y + b.h) // c) + 1):
                    cells.setdefault((gx, gy), []).append(b)
        self.cells = cells

    def query(self, x0, y0, x1, y1, *exclude, limit: int | None = None) -> list[Box]:
        """Boxes meeting the rectangle, but ``exclude``; stops past ``limit`` boxes."""
        c = GRID_CELL
        seen: dict[str, Box] = {}
        cells = self.cells
        for gx in range(int(x0 // c), int(x1 // c) + 1):
            for gy in range(int(y0 // c), int(y1 // c) + 1):
                for b in cells.get((gx, gy), ()):
                    if b.id not in seen and b.x < x1 and b.x + b.w > x0 and b.y < y1 and b.y + b.h > y0:
                        seen[b.id] = b
                if limit is not None and len(seen) > limit + len(exclude):
                    return list(seen.values())  # too many: the caller gives up
        for e in exclude:
            seen.pop(e, None)
        return list(seen.values())


def _index_of(layout: Layout) -> _BoxIndex:
    index = getattr(layout, "_link_index", None)
    if index is None or index[0] is not layout.boxes:
        index = (layout.boxes, _BoxIndex(layout.boxes.values()))
        layout._link_index = index  # type: ignore[attr-defined]  # noqa: SLF001 - a cache kept with its layout
    return index[1]


# ------------------------------------------------------------------------------ search
def _overlap(a: Box, b: Box, m: float) -> bool:
    return a.x - m < b.x + b.w and b.x - m < a.x + a.w and a.y - m < b.y + b.h and b.y - m < a.y + a.h


def _ports(b: Box) -> list[tuple[Point, Point, int]]:
    """(point on the border, point ``MARGIN`` out, outward direction) at the quarters of each side."""
    m = MARGIN
    out = []
    for f in (0.25, 0.75):
        x = b.x + f * b.w
        out.append(((x, b.y + b.h), (x, b.y + b.h + m), 1))  # bottom, going down
        out.append(((x, b.y), (x, b.y - m), 3))  # top, going up
        y = b.y + f * b.h
        out.append(((b.x + b.w, y), (b.x + b.w + m, y), 0))  # right
        out.append(((b.x, y), (b.x - m, y), 2))  # left
    return out


def _search(source: Box, target: Box, others: Sequence[Box], frame) -> list[Point] | None:
    m = MARGIN
    rects = [(b.x - m, b.y - m, b.x + b.w + m, b.y + b.h + m) for b in (source, target, *others)]

    def free(p: Point) -> bool:
        x, y = p
        return not any(r[0] < x < r[2] and r[1] < y < r[3] for r in rects)

    starts = [p for p in _ports(source) if free(p[1])]
    goals = [p for p in _ports(target) if free(p[1])]
    if not starts or not goals:
        return None
    # The grid stays inside the frame: only the boxes meeting it were asked for, so a grid line
    # past its edge (the far side of a box reaching out of it) could lead through a box never seen.
    fx0, fy0, fx1, fy1 = frame
    xs = sorted({fx0, fx1, *(v for r in rects for v in (r[0], r[2]) if fx0 < v < fx1),
                 *(p[1][0] for p in starts), *(p[1][0] for p in goals)})
    ys = sorted({fy0, fy1, *(v for r in rects for v in (r[1], r[3]) if fy0 < v < fy1),
                 *(p[1][1] for p in starts), *(p[1][1] for p in goals)})
    nx, ny = len(xs), len(ys)
    # Blocked: a node strictly inside a grown box; an edge whose middle is strictly inside one.
    # Every box edge inside the frame is a grid line, so an edge between neighbours is wholly in or
    # out of a box (a box reaching past the frame blocks up to the frame's edge, that edge included).
    node_blocked = bytearray(nx * ny)
    h_blocked = bytearray(nx * ny)  # edge (i, j) -> (i + 1, j)
    v_blocked = bytearray(nx * ny)  # edge (i, j) -> (i, j + 1)
    for rx0, ry0, rx1, ry1 in rects:
        inside_x = range(bisect_right(xs, rx0), bisect_left(xs, rx1))  # columns strictly inside
        inside_y = range(bisect_right(ys, ry0), bisect_left(ys, ry1))  # rows strictly inside
        spans_x = range(bisect_left(xs, rx0), bisect_right(xs, rx1) - 1)  # (i, i + 1) within [rx0, rx1]
        spans_y = range(bisect_left(ys, ry0), bisect_right(ys, ry1) - 1)
        for j in inside_y:
            row = j * nx
            for i in spans_x:
                h_blocked[row + i] = 1
            for i in inside_x:
                node_blocked[row + i] = 1
        for j in spans_y:
            row = j * nx
            for i in inside_x:
                v_blocked[row + i] = 1
    xi = {x: i for i, x in enumerate(xs)}
    yi = {y: j for j, y in enumerate(ys)}
    goal_of = {}
    for port, stub, d in goals:
        goal_of[yi[stub[1]] * nx + xi[stub[0]]] = (port, stub, (d + 2) % 4)
    gx = [g[1][0] for g in goals]
    gy = [g[1][1] for g in goals]

    def h(x: float, y: float) -> float:
        return min(abs(x - a) + abs(y - b) for a, b in zip(gx, gy))

    best: dict[tuple[int, int], float] = {}
    came: dict[tuple[int, int], tuple[int, int] | None] = {}
    heap: list = []
    for port, stub, d in starts:
        key = (yi[stub[1]] * nx + xi[stub[0]], d)
        if best.get(key, 1e300) > m:
            best[key] = m
            came[key] = None
            heapq.heappush(heap, (m + h(*stub), m, key, port))
    first_port: dict[tuple[int, int], Point] = {}
    for port, stub, d in starts:
        first_port.setdefault((yi[stub[1]] * nx + xi[stub[0]], d), port)
    found = None
    while heap:
        _f, g, key, _port = heapq.heappop(heap)
        if g > best.get(key, 1e300):
            continue
        node, d = key
        if node in goal_of:
            port, stub, inward = goal_of[node]
            if d == inward:
                found = key
                break
            # arriving from the side: one bend into the port
            end_key = (node, inward)
            cost = g + BEND
            if best.get(end_key, 1e300) > cost:
                best[end_key] = cost
                came[end_key] = key
                heapq.heappush(heap, (cost, cost, end_key, None))
        j, i = divmod(node, nx)
        x, y = xs[i], ys[j]
        for nd, (dx, dy) in enumerate(_DIRS):
            if nd == (d + 2) % 4:
                continue  # no U-turn on the spot
            ni, nj = i + dx, j + dy
            if not (0 <= ni < nx and 0 <= nj < ny):
                continue
            if dx:
                if h_blocked[j * nx + min(i, ni)]:
                    continue
            elif v_blocked[min(j, nj) * nx + i]:
                continue
            nnode = nj * nx + ni
            if node_blocked[nnode]:
                continue
            cost = g + abs(xs[ni] - x) + abs(ys[nj] - y) + (BEND if nd != d else 0.0)
            nkey = (nnode, nd)
            if cost < best.get(nkey, 1e300):
                best[nkey] = cost
                came[nkey] = key
                heapq.heappush(heap, (cost + h(xs[ni], ys[nj]), cost, nkey, None))
    if found is None:
        return None
    nodes = []
    step: tuple[int, int] | None = found
    start_key = found
    while step is not None:  # back along the path to the start it came from
        nodes.append(step[0])
        start_key = step
        step = came[step]
    nodes.reverse()
    points = [first_port[start_key]]
    for node in nodes:
        j, i = divmod(node, nx)
        p = (xs[i], ys[j])
        if p != points[-1]:
            points.append(p)
    points.append(goal_of[found[0]][0])
    return _simplify(points)


def _simplify(points: list[Point]) -> list[Point]:
    """Drop the points in the middle of straight runs."""
    out = [points[0]]
    for k in range(1, len(points) - 1):
        (ax, ay), (bx, by), (cx, cy) = out[-1], points[k], points[k + 1]
        if (ax == bx == cx) or (ay == by == cy):
            continue
        out.append(points[k])
    out.append(points[-1])
    return out


# ------------------------------------------------------------------------------ drawing
def rounded(polyline: Sequence[Point], radius: float = CORNER) -> Curve:
    """The polyline as a poly-Bézier: straight pieces, corners rounded by at most ``radius``."""
    pts = list(polyline)
    out: list[Point] = [pts[0]]

    def line_to(p: Point) -> None:
        a = out[-1]
        if abs(a[0] - p[0]) + abs(a[1] - p[1]) < 1e-9:
            return  # no empty piece (Qt would drop it)
        out.extend([(a[0] + (p[0] - a[0]) / 3, a[1] + (p[1] - a[1]) / 3),
                    (a[0] + 2 * (p[0] - a[0]) / 3, a[1] + 2 * (p[1] - a[1]) / 3), p])

    for k in range(1, len(pts) - 1):
        prev, corner, nxt = pts[k - 1], pts[k], pts[k + 1]
        r = min(radius, _dist(prev, corner) / 2, _dist(corner, nxt) / 2)
        a = _towards(corner, prev, r)
        b = _towards(corner, nxt, r)
        line_to(a)
        out.extend([_towards(a, corner, 0.55 * r), _towards(b, corner, 0.55 * r), b])
    line_to(pts[-1])
    return tuple(out)


def _dist(a: Point, b: Point) -> float:
    return abs(a[0] - b[0]) + abs(a[1] - b[1])  # orthogonal segments: the length


def _towards(a: Point, b: Point, r: float) -> Point:
    d = _dist(a, b)
    if d == 0:
        return a
    return (a[0] + (b[0] - a[0]) * r / d, a[1] + (b[1] - a[1]) * r / d)


LABEL_SIZE = 6.0  # points
LABEL_WIDTH = 110.0  # a longer label wraps
LABEL_LINE = 1.2 * LABEL_SIZE


def label_block(label: str) -> tuple[list[str], float, float]:
    """A link label wrapped for the chart: (lines, width, height) in points, at ``LABEL_SIZE``
    in the regular face (the editor and the PDF draw these very lines)."""
    from dicom_desktop.chart.textmetrics import text_width, wrap_text

    lines = wrap_text(label.strip(), LABEL_WIDTH, "regular", LABEL_SIZE)
    width = max([text_width(line, "regular", LABEL_SIZE) for line in lines] or [0.0])
    return lines, width + 2, len(lines) * LABEL_LINE + 1


def place_label(curve: Curve, width: float, height: float, layout: Layout | None = None) -> Point:
    """Top-left corner of a ``width`` × ``height`` label on or beside the link, where it covers
    no box: pieces longest first, centred on the piece then beside it, at its middle then its
    quarters; inside the chart if possible, else in its margin. When nothing is free: the
    longest piece's middle."""
    pieces = sorted(((abs(a[0] - b[0]) + abs(a[1] - b[1]), a, b) for a, _c1, _c2, b in curve_pieces(curve)),
                    key=lambda t: -t[0])
    index = _index_of(layout) if layout is not None else None
    right = layout.width if layout is not None else float("inf")
    bottom = layout.height if layout is not None else float("inf")
    inside = [(x, y) for x, y in _label_spots(pieces, width, height)
              if x >= 0 and y >= 0 and x + width <= right and y + height <= bottom]
    for x, y in (*inside, *_label_spots(pieces, width, height)):
        if index is None or not index.query(x - 1, y - 1, x + width + 1, y + height + 1):
            return (x, y)
    _length, a, b = pieces[0]
    return ((a[0] + b[0]) / 2 - width / 2, (a[1] + b[1]) / 2 - height / 2)


def _label_spots(pieces, width: float, height: float):
    for _length, a, b in pieces:
        flat = abs(a[1] - b[1]) <= abs(a[0] - b[0])
        shifts = ((0.0, 0.0), (0.0, -height / 2 - 2), (0.0, height / 2 + 2)) if flat else \
            ((0.0, 0.0), (width / 2 + 3, 0.0), (-width / 2 - 3, 0.0))
        for f in (0.5, 0.25, 0.75):
            for dx, dy in shifts:
                yield (a[0] + (b[0] - a[0]) * f - width / 2 + dx, a[1] + (b[1] - a[1]) * f - height / 2 + dy)
    _length, a, b = pieces[0]  # nothing free on the link: nearby, further and further out
    mx, my = (a[0] + b[0]) / 2 - width / 2, (a[1] + b[1]) / 2 - height / 2
    for k in range(1, 9):
        for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            yield (mx + dx * k * (width / 2 + 2), my + dy * k * (height + 2))


def curve_pieces(curve: Curve) -> list[tuple[Point, Point, Point, Point]]:
    """The cubic pieces (p0, c1, c2, p3) of a poly-Bézier."""
    return [tuple(curve[k:k + 4]) for k in range(0, len(curve) - 3, 3)]  # type: ignore[misc]


def curve_bounds(curve: Sequence[Point]) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) enclosing the curve (its control polygon's box: the convex hull rule)."""
    xs = [p[0] for p in curve]
    ys = [p[1] for p in curve]
    return min(xs), min(ys), max(xs), max(ys)


def curve_points(curve: Curve, steps: int = 24) -> list[Point]:
    """``steps + 1`` points along each cubic piece, for tests and hit checks."""
    out: list[Point] = []
    for (x0, y0), (x1, y1), (x2, y2), (x3, y3) in curve_pieces(curve):
        for i in range(0 if not out else 1, steps + 1):
            t = i / steps
            u = 1 - t
            a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


# ------------------------------------------------------------------------------ fallback curve
def _fallback(source: Box, target: Box, layout: Layout | None) -> Curve:
    """One cubic between the ends (overlapping boxes, or too many boxes around to search)."""
    if layout is not None and layout.orientation == "left-right":
        a, b = _transpose_box(source), _transpose_box(target)
        curve = _bezier(a, b, _bulge(layout))
        return tuple((y, x) for x, y in curve)
    return _bezier(source, target, _bulge(layout))


def _bulge(layout: Layout | None) -> float:
    gap = getattr(layout, "v_gap", 36.0) if layout is not None else 36.0
    return min(MAX_BULGE, 0.4 * gap)


def _transpose_box(b: Box) -> Box:
    return Box(b.id, b.y, b.x, b.h, b.w)


def _bezier(a: Box, b: Box, bulge: float) -> Curve:
    k = bulge / 0.75
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
    ucx, lcx = up.x + up.w / 2, low.x + low.w / 2
    towards = 0.75 if lcx > ucx else 0.25
    q0 = (up.x + towards * up.w, up.y + up.h)
    q3 = (low.x + (1 - towards) * low.w, low.y)
    gap = q3[1] - q0[1]
    t = min(max(12.0, 0.5 * gap), gap)
    curve = (q0, (q0[0], q0[1] + t), (q3[0], q3[1] - t), q3)
    return curve[::-1] if not upper_is_a else curve
