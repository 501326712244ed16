"""The dossier's two charts: the scenario's graph with its removed entities ghosted, the notice's
chart pages retitled for the dossier, and the legend of the change marks drawn under the scenario's.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from dicom_desktop.comparison.change_styles import CHANGE_PRIORITY, CHANGE_STYLES, ChangeStyle, style_of
from dicom_desktop.comparison.diff import LinksReordered, OrgDiff
from dicom_desktop.errors import EditRefused
from dicom_desktop.graph import OrgGraph
from dicom_desktop.wording import NBSP
from dicom_desktop.wording import typographic as french

from . import fonts
from .chart import GHOST_COLOUR
from .chartpages import ChartPageFlowable
from .chartplan import ChartPage, TitleBlock
from .textblock import wrap

INK = "#1a1a1a"
NAVY = "#12325c"


def graph_with_ghosts(scenario: OrgGraph, base: OrgGraph, diff: OrgDiff) -> tuple[OrgGraph, frozenset]:
    """The scenario's graph plus its removed (and merged) entities put back where they were.

    Each removed entity goes under its former parent (or the nearest former ancestor still
    present), right after the nearest former elder sibling still there, so the chart shows
    the gap the change leaves. Returns the graph and the ids to draw ghosted.
    """
    graph = scenario.copy()
    ghosts: list[str] = []
    for change in diff.removed():  # BASE pre-order: a removed parent is back before its children
        if change.entity_id in graph:
            continue
        parent = change.parent
        while parent is not None and parent not in graph:
            parent = base.parent(parent) if parent in base else None
        if parent is None:
            continue
        index = 0
        if change.parent == parent and change.parent in base:
            elders = base.children(parent)[: change.index]
            present = graph.children(parent)
            for elder in reversed(elders):
                if elder in present:
                    index = present.index(elder) + 1
                    break
        try:
            graph.add_entity(change.entity, parent, index)
        except EditRefused:
            continue
        ghosts.append(change.entity_id)
    links = [l for l in graph.links if l.source in graph and l.target in graph]
    graph.links[:] = links
    return graph, frozenset(ghosts)


def heading_block(title: str, subtitle: str, width: float) -> TitleBlock:
    """A chart page's heading in the notice's title style (so the planned chart area holds)."""
    lines = [(t, fonts.BOLD, 15.0, 18.0, NAVY) for t in wrap(french(title), fonts.BOLD, 15, width)]
    sub = french(subtitle)
    while sub and fonts.string_width(sub, fonts.REGULAR, 10) > width:
        sub = sub[:-2] + "…"
    if sub:
        lines.append((sub, fonts.REGULAR, 10.0, 14.0, "#333333"))
    return TitleBlock(lines, sum(l[3] for l in lines) + 8.0)


def sheets_of(pages: list[ChartPage], prefix: str) -> dict[str, str]:
    """Entity id → the readable sheet(s) of a multi-page chart showing its box (« feuille 12 »)."""
    if len(pages) < 2:
        return {}
    where: dict[str, list[str]] = {}
    for page in pages:
        if page.grid:  # an overview: too small to read, the sheets are what the reader looks up
            continue
        if page.title is not None:
            name = "page de direction"
        else:
            name = page.label.removeprefix(f"{prefix} — ").split(" — ligne")[0]
            name = name[:1].lower() + name[1:]
        ids = page.geom.items_in(page.view)[0] if page.view is not None else page.geom.order
        for eid in ids:
            sheets = where.setdefault(eid, [])
            if name not in sheets:
                sheets.append(name)
    return {eid: ", ".join(names[:3]) + (" …" if len(names) > 3 else "") for eid, names in where.items()}


def relabel(pages: list[ChartPage], heading: TitleBlock, section: str, prefix: str) -> None:
    """The notice's plan pages retitled for the dossier: section heading, prefixed sheet labels."""
    for i, page in enumerate(pages):
        if page.title is not None:
            page.title = heading
        elif page.label:
            page.label = f"{prefix} — {page.label}"
        if page.outline is not None:
            page.outline = (section, 0) if i == 0 else (f"{prefix} — {page.outline[0]}", page.outline[1])


