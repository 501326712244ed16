"""The « dossier de réorganisation » of a scenario as a PDF, for a staff consultation.

What the instances read, in order: a title page (organisation, scenario, description, dates,
« Document de travail — projet ») with a summary of the changes; the current chart; the
scenario's chart with each changed box framed and badged in the colour of its change (same
palette as the editor's comparison view, :mod:`dicom_desktop.comparison.change_styles`), removed entities
ghosted where they were, and a legend of the marks; a table of every change (before → after);
and the word-level changes of each attributions text (deleted words struck through in red,
inserted words underlined in green). The chart pages reuse the notice's machinery (one readable
page, else tiles or branches); the file is written atomically, like the notice.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dicom_desktop.comparison.change_styles import CHANGE_PRIORITY, CHANGE_STYLES, box_marks, style_of
from dicom_desktop.comparison.diff import AttributionsChanged, LinksReordered, OrgDiff, diff_organisations
from dicom_desktop.graph import OrgGraph
from dicom_desktop.kinds import style_for
from dicom_desktop.files.outputs import check_output, file_stem
from dicom_desktop.scenarios import current_graph, find_scenario, scenario_graph
from dicom_desktop.wording import NBSP, french_date, plural, plural_word
from dicom_desktop.wording import typographic as french

from . import fonts
from .chartpages import ChartPageFlowable, plan_chart
from .chartplan import title_block
from .dossier_changes import DIFF_LEGEND, SUMMARY_LABELS, cap_first, change_row, diff_paragraphs, escaped
from .dossier_charts import (
    INK,
    NAVY,
    MarkedChartPage,
    graph_with_ghosts,
    heading_block,
    marks_legend_items,
    marks_positions,
    relabel,
    sheets_of,
)
from .notice import (
    PAGE_SIZES,
    PdfExportError,
    _as_document,
    _footer,
    _frame_rect,
    check_page_options,
    export_sources,
    write_pdf_atomically,
)
from .textblock import Block, Outline, TextSection

DRAFT_COLOUR = "#b03a2e"


@dataclass
class DossierReport:
    """What a dossier export produced, for the command line and the tests."""

    path: Path
    pages: int
    scenario_id: str
    scenario_name: str
    changes: int
    current_chart_pages: int
    scenario_chart_pages: int
    entities: int  # in the scenario
    seconds: float


def default_dossier_path(organisation, scenario, exports_dir: Path | None = None, today: _dt.date | None = None,
                         source: Path | None = None) -> Path:
    """``<ACRONYME>-<AAAA-MM-JJ>-dossier-<scénario>.pdf`` (today's date), in ``exports_dir`` or the
    default output folder of ``source`` (``exports/`` in a clone)."""
    from dicom_desktop.files.paths import default_output_dir

    base = _slug(organisation.acronym or organisation.name or "organisation")
    day = today or _dt.date.today()
    return Path(exports_dir or default_output_dir(source)) / f"{base}-{day.isoformat()}-dossier-{_slug(scenario.id)}.pdf"


def _slug(text: str) -> str:
    return file_stem(text, "x", 40)


# ------------------------------------------------------------------------------ styles
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=fonts.REGULAR, fontSize=9.5, leading=13, textColor=HexColor(INK))
    return {
        "base": base,
        "org": ParagraphStyle("org", base, fontSize=11, leading=15, textColor=HexColor("#333333")),
        "title": ParagraphStyle("title", base, fontName=fonts.BOLD, fontSize=24, leading=29,
                                textColor=HexColor(NAVY), spaceBefore=40),
        "scenario": ParagraphStyle("scenario", base, fontName=fonts.BOLD, fontSize=15, leading=19,
                                   textColor=HexColor("#1f4e8c"), spaceBefore=8),
        "description": ParagraphStyle("description", base, fontSize=10.5, leading=15, spaceBefore=12),
        "dates": ParagraphStyle("dates", base, fontSize=9, leading=13, textColor=HexColor("#444444"), spaceBefore=10),
        "draft": ParagraphStyle("draft", base, fontName=fonts.BOLD, fontSize=11, leading=14,
                                textColor=HexColor(DRAFT_COLOUR), borderColor=HexColor(DRAFT_COLOUR),
                                borderWidth=1.2, borderPadding=(6, 8, 6, 8), spaceBefore=22, spaceAfter=8),
        "h2": ParagraphStyle("h2", base, fontName=fonts.BOLD, fontSize=13, leading=17, textColor=HexColor(NAVY),
                             spaceBefore=18, spaceAfter=6),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=11.5, textColor=HexColor("#555555")),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=fonts.BOLD, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", base, fontName=fonts.BOLD, fontSize=8.5, leading=11,
                               textColor=colors.white),
        "chip": ParagraphStyle("chip", base, fontName=fonts.BOLD, fontSize=7.5, leading=10,
                               textColor=colors.white),
        "count": ParagraphStyle("count", base, fontName=fonts.BOLD, fontSize=10, leading=12, alignment=2),
        "diff": ParagraphStyle("diff", base, fontSize=9.5, leading=14.5, spaceBefore=5),
    }


def _table(diff: OrgDiff, base: OrgGraph, width: float, st, anchors: dict[int, str],
           attr_keys: dict[int, str], sheets: dict[str, str] | None = None) -> Table | None:
    header = [Paragraph(t, st["head"]) for t in ("Changement", "Entité", "Avant", "Après")]
    data, row_styles = [header], []
    for n, change in enumerate(diff.changes):
        row = change_row(change, base)
        if row is None:
            continue
        entity, before, after = row[0], cap_first(row[1]), cap_first(row[2])
        if n in anchors:
            entity = f'<a name="{anchors[n]}"/>' + entity
        located = [sheets[e] for e in change.entity_ids()[:1] if sheets and e in sheets]
        if located:
            entity += f'<br/><font size="7" color="#666666">organigramme projeté{NBSP}: {escaped(located[0])}</font>'

        if n in attr_keys:
            after += f' (<a href="#{attr_keys[n]}" color="#1f4e8c"><u>voir</u></a>)'
        style = style_of(change)
        r = len(data)
        data.append([Paragraph(escape(style.badge or "Autre"), st["chip"]), Paragraph(entity, st["cell"]),
                     Paragraph(before, st["cell"]), Paragraph(after, st["cell"])])
        row_styles.append(("BACKGROUND", (0, r), (0, r), HexColor(style.color)))
        if r % 2 == 0:
            row_styles.append(("BACKGROUND", (1, r), (-1, r), HexColor("#f3f5f8")))
    if len(data) == 1:
        return None
    widths = [72.0, 0.34 * (width - 72), 0.33 * (width - 72), 0.33 * (width - 72)]
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(NAVY)),
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.5),  # else the table selects Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HexColor("#c8cdd4")),
        ("BOX", (0, 0), (-1, -1), 0.6, HexColor("#8a96a6")),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        *row_styles,
    ]))
    return table


# ------------------------------------------------------------------------------ title page
class _Rule(Flowable):
    def __init__(self, width: float, colour: str = "#1f4e8c", thickness: float = 0.8, space: float = 6):
        super().__init__()
        self.width, self.colour, self.thickness, self.space = width, colour, thickness, space

    def wrap(self, aw, ah):
        return self.width, self.space * 2

    def draw(self):
        self.canv.setStrokeColor(HexColor(self.colour))
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.space, self.width, self.space)


def _summary_table(diff: OrgDiff, st, width: float) -> Table | None:
    counts: dict[str, int] = {}
    for change in diff.changes:
        if change.kind in SUMMARY_LABELS:
            counts[change.kind] = counts.get(change.kind, 0) + 1
    if not counts:
        return None
    data: list[list[Paragraph]] = []
    styles: list[tuple] = []
    for kind in sorted(counts, key=lambda k: CHANGE_PRIORITY.get(k, 99)):
        n = counts[kind]
        style = CHANGE_STYLES[kind]
        label = plural_word(n, *SUMMARY_LABELS[kind])
        r = len(data)
        data.append([Paragraph(escape(style.badge), st["chip"]), Paragraph(str(n), st["count"]),
                     Paragraph(escape(label), st["cell"])])
        styles.append(("BACKGROUND", (0, r), (0, r), HexColor(style.color)))
    table = Table(data, colWidths=[72, 34, min(320, width - 106)], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.5),  # else the table selects Helvetica
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HexColor("#d5d9df")),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        *styles,
    ]))
    return table


def _title_story(org, scenario, diff: OrgDiff, n_base: int, n_scenario: int, today: _dt.date, st, width) -> list:
    story: list = []
    head = org.name + (f" ({org.acronym})" if org.acronym and org.acronym not in org.name else "")
    story.append(_Bookmark("dossier", "Dossier de réorganisation", 0))
    story.append(Paragraph(escaped(head), st["org"]))
    story.append(Paragraph("Dossier de réorganisation", st["title"]))
    story.append(Paragraph(escaped(scenario.name), st["scenario"]))
    story.append(_Rule(width))
    if scenario.description.strip():
        for paragraph in scenario.description.strip().split("\n"):
            if paragraph.strip():
                story.append(Paragraph(escaped(paragraph.strip()), st["description"]))
    dates = []
    if scenario.created:
        dates.append(f"Scénario établi le {french_date(scenario.created)}")
    if org.updated:
        dates.append(f"organisation actuelle à jour au {french_date(org.updated)}")
    dates.append(f"dossier édité le {french_date(today)}")
    first = dates[0]
    story.append(Paragraph(escaped(" ; ".join([first[0].upper() + first[1:]] + dates[1:]) + "."), st["dates"]))
    story.append(Paragraph(f"Document de travail — projet{NBSP}: ne vaut pas décision. "
                           "Préparé pour la consultation des instances.", st["draft"]))
    story.append(Paragraph("Synthèse des changements", st["h2"]))
    n = len([c for c in diff.changes if not isinstance(c, LinksReordered)])
    if n:
        story.append(Paragraph(escaped(
            f"Le scénario apporte {plural(n, 'changement')} à l’organisation actuelle, "
            f"qui passe de {n_base} à {plural(n_scenario, 'entité')}."), st["base"]))
        story.append(Spacer(1, 6))
        table = _summary_table(diff, st, width)
        if table is not None:
            story.append(table)
    else:
        story.append(Paragraph("Ce scénario est identique à l’organisation actuelle : il ne change rien.", st["base"]))
    story.append(Paragraph("Contenu du dossier", st["h2"]))
    contents = [
        "l’organigramme de l’organisation actuelle ;",
        "l’organigramme projeté par le scénario, chaque entité concernée marquée de la couleur et du badge de "
        "son changement (légende en bas de page), les entités qui disparaissent montrées estompées à leur "
        "ancienne place ;",
        "le tableau des changements (avant → après) ;",
        "le détail, mot à mot, des textes d’attributions modifiés.",
    ]
    for i, line in enumerate(contents, 1):
        story.append(Paragraph(f"{i}.{NBSP}{escaped(line)}", ParagraphStyle(f"c{i}", st["base"], leftIndent=14,
                                                                       firstLineIndent=-14, spaceBefore=2)))
    return story


class _Bookmark(Flowable):
    """A zero-size destination and outline entry (section starts built from paragraphs)."""

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv.bookmarkHorizontal(self.key, 0, 12)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level)


# ------------------------------------------------------------------------------ export
def export_dossier_pdf(
    source,
    scenario: str,
    out_path,
    *,
    page_size: str = "A4",
    orientation: str = "landscape",
    large_chart: str = "tile",
    today: _dt.date | None = None,
    sources: tuple = (),
) -> DossierReport:
    """Write the before/after dossier of ``scenario`` (id or name) of ``source`` to ``out_path``.

    ``source`` is a Document, an OrganisationFile or a path. ``page_size``/``orientation`` set
    the chart pages (text pages are portrait). Unknown scenario: ``ScenarioNotFound`` (French,
    lists the available ones); unwritable path: ``PdfExportError``, no partial file left.
    """
    started = time.perf_counter()
    check_page_options(page_size, orientation, large_chart)
    doc = _as_document(source)
    sources = export_sources(source, doc, sources)
    check_output(out_path, inputs=sources)  # before the work
    where = f"« {doc.path} »" if getattr(doc, "path", None) else ""
    found = find_scenario(doc.scenarios, scenario, where=where)
    fonts.register_fonts()
    org = doc.organisation
    today = today or _dt.date.today()
    out_path = Path(out_path)

    base = current_graph(doc)
    projected = scenario_graph(doc, found.id)
    if base.root is None or projected.root is None:
        raise PdfExportError("L’organisation actuelle ou le scénario est vide : aucun organigramme à comparer.")
    diff = diff_organisations(base, projected)
    shown, ghosts = graph_with_ghosts(projected, base, diff)

    sizes = PAGE_SIZES[page_size]
    chart_size = landscape(sizes) if orientation == "landscape" else portrait(sizes)
    text_size = portrait(sizes)
    cx, cy, cw, ch = _frame_rect(chart_size)
    tx, ty, tw, th = _frame_rect(text_size)
    st = _styles()

    # Anchors: each changed entity's first table row; boxes on both charts link to it.
    anchors: dict[int, str] = {}
    entity_anchor: dict[str, str] = {}
    attr_keys: dict[int, str] = {}
    for n, change in enumerate(diff.changes):
        if isinstance(change, LinksReordered):
            continue
        for eid in change.entity_ids():
            if eid not in entity_anchor:
                entity_anchor[eid] = anchors.setdefault(n, f"changement-{n}")
        if isinstance(change, AttributionsChanged):
            attr_keys[n] = f"attributions-{n}"

    # Charts: the notice's plans (fit, tiles or branches), retitled; marks on the scenario's.
    reserved = title_block(org, cw).height
    now_head = heading_block("Organisation actuelle", _subtitle_current(org), cw)
    now_plan = plan_chart(base, org, (cw, ch - max(0.0, now_head.height - reserved)), large_chart)
    relabel(now_plan.pages, now_head, "Organisation actuelle", "Organisation actuelle")
    marks = {eid: (colour, badge) for eid, (badge, colour) in box_marks(diff, shown.__contains__).items()}
    legend_items = marks_legend_items(diff, bool(ghosts), any(" +" in badge for _, badge in marks.values()))
    _, legend_h = marks_positions(legend_items, cw)
    new_head = heading_block(f"Organisation projetée — scénario « {found.name} »",
                              "Entités concernées marquées d’un cadre et d’un badge de couleur ; "
                              "légende des marques en bas de page.", cw)
    new_frame = (cw, ch - legend_h - max(0.0, new_head.height - reserved))
    new_plan = plan_chart(shown, org, new_frame, large_chart)
    relabel(new_plan.pages, new_head, f"Organisation projetée (scénario « {found.name} »)", "Scénario")
    for page in new_plan.pages:
        page.marks = marks
        page.ghosts = ghosts

    def link(eid: str) -> str | None:
        return entity_anchor.get(eid)

    story: list = _title_story(org, found, diff, len(base), len(projected), today, st, tw)
    story += [NextPageTemplate("chart"), PageBreak()]
    for i, page in enumerate(now_plan.pages):
        story.append(ChartPageFlowable(page, link, f"actuelle-{i}", (cw, ch)))
    for i, page in enumerate(new_plan.pages):
        inner = ChartPageFlowable(page, link, f"scenario-{i}", new_frame)
        story.append(MarkedChartPage(inner, legend_items, (cw, ch)))
    story += [NextPageTemplate("text"), PageBreak()]
    story += _changes_story(diff, base, tw, st, anchors, attr_keys, sheets_of(new_plan.pages, "Scénario"))

    footer = _footer(f"{org.acronym or org.name} — dossier de réorganisation « {found.name} » — projet")
    templates = [
        PageTemplate("text", [Frame(tx, ty, tw, th, id="text", leftPadding=0, rightPadding=0, topPadding=0,
                                    bottomPadding=0)], onPage=footer, pagesize=text_size),
        PageTemplate("chart", [Frame(cx, cy, cw, ch, id="chart", leftPadding=0, rightPadding=0, topPadding=0,
                                     bottomPadding=0)], onPage=footer, pagesize=chart_size),
    ]
    meta = dict(
        title=f"Dossier de réorganisation — {found.name}",
        author=org.name,
        subject=f"Organisation actuelle et organisation projetée par le scénario « {found.name} » "
                "— document de travail, projet",
        keywords=["réorganisation", "scénario", "organigramme", org.acronym or org.name],
        creator="dicom-desktop",
        lang="fr-FR",
    )
    pages = write_pdf_atomically(out_path, story, templates, text_size, meta, sources)
    return DossierReport(
        path=out_path,
        pages=pages,
        scenario_id=found.id,
        scenario_name=found.name,
        changes=len([c for c in diff.changes if not isinstance(c, LinksReordered)]),
        current_chart_pages=len(now_plan.pages),
        scenario_chart_pages=len(new_plan.pages),
        entities=len(projected),
        seconds=time.perf_counter() - started,
    )


def _subtitle_current(org) -> str:
    parts = [org.acronym] if org.acronym else []
    parts.append("organisation en vigueur")
    if org.updated:
        parts.append(f"mise à jour du {french_date(org.updated)}")
    return " — ".join(parts)


def _changes_story(diff: OrgDiff, base: OrgGraph, width: float, st, anchors, attr_keys, sheets=None) -> list:
    story: list = []
    heading = [Block("Tableau des changements", fonts.BOLD, 16, 20, NAVY, keep_with_next=True)]
    story.append(TextSection(heading, outline=Outline("tableau", "Tableau des changements", 0)))
    table = _table(diff, base, width, st, anchors, attr_keys, sheets)
    if table is None:
        story.append(Paragraph("Aucun changement : le scénario est identique à l’organisation actuelle.", st["base"]))
    else:
        story.append(Spacer(1, 4))
        story.append(Paragraph(
            "Une ligne par changement, dans l’ordre : créations, fusions et suppressions, rattachements, "
            "renommages, puis autres modifications. Sur les organigrammes, chaque entité concernée renvoie "
            "à sa ligne.", st["note"]))
        story.append(Spacer(1, 6))
        story.append(table)
    attributions = [(n, c) for n, c in enumerate(diff.changes) if isinstance(c, AttributionsChanged)]
    if not attributions:
        return story
    story.append(CondPageBreak(160))
    heading = [Block("Modifications des attributions", fonts.BOLD, 16, 20, NAVY, keep_with_next=True)]
    story.append(TextSection(heading, outline=Outline("attributions", "Modifications des attributions", 0),
                             space_before=24))
    story.append(Spacer(1, 4))
    story.append(Paragraph(DIFF_LEGEND, st["note"]))
    colour = CHANGE_STYLES["attributions"].color
    for n, change in attributions:
        kind = style_for(base.entity(change.entity_id).kind).legend if change.entity_id in base else ""
        row = change_row(change, base)
        assert row is not None  # every change but a links reordering has its row
        summary = row[2].split(" — ")[0]
        blocks = [
            Block(french(cap_first(kind) if kind and kind != "Autre" else "Entité"), fonts.REGULAR, 7.5, 10,
                  "#666666", keep_with_next=True),
            Block(french(change.name), fonts.BOLD, 12, 15, NAVY, space_before=1, keep_with_next=True),
            Block(french(cap_first(summary)), fonts.ITALIC, 8.5, 12, "#555555", keep_with_next=True),
        ]
        section = TextSection(blocks, outline=Outline(attr_keys[n], change.name, 1), bar=colour, space_before=16)
        paragraphs = [Paragraph(p, st["diff"]) for p in diff_paragraphs(change.segments)]
        story.append(KeepTogether([section, *paragraphs[:1]]))  # never a heading alone at a page foot
        story.extend(paragraphs[1:])
    return story
