"""The « notice explicative de l’organigramme » as a PDF: chart pages, then one section per entity.

The document: title block and chart (see ``chartpages``), then the organisation's missions and
each entity in hierarchical order with its name, head and attributions. Every chart box links
to its section; the outline nests like the hierarchy; the footer reads « page X / Y » (the total
is a form XObject filled in once the page count is known, so one pass suffices). The file is
written atomically: a failed export leaves no partial PDF behind.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate

from dicom_desktop.chart.boxes import head_label
from dicom_desktop.errors import DicomError, SaveError, os_reason
from dicom_desktop.kinds import style_for
from dicom_desktop.files.outputs import check_output, file_stem, write_output
from dicom_desktop.provenance import note, reference_applies
from dicom_desktop.wording import french_date, long_dates
from dicom_desktop.wording import typographic as french

from . import fonts, pageref
from .chartpages import ChartPageFlowable, plan_chart
from .chartplan import LARGE_CHART_MODES
from .finishing import finish_pdf
from .textblock import Block, Outline, TextSection

PAGE_SIZES = {"A4": A4, "A3": A3}
ORIENTATIONS = ("portrait", "landscape")
MARGIN = 36.0  # 12.7 mm: printers' safe area
FOOTER_Y = 16.0
NOTICE_COLUMN_MAX = 520.0
_TOTAL_FORM = "dicomPageTotal"
# ReportLab builds the outline recursively, one call level per nesting level: deeper entities
# are listed at this level (still one entry each, in order) so a 100,000-deep chain exports.
MAX_OUTLINE_LEVEL = 40


class PdfExportError(DicomError):
    """The PDF could not be written (folder, permissions, disk); no partial file is left."""


@dataclass
class ExportReport:
    """What an export produced, for the command line and the tests."""

    path: Path
    pages: int
    chart_mode: str  # "single", "book", "tiled" or "branches"
    chart_pages: int
    tiles: int
    chart_scale: float
    entities: int
    seconds: float


def default_output_path(organisation, exports_dir: Path | None = None, source: Path | None = None) -> Path:
    """``<ACRONYME>-<AAAA-MM-JJ>-notice.pdf`` (date of update, else today) in ``exports_dir``, else in
    :func:`~dicom_desktop.files.paths.default_output_dir` of the ``source`` file (``exports/`` in a clone)."""
    from dicom_desktop.files.paths import default_output_dir

    base = file_stem(organisation.acronym) if file_stem(organisation.acronym, "") else file_stem(organisation.name)
    day = organisation.updated or _dt.date.today()
    return Path(exports_dir or default_output_dir(source)) / f"{base}-{day.isoformat()}-notice.pdf"


# ------------------------------------------------------------------------------ canvas / pages
class _Canvas(Canvas):
    """Defines the « total pages » form just before saving, once the count is known."""

    def save(self):
        pageref.define_page_forms(self)
        total = self.getPageNumber() - 1
        self.beginForm(_TOTAL_FORM)
        self.setFont(fonts.REGULAR, 7.5)
        self.setFillColor(HexColor("#555555"))
        self.drawString(0, 0, str(total))
        self.endForm()
        super().save()


def _footer(org_name: str):
    label = french(org_name)

    def on_page(canv, doc):
        w, _ = canv._pagesize  # noqa: SLF001 - the page size of this page (mixed orientations)
        canv.saveState()
        canv.setFont(fonts.REGULAR, 7.5)
        canv.setFillColor(HexColor("#555555"))
        right = w - MARGIN
        number = f"page {canv.getPageNumber()} / "
        x = right - 28 - fonts.string_width(number, fonts.REGULAR, 7.5)
        text = label
        while text and fonts.string_width(text, fonts.REGULAR, 7.5) > x - MARGIN - 12:
            text = text[:-2] + "…"
        canv.drawString(MARGIN, FOOTER_Y, text)
        canv.drawString(x, FOOTER_Y, number)
        canv.translate(x + fonts.string_width(number, fonts.REGULAR, 7.5), FOOTER_Y)
        canv.doForm(_TOTAL_FORM)
        canv.restoreState()
        canv.setStrokeColor(HexColor("#b3b3b3"))
        canv.setLineWidth(0.4)
        canv.line(MARGIN, FOOTER_Y + 10, w - MARGIN, FOOTER_Y + 10)

    return on_page


def _frame_rect(size):
    w, h = size
    return MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN - 4


# ------------------------------------------------------------------------------ notice story
def _entity_key(index: int) -> str:
    return f"entite-{index}"


def _notice_story(doc, keys: dict[str, str], plan=None) -> list:
    """The notice: heading and missions, then one section per entity in hierarchical order.

    With a chart book (``plan``) of a long notice, the entities are grouped in numbered sections
    that match the chart pages (section 12 = the entities whose box is on page 12), listed in a
    table of contents after the heading."""
    org = doc.organisation
    graph = doc.graph
    story: list = []
    sections = _book_sections(plan) if plan is not None and len(graph) > SECTIONS_MIN else None
    heading = [Block("Notice explicative de l’organigramme", fonts.BOLD, 16, 20, "#12325c", keep_with_next=True)]
    story.append(TextSection(heading, outline=Outline("notice", "Notice explicative", 0)))
    if sections:
        story.append(TextSection([Block("Sommaire", fonts.BOLD, 12, 18, "#12325c", space_before=8,
                                        keep_with_next=True)]))
        story.append(TextSection([Block(
            "Une section par page de l’organigramme : la section 12 présente les entités dont le cadre est "
            "sur la page 12.", fonts.ITALIC, 8.5, 12, "#4d4d4d", space_before=2)]))
        story += [TocEntry(number, title, _section_key(number)) for number, title, _ in sections]
    if org.missions:
        story.append(TextSection([Block("Missions", fonts.BOLD, 12, 18, "#12325c", space_before=8 if not sections
                                        else 16, keep_with_next=True)]))
    for paragraph in org.missions:
        story.append(TextSection([Block(french(paragraph), fonts.REGULAR, 9.5, 13.2)], space_before=5))
    depths = graph.depths()
    n = len(graph)
    if not sections:
        for eid in graph.preorder():
            level = min(depths[eid] + 1, MAX_OUTLINE_LEVEL)
            story.append(_entity_section(doc, eid, Outline(keys[eid], graph.entity(eid).name, level,
                                                           closed=n > 60 and level >= 2)))
        return story
    for number, title, ids in sections:
        story.append(TextSection([
            Block(french(f"{number}. {title}"), fonts.BOLD, 13, 16, "#12325c", keep_with_next=True),
            Block(f"Organigramme, page {number}", fonts.ITALIC, 8, 11, "#4d4d4d", keep_with_next=True)],
            outline=Outline(_section_key(number), f"{number}. {title}", 1, closed=True), space_before=22))
        for eid in ids:
            story.append(_entity_section(doc, eid, Outline(keys[eid], graph.entity(eid).name, 2)))
    return story


SECTIONS_MIN = 40  # entities: below, the notice is a few pages and needs no table of contents


def _section_key(number: int) -> str:
    return f"section-{number}"


def _book_sections(plan) -> list[tuple[int, str, list[str]]] | None:
    """[(chart page number, title, entity ids whose box is on that page)] of a chart book."""
    from .chartbook import REF_ID

    if plan.mode != "book":
        return None
    out = []
    for i, page in enumerate(plan.pages):
        ids = [d for d in page.geom.order if not d.startswith(REF_ID)]
        if not ids:
            continue
        title = "Direction et premiers niveaux" if i == 0 else page.label.partition("\u00a0: ")[2] or page.label
        out.append((i + 1, title, ids))
    return out


def _linked_entities(graph, eid: str) -> list[str]:
    """Functional links of ``eid`` in words: « Bureau des campagnes (diffusion de messages…) »."""
    out = []
    for link in graph.links_of(eid):
        other = link.target if link.source == eid else link.source
        if other == eid or other not in graph:
            continue
        out.append(graph.entity(other).name + (f" ({link.label})" if link.label else ""))
    return out


def _entity_section(doc, eid: str, outline: Outline) -> TextSection:
    """One entity of the notice: kind and attachment, name, head, attributions, legal reference."""
    org = doc.organisation
    graph = doc.graph
    e = graph.entity(eid)
    st = style_for(e.kind)
    parent = graph.parent(eid)
    kind = (st.legend or e.kind) if st.legend != "Autre" else e.kind
    caption = kind
    if parent is not None:
        relation = "auprès de" if e.staff else "rattachement"  # agrees with any entity
        caption += f" — {relation}\u00a0: {graph.entity(parent).name}"
        readings = [n for n in (note(e, "parent"), note(e, "staff") if e.staff else "") if n]
        if readings:
            caption += f" ({' ; '.join(readings)})"
    blocks = [
        Block(french(caption), fonts.REGULAR, 7.5, 10, "#666666", keep_with_next=True),
        Block(french(e.name), fonts.BOLD, 12, 15, "#12325c", space_before=1, keep_with_next=True),
    ]
    head = head_label(e.head_title, e.head_name, e.vacant)  # a vacant post shows no name
    if head and note(e, "head_title") and e.head_title.strip():
        head += f" ({note(e, 'head_title')})"
    if head:
        blocks.append(Block(french(head), fonts.ITALIC, 9, 12.5, "#333333", keep_with_next=True))
    if e.attributions:
        for i, paragraph in enumerate(e.attributions):
            blocks.append(Block(french(paragraph), fonts.REGULAR, 9.5, 13.2, space_before=5 if i or head else 3))
    elif parent is None and org.missions:
        blocks.append(Block("Ses missions sont présentées ci-dessus.", fonts.ITALIC, 9, 12.5, "#595959",
                            space_before=4))
    else:
        blocks.append(Block("Attributions non renseignées.", fonts.ITALIC, 9, 12.5, "#595959", space_before=4))
    linked = _linked_entities(graph, eid)
    if linked:
        blocks.append(Block(french("En lien fonctionnel avec\u00a0: " + " ; ".join(linked) + "."), fonts.REGULAR,
                            8.5, 12, "#333333", space_before=4))
    if reference_applies(e):
        blocks.append(Block(french(f"Référence\u00a0: {long_dates(e.legal_reference)}"), fonts.ITALIC, 7.5, 10.5,
                            "#555555", space_before=4))
    return TextSection(blocks, outline=outline, bar=st.border, space_before=16)


class TocEntry(Flowable):
    """One line of the table of contents: « 12  Title ……… 345 », a link to the section.

    The page number is a form filled in at save (``pageref``): one pass builds the document."""

    SIZE, LEADING = 8.5, 12.0

    def __init__(self, number: int, title: str, key: str):
        super().__init__()
        self.number, self.title, self.key = number, french(title), key

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return availWidth, self.LEADING

    def draw(self):
        canv, size = self.canv, self.SIZE
        num_w = pageref.number_width(size)
        left = fonts.string_width("888", fonts.BOLD, size) + 6
        right = self.width - num_w - 6
        title = self.title
        while len(title) > 1 and fonts.string_width(title, fonts.REGULAR, size) > right - left - 8:
            title = title[:-2] + "…"
        y = 3.0
        canv.setFillColor(HexColor("#12325c"))
        canv.setFont(fonts.BOLD, size)
        canv.drawRightString(left - 6, y, str(self.number))
        canv.setFillColor(HexColor("#1a1a1a"))
        canv.setFont(fonts.REGULAR, size)
        canv.drawString(left, y, title)
        start = left + fonts.string_width(title, fonts.REGULAR, size) + 4
        canv.setStrokeColor(HexColor("#9aa3ad"))
        canv.setLineWidth(0.5)
        canv.setDash(0.6, 2.2)
        canv.line(start, y, right, y)
        canv.setDash()
        pageref.draw_page_number(canv, self.key, self.width - num_w, y, size=size)
        canv.linkRect("", self.key, (0, 0, self.width, self.LEADING), relative=1, thickness=0)


# ------------------------------------------------------------------------------ export
def _as_document(source):
    from dicom_desktop.document import Document
    from dicom_desktop.model import OrganisationFile

    if isinstance(source, Document):
        return source
    if isinstance(source, OrganisationFile):
        return Document.from_file_model(source)
    if isinstance(source, (str, os.PathLike)):
        return Document.open(source)
    raise TypeError(f"cannot export {type(source).__name__}")


def check_page_options(page_size: str, orientation: str, large_chart: str) -> None:
    """Refuse, in French, a page size, orientation or large-chart mode the export does not know."""
    if page_size not in PAGE_SIZES:
        raise PdfExportError(f"Format de page « {page_size} » inconnu (attendu : {', '.join(PAGE_SIZES)}).")
    if orientation not in ORIENTATIONS:
        raise PdfExportError(f"Orientation « {orientation} » inconnue (attendu : portrait ou landscape).")
    if large_chart not in LARGE_CHART_MODES:
        raise PdfExportError(f"Mode « {large_chart} » inconnu pour les grands organigrammes (attendu : book, tile ou branches).")


def write_pdf_atomically(out_path: Path, story: list, templates: list, first_size, meta: dict,
                         sources: tuple = ()) -> int:
    """Build ``story`` in memory, then write it through the one atomic writer: never a partial PDF.

    ``meta`` holds the document metadata (title, author, subject, creator, lang, keywords);
    ``sources`` the files the export was made from, which ``out_path`` may not replace
    (outputs.check_output). Returns the number of pages; PdfExportError in French on any OS failure.
    """
    check_output(out_path, inputs=sources)
    buffer = io.BytesIO()
    # ASCII85 only makes streams 25 % bigger (and costs a third of the time without rl_accel).
    saved_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        template = BaseDocTemplate(
            buffer, pagesize=first_size, pageTemplates=templates, initialFontName=fonts.REGULAR,
            leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
            **{k: v for k, v in meta.items() if k != "keywords"},
        )
        if "keywords" in meta:
            template.keywords = meta["keywords"]
        template.build(story, canvasmaker=_Canvas)
        pages = template.page
    except OSError as exc:
        raise PdfExportError(f"Impossible d’écrire le PDF « {out_path} » : {os_reason(exc)}.") from None
    finally:
        rl_config.useA85 = saved_a85
    try:
        # title shown, bookmarks open, XMP, link texts (pdf/finishing.py)
        write_output(out_path, finish_pdf(buffer.getvalue(), meta), inputs=sources)
    except SaveError as exc:
        raise PdfExportError(f"Impossible d’écrire le PDF « {out_path} » : {exc.reason}.") from None
    return pages


def export_sources(source, doc, extra=()) -> tuple:
    """The files an export is made from: the given path, the document's file, ``extra``."""
    found = [*extra, getattr(doc, "path", None)]
    if isinstance(source, (str, os.PathLike)):
        found.append(source)
    return tuple(f for f in found if f is not None)


