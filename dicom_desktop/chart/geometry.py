"""The one chart geometry pipeline: an organisation's tree → wrapped box texts → layout → link curves.

Every drawing of the chart — the editor's scene (``ui/chart_scene.py``), the PDF
(``pdf/chart.py``) and the web page — calls :func:`chart_geometry` and draws what it returns, so
boxes, texts, connectors and functional links are the same everywhere (a test compares the
editor's and the PDF's boxes for the same file). The steps, once:

1. the tree to draw: the graph's children, or a caller's view of them (collapsed branches cut,
   a focused branch, the entities of one PDF page);
2. box texts with French typography (:func:`dicom_desktop.wording.typographic`), wrapped and
   measured (:mod:`dicom_desktop.chart.boxes`); :class:`BoxMeasures` keeps them across calls and
   measures an entity again only when its ``Entity`` object changed (the editor's edits);
3. the layout (:func:`dicom_desktop.chart.layout.compute_layout`) with the gaps below, compacted
   (« Disposition compacte ») at the level given or chosen by the caller;
4. the functional links kept (both ends drawn) and routed (:mod:`dicom_desktop.chart.linkroute`) on
   first use.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, pairwise
from operator import is_not
from math import floor

from dicom_desktop.chart.boxes import DEFAULT_STYLE, BoxContent, box_content, measure_boxes
from dicom_desktop.graph import ChangeLog, OrgGraph
from dicom_desktop.kinds import KIND_STYLES
from dicom_desktop.chart.incremental_layout import IncrementalLayout
from dicom_desktop.chart.layout import Connector, Layout, compute_layout, index_shared
from dicom_desktop.chart.linkroute import Curve, curve_bounds, route_link
from dicom_desktop.model import Link
from dicom_desktop.records import EntityRecord
from dicom_desktop.wording import typographic

H_GAP = 16.0  # between sibling boxes
V_GAP = 36.0  # between levels
BULK_MEASURE_MIN = 200  # more boxes to measure than this: measure_boxes in one pass
GRID_CELL = 600.0  # spatial index cell, in chart units

Children = Mapping[str, Sequence[str]]
Sizes = Mapping[str, tuple[float, float]]
CompactChooser = Callable[[Children, Sizes, set[str]], "int | None"]


# ---------------------------------------------------------------------------- box texts
@lru_cache(maxsize=65536)
def measure_box(name: str, head_title: str, head_name: str, vacant: bool) -> BoxContent:
    """An entity's box: texts with French typography, wrapped and measured (memoised)."""
    return box_content(typographic(name), typographic(head_title), typographic(head_name), vacant)


class BoxMeasures(dict):
    """``{id: (w, h)}`` for the layout, kept across geometries; a box is measured on first use
    (only the boxes the layout reaches: collapsed branches cost nothing) and again only when its
    entity object changed. A plain dict for the layout's lookups (no Python call per box)."""

    def __init__(self) -> None:
        super().__init__()
        self.entities: dict[str, EntityRecord] = {}  # id -> the entity record measured
        self.contents: dict[str, BoxContent] = {}
        self.nodes: Mapping[str, EntityRecord] = {}
        self.stale: list[str] = []  # ids whose record is not the one measured, at the last sync
        self._staff: set[str] = set()
        self._graph: weakref.ref[OrgGraph] | None = None  # the graph synced last, and its edits since
        self._log: ChangeLog | None = None

    def sync(self, graph: OrgGraph) -> set[str]:
        """Forget boxes whose entity changed; returns the staff ids.

        The first time with a graph, one comparison of record identities at C speed; then only
        the entities the graph's edits touched since (its :class:`ChangeLog`): an edit of one
        entity in 100,000 costs what the edit touched, not a pass over every record."""
        self.nodes = nodes = graph.entities_map()  # id -> entity record, a plain dict
        entities = self.entities
        if self._log is not None and self._graph is not None and self._graph() is graph:
            keys = [i for i in self._log.take() if i in nodes]
            stale = list(compress(keys, map(is_not, map(entities.get, keys), map(nodes.__getitem__, keys))))
        else:
            self._graph, self._log = weakref.ref(graph), graph.change_log()
            keys = list(nodes)
            stale = list(compress(keys, map(is_not, map(entities.get, keys), nodes.values())))
        staff = self._staff
        for entity_id in [s for s in staff if s not in nodes]:  # gone: stale again if it comes back
            staff.discard(entity_id)
            entities.pop(entity_id, None)
        for entity_id in stale:
            if nodes[entity_id].staff:
                staff.add(entity_id)
            else:
                staff.discard(entity_id)
            self.pop(entity_id, None)
        self.stale = stale
        if len(stale) > BULK_MEASURE_MIN:  # an open: measure in one pass (head lines wrapped once)
            self._measure_all(stale)
        if len(self) > 2 * len(nodes) + 1000:
            for entity_id in [i for i in self if i not in nodes]:
                del self[entity_id]
        return set(staff)

    def _measure_all(self, ids: list[str]) -> None:
        nodes, entities, contents = self.nodes, self.entities, self.contents
        rows = []
        heads: dict[str, str] = {}  # head titles and names repeat: each set in French typography once
        for entity_id in ids:
            e = nodes[entity_id]
            entities[entity_id] = e
            title = heads.get(e.head_title)
            if title is None:
                title = heads[e.head_title] = typographic(e.head_title)
            head = heads.get(e.head_name)
            if head is None:
                head = heads[e.head_name] = typographic(e.head_name)
            rows.append((entity_id, typographic(e.name), title, head, e.vacant))
        sizes: dict = {}  # boxes share a handful of sizes: one (width, height) tuple each
        for entity_id, c in measure_boxes(rows).items():
            contents[entity_id] = c
            size = (c.width, c.height)
            self[entity_id] = sizes.setdefault(size, size)

    def __missing__(self, entity_id: str) -> tuple[float, float]:
        e = self.nodes[entity_id]
        c = measure_box(e.name, e.head_title, e.head_name, e.vacant)
        self.entities[entity_id] = e
        self.contents[entity_id] = c
        size = self[entity_id] = (c.width, c.height)
        return size

    def content(self, entity_id: str) -> BoxContent:
        if entity_id not in self:
            self[entity_id]  # noqa: B018 - measures it
        return self.contents[entity_id]


