"""The chart pages of the notice: one page when readable, else a book, tiles or branches.

A chart is « readable » when its smallest box text is at least ``MIN_TEXT_PT`` on paper. A
larger chart is by default a « book » (``chartbook``: a direction page, then the units continued
page after page, linked both ways); or tiled (an overview naming the first levels over the
sheet grid, then sheets that overlap by ``OVERLAP_PT`` and carry crop marks and « Feuille i/n —
ligne r, colonne c », at most ``MAX_TILE_SIDE`` sheets along each side); or split into one page
per department under the root, each keeping the path up to the head.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from dicom_desktop.boxes import DEFAULT_STYLE
from dicom_desktop.errors import DicomError
from dicom_desktop.model import Organisation

from . import fonts, pageref
from .chart import ChartGeometry, Legend, draw_chart, draw_legend, geometry_for_graph, legend_height
from .textblock import wrap
from .typography import french, french_date

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


def draw_title_block(canv, block: TitleBlock, top: float, width: float) -> None:
    y = top
    for text, font, size, leading, colour in block.lines:
        y -= leading
        canv.setFont(font, size)
        canv.setFillColor(HexColor(colour))
        canv.drawString(0, y, text)
    canv.setStrokeColor(HexColor("#1f4e8c"))
    canv.setLineWidth(0.8)
    canv.line(0, top - block.height + 3, width, top - block.height + 3)


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


def _fit_scale(geom: ChartGeometry, aw: float, ah: float) -> float:
    if geom.width <= 0 or geom.height <= 0:
        return MAX_SCALE
    return min(aw / geom.width, ah / geom.height, MAX_SCALE)


def _least_scale() -> float:
    return MIN_TEXT_PT / min(DEFAULT_STYLE.name_size, DEFAULT_STYLE.title_size)


def _within_cap(tiles: list[Tile]) -> bool:
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
        yield geom, _fit_scale(geom, *fit_area)
        return
    for orientation in ("top-down", "left-right"):
        geom = geometry_for_graph(graph, subset=subset, orientation=orientation, extra_height=extra_height)
        yield geom, _fit_scale(geom, *fit_area)
        if len(geom.order) == 1:
            return
    for level in range(1, MAX_COMPACT_LEVEL + 1):
        geom = geometry_for_graph(graph, subset=subset, compact=level, extra_height=extra_height)
        yield geom, _fit_scale(geom, *fit_area)
        if geom.width < page_aspect * geom.height or graph.root in geom.layout.hanging:
            return


def fit_readably(graph, subset, fit_area, extra_height=None):
    """The first arrangement that fits ``fit_area`` with readable text: (geometry, scale) or None."""
    for geom, scale in arrangements(graph, subset, fit_area, fit_area[0] / fit_area[1], extra_height, fit_only=True):
        if _readable(geom, scale):
            return geom, scale
    return None


def _arrange(graph, subset, fit_area, tile_area, *, tile: bool = True):
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
    best = None
    for geom, scale in candidates:
        tiles = _tiles(geom, *tile_area, TILE_SCALE)
        key = (not _within_cap(tiles), len(tiles))
        if best is None or key < best[0]:
            best = (key, (geom, scale, tiles))
    return best[1]


def plan_chart(graph, org: Organisation, frame: tuple[float, float], large_chart: str = "book") -> ChartPlan:
    """Decide how the chart goes on paper for a chart-page frame of ``frame`` = (w, h) points."""
    if large_chart not in LARGE_CHART_MODES:
        raise ValueError(f"large_chart must be one of {LARGE_CHART_MODES}")
    fw, fh = frame
    title = title_block(org, fw)
    legend = _legend_of(graph)
    leg = legend_height(legend, fw) + 6.0
    first_area = (fw, fh - title.height - leg - 6.0 - 2 * CHART_PAD)
    tile_area = (fw, fh - HEADER_PT)
    if large_chart == "book":
        fit = fit_readably(graph, None, first_area)
        if fit is not None:
            return ChartPlan("single", [ChartPage(fit[0], fit[1], title=title, legend=legend,
                                                  outline=("Organigramme", 0))], fit[1])
        from .chartbook import plan_book

        return plan_book(graph, title, legend, first_area, (fw, fh - HEADER_PT - PATH_PT))
    if large_chart == "branches":
        geom, scale, tiles = _arrange(graph, None, first_area, tile_area, tile=False)
        if tiles is None:
            return ChartPlan("single", [ChartPage(geom, scale, title=title, legend=legend,
                                                  outline=("Organigramme", 0))], scale)
        return _plan_branches(graph, title, legend, first_area, tile_area)
    geom, scale, tiles = _arrange(graph, None, first_area, tile_area)
    if tiles is None:
        return ChartPlan("single", [ChartPage(geom, scale, title=title, legend=legend,
                                              outline=("Organigramme", 0))], scale)
    if not _within_cap(tiles):
        rows, cols = max(t.row for t in tiles), max(t.col for t in tiles)
        raise ChartTooLargeError(
            f"L’organigramme en poster demanderait {rows} × {cols} feuilles (au plus {MAX_TILE_SIDE} "
            f"par côté) : choisissez le mode « book » (une page par unité) ou un format plus grand.")
    depths = graph.depths()
    scale = _fit_scale(geom, first_area[0] - 2 * GRID_LABEL_PT, first_area[1] - GRID_LABEL_PT)
    overview = ChartPage(geom, scale, title=title, legend=legend, grid=tiles,
                         outline=("Organigramme (vue d’ensemble)", 0), links=scale * 8 >= 2,
                         names=[i for i in geom.order if depths[i] <= 1])
    pages = [overview]
    n = len(tiles)
    for t in tiles:
        label = f"Feuille {t.number}/{n} — ligne {t.row}, colonne {t.col}"
        pages.append(ChartPage(geom, TILE_SCALE, view=t.view, label=label, tile=t, outline=(label, 1)))
    return ChartPlan("tiled", pages, TILE_SCALE)


def _legend_of(graph) -> Legend:
    return Legend.of_entities((graph.entity(i) for i in graph.preorder()), graph.links)


def _plan_branches(graph, title, legend, first_area, tile_area) -> ChartPlan:
    """Top page (root, staff, department heads), then one page per department with children."""
    root = graph.root
    top_ids = [root]
    branches = []
    for child in graph.children(root):
        if graph.entity(child).staff:
            top_ids.extend(graph.subtree(child))
        else:
            top_ids.append(child)
            if graph.children(child):
                branches.append(child)
    top_geom, top_scale, tiles = _arrange(graph, top_ids, first_area, tile_area)
    pages = [ChartPage(top_geom, top_scale, title=title, legend=legend, outline=("Organigramme (direction)", 0))]
    readable_scales = [top_scale]
    if tiles is not None:
        pages[0].links = top_scale * 8 >= 2
        pages[0].grid = tiles
        for t in tiles:
            label = f"Direction — feuille {t.number}/{len(tiles)} — ligne {t.row}, colonne {t.col}"
            pages.append(ChartPage(top_geom, TILE_SCALE, view=t.view, label=label, tile=t, outline=(label, 1)))
        readable_scales = [TILE_SCALE]
    n = len(branches)
    branch_area = (tile_area[0], tile_area[1] - PATH_PT)
    for i, head in enumerate(branches, 1):
        chain = graph.ancestors(head)[::-1]
        ids = chain + graph.subtree(head)
        name = graph.entity(head).name
        label = f"Branche {i}/{n} — {french(name)}"
        path = "Chemin\u00a0: " + " › ".join(french(graph.entity(a).name) for a in chain + [head])
        bgeom, scale, tiles = _arrange(graph, ids, branch_area, branch_area)
        if tiles is None:
            pages.append(ChartPage(bgeom, scale, label=label, path=path, outline=(label, 1)))
            readable_scales.append(scale)
            continue
        for t in tiles:
            tl = f"{label} — feuille {t.number}/{len(tiles)} — ligne {t.row}, colonne {t.col}"
            pages.append(ChartPage(bgeom, TILE_SCALE, view=t.view, label=tl, path=path, tile=t,
                                   outline=(label if t.number == 1 else tl, 1 if t.number == 1 else 2)))
        readable_scales.append(TILE_SCALE)
    return ChartPlan("branches", pages, min(readable_scales))


# ------------------------------------------------------------------------------ drawing
def _fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with « … » at the end until it fits ``width`` points."""
    if fonts.string_width(text, font, size) <= width:
        return text
    while len(text) > 1 and fonts.string_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"



