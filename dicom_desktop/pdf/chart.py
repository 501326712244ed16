"""The organisation chart drawn as vectors on a ReportLab canvas, reusable by every PDF.

The geometry is the one the editor draws: :func:`dicom_desktop.chart.geometry.chart_geometry`
(French typography, wrapped and measured box texts, layout, link routing). Layout coordinates have
y growing down; ``draw_chart`` flips them. Callers can mark boxes (colour + badge text, e.g.
« déplacé ») and draw some boxes ghosted (removed entities), for the before/after dossier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from reportlab.lib.colors import HexColor

from dicom_desktop.chart.boxes import DEFAULT_STYLE, text_lines
from dicom_desktop.chart.geometry import ChartGeometry, chart_geometry, subset_children
from dicom_desktop.graph import OrgGraph
from dicom_desktop.kinds import KIND_STYLES, NEUTRAL_STYLE, style_for
from dicom_desktop.chart.layout import Layout
from dicom_desktop.chart.linkroute import LABEL_LINE, LABEL_SIZE, Curve, label_block, place_label
from dicom_desktop.model import Entity, Link
from dicom_desktop.wording import typographic as french

from . import fonts

__all__ = ["Legend", "draw_chart", "draw_legend", "geometry_for_graph", "legend_height"]

CONNECTOR_COLOUR = "#5b6b7f"
LINK_COLOUR = "#7a3f9d"
GHOST_COLOUR = "#636d78"  # text of removed boxes: 5.3:1 on white (was #9aa3ad, 2.6:1)
REF_FILL, REF_TEXT = "#f1f3f6", "#1a1a1a"  # reference boxes of the chart book
LINK_DASH = (1.2, 2.2)
VACANT_DASH = (3, 2)
CORNER_RADIUS = 3.0

Marks = Mapping[str, tuple[str, str]]  # entity id -> (#rrggbb colour, badge text)


def _colour(value: str, _cache: dict = {}):  # noqa: B006 - deliberate memo
    colour = _cache.get(value)
    if colour is None:
        colour = _cache[value] = HexColor(value)
    return colour


def _draw_link_labels(canv, labelled: list[tuple[Curve, str]], layout: Layout) -> None:
    """Each label, wrapped, on a white ground on or beside its link where it covers no box
    (``linkroute.place_label``: the editor places it the same way)."""
    from dicom_desktop.chart.textmetrics import font_metrics

    ascent = font_metrics("regular")[0] * LABEL_SIZE
    for curve, label in labelled:
        lines, width, height = label_block(french(label))
        left, top = place_label(curve, width, height, layout)
        canv.setFillColorRGB(1, 1, 1)
        canv.rect(left, -top - height, width, height, stroke=0, fill=1)
        canv.setFillColor(_colour(LINK_COLOUR))
        canv.setFont(fonts.REGULAR, LABEL_SIZE)
        for k, line in enumerate(lines):
            canv.drawString(left + 1, -top - 0.5 - k * LABEL_LINE - ascent, line)


def geometry_for_graph(graph: OrgGraph, *, subset: Collection[str] | None = None, orientation: str = "top-down",
                       compact: int | None = None, extra_height: Mapping[str, float] | None = None) -> ChartGeometry:
    """Geometry of a whole ``OrgGraph`` or of the entities in ``subset`` (closed under parent).

    ``extra_height`` adds room below the texts of some boxes (the chart book's « → p. 12 » band)."""
    children = subset_children(graph, subset) if subset is not None else None
    return chart_geometry(graph, children=children, orientation=orientation, compact=compact,
                          extra_height=extra_height)


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
    refs: Collection[str] = (),
) -> list[str]:
    """Draw ``geom`` with its top-left corner (or ``view``'s) at page point (``left``, ``top``).

    ``view`` = (x, y, w, h) in chart units draws only that window, clipped (a tile).
    ``link_target(id)`` names the PDF destination each box links to (None: no link).
    ``marks`` adds a coloured frame and a badge to some boxes; ``ghosts`` are drawn faded and
    dashed (entities shown where they were); ``refs`` are reference boxes, light and dashed with
    dark text (the chart book: a unit whose own box is on another page). Text smaller than ``min_text_pt`` on paper is
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
    curves = geom.link_curves() if geom.links else []
    link_idx = list(link_idx)
    if link_idx:
        canv.saveState()
        canv.setStrokeColor(_colour(LINK_COLOUR))
        canv.setFillColor(_colour(LINK_COLOUR))
        canv.setLineWidth(max(0.9, thin))
        canv.setDash(*LINK_DASH)
        path = canv.beginPath()
        for i in link_idx:
            curve = curves[i]
            path.moveTo(curve[0][0], -curve[0][1])
            for k in range(1, len(curve) - 2, 3):
                (c1x, c1y), (c2x, c2y), (bx, by) = curve[k:k + 3]
                path.curveTo(c1x, -c1y, c2x, -c2y, bx, -by)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setDash()
        dots = canv.beginPath()
        for i in link_idx:  # small squares at both ends (cheaper than circles on big charts)
            for px, py in (curves[i][0], curves[i][-1]):
                dots.rect(px - 1.3, -py - 1.3, 2.6, 2.6)
        canv.drawPath(dots, stroke=0, fill=1)
        _draw_link_labels(canv, [(curves[i], geom.links[i].label) for i in link_idx if geom.links[i].label],
                          geom.layout)
        canv.restoreState()

    # Boxes, grouped by style so each group is one path.
    groups: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    ghost_ids = []
    for eid in ids:
        if eid in ghosts:
            ghost_ids.append(eid)
            continue
        if eid in refs:
            groups[(REF_FILL, CONNECTOR_COLOUR, True)].append(eid)
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
            if eid in ghosts:
                colour = GHOST_COLOUR
            elif eid in refs:
                colour = REF_TEXT
            else:
                colour = style_for(geom.entities[eid].kind).text
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
            # The texts only: a band below them (the book's « → p. 12 ») holds its own link.
            y0, y1 = max(b.y, vy), min(b.y + min(b.h, geom.contents[eid].height), vy + vh)
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