# ---------------------------------------------------------------------------- the result
@dataclass
class ChartGeometry:
    """Everything needed to draw one chart: placed boxes, wrapped texts, entities and links."""

    layout: Layout
    contents: dict[str, BoxContent]
    entities: dict[str, EntityRecord]  # in drawing order: the tree's pre-order
    links: list[Link]
    _order: dict[str, int] | None = field(default=None, repr=False)
    _grid: dict | None = field(default=None, repr=False)
    _curves: list[Curve] | None = field(default=None, repr=False)
    _merged: list | None = field(default=None, repr=False)

    @property
    def width(self) -> float:
        return self.layout.width

    @property
    def height(self) -> float:
        return self.layout.height

    @property
    def order(self) -> dict[str, int]:
        """Drawing order of the boxes: the tree's pre-order (parents before their children)."""
        if self._order is None:
            self._order = {eid: i for i, eid in enumerate(self.entities)}
        return self._order

    def kinds(self) -> list[str]:
        """Kinds present in the chart, in legend order (unknown kinds at the end)."""
        present = {e.kind for e in self.entities.values()}
        known = [k for k in KIND_STYLES if k in present]
        return known + sorted(present - set(known))

    def has_vacant(self) -> bool:
        return any(e.vacant for e in self.entities.values())

    def min_text_size(self) -> float:
        """The smallest font size used in boxes, in chart units (1 unit = 1 pt at scale 1)."""
        return min(DEFAULT_STYLE.name_size, DEFAULT_STYLE.title_size)

    def connector_segments(self) -> list[tuple[float, float, float, float]]:
        """The hierarchy connectors as straight segments (x0, y0, x1, y1), collinear overlaps merged.

        Siblings share their parent's bus: n connectors overlap on one horizontal line, drawn
        (and indexed) once here, so a level of 100,000 siblings costs O(n), not O(n²).
        """
        if self._merged is None:
            self._merged = merge_segments(self.layout.connectors)
        return self._merged

    def link_curves(self) -> list[Curve]:
        """One Bézier per functional link (aligned with ``links``), routed around the boxes."""
        if self._curves is None:
            boxes = self.layout.boxes
            self._curves = [route_link(boxes[l.source], boxes[l.target], self.layout) for l in self.links]
        return self._curves

    # -------------------------------------------------------------- spatial queries (tiles)
    def _index(self) -> dict:
        if self._grid is None:
            boxes: dict[tuple[int, int], list[str]] = defaultdict(list)
            conns: dict[tuple[int, int], list[int]] = defaultdict(list)
            links: dict[tuple[int, int], list[int]] = defaultdict(list)
            c = GRID_CELL
            for b in self.layout.boxes.values():
                for key in _cells(b.x, b.y, b.x + b.w, b.y + b.h, c):
                    boxes[key].append(b.id)
            # Indexed by merged straight segment, not by connector: the bounding box of every
            # sibling's connector spans the whole bus, which made wide levels quadratic.
            for i, (x0, y0, x1, y1) in enumerate(self.connector_segments()):
                for key in _cells(x0, y0, x1, y1, c):
                    conns[key].append(i)
            for i, curve in enumerate(self.link_curves()):
                for key in _cells(*curve_bounds(curve), c):
                    links[key].append(i)
            self._grid = {"boxes": boxes, "conns": conns, "links": links}
        return self._grid

    def items_in(self, view: tuple[float, float, float, float]) -> tuple[list[str], list[int], list[int]]:
        """(box ids, connector segment indexes, link indexes) that may intersect ``view`` (x, y, w, h).

        Segment indexes refer to :meth:`connector_segments`."""
        grid = self._index()
        x, y, w, h = view
        ids: set[str] = set()
        conns: set[int] = set()
        links: set[int] = set()
        for key in _cells(x, y, x + w, y + h, GRID_CELL):
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