def marks_legend_items(diff: OrgDiff, has_ghosts: bool, several: bool = False) -> list[tuple[str, ChangeStyle | None]]:
    """(explanation, style) of each badge present in the diff, in priority order, then the ghost."""
    present: dict[str, tuple[int, str, ChangeStyle]] = {}
    for change in diff.changes:
        if not change.entity_ids() or isinstance(change, LinksReordered):
            continue
        style = style_of(change)
        if not style.badge or style.badge in present:
            continue
        legend = CHANGE_STYLES.get(change.kind, style).legend or next(
            (v.legend for v in CHANGE_STYLES.values() if v.badge == style.badge and v.legend), "")
        if style.badge == "Pourvu":
            legend = "poste de responsable à nouveau pourvu"
        present[style.badge] = (CHANGE_PRIORITY.get(change.kind, 99), legend, style)
    items: list[tuple[str, ChangeStyle | None]] = [(legend, style) for _, legend, style in sorted(
        present.values(), key=lambda item: item[0])]
    if several:
        items.append(("autres changements de la même entité (voir le tableau)", ChangeStyle("+N", "#5d6d7e", "")))
    if has_ghosts:
        items.append(("entité qui disparaît dans le scénario, montrée estompée à son ancienne place", None))
    return items


_CHIP_H, _LEG_SIZE, _ROW_H = 10.0, 7.5, 15.0
MARKS_LEGEND_TITLE = f"Marques{NBSP}:"


def marks_positions(items, width: float):
    x0 = fonts.string_width(MARKS_LEGEND_TITLE, fonts.BOLD, _LEG_SIZE) + 8
    x, row, out = x0, 0, []
    for text, style in items:
        chip = (fonts.string_width(style.badge, fonts.BOLD, 6.5) + 6) if style else 18.0
        w = chip + 4 + fonts.string_width(text, fonts.REGULAR, _LEG_SIZE)
        if x + w > width and x > x0:
            x, row = x0, row + 1
        out.append((x, row, chip, text, style))
        x += w + 12
    rows = (out[-1][1] + 1) if out else 0
    return out, rows * _ROW_H + 4


class MarkedChartPage(Flowable):
    """A notice chart page with the legend of the change marks along its bottom edge."""

    def __init__(self, inner: ChartPageFlowable, items, frame: tuple[float, float]):
        super().__init__()
        self.inner = inner
        self.items = items
        self.width, self.height = frame[0], frame[1] - 0.5
        self.positions, self.legend_height = marks_positions(items, frame[0])

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        self.inner.drawOn(canv, 0, self.legend_height)
        if not self.positions:
            return
        canv.saveState()
        canv.setStrokeColor(HexColor("#b3b3b3"))
        canv.setLineWidth(0.4)
        canv.line(0, self.legend_height - 1, self.width, self.legend_height - 1)
        top = self.legend_height - 4
        canv.setFont(fonts.BOLD, _LEG_SIZE)
        canv.setFillColor(HexColor(INK))
        canv.drawString(0, top - _ROW_H + 4, MARKS_LEGEND_TITLE)
        for x, row, chip, text, style in self.positions:
            base = top - (row + 1) * _ROW_H + 4
            if style is None:  # the ghost box
                canv.setFillColor(colors.white)
                canv.setStrokeColor(HexColor(GHOST_COLOUR))
                canv.setLineWidth(0.8)
                canv.setDash(2, 2)
                canv.roundRect(x, base - 2.5, chip, _CHIP_H, 2, stroke=1, fill=1)
                canv.setDash()
            else:
                canv.setFillColor(HexColor(style.color))
                canv.roundRect(x, base - 2.5, chip, _CHIP_H, 2.5, stroke=0, fill=1)
                canv.setFillColor(colors.white)
                canv.setFont(fonts.BOLD, 6.5)
                canv.drawString(x + 3, base, style.badge)
            canv.setFillColor(HexColor(INK))
            canv.setFont(fonts.REGULAR, _LEG_SIZE)
            canv.drawString(x + chip + 4, base, text)
        canv.restoreState()
