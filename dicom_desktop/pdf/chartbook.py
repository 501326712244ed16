"""The chart « book »: a direction page, then every unit continued page after page, linked.

How ministries publish large organisations. Page 1 shows the head and as many levels as fit
readably (the tidy tree of ``chartpages``); each box whose subtree does not fit carries a band
« → p. 12 ». The units it leads to then flow, depth first, through pages of indented columns:
a reference box of the unit (name only, dashed, « ← p. 3 » back to its own box), its children
below it, theirs indented under them, each unit as deep as the room left allows; boxes whose
subtree does not fit carry their own « → p. N » and are continued in turn. Small units share
a page. Every entity has its full box on exactly one page (its *home*), text is never below
``MIN_TEXT_PT``, and each page names the path to the head as a clickable breadcrumb.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from dicom_desktop.chart.boxes import DEFAULT_BOX_WIDTH, DEFAULT_STYLE
from dicom_desktop.chart.geometry import ChartGeometry
from dicom_desktop.chart.geometry import measure_box as _box_content
from dicom_desktop.chart.layout import Box, Connector, Layout

from .chartplan import MIN_TEXT_PT, ChartPage, ChartPlan, fit_readably
from dicom_desktop.wording import plural
from dicom_desktop.wording import typographic as french

BOOK_SCALE = MIN_TEXT_PT / min(DEFAULT_STYLE.name_size, DEFAULT_STYLE.title_size)  # 7.5 → 7 pt
BAND_H = 11.0  # band at the foot of a box holding « → p. 12 » (chart units)
INDENT = 12.0  # shift of a child's left edge under its parent's
ROW_GAP = 6.0
COL_GAP = 10.0
UNIT_GAP = 12.0
CONTINUED = "\u2192 p.\u00a0"  # → p. 12
BACK = "\u2190 p.\u00a0"  # ← p. 3
NEXT = "suite p.\u00a0"
REF_ID = "\u0000ref:"  # drawn id of a reference box (the entity's own id is its full box's)


@dataclass
class _Unit:
    """A subtree continued from another page: ``head``'s children from ``start`` on."""

    head: str
    start: int = 0
    ref: bool = True  # the head is drawn as a reference box (False: the root, at home here)


@dataclass
class _FlowPage:
    area: tuple[float, float]  # chart units
    rows: list = field(default_factory=list)  # (id, depth, height, is_ref)
    units: list = field(default_factory=list)  # (_Unit, index of its first row)


class _Book:
    def __init__(self, graph, page_area: tuple[float, float]):
        self.graph = graph
        self.children = graph.children_map()
        self.page_area = page_area
        self._full_h: dict[str, float] = {}
        self._ref_h: dict[str, float] = {}
        self.size = self._subtree_sizes()
        rows = max(1, int(page_area[1] / (DEFAULT_STYLE.min_height + ROW_GAP)))
        cols = max(1, int(page_area[0] / (DEFAULT_BOX_WIDTH + COL_GAP)))
        self.whole_cap = rows * cols  # larger subtrees can never fit one page whole

    def _subtree_sizes(self) -> dict[str, int]:
        order = self.graph.preorder()
        size = dict.fromkeys(order, 1)
        for v in reversed(order):
            p = self.graph.parent(v)
            if p is not None:
                size[p] += size[v]
        return size

    def full_h(self, eid: str) -> float:
        h = self._full_h.get(eid)
        if h is None:
            e = self.graph.entity(eid)
            h = self._full_h[eid] = _box_content(e.name, e.head_title, e.head_name, e.vacant).height
        return h

    def ref_h(self, eid: str) -> float:
        h = self._ref_h.get(eid)
        if h is None:
            h = self._ref_h[eid] = _box_content(self.graph.entity(eid).name, "", "", False).height + BAND_H
        return h

    # ------------------------------------------------------------------ one unit on a page
    def unit_rows(self, unit: _Unit, shown: dict[str, list[str]]) -> list[tuple]:
        """Rows of a unit in pre-order: (id, depth, height, is_ref); continued boxes get a band."""
        head = unit.head
        kids = self.children.get
        rows = [(head, 0, self.ref_h(head) if unit.ref else self.full_h(head) + self._band(unit, shown), unit.ref)]
        stack = [(k, 1) for k in reversed(shown.get(head, ()))]
        while stack:
            v, d = stack.pop()
            mine = shown.get(v)
            h = self.full_h(v) + (BAND_H if not mine and kids(v) else 0.0)
            rows.append((v, d, h, False))
            if mine:
                stack.extend((k, d + 1) for k in reversed(mine))
        return rows

    def _band(self, unit: _Unit, shown) -> float:
        """The root at home on a flow page: a band when its children continue elsewhere."""
        return BAND_H if len(shown.get(unit.head, ())) < len(self.children.get(unit.head, ())) - unit.start else 0.0

    def expand(self, unit: _Unit, page: _FlowPage):
        """Put ``unit`` on ``page`` as deep as the room left allows; return the continued units.

        None when not even the head's children fit beside what the page already holds (the
        caller starts a new page). Children of a box are shown all or none; on a fresh page a
        head with too many children shows as many as fit and the rest becomes a unit of its own.
        """
        head = unit.head
        base = page.rows
        area_w, area_h = page.area
        shown: dict[str, list[str]] = {}

        def fits() -> bool:
            return _place(base + self.unit_rows(unit, shown), area_w, area_h) is not None

        head_kids = self.children.get(head, [])[unit.start:]
        remainder = None
        shown[head] = head_kids
        if not fits():
            if base:
                return None
            k = 1
            while k < len(head_kids):
                shown[head] = head_kids[:k + 1]
                if not fits():
                    break
                k += 1
            shown[head] = head_kids[:k]
            remainder = _Unit(head, unit.start + k)
        queue = deque(shown[head])
        kids = self.children.get
        while queue:
            v = queue.popleft()
            mine = kids(v)
            if not mine:
                continue
            if self.size[v] <= self.whole_cap:  # the whole subtree at once, when it fits
                added = [(w, kids(w)) for w in self.graph.subtree(v) if kids(w)]
                shown.update(added)
                if fits():
                    continue
                for w, _ in added:
                    del shown[w]
            shown[v] = mine
            if fits():
                queue.extend(mine)
            else:
                del shown[v]
        rows = self.unit_rows(unit, shown)
        page.units.append((unit, len(base)))
        page.rows = base + rows
        continued = [_Unit(v) for v, _, _, ref in rows[1:] if not ref and kids(v) and v not in shown]
        return continued + ([remainder] if remainder else [])