def export_notice_pdf(
    source,
    out_path,
    *,
    page_size: str = "A4",
    orientation: str = "landscape",
    large_chart: str = "book",
    sources: tuple = (),
) -> ExportReport:
    """Write the notice of ``source`` (Document, OrganisationFile or path) to ``out_path``.

    ``page_size`` and ``orientation`` set the chart pages (the notice text is set in portrait);
    ``large_chart`` chooses « book » (default), « tile » or « branches » when the chart cannot fit one
    page readably.
    ``sources``: files ``out_path`` must not replace besides the document's own (outputs.check_output).
    """
    started = time.perf_counter()
    check_page_options(page_size, orientation, large_chart)
    doc = _as_document(source)
    sources = export_sources(source, doc, sources)
    check_output(out_path, inputs=sources)  # before the work, not after a minute of layout
    fonts.register_fonts()
    org = doc.organisation
    graph = doc.graph
    out_path = Path(out_path)

    base = PAGE_SIZES[page_size]
    chart_size = landscape(base) if orientation == "landscape" else portrait(base)
    notice_size = portrait(base)
    cx, cy, cw, ch = _frame_rect(chart_size)
    nx, ny, nw, nh = _frame_rect(notice_size)
    columns = 2 if nw > 1.5 * NOTICE_COLUMN_MAX else 1
    gap = 24.0
    col_w = (nw - gap * (columns - 1)) / columns
    notice_frames = [Frame(nx + i * (col_w + gap), ny, col_w, nh, id=f"col{i}", leftPadding=10, rightPadding=0,
                           topPadding=0, bottomPadding=0) for i in range(columns)]
    footer = _footer(org.name)
    templates = [
        PageTemplate("chart", [Frame(cx, cy, cw, ch, id="chart", leftPadding=0, rightPadding=0, topPadding=0,
                                     bottomPadding=0)], onPage=footer, pagesize=chart_size),
        PageTemplate("notice", notice_frames, onPage=footer, pagesize=notice_size),
    ]

    keys = {eid: _entity_key(i) for i, eid in enumerate(graph.preorder())}
    story: list = []
    plan = None
    if graph.root is not None:
        plan = plan_chart(graph, org, (cw, ch), large_chart)
        link_target = keys.get
        for i, page in enumerate(plan.pages):
            story.append(ChartPageFlowable(page, link_target, f"organigramme-{i}", (cw, ch)))
    story += [NextPageTemplate("notice"), PageBreak()] if story else [NextPageTemplate("notice")]
    story += _notice_story(doc, keys, plan)

    meta = {
        "title": f"{org.name} — organigramme et notice explicative",
        "author": org.name,
        "subject": "Organigramme et notice explicative"
        + (f" (mise à jour du {french_date(org.updated)})" if org.updated else ""),
        "creator": "dicom-desktop",
        "lang": "fr-FR",
    }
    pages = write_pdf_atomically(
        out_path, story, templates if plan else templates[1:], chart_size if plan else notice_size, meta, sources
    )
    chart_pages = len(plan.pages) if plan else 0
    return ExportReport(
        path=out_path,
        pages=pages,
        chart_mode=plan.mode if plan else "none",
        chart_pages=chart_pages,
        tiles=plan.tiles if plan else 0,
        chart_scale=plan.scale if plan else 0.0,
        entities=len(graph),
        seconds=time.perf_counter() - started,
    )
