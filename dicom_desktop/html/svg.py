"""The organisation chart as inline SVG, drawn from the core chart geometry (no Qt, no ReportLab).

The boxes, wrapped lines, colours, staff positions beside their parent and dotted functional
links are those of the shared geometry (``dicom_desktop.chart.geometry.chart_geometry``: layout,
box contents, merged connector segments, routed links),
so the web page shows the chart the editor and the PDF show. Every text from the file goes
through ``markupsafe.escape``: a name such as ``<script>`` or ``]]>`` stays text, and the output
is well-formed XML. The SVG is an image for assistive technologies (``role="img"`` with a name
and a description); the page carries its text alternative (the nested lists).
"""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup, escape

from dicom_desktop.chart.boxes import text_lines
from dicom_desktop.kinds import style_for

CONNECTOR_COLOUR = "#5b6b7f"
LINK_COLOUR = "#7a3f9d"
LINK_DASH = "1.2 2.2"
VACANT_DASH = "3 2"
CORNER_RADIUS = 3.0
MARGIN = 8.0
FONT_FAMILY = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif"
_WEIGHTS = {"bold": "bold", "regular": "normal"}


def _num(value: float) -> str:
    """Coordinates with 0.1 pt precision: smaller files, same drawing."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


MAX_ZOOM = 1.6  # a small chart is not blown up beyond this on a wide screen


def chart_svg(geom, *, title: str, description: str, title_id: str = "organigramme-svg-titre",
              desc_id: str = "organigramme-svg-description") -> Markup:
    """``<svg>`` markup of ``geom`` (a ``ChartGeometry``), scaled to its container's width.

    ``title`` and ``description`` are the accessible name and description (plain text)."""
    layout = geom.layout
    w, h = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="organigramme" role="img" '
        f'viewBox="{_num(-MARGIN)} {_num(-MARGIN)} {_num(w)} {_num(h)}" '
        f'width="{_num(w)}" height="{_num(h)}" preserveAspectRatio="xMidYMin meet" '
        f'style="max-width: {_num(w * MAX_ZOOM)}px; margin: 0 auto" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'font-family="{escape(FONT_FAMILY)}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    # Hierarchy connectors: one path of the geometry's merged straight segments (as the PDF draws them).
    segments = geom.connector_segments()
    if segments:
        path = "".join(f"M{_num(x0)} {_num(y0)}L{_num(x1)} {_num(y1)}" for x0, y0, x1, y1 in segments)
        out.append(f'<path d="{path}" fill="none" stroke="{CONNECTOR_COLOUR}" stroke-width="0.8"/>')
    # Functional links: dotted curves with small squares at both ends, under the boxes.
    curves = geom.link_curves() if geom.links else []
    if curves:
        d: list[str] = []
        dots: list[str] = []
        for curve in curves:  # poly-Bézier: p0, then (c1, c2, p) per cubic piece
            (ax, ay), rest = curve[0], curve[1:]
            d.append(f"M{_num(ax)} {_num(ay)}" + "".join(
                f"C{_num(rest[i][0])} {_num(rest[i][1])} {_num(rest[i + 1][0])} {_num(rest[i + 1][1])} "
                f"{_num(rest[i + 2][0])} {_num(rest[i + 2][1])}" for i in range(0, len(rest) - 2, 3)))
            for px, py in (curve[0], curve[-1]):
                dots.append(f"M{_num(px - 1.3)} {_num(py - 1.3)}h2.6v2.6h-2.6z")
        out.append(f'<path d="{"".join(d)}" fill="none" stroke="{LINK_COLOUR}" stroke-width="0.9" '
                   f'stroke-dasharray="{LINK_DASH}"/>')
        out.append(f'<path d="{"".join(dots)}" fill="{LINK_COLOUR}"/>')
    # Boxes grouped by style, then their texts.
    groups: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    for eid in geom.order:
        e = geom.entities[eid]
        st = style_for(e.kind)
        groups[(st.fill, st.border, bool(e.vacant))].append(eid)
    boxes = layout.boxes
    for (fill, border, vacant), members in groups.items():
        dash = f' stroke-dasharray="{VACANT_DASH}"' if vacant else ""
        out.append(f'<g fill="{fill}" stroke="{border}" stroke-width="0.9"{dash}>')
        for eid in members:
            b = boxes[eid]
            out.append(f'<rect x="{_num(b.x)}" y="{_num(b.y)}" width="{_num(b.w)}" height="{_num(b.h)}" '
                       f'rx="{_num(CORNER_RADIUS)}"/>')
        out.append("</g>")
    out.append('<g text-anchor="middle">')
    for eid in geom.order:
        b = boxes[eid]
        cx = _num(b.x + b.w / 2)
        colour = style_for(geom.entities[eid].kind).text
        out.append(f'<g fill="{colour}">')
        for line in text_lines(geom.contents[eid]):
            out.append(f'<text x="{cx}" y="{_num(b.y + line.baseline)}" font-size="{_num(line.size)}" '
                       f'font-weight="{_WEIGHTS.get(line.font, "normal")}">{escape(line.text)}</text>')
        out.append("</g>")
    out.append("</g></svg>")
    return Markup("\n".join(out))
