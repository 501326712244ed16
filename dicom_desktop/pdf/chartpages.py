"""The chart pages of the notice: one page when readable, else a book, tiles or branches.

A chart is « readable » when its smallest box text is at least ``MIN_TEXT_PT`` on paper. A
larger chart is by default a « book » (``chartbook``: a direction page, then the units continued
page after page, linked both ways); or tiled (an overview naming the first levels over the
sheet grid, then sheets that overlap by ``OVERLAP_PT`` and carry crop marks and « Feuille i/n —
ligne r, colonne c », at most ``MAX_TILE_SIDE`` sheets along each side); or split into one page
per department under the root, each keeping the path up to the head.
"""

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from dicom_desktop.model import Organisation
from dicom_desktop.wording import typographic as french

from . import fonts, pageref
from .chart import Legend, draw_chart, draw_legend, legend_height
from .chartbook import BAND_H, plan_book
from .chartplan import (
    CHART_PAD,
    GRID_LABEL_PT,
    HEADER_PT,
    LARGE_CHART_MODES,
    MAX_TILE_SIDE,
    MIN_TEXT_PT,
    OVERLAP_PT,
    OVERVIEW_NAME_PT,
    PATH_PT,
    TILE_SCALE,
    ChartPage,
    ChartPlan,
    ChartTooLargeError,
    TitleBlock,
    arrange,
    fit_readably,
    fit_scale,
    title_block,
    within_cap,
)
from .textblock import wrap


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
        return plan_book(graph, title, legend, first_area, (fw, fh - HEADER_PT - PATH_PT))
    if large_chart == "branches":
        geom, scale, tiles = arrange(graph, None, first_area, tile_area, tile=False)
        if tiles is None:
            return ChartPlan("single", [ChartPage(geom, scale, title=title, legend=legend,
                                                  outline=("Organigramme", 0))], scale)
        return _plan_branches(graph, title, legend, first_area, tile_area)
    geom, scale, tiles = arrange(graph, None, first_area, tile_area)
    if tiles is None:
        return ChartPlan("single", [ChartPage(geom, scale, title=title, legend=legend,
                                              outline=("Organigramme", 0))], scale)
    if not within_cap(tiles):
        rows, cols = max(t.row for t in tiles), max(t.col for t in tiles)
        raise ChartTooLargeError(
            f"L’organigramme en poster demanderait {rows} × {cols} feuilles (au plus {MAX_TILE_SIDE} "
            f"par côté) : choisissez le mode « book » (une page par unité) ou un format plus grand.")
    depths = graph.depths()
    scale = fit_scale(geom, first_area[0] - 2 * GRID_LABEL_PT, first_area[1] - GRID_LABEL_PT)
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
    top_geom, top_scale, tiles = arrange(graph, top_ids, first_area, tile_area)
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
        bgeom, scale, tiles = arrange(graph, ids, branch_area, branch_area)
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
        t = self.page.tile
        assert t is not None  # only the sheets of a poster show a part (a view) of the chart
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