def merge_segments(connectors: Iterable[Connector]) -> list[tuple[float, float, float, float]]:
    """Connector polylines → axis-aligned segments, overlapping collinear ones joined (linear time
    after one sort). A slanted segment (none today) is kept as it is."""
    horizontal: dict[float, list[tuple[float, float]]] = defaultdict(list)
    vertical: dict[float, list[tuple[float, float]]] = defaultdict(list)
    slanted: list[tuple[float, float, float, float]] = []
    for conn in connectors:
        for (ax, ay), (bx, by) in pairwise(conn.points):
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


# ---------------------------------------------------------------------------- the pipeline
_MEASURES: weakref.WeakKeyDictionary[OrgGraph, BoxMeasures] = weakref.WeakKeyDictionary()


def visible_children(graph: OrgGraph, collapsed: Collection[str] = (), focus: str | None = None) -> Children:
    """The children map to draw: collapsed subtrees cut, a focused branch keeps one path to it."""
    base = graph.children_map()
    if not collapsed and focus is None:
        return base
    children = dict(base)
    if focus is not None and focus in graph:
        path = graph.path_from_root(focus)
        for parent, child in zip(path, path[1:]):
            children[parent] = [child]
    for entity_id in collapsed:
        if entity_id in children:
            children[entity_id] = []
    return children


def subset_children(graph: OrgGraph, subset: Collection[str]) -> Children:
    """The children map restricted to ``subset`` (closed under parent: one PDF page's entities)."""
    keep = set(subset)
    return {p: [c for c in kids if c in keep] for p, kids in graph.children_map().items() if p in keep}


class _GrownSizes(dict):
    """The measured sizes, some boxes taller (a plain dict subclass: the layout reads it fast)."""

    def __init__(self, measures: Mapping, grown: Mapping) -> None:
        super().__init__(grown)
        self._measures = measures

    def __missing__(self, entity_id: str) -> tuple[float, float]:
        return self._measures[entity_id]


def chart_geometry(
    graph: OrgGraph,
    *,
    children: Children | None = None,
    orientation: str = "top-down",
    compact: int | CompactChooser | None = None,
    measures: BoxMeasures | None = None,
    extra_height: Mapping[str, float] | None = None,
    engine: IncrementalLayout | None = None,
) -> ChartGeometry:
    """The chart of ``graph`` as drawn by the editor, the PDF and the web page.

    ``children``: the tree to draw (default: the whole graph; see :func:`visible_children` and
    :func:`subset_children`). ``compact``: the greatest height of the subtrees drawn as hanging
    lists (None: classic tree), or a function ``(children, sizes, staff)`` choosing it once the
    boxes are measured. ``measures``: the caller's :class:`BoxMeasures`, kept between calls (the
    editor's incremental updates); otherwise one kept with ``graph`` while it lives (the PDF asks
    for the whole chart, then each branch page: texts are measured once). ``engine``: the caller's
    :class:`IncrementalLayout`, kept between calls: only the branches an edit reaches are laid out
    again, with the same result as a full layout, and the layout carries its delta (the editor).
    With an engine, the entities and box texts of the result are gathered on first use (the
    editor's update reads only those of the boxes that changed)."""
    if measures is None:
        measures = _MEASURES.get(graph)
        if measures is None:
            measures = _MEASURES[graph] = BoxMeasures()
    if graph.root is None:
        return ChartGeometry(Layout({}, [], 0.0, 0.0, orientation), {}, {}, [])
    children = children if children is not None else graph.children_map()
    staff = measures.sync(graph)
    with index_shared():  # a chosen compaction and its layout index the tree once
        layout = _lay_out_chart(graph, children, orientation, compact, measures, staff, extra_height, engine)
    engine = engine if engine is not None and not extra_height else None
    boxes = layout.boxes
    nodes, contents = measures.nodes, measures.contents
    root = graph.root

    def preorder() -> dict[str, EntityRecord]:
        entities: dict[str, EntityRecord] = {}  # in pre-order: the drawing order (parents first)
        stack = [root]
        while stack:  # no recursion (deep chains)
            node = stack.pop()
            if node in entities or node not in boxes:
                continue
            entities[node] = nodes[node]
            stack.extend(reversed(children.get(node, ())))
        return entities

    # The editor (``engine``) replaces its geometry at every change and reads only the changed
    # boxes' entities: gathered on first use there (read them before the graph changes again).
    entities: Mapping[str, EntityRecord]
    drawn: Mapping[str, BoxContent]
    if engine is None:
        entities = preorder()
        drawn = {eid: contents[eid] for eid in entities}
    else:
        entities = _OnFirstUse(preorder)
        drawn = _OnFirstUse(lambda: {eid: contents[eid] for eid in entities})
    links = [l for l in graph.links if l.source in boxes and l.target in boxes and l.source != l.target]
    return ChartGeometry(layout, drawn, entities, links)  # type: ignore[arg-type]