def _place(rows, width: float, height: float):
    """Positions of ``rows`` flowing down indented columns, left to right; None if they overflow.

    Returns [(x, y, column)] (chart units, y down). A reference box never ends a column alone.
    """
    out = []
    x = y = colw = 0.0
    col = 0
    n = len(rows)
    for i, (_, depth, h, ref) in enumerate(rows):
        gap = 0.0 if y == 0 else (UNIT_GAP if ref else ROW_GAP)
        need = h
        if ref and i + 1 < n and not rows[i + 1][3]:
            need += ROW_GAP + rows[i + 1][2]
        if y > 0 and y + gap + need > height:
            x += colw + COL_GAP
            y = colw = 0.0
            gap = 0.0
            col += 1
        if y > 0 and y + h > height:
            return None
        bx = x + depth * INDENT
        if bx + DEFAULT_BOX_WIDTH > width + 1e-6 and (col or y or i):
            return None
        out.append((bx, y + gap, col))
        y += gap + h
        colw = max(colw, depth * INDENT + DEFAULT_BOX_WIDTH)
    return out


# ---------------------------------------------------------------------------------- the plan
def plan_book(graph, title, legend, first_area, page_area) -> ChartPlan:
    """The book of a chart too large for one readable page (frame areas in points)."""
    s = BOOK_SCALE
    book = _Book(graph, (page_area[0] / s, page_area[1] / s))
    pages: list = []  # ChartPage (page 1 as a tree) or _FlowPage
    home: dict[str, int] = {}
    unit_page: dict[tuple[str, int], int] = {}
    top = _direction_page(graph, book, title, legend, first_area)
    stack: deque = deque()
    if top is not None:
        pages.append(top)
        for eid in top.geom.order:
            home[eid] = 0
        stack.extend(_Unit(eid) for eid in top.bands)
    else:  # not even the head and the first level fit as a tree: the root flows from page 1
        stack.append(_Unit(graph.root, ref=False))
    current = None
    while stack:
        unit = stack.popleft()
        if current is None:
            current = _new_page(pages, book, None if pages else first_area)
        placed = book.expand(unit, current)
        if placed is None:
            current = _new_page(pages, book, None)
            placed = book.expand(unit, current)
        unit_page[(unit.head, unit.start)] = len(pages) - 1  # the current page is always the last
        stack.extendleft(reversed(placed))
    for i, p in enumerate(pages):
        if isinstance(p, _FlowPage):
            for eid, _, _, ref in p.rows:
                if not ref:
                    home[eid] = i
    out = []
    for i, p in enumerate(pages):
        if isinstance(p, _FlowPage):
            page = _flow_chart_page(graph, book, p, i, home, unit_page)
            if i == 0:
                page.title, page.legend, page.label = title, legend, ""
                page.outline = ("Organigramme (direction)", 0)
        else:
            page = p
            page.bands = {eid: [(CONTINUED, unit_page[(eid, 0)])] for eid in p.bands}
        page.home = home
        out.append(page)
    return ChartPlan("book", out, BOOK_SCALE)


def _new_page(pages: list, book: _Book, first_area) -> _FlowPage:
    s = BOOK_SCALE
    area = (first_area[0] / s, first_area[1] / s) if first_area else book.page_area
    page = _FlowPage(area)
    pages.append(page)
    return page