class ChartPageFlowable(Flowable):
    """Fills a whole frame with one chart page (title or header, chart, legend, marks).

    ``link_target(id)`` names the destination of each box (None: no link); ``frame`` is the
    (width, height) of the frame it fills. Reusable by other documents (the scenario dossier).
    """

    def __init__(self, page: ChartPage, link_target, key: str, frame: tuple[float, float]):
        super().__init__()
        self.page = page
        self.link_target = link_target
        self.key = key
        # A fixed size (the whole frame): the next chart page can never squeeze in below.
        self.width, self.height = frame[0], frame[1] - 0.5

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        canv, p = self.canv, self.page
        fw, fh = self.width, self.height
        fonts.register_fonts()
        pageref.mark_page(canv, self.key)
        if p.outline:
            canv.bookmarkHorizontal(self.key, 0, fh)
            canv.addOutlineEntry(p.outline[0], self.key, level=p.outline[1], closed=p.outline[1] == 0 and len(p.grid) > 20)
        elif p.home:
            canv.bookmarkHorizontal(self.key, 0, fh)
        top = fh
        if p.title is not None:
            draw_title_block(canv, p.title, top, fw)
            top -= p.title.height + 6.0
        elif p.label:
            canv.setFont(fonts.BOLD, 9)
            canv.setFillColor(HexColor("#12325c"))
            canv.drawString(0, fh - 11, _fit_text(p.label, fonts.BOLD, 9, fw))
            top -= HEADER_PT
            if p.crumbs:
                self._draw_crumbs(canv, fh - 21, fw)
                top -= PATH_PT
            elif p.path:
                canv.setFont(fonts.REGULAR, 7)
                canv.setFillColor(HexColor("#555555"))
                text = p.path
                while len(text) > 1 and fonts.string_width(text, fonts.REGULAR, 7) > fw:
                    text = "…" + text[2:]
                canv.drawString(0, fh - 21, text)
                top -= PATH_PT
        bottom = 0.0
        if p.legend is not None:
            bottom = legend_height(p.legend, fw) + 6.0
            draw_legend(canv, p.legend, left=0, top=bottom - 3.0, width=fw)
        g = p.geom
        if p.view is None:
            w, h = g.width * p.scale, g.height * p.scale
            if p.top_left:
                left, ctop = 0.0, top - CHART_PAD
            else:
                left = (fw - w) / 2
                ctop = top - max(0.0, (top - bottom - h) / 2)
            draw_chart(canv, g, left=left, top=ctop, scale=p.scale, min_text_pt=MIN_TEXT_PT - 0.01,
                       link_target=self.link_target if p.links else None, marks=p.marks, ghosts=p.ghosts,
                       refs=p.refs)
            if p.bands:
                self._draw_bands(canv, left, ctop)
            if p.names:
                self._draw_names(canv, left, ctop)
            if p.grid:
                self._draw_grid(canv, left, ctop)
        else:
            vx, vy, vw, vh = p.view
            draw_chart(canv, g, left=0, top=top, scale=p.scale, view=p.view, link_target=self.link_target,
                       marks=p.marks, ghosts=p.ghosts)
            self._draw_cut_marks(canv, vw * p.scale, vh * p.scale, top)

    def _page_key(self, index: int) -> str:
        """Destination of the chart page ``index`` of the same plan (keys are « prefix-i »)."""
        return f"{self.key.rpartition('-')[0]}-{index}"

    def _draw_bands(self, canv, left, top):
        """« → p. 12 » under continued boxes, « ← p. 3 » under reference boxes: links both ways."""
        from .chartbook import BAND_H

        p, s = self.page, self.page.scale
        size = 7.5 * s
        for eid, items in p.bands.items():
            b = p.geom.layout.boxes[eid]
            x0, y1 = left + b.x * s, top - (b.y + b.h) * s
            w, bh = b.w * s, BAND_H * s
            forward = eid not in p.refs
            canv.saveState()
            canv.setFillColor(HexColor("#1f4e8c" if forward else "#dde3ea"))
            canv.roundRect(x0 + 1.2 * s, y1 + 1.2 * s, w - 2.4 * s, bh - 1.2 * s, 1.5 * s, stroke=0, fill=1)
            colour = "#ffffff" if forward else "#12325c"
            font = fonts.BOLD
            x = x0 + 5 * s
            for i, (text, target) in enumerate(items):
                if i:  # the second item (« suite p. 14 ») sits at the right end of the band
                    x = x0 + w - 5 * s - fonts.string_width(text, font, size) - pageref.number_width(size, font)
                canv.setFont(font, size)
                canv.setFillColor(HexColor(colour))
                canv.drawString(x, y1 + 3.2 * s, text)
                tw = fonts.string_width(text, font, size)
                key = self._page_key(target)
                pageref.draw_page_number(canv, key, x + tw, y1 + 3.2 * s, font=font, size=size, colour=colour)
                canv.linkRect("", key, (x - 2, y1, x + tw + pageref.number_width(size, font) + 2, y1 + bh),
                              relative=1, thickness=0)
            canv.restoreState()

    def _draw_crumbs(self, canv, y, width):
        """« Chemin : A › B › C », each name a link to the page of its box."""
        size = 7
        sep = " › "
        canv.setFont(fonts.REGULAR, size)
        canv.setFillColor(HexColor("#333333"))
        x = fonts.string_width("Chemin : ", fonts.REGULAR, size)
        canv.drawString(0, y, "Chemin : ")
        crumbs = self.page.crumbs
        room = (width - x) / max(1, len(crumbs)) - fonts.string_width(sep, fonts.REGULAR, size)
        for i, (name, target) in enumerate(crumbs):
            text = _fit_text(name, fonts.REGULAR, size, room)
            w = fonts.string_width(text, fonts.REGULAR, size)
            canv.setFillColor(HexColor("#1f4e8c"))
            canv.drawString(x, y, text)
            canv.linkRect("", self._page_key(target), (x, y - 2, x + w, y + size), relative=1, thickness=0)
            x += w
            if i < len(crumbs) - 1:
                canv.setFillColor(HexColor("#333333"))
                canv.drawString(x, y, sep)
                x += fonts.string_width(sep, fonts.REGULAR, size)

    def _draw_names(self, canv, left, top):
        """The names of the first levels, readable over a tiny overview (on a white label)."""
        p, s = self.page, self.page.scale
        size = OVERVIEW_NAME_PT
        canv.saveState()
        for eid in p.names:
            b = p.geom.layout.boxes[eid]
            name = french(p.geom.entities[eid].name)
            lines = wrap(name, fonts.BOLD, size, max(60.0, min(150.0, b.w * s * 3)))
            lw = max(fonts.string_width(t, fonts.BOLD, size) for t in lines) + 4
            lh = len(lines) * (size + 1.5) + 3
            cx, y0 = left + (b.x + b.w / 2) * s, top - b.y * s
            canv.setFillColor(HexColor("#ffffff"))
            canv.setFillAlpha(0.85)
            canv.setStrokeColor(HexColor("#1f4e8c"))
            canv.setLineWidth(0.4)
            canv.rect(cx - lw / 2, y0 - lh, lw, lh, stroke=1, fill=1)
            canv.setFillAlpha(1)
            canv.setFont(fonts.BOLD, size)
            canv.setFillColor(HexColor("#12325c"))
            for i, t in enumerate(lines):
                canv.drawCentredString(cx, y0 - (i + 1) * (size + 1.5), t)
        canv.restoreState()

    def _draw_grid(self, canv, left, top):
        """Sheet outlines over the overview; row and column numbers in the margins, never over
        the boxes (each sheet's header repeats its row and column)."""
        p = self.page
        s = p.scale
        canv.saveState()
        canv.setStrokeColor(HexColor("#c0392b"))
        canv.setLineWidth(0.5)
        canv.setDash(3, 2)
        rows: dict[int, tuple[float, float]] = {}
        cols: dict[int, tuple[float, float]] = {}
        for t in p.grid:
            x, y, w, h = t.view
            w = min(w, p.geom.width - x)  # the last row and column stop at the chart's edge
            h = min(h, p.geom.height - y)
            canv.rect(left + x * s, top - (y + h) * s, w * s, h * s, stroke=1, fill=0)
            rows[t.row] = (top - y * s, top - (y + h) * s)
            cols[t.col] = (left + x * s, left + (x + w) * s)
        canv.setDash()
        canv.setFont(fonts.BOLD, 7)
        canv.setFillColor(HexColor("#c0392b"))
        for c, (x0, x1) in cols.items():
            canv.drawCentredString((x0 + x1) / 2, top + 3, f"col.\u00a0{c}")
        for r, (y0, y1) in rows.items():
            canv.drawRightString(left - 3, (y0 + y1) / 2 - 2.5, str(r))
        canv.restoreState()

    def _draw_cut_marks(self, canv, w, h, top):
        """Crop marks at the corners and the overlap bands shared with neighbouring sheets."""
        p = self.page
        t = p.tile
        canv.saveState()
        canv.setStrokeColor(HexColor("#808080"))
        canv.setLineWidth(0.4)
        m = 8.0
        bottom = top - h
        for x, y, dx, dy in ((0, top, 1, -1), (w, top, -1, -1), (0, bottom, 1, 1), (w, bottom, -1, 1)):
            canv.line(x, y, x + dx * m, y)
            canv.line(x, y, x, y + dy * m)
        canv.setDash(1, 3)
        if t.col > 1:
            canv.line(OVERLAP_PT, top, OVERLAP_PT, bottom)
        if t.row > 1:
            canv.line(0, top - OVERLAP_PT, w, top - OVERLAP_PT)
        canv.setDash()
        canv.setFont(fonts.REGULAR, 7)
        canv.setFillColor(HexColor("#595959"))
        note = "Recouvrement de 10 mm avec les feuilles voisines (pointillés : ligne de collage)."
        canv.drawRightString(w, top + HEADER_PT - 11, note)
        canv.restoreState()
