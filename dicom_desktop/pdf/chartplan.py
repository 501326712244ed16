"""What a chart page holds and how a (sub)chart is fitted to paper.

The page model (:class:`ChartPage`, :class:`ChartPlan`, :class:`Tile`, the first page's
:class:`TitleBlock`) and the fitting rules (readable scale, candidate arrangements, tiles) shared
by the notice's plans (:mod:`.chartpages`: one page, tiles, branches) and the chart book
(:mod:`.chartbook`), below both: the book never imports the pages that dispatch to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from dicom_desktop.chart.boxes import DEFAULT_STYLE
from dicom_desktop.chart.geometry import ChartGeometry
from dicom_desktop.errors import DicomError
from dicom_desktop.model import Organisation
from dicom_desktop.wording import french_date
from dicom_desktop.wording import typographic as french

from . import fonts
from .chart import Legend, geometry_for_graph
from .textblock import wrap

MIN_TEXT_PT = 7.0
MAX_SCALE = 1.3
TILE_SCALE = 0.94  # 7.5 pt head lines print at 7.05 pt
MAX_TILE_SIDE = 12  # sheets along one side of a poster: beyond, the book is the readable choice
OVERVIEW_NAME_PT = 7.0  # names of the first levels written over the poster's overview
GRID_LABEL_PT = 14.0  # room for the row and column numbers around the overview
OVERLAP_PT = 28.35  # 10 mm shared by neighbouring sheets, to tape them together
HEADER_PT = 20.0
PATH_PT = 11.0
CHART_PAD = 6.0  # white space kept above and below a chart that fits the page  # the « Chemin : … » line of department pages
LARGE_CHART_MODES = ("book", "tile", "branches")
MAX_COMPACT_LEVEL = 8  # highest hanging-list level tried for charts too large for one page

# ------------------------------------------------------------------------------ title block
@dataclass
class TitleBlock:
    """Organisation name, acronym, update date and legal basis, at the top of the first page."""

    lines: list[tuple[str, str, float, float, str]]  # text, font, size, leading, colour
    height: float


def title_block(org: Organisation, width: float) -> TitleBlock:
    fonts.register_fonts()
    lines = []
    for t in wrap(french(org.name), fonts.BOLD, 15, width):
        lines.append((t, fonts.BOLD, 15.0, 18.0, "#12325c"))
    parts = []
    if org.acronym:
        parts.append(org.acronym)
    parts.append("Organigramme et notice explicative")
    if org.updated:
        parts.append(f"mise à jour du {french_date(org.updated)}")
    for t in wrap(" — ".join(parts), fonts.REGULAR, 10, width):
        lines.append((t, fonts.REGULAR, 10.0, 14.0, "#333333"))
    if org.legal_basis:
        for t in wrap(french(org.legal_basis), fonts.ITALIC, 7.5, width):
            lines.append((t, fonts.ITALIC, 7.5, 9.5, "#4d4d4d"))
    return TitleBlock(lines, sum(l[3] for l in lines) + 8.0)

# ------------------------------------------------------------------------------ pages
@dataclass
class Tile:
    row: int
    col: int
    view: tuple[float, float, float, float]
    number: int = 0


@dataclass
class ChartPage:
    """What one chart page shows; drawn by :class:`ChartPageFlowable`."""

    geom: ChartGeometry
    scale: float
    view: tuple[float, float, float, float] | None = None  # None: the whole chart
    title: TitleBlock | None = None
    legend: Legend | None = None
    label: str = ""  # header line of pages without the title block
    path: str = ""  # second header line: « Chemin : A › B › C » (pages of one department)
    grid: list[Tile] = field(default_factory=list)  # numbered tiles drawn over an overview
    tile: Tile | None = None
    outline: tuple[str, int] | None = None  # (title, level) of a bookmark at this page
    links: bool = True
    marks: dict = field(default_factory=dict)  # id -> (colour, badge), e.g. the dossier's changes
    ghosts: frozenset = frozenset()  # ids drawn faded (removed entities shown where they were)
    # Chart book (see chartbook): bands « → p. 12 » under some boxes, id -> [(text, page index)];
    # reference boxes (units whose own box is elsewhere); the breadcrumb [(name, page index)].
    bands: dict = field(default_factory=dict)
    refs: frozenset = frozenset()
    crumbs: list = field(default_factory=list)
    home: dict = field(default_factory=dict)  # id -> page index of its full box (the book's links)
    top_left: bool = False  # chart drawn from the top-left corner (book pages) instead of centred
    names: list = field(default_factory=list)  # ids whose names are written over a tiny overview


class ChartTooLargeError(DicomError):
    """The poster would need more sheets along one side than ``MAX_TILE_SIDE``."""


@dataclass
class ChartPlan:
    mode: str  # "single", "book", "tiled" or "branches"
    pages: list[ChartPage]
    scale: float  # scale of the readable pages

    @property
    def tiles(self) -> int:
        return sum(1 for p in self.pages if p.tile is not None)


def fit_scale(geom: ChartGeometry, aw: float, ah: float) -> float:
    if geom.width <= 0 or geom.height <= 0:
        return MAX_SCALE
    return min(aw / geom.width, ah / geom.height, MAX_SCALE)


def _least_scale() -> float:
    return MIN_TEXT_PT / min(DEFAULT_STYLE.name_size, DEFAULT_STYLE.title_size)


def within_cap(tiles: list[Tile]) -> bool:
    return not tiles or (max(t.row for t in tiles) <= MAX_TILE_SIDE and max(t.col for t in tiles) <= MAX_TILE_SIDE)


def _readable(geom: ChartGeometry, scale: float) -> bool:
    return geom.min_text_size() * scale >= MIN_TEXT_PT - 1e-9


def _tiles(geom: ChartGeometry, aw: float, ah: float, scale: float) -> list[Tile]:
    """Non-empty tiles covering the chart, numbered in reading order."""
    tw, th = aw / scale, ah / scale
    ov = OVERLAP_PT / scale
    sx, sy = tw - ov, th - ov
    cols = 1 if geom.width <= tw else ceil((geom.width - ov) / sx)
    rows = 1 if geom.height <= th else ceil((geom.height - ov) / sy)
    tiles = []
    for r in range(rows):
        for c in range(cols):
            view = (c * sx, r * sy, tw, th)
            ids, conns, _ = geom.items_in(view)
            if ids or conns:
                tiles.append(Tile(r + 1, c + 1, view))
    for i, t in enumerate(tiles, 1):
        t.number = i
    return tiles


def arrangements(graph, subset, fit_area, page_aspect: float, extra_height=None, *, fit_only: bool = False):
    """Candidate layouts of a (sub)chart in order of preference, each with its fit scale.

    Top-down first (the familiar look), then left-right, then compact top-down layouts (small
    branches as hanging lists), least compaction first; the compaction stops once the chart is
    narrower than ``page_aspect`` (further levels only make it taller) or hangs as one list.
    ``fit_only``: the caller only wants a fitting one, so a chart whose boxes alone exceed the
    page yields a single candidate.
    """
    count = len(subset) if subset is not None else len(graph)
    if fit_only and count * DEFAULT_STYLE.width * DEFAULT_STYLE.min_height * _least_scale() ** 2 > fit_area[0] * fit_area[1]:
        # The boxes alone cover more than the page at the least readable scale: no layout can
        # fit, so one is computed (the caller only wanted to know), not ten.
        geom = geometry_for_graph(graph, subset=subset, extra_height=extra_height)
        yield geom, fit_scale(geom, *fit_area)
        return
    for orientation in ("top-down", "left-right"):
        geom = geometry_for_graph(graph, subset=subset, orientation=orientation, extra_height=extra_height)
        yield geom, fit_scale(geom, *fit_area)
        if len(geom.order) == 1:
            return
    for level in range(1, MAX_COMPACT_LEVEL + 1):
        geom = geometry_for_graph(graph, subset=subset, compact=level, extra_height=extra_height)
        yield geom, fit_scale(geom, *fit_area)
        if geom.width < page_aspect * geom.height or graph.root in geom.layout.hanging:
            return


def fit_readably(graph, subset, fit_area, extra_height=None):
    """The first arrangement that fits ``fit_area`` with readable text: (geometry, scale) or None."""
    for geom, scale in arrangements(graph, subset, fit_area, fit_area[0] / fit_area[1], extra_height, fit_only=True):
        if _readable(geom, scale):
            return geom, scale
    return None


def arrange(graph, subset, fit_area: tuple[float, float], tile_area: tuple[float, float], *,
            tile: bool = True) -> tuple[ChartGeometry, float, list[Tile] | None]:
    """Best layout for a (sub)chart: (geometry, fit scale, tiles or None when it fits).

    The first readable arrangement (see :func:`arrangements`); when none fits, the candidate
    needing the fewest sheets within the grid cap (ties: the least compaction).
    """
    candidates = []
    for geom, scale in arrangements(graph, subset, fit_area, tile_area[0] / tile_area[1], fit_only=not tile):
        if _readable(geom, scale):
            return geom, scale, None
        candidates.append((geom, scale))
        if not tile and len(candidates) == 2:
            break
    if not tile:
        return candidates[0][0], candidates[0][1], []
    best: tuple[tuple[bool, int], tuple[ChartGeometry, float, list[Tile]]] | None = None
    for geom, scale in candidates:
        tiles = _tiles(geom, tile_area[0], tile_area[1], TILE_SCALE)
        key = (not within_cap(tiles), len(tiles))
        if best is None or key < best[0]:
            best = (key, (geom, scale, tiles))
    assert best is not None  # arrangements() yields at least one candidate
    return best[1]
