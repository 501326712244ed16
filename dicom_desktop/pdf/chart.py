"""The organisation chart drawn as vectors on a ReportLab canvas, reusable by every PDF.

Geometry comes from the shared core (``boxes`` wraps the texts, ``layout`` places the boxes,
``kinds`` gives the colours), so the PDF shows the same chart as the editor. Layout coordinates
have y growing down; ``draw_chart`` flips them. Callers can mark boxes (colour + badge text,
e.g. « déplacé ») and draw some boxes ghosted (removed entities), for the before/after dossier.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from math import floor
from typing import Callable, Collection, Iterable, Mapping, Sequence

from reportlab.lib.colors import HexColor

from dicom_desktop.boxes import DEFAULT_STYLE, BoxContent, box_content, text_lines
from dicom_desktop.kinds import KIND_STYLES, NEUTRAL_STYLE, style_for
from dicom_desktop.layout import Layout, compute_layout
from dicom_desktop.linkroute import Curve, curve_bounds, route_link
from dicom_desktop.model import Entity, Link

from . import fonts
from .typography import french

CONNECTOR_COLOUR = "#5b6b7f"
LINK_COLOUR = "#7a3f9d"
GHOST_COLOUR = "#9aa3ad"
LINK_DASH = (1.2, 2.2)
VACANT_DASH = (3, 2)
CORNER_RADIUS = 3.0
H_GAP = 16.0
V_GAP = 36.0
_GRID_CELL = 600.0  # spatial index cell, in chart units

Marks = Mapping[str, tuple[str, str]]  # entity id -> (#rrggbb colour, badge text)


def _colour(value: str, _cache: dict = {}):  # noqa: B006 - deliberate memo
    colour = _cache.get(value)
    if colour is None:
        colour = _cache[value] = HexColor(value)
    return colour


@dataclass
class ChartGeometry:
    """Everything needed to draw one chart: placed boxes, wrapped texts, entities and links."""

    layout: Layout
    contents: dict[str, BoxContent]
    entities: dict[str, Entity]
    links: list[Link]
    order: dict[str, int]  # drawing order (pre-order of the tree)
    _grid: dict | None = field(default=None, repr=False)
    _segments: list | None = field(default=None, repr=False)
    _merged: list | None = field(default=None, repr=False)

    @property
    def width(self) -> float:
        return self.layout.width

    @property
    def height(self) -> float:
        return self.layout.height

    def kinds(self) -> list[str]:
        """Kinds present in the chart, in legend order (unknown kinds at the end)."""
        present = {e.kind for e in self.entities.values() if e.id in self.layout.boxes}
        known = [k for k in KIND_STYLES if k in present]
        return known + sorted(present - set(known))

    def has_vacant(self) -> bool:
        return any(e.vacant for e in self.entities.values() if e.id in self.layout.boxes)

    def min_text_size(self) -> float:
        """The smallest font size used in boxes, in chart units (1 unit = 1 pt at scale 1)."""
        return min(DEFAULT_STYLE.name_size, DEFAULT_STYLE.title_size)

    # -------------------------------------------------------------- spatial queries (tiles)
    def _index(self) -> dict:
        if self._grid is None:
            boxes: dict[tuple[int, int], list[str]] = defaultdict(list)
            conns: dict[tuple[int, int], list[int]] = defaultdict(list)
            links: dict[tuple[int, int], list[int]] = defaultdict(list)
            c = _GRID_CELL
            for b in self.layout.boxes.values():
                for key in _cells(b.x, b.y, b.x + b.w, b.y + b.h, c):
                    boxes[key].append(b.id)
            # Indexed by merged straight segment, not by connector: the bounding box of every
            # sibling's connector spans the whole bus, which made wide levels quadratic.
            for i, (x0, y0, x1, y1) in enumerate(self.connector_segments()):
                for key in _cells(x0, y0, x1, y1, c):
                    conns[key].append(i)
            for i, curve in enumerate(self._link_curves()):
                for key in _cells(*curve_bounds(curve), c):
                    links[key].append(i)
            self._grid = {"boxes": boxes, "conns": conns, "links": links}
        return self._grid

    def connector_segments(self) -> list[tuple[float, float, float, float]]:
        """The hierarchy connectors as straight segments (x0, y0, x1, y1), collinear overlaps merged.

        Siblings share their parent's bus: n connectors overlap on one horizontal line, drawn
        (and indexed) once here, so a level of 100,000 siblings costs O(n), not O(n²).
        """
        if self._merged is None:
            self._merged = merge_segments(self.layout.connectors)
        return self._merged

    def _link_curves(self) -> list[Curve]:
        """One Bézier per functional link, routed by the core like in the editor."""
        if self._segments is None:
            boxes = self.layout.boxes
            self._segments = [route_link(boxes[l.source], boxes[l.target], self.layout) for l in self.links]
        return self._segments

    def items_in(self, view: tuple[float, float, float, float]) -> tuple[list[str], list[int], list[int]]:
        """(box ids, connector segment indexes, link indexes) that may intersect ``view`` (x, y, w, h).

        Segment indexes refer to :meth:`connector_segments`."""
        grid = self._index()
        x, y, w, h = view
        ids: set[str] = set()
        conns: set[int] = set()
        links: set[int] = set()
        for key in _cells(x, y, x + w, y + h, _GRID_CELL):
            ids.update(grid["boxes"].get(key, ()))
            conns.update(grid["conns"].get(key, ()))
            links.update(grid["links"].get(key, ()))
        boxes = self.layout.boxes
        kept = [
            i for i in ids
            if boxes[i].x < x + w and boxes[i].x + boxes[i].w > x and boxes[i].y < y + h and boxes[i].y + boxes[i].h > y
        ]
        kept.sort(key=self.order.__getitem__)
        return kept, sorted(conns), sorted(links)


def _cells(x0: float, y0: float, x1: float, y1: float, c: float) -> Iterable[tuple[int, int]]:
    for gx in range(int(floor(x0 / c)), int(floor(x1 / c)) + 1):
        for gy in range(int(floor(y0 / c)), int(floor(y1 / c)) + 1):
            yield (gx, gy)


def merge_segments(connectors) -> list[tuple[float, float, float, float]]:
    """Connector polylines → axis-aligned segments, overlapping collinear ones joined (linear time
    after one sort). A slanted segment (none today) is kept as it is."""
    horizontal: dict[float, list[tuple[float, float]]] = defaultdict(list)
    vertical: dict[float, list[tuple[float, float]]] = defaultdict(list)
    slanted: list[tuple[float, float, float, float]] = []
    for conn in connectors:
        pts = conn.points
        for (ax, ay), (bx, by) in pairwise(pts):
            if ay == by:
                horizontal[ay].append((ax, bx) if ax <= bx else (bx, ax))
            elif ax == bx:
                vertical[ax].append((ay, by) if ay <= by else (by, ay))
            else:
                slanted.append((ax, ay, bx, by))
    merged: list[tuple[float, float, float, float]] = []
    for lines, is_h in ((horizontal, True), (vertical, False)):
        for fixed, spans in lines.items():
            spans.sort()
            start, end = spans[0]
            for a, b in spans[1:]:
                if a <= end:
                    end = max(end, b)
                    continue
                merged.append((start, fixed, end, fixed) if is_h else (fixed, start, fixed, end))
                start, end = a, b
            merged.append((start, fixed, end, fixed) if is_h else (fixed, start, fixed, end))
    return merged + slanted


# ---------------------------------------------------------------------------------- geometry
@lru_cache(maxsize=65536)
def _box_content(name: str, head_title: str, head_name: str, vacant: bool) -> BoxContent:
    """Wrapped box texts with French spacing; memoised (both orientations, every branch page)."""
    return box_content(french(name), french(head_title), french(head_name), vacant)


def geometry_from_tree(
    root: str,
    children: Mapping[str, Sequence[str]],
    entities: Mapping[str, Entity],
    links: Iterable[Link] = (),
    *,
    orientation: str = "top-down",
    compact: int | None = None,
) -> ChartGeometry:
    """Wrap every box text (with French spacing) and lay the tree out; iterative throughout.

    ``compact`` = greatest height of the subtrees drawn as hanging lists (None: classic tree)."""
    order: dict[str, int] = {}
    stack = [root]
    while stack:  # pre-order, no recursion (deep chains)
        node = stack.pop()
        if node in order:
            continue
        order[node] = len(order)
        stack.extend(reversed(children.get(node, ())))
    contents: dict[str, BoxContent] = {}
    staff: set[str] = set()
    for eid in order:
        e = entities[eid]
        contents[eid] = _box_content(e.name, e.head_title, e.head_name, e.vacant)
        if e.staff:
            staff.add(eid)
    sizes = {eid: (c.width, c.height) for eid, c in contents.items()}
    layout = compute_layout(root, children, sizes, staff, orientation, h_gap=H_GAP, v_gap=V_GAP, compact=compact)
    kept_links = [l for l in links if l.source in layout.boxes and l.target in layout.boxes and l.source != l.target]
    return ChartGeometry(layout, contents, {eid: entities[eid] for eid in order}, kept_links, order)


def geometry_for_graph(graph, *, subset: Collection[str] | None = None, orientation: str = "top-down",
                       compact: int | None = None) -> ChartGeometry:
    """Geometry of a whole ``OrgGraph`` or of the entities in ``subset`` (closed under parent)."""
    cmap = graph.children_map()
    if subset is not None:
        keep = set(subset)
        cmap = {p: [c for c in kids if c in keep] for p, kids in cmap.items() if p in keep}
    entities = {eid: graph.entity(eid) for eid in (subset if subset is not None else graph.preorder())}
    return geometry_from_tree(graph.root, cmap, entities, graph.links, orientation=orientation, compact=compact)


# ---------------------------------------------------------------------------------- drawing
def draw_chart(
    canv,
    geom: ChartGeometry,
    *,
    left: float,
    top: float,
    scale: float,
    view: tuple[float, float, float, float] | None = None,
    link_target: Callable[[str], str | None] | None = None,
    marks: Marks | None = None,
    ghosts: Collection[str] = (),
    min_text_pt: float = 1.0,
) -> list[str]:
    """Draw ``geom`` with its top-left corner (or ``view``'s) at page point (``left``, ``top``).

    ``view`` = (x, y, w, h) in chart units draws only that window, clipped (a tile).
    ``link_target(id)`` names the PDF destination each box links to (None: no link).
    ``marks`` adds a coloured frame and a badge to some boxes; ``ghosts`` are drawn faded and
    dashed (entities shown where they were). Text smaller than ``min_text_pt`` on paper is
    omitted (tiny overview). Returns the ids of the boxes drawn.
    """
    fonts.register_fonts()
    layout = geom.layout
    segments = geom.connector_segments()
    if view is None:
        vx, vy, vw, vh = 0.0, 0.0, layout.width, layout.height
        ids = list(geom.order)
        conn_idx: Iterable[int] = range(len(segments))
        link_idx: Iterable[int] = range(len(geom.links))
    else:
        vx, vy, vw, vh = view
        ids, conn_idx, link_idx = geom.items_in(view)
    boxes = layout.boxes
    ghosts = set(ghosts)
    marks = marks or {}

    canv.saveState()
    if view is not None:
        clip = canv.beginPath()
        clip.rect(left, top - vh * scale, vw * scale, vh * scale)
        canv.clipPath(clip, stroke=0, fill=0)
    canv.translate(left - vx * scale, top + vy * scale)
    canv.scale(scale, scale)
    thin = max(0.35 / scale, 0.25)

    # Connectors: one path for all of them.
    path = canv.beginPath()
    any_conn = False
    for i in conn_idx:
        x0, y0, x1, y1 = segments[i]
        path.moveTo(x0, -y0)
        path.lineTo(x1, -y1)
        any_conn = True
    if any_conn:
        canv.setStrokeColor(_colour(CONNECTOR_COLOUR))
        canv.setLineWidth(max(0.8, thin))
        canv.setLineJoin(0)
        canv.setLineCap(2)  # projecting ends: separate segments meet in square corners, like a mitre join
        canv.drawPath(path, stroke=1, fill=0)
        canv.setLineCap(0)

    # Functional links: dotted, under the boxes.
    curves = geom._link_curves() if geom.links else []
    link_idx = list(link_idx)
    if link_idx:
        canv.saveState()
        canv.setStrokeColor(_colour(LINK_COLOUR))
        canv.setFillColor(_colour(LINK_COLOUR))
        canv.setLineWidth(max(0.9, thin))
        canv.setDash(*LINK_DASH)
        path = canv.beginPath()
        for i in link_idx:
            (ax, ay), (c1x, c1y), (c2x, c2y), (bx, by) = curves[i]
            path.moveTo(ax, -ay)
            path.curveTo(c1x, -c1y, c2x, -c2y, bx, -by)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setDash()
        dots = canv.beginPath()
        for i in link_idx:  # small squares at both ends (cheaper than circles on big charts)
            for px, py in (curves[i][0], curves[i][3]):
                dots.rect(px - 1.3, -py - 1.3, 2.6, 2.6)
        canv.drawPath(dots, stroke=0, fill=1)
        canv.restoreState()

    # Boxes, grouped by style so each group is one path.
    groups: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    ghost_ids = []
    for eid in ids:
        if eid in ghosts:
            ghost_ids.append(eid)
            continue
        e = geom.entities[eid]
        st = style_for(e.kind)
        groups[(st.fill, st.border, bool(e.vacant))].append(eid)
    canv.setLineWidth(max(0.9, thin))
    for (fill, border, vacant), members in groups.items():
        canv.setFillColor(_colour(fill))
        canv.setStrokeColor(_colour(border))
        canv.setDash(*VACANT_DASH) if vacant else canv.setDash()
        path = canv.beginPath()
        for eid in members:
            b = boxes[eid]
            path.roundRect(b.x, -b.y - b.h, b.w, b.h, CORNER_RADIUS)
        canv.drawPath(path, stroke=1, fill=1)
    canv.setDash()
    if ghost_ids:
        canv.saveState()
        canv.setFillColor(_colour("#ffffff"))
        canv.setFillAlpha(0.6)
        canv.setStrokeColor(_colour(GHOST_COLOUR))
        canv.setDash(2, 2)
        path = canv.beginPath()
        for eid in ghost_ids:
            b = boxes[eid]
            path.roundRect(b.x, -b.y - b.h, b.w, b.h, CORNER_RADIUS)
        canv.drawPath(path, stroke=1, fill=1)
        canv.restoreState()

    # Texts (skipped when too small to be read even with a magnifier: huge overviews).
    smallest = min(DEFAULT_STYLE.name_size, DEFAULT_STYLE.title_size) * scale
    if smallest >= min_text_pt:
        # One text object for the whole page: far cheaper than a drawString per line.
        text = canv.beginText()
        current = None
        current_colour = None
        width = fonts.string_width
        for eid in ids:
            b = boxes[eid]
            cx = b.x + b.w / 2
            colour = GHOST_COLOUR if eid in ghosts else style_for(geom.entities[eid].kind).text
            if colour != current_colour:
                text.setFillColor(_colour(colour))
                current_colour = colour
            for line in text_lines(geom.contents[eid]):
                font = fonts.BY_METRICS_KEY[line.font]
                if (font, line.size) != current:
                    text.setFont(font, line.size)
                    current = (font, line.size)
                text.setTextOrigin(cx - width(line.text, font, line.size) / 2, -(b.y + line.baseline))
                text.textOut(line.text)
        canv.drawText(text)

    # Marks (dossier): thick frame and a badge above the top-right corner.
    if marks:
        for eid in ids:
            mark = marks.get(eid)
            if not mark:
                continue
            colour, badge = mark
            b = boxes[eid]
            canv.setStrokeColor(_colour(colour))
            canv.setLineWidth(2.2)
            canv.roundRect(b.x - 2, -b.y - b.h - 2, b.w + 4, b.h + 4, CORNER_RADIUS + 1, stroke=1, fill=0)
            if badge:
                size = 6.5
                bw = fonts.string_width(badge, fonts.BOLD, size) + 6
                bx, by = b.x + b.w - bw + 2, -b.y - 4
                canv.setFillColor(_colour(colour))
                canv.roundRect(bx, by, bw, size + 4, 2.5, stroke=0, fill=1)
                canv.setFillColor(_colour("#ffffff"))
                canv.setFont(fonts.BOLD, size)
                canv.drawString(bx + 3, by + 2.6, badge)
                current = None

    # Links to the notice: one clickable rectangle per box, clipped to the view.
    if link_target is not None:
        for eid in ids:
            dest = link_target(eid)
            if not dest:
                continue
            b = boxes[eid]
            x0, x1 = max(b.x, vx), min(b.x + b.w, vx + vw)
            y0, y1 = max(b.y, vy), min(b.y + b.h, vy + vh)
            if x1 <= x0 or y1 <= y0:
                continue
            canv.linkRect("", dest, (x0, -y1, x1, -y0), relative=1, thickness=0)
    canv.restoreState()
    return ids


@dataclass(frozen=True)
class Legend:
    """What the legend lists: kinds (legend order), functional links, vacant posts."""

    kinds: tuple[str, ...]
    links: bool = False
    vacant: bool = False

    @classmethod
    def of_geometry(cls, geom: ChartGeometry) -> "Legend":
        return cls(tuple(geom.kinds()), bool(geom.links), geom.has_vacant())

    @classmethod
    def of_entities(cls, entities: Iterable[Entity], links: Iterable[Link] = ()) -> "Legend":
        present, vacant = set(), False
        for e in entities:
            present.add(e.kind)
            vacant = vacant or e.vacant
        known = [k for k in KIND_STYLES if k in present]
        return cls(tuple(known + sorted(present - set(known))), any(True for _ in links), vacant)


def _legend_items(legend: Legend) -> list[tuple[str, str, str]]:
    items = []
    for kind in legend.kinds:
        items.append(("kind", kind, (style_for(kind).legend if kind in KIND_STYLES else kind) or kind))
    if legend.links:
        items.append(("link", "", "lien fonctionnel"))
    if legend.vacant:
        items.append(("vacant", "", "poste vacant"))
    return items


_SWATCH, _ITEM_GAP = 16.0, 12.0
LEGEND_TITLE = "Légende\u00a0:"


def _legend_positions(legend: Legend, left: float, top: float, width: float, size: float):
    """[(x, baseline, item)] flowing left to right in rows, and the total height."""
    items = _legend_items(legend)
    if not items:
        return [], 0.0
    row_h = size * 2.0
    start_x = left + fonts.string_width(LEGEND_TITLE, fonts.BOLD, size) + 8
    x, y = start_x, top - size * 1.3
    out = []
    for item in items:
        w = _SWATCH + 4 + fonts.string_width(item[2], fonts.REGULAR, size)
        if x + w > left + width and x > start_x:
            x, y = start_x, y - row_h
        out.append((x, y, item))
        x += w + _ITEM_GAP
    return out, top - y + size * 0.7


def legend_height(legend: Legend, width: float, size: float = 7.5) -> float:
    fonts.register_fonts()
    return _legend_positions(legend, 0.0, 0.0, width, size)[1]


def draw_legend(canv, legend: Legend, *, left: float, top: float, width: float, size: float = 7.5) -> float:
    """Draw the legend (kinds, functional link, vacant post) in rows; return its height."""
    fonts.register_fonts()
    positions, height = _legend_positions(legend, left, top, width, size)
    if not positions:
        return 0.0
    canv.saveState()
    canv.setFont(fonts.BOLD, size)
    canv.setFillColor(_colour("#1a1a1a"))
    canv.drawString(left, positions[0][1], LEGEND_TITLE)
    for x, y, (what, kind, text) in positions:
        if what == "kind":
            st = style_for(kind)
            canv.setFillColor(_colour(st.fill))
            canv.setStrokeColor(_colour(st.border))
            canv.setLineWidth(0.8)
            canv.roundRect(x, y - 2, _SWATCH, size + 2, 2, stroke=1, fill=1)
        elif what == "link":
            canv.setStrokeColor(_colour(LINK_COLOUR))
            canv.setLineWidth(0.9)
            canv.setDash(*LINK_DASH)
            canv.line(x, y + size / 2 - 1, x + _SWATCH, y + size / 2 - 1)
            canv.setDash()
        else:
            canv.setFillColor(_colour(NEUTRAL_STYLE.fill))
            canv.setStrokeColor(_colour("#4a6f9f"))
            canv.setLineWidth(0.8)
            canv.setDash(*VACANT_DASH)
            canv.roundRect(x, y - 2, _SWATCH, size + 2, 2, stroke=1, fill=1)
            canv.setDash()
        canv.setFillColor(_colour("#1a1a1a"))
        canv.setFont(fonts.REGULAR, size)
        canv.drawString(x + _SWATCH + 4, y, text)
    canv.restoreState()
    return height