def _lay_out_chart(graph: OrgGraph, children: Children, orientation: str, compact: int | CompactChooser | None,
                   measures: BoxMeasures, staff: set[str], extra_height: Mapping[str, float] | None,
                   engine: IncrementalLayout | None) -> Layout:
    """Step 3 of :func:`chart_geometry`: the compaction level, then the layout (kept or plain)."""
    root = graph.root
    assert root is not None  # an empty graph has no layout (chart_geometry returns first)
    level = compact(children, measures, staff) if callable(compact) else compact
    sizes: Sizes = measures
    if extra_height:  # the PDF chart book: room for a « → p. 12 » band below some boxes' texts
        sizes = {eid: (w, h + extra_height[eid]) for eid, (w, h) in ((e, measures[e]) for e in extra_height)}
        sizes = _GrownSizes(measures, sizes)
    if engine is not None and not extra_height:
        hint = _edits_since_last_layout(engine, graph, children, measures)
        try:
            layout = engine.compute(root, children, sizes, staff, orientation, h_gap=H_GAP, v_gap=V_GAP,
                                    compact=level, changed=hint)
        except BaseException:
            engine.reset()  # its next layout must not trust edits it did not see through
            raise
    else:
        layout = compute_layout(root, children, sizes, staff, orientation, h_gap=H_GAP, v_gap=V_GAP, compact=level)
    return layout


# Per editor layout engine: the graph, box measures and change log of its last layout (kept weakly).
_ENGINE_INPUTS: weakref.WeakKeyDictionary[IncrementalLayout, tuple] = weakref.WeakKeyDictionary()


def _edits_since_last_layout(engine: IncrementalLayout, graph: OrgGraph, children: Children,
                             measures: BoxMeasures) -> set[str] | None:
    """The ids the graph's edits touched since ``engine``'s last layout, when that layout drew the
    same graph's whole child map with the same measures (then only these can have changed: child
    lists, sizes, staff flags); None otherwise (the engine compares everything)."""
    whole = children is graph.children_map()
    kept = _ENGINE_INPUTS.get(engine)
    if kept is not None:
        graph_ref, measures_ref, was_whole, log = kept
        if graph_ref() is graph and measures_ref() is measures and was_whole and whole:
            return log.take()
        if graph_ref() is graph:
            log.take()
            _ENGINE_INPUTS[engine] = (graph_ref, weakref.ref(measures), whole, log)
            return None
    _ENGINE_INPUTS[engine] = (weakref.ref(graph), weakref.ref(measures), whole, graph.change_log())
    return None


class _OnFirstUse(Mapping):
    """A read-only dict built by ``make()`` the first time it is read."""

    def __init__(self, make: Callable[[], dict]) -> None:
        self._make: Callable[[], dict] | None = make
        self._data: dict | None = None

    def _dict(self) -> dict:
        if self._data is None:
            assert self._make is not None
            self._data, self._make = self._make(), None
        return self._data

    def __getitem__(self, key):
        return self._dict()[key]

    def __iter__(self) -> Iterator:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())

    def __contains__(self, key) -> bool:
        return key in self._dict()

    def values(self):
        return self._dict().values()

    def items(self):
        return self._dict().items()
