"""The notice of an organisation as one self-contained, script-free, French HTML5 page.

It reads like the ministry's own page: title, « Mis à jour le », legal basis, missions, then the
chart (inline SVG with its text alternative: the whole hierarchy as nested lists, each item a
link to its section, functional links in words) and the « Notice explicative de l’organigramme »,
one section per entity in hierarchical order. Rendered by Jinja2 with autoescaping: every value
from the file is text, never markup. Large charts show only their top levels in the SVG; the
lists and the sections always hold every entity.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from dicom_desktop.errors import DicomError
from dicom_desktop.kinds import KIND_STYLES, style_for
from dicom_desktop.wording import french_date, long_dates
from dicom_desktop.wording import typographic as french
from dicom_desktop.provenance import note, reference_applies

from .svg import chart_svg

# The SVG shows at most this many boxes: beyond, only the top levels (the lists hold the rest).
SVG_MAX_ENTITIES = 120
DOCUMENT_TITLE = "Organigramme et notice explicative"


class HtmlExportError(DicomError):
    """The page could not be written (folder, permissions, disk); no partial file is left."""


def text(value: str) -> str:
    """French no-break spaces; apostrophes kept as in the source (the page quotes it word for word)."""
    return french(value, apostrophes=False)


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def isolated(name: str) -> Markup:
    """A name as escaped text; inside ``<bdi>`` when it holds bidi controls, so that a stray
    « U+202E » cannot reorder the text around it (the name still reads as written)."""
    value = escape(text(name))
    if _BIDI_CONTROLS.isdisjoint(name):
        return value
    return Markup("<bdi>") + value + Markup("</bdi>")


@dataclass
class TreeRow:
    """One item of the nested lists: the markup that opens/closes levels around it, and its data."""

    before: Markup
    anchor: str
    tree_anchor: str
    name: str
    kind: str
    staff: bool
    vacant: bool
    links: list[tuple[str, str, str]]  # (anchor, name, label) of functional links, in words


@dataclass
class Section:
    anchor: str
    tree_anchor: str
    level: int
    name: str
    kind: str
    relation: str
    parent_anchor: str | None
    parent_name: str
    relation_note: str
    head: str
    head_note: str
    attributions: list[str]
    no_attributions: str
    links: list[tuple[str, str, str]]
    reference: str
    effective: tuple[str, str] | None
    children: list[tuple[str, str]] = field(default_factory=list)
    border: str = "#4a6f9f"  # the kind's colour, as the bar beside the PDF notice's sections


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dicom_desktop.html", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fr"] = text
    return env


def kind_label(kind: str) -> str:
    st = style_for(kind)
    return st.legend if kind in KIND_STYLES else kind


def _svg_subset(graph, depths: dict[str, int]) -> tuple[set[str] | None, int]:
    """The entities the SVG shows: all, or the deepest top levels that stay under the cap."""
    if len(graph) <= SVG_MAX_ENTITIES:
        return None, max(depths.values(), default=0)
    per_level: dict[int, int] = {}
    for d in depths.values():
        per_level[d] = per_level.get(d, 0) + 1
    total, level = 0, 0
    for d in sorted(per_level):
        if total + per_level[d] > SVG_MAX_ENTITIES and d > 0:
            break
        total += per_level[d]
        level = d
    return {eid for eid, d in depths.items() if d <= level}, level


def _geometry(graph, subset):
    """The one chart geometry of the editor and the PDF (``dicom_desktop.chart``), whole or top levels."""
    from dicom_desktop.chart.geometry import chart_geometry, subset_children

    return chart_geometry(graph, children=subset_children(graph, subset) if subset is not None else None)


def notice_context(doc, *, for_print: bool = False) -> dict:
    """Everything the template shows, as plain values (escaped by the template, never here)."""
    org = doc.organisation
    graph = doc.graph
    order = graph.preorder()
    anchors = {eid: f"entite-{i}" for i, eid in enumerate(order)}
    tree_anchors = {eid: f"arbre-{i}" for i, eid in enumerate(order)}
    depths = graph.depths()
    # Names appear up to five times (tree, heading, parent, children, links): French spacing and
    # escaping once each, as Markup the template does not escape again.
    names = {eid: isolated(graph.entity(eid).name) for eid in order}
    links_of: dict[str, list[tuple[str, str, str]]] = {}
    for link in graph.links:
        if link.source in anchors and link.target in anchors and link.source != link.target:
            label = escape(text(link.label))
            links_of.setdefault(link.source, []).append((anchors[link.target], names[link.target], label))
            links_of.setdefault(link.target, []).append((anchors[link.source], names[link.source], label))

    rows: list[TreeRow] = []
    sections: list[Section] = []
    previous = -1
    for eid in order:
        e = graph.entity(eid)
        depth = depths[eid]
        if depth > previous:
            before = Markup("<ul>" * (depth - previous))
        else:
            before = Markup("</li>" + "</ul></li>" * (previous - depth))
        previous = depth
        kind = kind_label(e.kind)
        rows.append(TreeRow(before, anchors[eid], tree_anchors[eid], names[eid], kind, e.staff, e.vacant,
                            links_of.get(eid, [])))
        parent = graph.parent(eid)
        head = e.head_title.strip()
        if e.head_name.strip():
            head = f"{head} : {e.head_name.strip()}" if head else e.head_name.strip()
        if e.vacant:
            head = f"{head} — poste vacant" if head else "Poste vacant"
        if e.attributions:
            none = ""
        elif parent is None and org.missions:
            none = "Ses missions sont présentées en tête de page."
        else:
            none = "Attributions non renseignées."
        sections.append(Section(
            anchor=anchors[eid], tree_anchor=tree_anchors[eid], level=min(3 + depth, 6), name=names[eid], kind=kind,
            relation="Auprès de" if e.staff else "Rattachement",
            parent_anchor=anchors.get(parent) if parent else None,
            parent_name=names.get(parent, "") if parent else "",
            relation_note=" ; ".join(n for n in (note(e, "parent"), note(e, "staff") if e.staff else "") if n),
            head=head, head_note=note(e, "head_title") if e.head_title.strip() else "",
            attributions=[escape(text(p)) for p in e.attributions], no_attributions=none,
            links=links_of.get(eid, []),
            reference=long_dates(e.legal_reference) if reference_applies(e) else "",
            effective=(e.effective_date.isoformat(), french_date(e.effective_date)) if e.effective_date else None,
            children=[(anchors[c], names[c]) for c in graph.children(eid)],
            border=style_for(e.kind).border,
        ))
    closing = Markup("</li>" + "</ul></li>" * previous + "</ul>") if rows else Markup("")

    subset, shown_level = _svg_subset(graph, depths)
    chart = None
    legend = []
    if graph.root is not None:
        geom = _geometry(graph, subset)
        acronym = org.acronym or org.name
        partial = subset is not None
        shown = len(subset) if subset is not None else len(graph)
        description = (
            f"Organigramme de {len(graph)} entités"
            + (f", dont les {shown_level + 1} premiers niveaux sont dessinés ({shown} entités)" if partial else "")
            + ". La version texte qui suit l’image donne toute la hiérarchie, chaque entité étant un lien vers sa section."
        )
        chart = {
            "svg": chart_svg(geom, title=f"Organigramme — {acronym}", description=description),
            "partial": partial,
            "shown": shown,
            "levels": shown_level + 1,
            "width": geom.width,
        }
        present = [k for k in KIND_STYLES if k in {e.kind for e in geom.entities.values()}]
        others = sorted({e.kind for e in geom.entities.values()} - set(present))
        for kind in present + others:
            st = style_for(kind)
            legend.append({"kind": "kind", "fill": st.fill, "border": st.border,
                           "label": kind_label(kind), "words": f"cadre {_colour_words(kind)}"})
        if geom.links:
            legend.append({"kind": "link", "label": "Lien fonctionnel", "words": "trait pointillé violet entre deux cadres"})
        if geom.has_vacant():
            legend.append({"kind": "vacant", "label": "Poste vacant", "words": "cadre à bordure en tirets"})
        legend.append({"kind": "staff", "label": "Position d’état-major",
                       "words": "cadre placé à côté de l’entité dont il relève, relié par un trait horizontal"})

    updated = (org.updated.isoformat(), org.updated.strftime("%d/%m/%Y"), french_date(org.updated)) if org.updated else None
    acronym_in_name = bool(org.acronym) and org.acronym in org.name
    heading = org.name if not org.acronym or acronym_in_name else f"{org.name} ({org.acronym})"
    return {
        "title": f"{heading} — {DOCUMENT_TITLE}",
        "heading": heading,
        "org": org,
        "updated": updated,
        "rows": rows,
        "closing": closing,
        "sections": sections,
        "chart": chart,
        "legend": legend,
        "for_print": for_print,
        "generated": _dt.date.today().isoformat(),
        "total": len(order),
    }


_COLOUR_WORDS = {
    "direction": "bleu clair, bordure bleu foncé",
    "délégation": "bleu foncé, texte blanc",
    "cabinet": "mauve clair, bordure violette",
    "adjoint": "orange clair, bordure orange",
    "secrétariat général": "rose clair, bordure rouge",
    "service": "turquoise clair, bordure turquoise",
    "sous-direction": "vert clair, bordure verte",
    "département": "bleu lavande, bordure indigo",
    "mission": "jaune clair, bordure ocre",
    "bureau": "bleu très clair, bordure bleu-gris",
    "pôle": "vert menthe, bordure vert foncé",
    "cellule": "gris clair, bordure grise",
}


def _colour_words(kind: str) -> str:
    return _COLOUR_WORDS.get(kind, "blanc, bordure grise")


def render_notice_html(doc, *, for_print: bool = False) -> str:
    """The page as a string (UTF-8 HTML5). ``for_print``: the variant WeasyPrint prints (tagged PDF)."""
    template = _environment().get_template("notice.html.j2")
    return template.render(**notice_context(doc, for_print=for_print))


@dataclass
class HtmlReport:
    path: Path
    entities: int
    svg_entities: int
    bytes: int
    seconds: float


def default_html_path(organisation, source: Path | None = None) -> Path:
    """Beside the printable notice: ``<SIGLE>-<date>-notice.html`` (``exports/`` in a clone)."""
    from dicom_desktop.pdf.notice import default_output_path

    return default_output_path(organisation, source=source).with_suffix(".html")


def write_text_atomically(out_path: Path, data: bytes, what: str, inputs=()) -> None:
    """The project's one output writer (never over an organisation file or an input, atomic, no
    partial file), with the error worded for ``what`` (« la page », « le PDF »)."""
    from dicom_desktop.errors import SaveError
    from dicom_desktop.files.outputs import write_output

    try:
        write_output(out_path, data, inputs=inputs)
    except SaveError as exc:
        raise HtmlExportError(str(exc).replace("Impossible d’enregistrer", f"Impossible d’écrire {what}", 1)) from None


def export_notice_html(source, out_path) -> HtmlReport:
    """Write the page of ``source`` (Document, OrganisationFile or path) to ``out_path``."""
    from dicom_desktop.pdf.notice import _as_document

    started = time.perf_counter()
    doc = _as_document(source)
    html = render_notice_html(doc)
    out_path = Path(out_path)
    data = html.encode("utf-8")
    write_text_atomically(out_path, data, "la page", inputs=[getattr(doc, "path", None)])
    svg_entities = html.count("<rect ")
    return HtmlReport(out_path, len(doc.graph), svg_entities, len(data), time.perf_counter() - started)