def _direction_page(graph, book: _Book, title, legend, area) -> ChartPage | None:
    """Page 1: the head and as many whole levels as fit readably, continued boxes banded."""
    depths = graph.depths()
    order = graph.preorder()
    kids = book.children
    best = None
    for k in range(1, max(depths.values()) + 1):
        ids = [v for v in order if depths[v] <= k]
        if len(ids) == len(order):
            break
        cut = {v: BAND_H for v in ids if depths[v] == k and kids.get(v)}
        fit = fit_readably(graph, ids, area, cut)
        if fit is None:
            break
        best = (fit, cut)
    if best is None:
        return None
    (geom, scale), cut = best
    page = ChartPage(geom, scale, title=title, legend=legend, outline=("Organigramme (direction)", 0))
    page.bands = dict.fromkeys(v for v in geom.order if v in cut)  # targets filled in by plan_book
    return page


def _flow_chart_page(graph, book: _Book, p: _FlowPage, index: int, home, unit_page) -> ChartPage:
    """A flow page as a drawable chart: boxes, hanging connectors, bands, header and breadcrumb."""
    positions = _place(p.rows, *p.area) or _place_anyway(p.rows)
    boxes: dict[str, Box] = {}
    where: dict[str, tuple[float, float, int, str]] = {}  # id -> (x, y, column, drawn id)
    order: dict[str, int] = {}
    contents = {}
    entities = {}
    refs = set()
    bands: dict[str, list] = {}
    unit_of_row = {}
    for (unit, first), nxt in zip(p.units, [u[1] for u in p.units[1:]] + [len(p.rows)]):
        for r in range(first, nxt):
            unit_of_row[r] = unit
    connectors = []
    width = height = 0.0
    for r, ((eid, depth, h, ref), (x, y, col)) in enumerate(zip(p.rows, positions)):
        e = graph.entity(eid)
        # A unit continued from this very page (its children did not fit beside their parent's
        # siblings) shows its reference box here too: it is drawn under its own id.
        did = REF_ID + eid if ref else eid
        entities[did] = e
        order[did] = r
        boxes[did] = Box(did, x, y, DEFAULT_BOX_WIDTH, h)
        where[eid] = (x, y, col, did)  # rows are in pre-order: a parent's latest row is the right one
        width, height = max(width, x + DEFAULT_BOX_WIDTH), max(height, y + h)
        unit = unit_of_row[r]
        if ref:
            refs.add(did)
            contents[did] = _box_content(e.name, "", "", False)
            items = [(BACK, home.get(eid, 0))]
            nxt = unit_page.get((eid, unit.start + len(_shown_children(p.rows, r))))
            if nxt is not None and nxt != index:
                items.append((NEXT, nxt))
            bands[did] = items
            continue
        contents[eid] = _box_content(e.name, e.head_title, e.head_name, e.vacant)
        if h > contents[eid].height + 1e-6:
            target = unit_page.get((eid, 0))
            if eid == unit.head:  # the root at home here, its children continued further on
                target = unit_page.get((eid, len(_shown_children(p.rows, r))))
            if target is not None:
                bands[eid] = [(CONTINUED, target)]
        if depth == 0:
            continue
        px, py, pcol, pid = where[graph.parent(eid)]
        my = y + min(h, contents[eid].height) / 2
        if pcol == col:
            sx = px + INDENT / 2
            pts = ((sx, py + boxes[pid].h), (sx, my), (x, my))
        else:  # the parent is in an earlier column: the spine comes from the column's top
            sx = x - INDENT / 2
            pts = ((sx, 0.0), (sx, my), (x, my))
        connectors.append(Connector(pid, eid, pts))
    layout = Layout(boxes, connectors, width, height, "top-down")
    geom = ChartGeometry(layout, contents, entities, [], order)
    heads = [u.head for u, _ in p.units]
    names = [french(graph.entity(h).name) for h in heads[:2]]
    label = "Organigramme, suite\u00a0: " + " ; ".join(names)
    if len(heads) > 2:
        label += f" et {plural(len(heads) - 2, 'autre unité', 'autres unités')}"
    crumbs = [(french(graph.entity(a).name), home.get(a, 0)) for a in _common_path(graph, heads)]
    return ChartPage(geom, BOOK_SCALE, label=label, outline=(label, 1), bands=bands, refs=frozenset(refs),
                     crumbs=crumbs, top_left=True)


def _shown_children(rows, r: int) -> list[str]:
    """Ids of the rows directly below row ``r`` in its list (its children shown on this page)."""
    depth = rows[r][1]
    out = []
    for eid, d, _, ref in rows[r + 1:]:
        if ref or d <= depth:
            break
        if d == depth + 1:
            out.append(eid)
    return out


def _place_anyway(rows):
    return _place(rows, float("inf"), float("inf"))


def _common_path(graph, heads: list[str]) -> list[str]:
    """The path from the root to the deepest entity common to every unit's own path."""
    paths = [graph.ancestors(h)[::-1] + [h] for h in heads]
    common = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(common), len(path)) and common[n] == path[n]:
            n += 1
        common = common[:n]
    return common
