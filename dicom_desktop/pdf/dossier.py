"""The « dossier de réorganisation » of a scenario as a PDF, for a staff consultation.

What the instances read, in order: a title page (organisation, scenario, description, dates,
« Document de travail — projet ») with a summary of the changes; the current chart; the
scenario's chart with each changed box framed and badged in the colour of its change (same
palette as the editor's comparison view, :mod:`dicom_desktop.change_styles`), removed entities
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

from dicom_desktop.change_styles import CHANGE_PRIORITY, CHANGE_STYLES, ChangeStyle, box_marks, style_of
from dicom_desktop.diff import (
    ENTITY_FIELD_LABELS,
    AttributionsChanged,
    Change,
    EntityAdded,
    EntityMerged,
    EntityMoved,
    EntityRemoved,
    EntityRenamed,
    EntityReordered,
    EntitySplit,
    FieldChanged,
    KindChanged,
    LinkAdded,
    LinkChanged,
    LinkRemoved,
    LinksReordered,
    OrgDiff,
    VacancyChanged,
    diff_organisations,
)
from dicom_desktop.errors import EditRefused
from dicom_desktop.graph import OrgGraph
from dicom_desktop.kinds import style_for
from dicom_desktop.outputs import check_output, file_stem
from dicom_desktop.scenarios import current_graph, find_scenario, scenario_graph

from . import fonts
from .chart import GHOST_COLOUR
from .chartpages import ChartPage, ChartPageFlowable, TitleBlock, plan_chart, title_block
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
from .textblock import Block, Outline, TextSection, wrap
from .typography import NBSP, french, french_date
from dicom_desktop.wording import ordinal

INK = "#1a1a1a"
NAVY = "#12325c"
DELETE_COLOUR = "#b03a2e"
DELETE_BACK = "#fbe5e1"
INSERT_COLOUR = "#1e7a3e"
INSERT_BACK = "#e2f3e6"
DRAFT_COLOUR = "#b03a2e"
# Word diff markers, printed small: they put « retiré » / « ajouté » in the text layer itself.
DELETED_OPEN = f'<font size="6.5">[retiré{NBSP}:</font> '
INSERTED_OPEN = f'<font size="6.5">[ajouté{NBSP}:</font> '
MARK_CLOSE = '<font size="6.5">]</font>'


# Plural-aware labels of the summary, per kind of change.
SUMMARY_LABELS: dict[str, tuple[str, str]] = {
    "added": ("entité créée", "entités créées"),
    "split": ("entité créée par scission", "entités créées par scission"),
    "merged": ("entité absorbée par une fusion", "entités absorbées par une fusion"),
    "removed": ("entité supprimée", "entités supprimées"),
    "moved": ("rattachement modifié", "rattachements modifiés"),
    "renamed": ("entité renommée", "entités renommées"),
    "kind": ("type d’entité modifié", "types d’entité modifiés"),
    "vacancy": ("poste déclaré vacant ou pourvu", "postes déclarés vacants ou pourvus"),
    "attributions": ("texte d’attributions modifié", "textes d’attributions modifiés"),
    "field": ("autre modification (responsable, effectif…)", "autres modifications (responsable, effectif…)"),
    "reordered": ("changement d’ordre entre entités de même niveau", "changements d’ordre entre entités de même niveau"),
    "link-added": ("lien fonctionnel ajouté", "liens fonctionnels ajoutés"),
    "link-removed": ("lien fonctionnel supprimé", "liens fonctionnels supprimés"),
    "link-changed": ("lien fonctionnel modifié", "liens fonctionnels modifiés"),
}


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
    from dicom_desktop.paths import default_output_dir

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


def _x(text: str) -> str:
    """Plain text (with French typography) made safe for ReportLab's paragraph mini-markup."""
    return escape(french(text))


def _q(text: str) -> str:
    return f"«{NBSP}{_x(text)}{NBSP}»"


# ------------------------------------------------------------------------------ the charts
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


def _heading_block(title: str, subtitle: str, width: float) -> TitleBlock:
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


def _relabel(pages: list[ChartPage], heading: TitleBlock, section: str, prefix: str) -> None:
    """The notice's plan pages retitled for the dossier: section heading, prefixed sheet labels."""
    for i, page in enumerate(pages):
        if page.title is not None:
            page.title = heading
        elif page.label:
            page.label = f"{prefix} — {page.label}"
        if page.outline is not None:
            page.outline = (section, 0) if i == 0 else (f"{prefix} — {page.outline[0]}", page.outline[1])


def _marks_legend_items(diff: OrgDiff, has_ghosts: bool, several: bool = False) -> list[tuple[str, ChangeStyle | None]]:
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


def _marks_positions(items, width: float):
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
        self.positions, self.legend_height = _marks_positions(items, frame[0])

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


# ------------------------------------------------------------------------------ the table
def _cap(markup: str) -> str:
    """First letter in upper case, the rest untouched (``str.capitalize`` would lower « Délégation »)."""
    return markup[0].upper() + markup[1:] if markup and markup[0].islower() else markup


def _where(name: str) -> str:
    return f"rattachement{NBSP}: {_q(name)}" if name else "—"  # agrees with « le bureau » and « la mission »


def _value(value) -> str:
    if value is None or value == "" or value == [] or value == ():
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, _dt.date):
        return french_date(value)
    if isinstance(value, (list, tuple)):
        value = " / ".join(str(v) for v in value)
    return _x(str(value))


_ordinal = ordinal


def change_row(change: Change, base: OrgGraph) -> tuple[str, str, str] | None:
    """(entity, before, after) cells in paragraph markup for one change (None: not listed)."""
    if isinstance(change, LinksReordered):
        return None
    if isinstance(change, EntitySplit):
        kind = _x(change.entity.kind)
        return (f"<b>{_x(change.name)}</b> ({kind})", f"partie de {_q(change.source_name)}",
                f"entité créée, {_where(change.parent_name)}" + (", poste de responsable à pourvoir"
                                                                  if change.entity.vacant else ""))
    if isinstance(change, EntityAdded):
        return (f"<b>{_x(change.name)}</b> ({_x(change.entity.kind)})", "—",
                f"entité créée, {_where(change.parent_name)}" + (", poste de responsable à pourvoir"
                                                                  if change.entity.vacant else ""))
    if isinstance(change, EntityMerged):
        return (f"<b>{_x(change.name)}</b> ({_x(change.entity.kind)})", _where(change.parent_name),
                f"fusion dans {_q(change.survivor_name)}")
    if isinstance(change, EntityRemoved):
        return (f"<b>{_x(change.name)}</b> ({_x(change.entity.kind)})", _where(change.parent_name),
                "suppression")
    if isinstance(change, EntityMoved):
        return (f"<b>{_x(change.name)}</b>", _where(change.old_parent_name), _where(change.new_parent_name))
    if isinstance(change, EntityReordered):
        return (f"<b>{_x(change.name)}</b>", f"{_ordinal(change.old_index)} place sous {_q(change.parent_name)}",
                f"{_ordinal(change.new_index)} place")
    if isinstance(change, EntityRenamed):
        return (f"<b>{_x(change.new_name)}</b>", _q(change.old_name), _q(change.new_name))
    if isinstance(change, KindChanged):
        return (f"<b>{_x(change.name)}</b>", _x(change.old_kind), _x(change.new_kind))
    if isinstance(change, VacancyChanged):
        return (f"<b>{_x(change.name)}</b>", "poste pourvu" if change.vacant else "poste vacant",
                "poste déclaré vacant" if change.vacant else "poste pourvu")
    if isinstance(change, FieldChanged):
        label = ENTITY_FIELD_LABELS.get(change.field, change.field)
        return (f"<b>{_x(change.name)}</b><br/>{_x(label)}", _value(change.old), _value(change.new))
    if isinstance(change, AttributionsChanged):
        details = []
        if change.words_added:
            details.append(f"{change.words_added} mot{'s' if change.words_added > 1 else ''} ajouté"
                           f"{'s' if change.words_added > 1 else ''}")
        if change.words_removed:
            details.append(f"{change.words_removed} mot{'s' if change.words_removed > 1 else ''} retiré"
                           f"{'s' if change.words_removed > 1 else ''}")
        if len(change.old) != len(change.new):
            details.append(f"{len(change.old)} → {len(change.new)} paragraphe{'s' if len(change.new) > 1 else ''}")
        return (f"<b>{_x(change.name)}</b><br/>attributions", f"{len(change.old)} paragraphe"
                f"{'s' if len(change.old) > 1 else ''}", (", ".join(details) or "mise en forme")
                + " — détail mot à mot plus loin")
    if isinstance(change, (LinkAdded, LinkRemoved)):
        link = change.link
        label = f" ({_x(link.label)})" if link.label else ""
        ends = f"<b>{_x(change.source_name)}</b> → <b>{_x(change.target_name)}</b>"
        if isinstance(change, LinkAdded):
            return (f"lien fonctionnel{label}<br/>{ends}", "—", "lien créé")
        return (f"lien fonctionnel{label}<br/>{ends}", "lien existant", "lien supprimé")
    if isinstance(change, LinkChanged):
        ends = f"<b>{_x(change.source_name)}</b> → <b>{_x(change.target_name)}</b>"
        return (f"lien fonctionnel<br/>{ends}", _value(change.old.label), _value(change.new.label))
    return (_x(change.describe()), "", "")


def _table(diff: OrgDiff, base: OrgGraph, width: float, st, anchors: dict[int, str],
           attr_keys: dict[int, str], sheets: dict[str, str] | None = None) -> Table | None:
    header = [Paragraph(t, st["head"]) for t in ("Changement", "Entité", "Avant", "Après")]
    data, row_styles = [header], []
    for n, change in enumerate(diff.changes):
        row = change_row(change, base)
        if row is None:
            continue
        entity, before, after = row[0], _cap(row[1]), _cap(row[2])
        if n in anchors:
            entity = f'<a name="{anchors[n]}"/>' + entity
        located = [sheets[e] for e in change.entity_ids()[:1] if sheets and e in sheets]
        if located:
            entity += f'<br/><font size="7" color="#666666">organigramme projeté{NBSP}: {_x(located[0])}</font>'

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


# ------------------------------------------------------------------------------ word diff
def diff_paragraphs(segments) -> list[str]:
    """Word-level segments as paragraph markup, one string per paragraph of the new text.

    Deleted words: struck through, red; inserted words: underlined, green (both on a light tint,
    so the difference survives a black-and-white copy), each inside « [retiré : …] » or
    « [ajouté : …] » so that the text layer (copy-paste, screen readers) tells them apart too
    instead of reading a merged text that never existed. A paragraph break that disappears is
    shown as a struck « ¶ ».
    """
    paragraphs: list[list[str]] = [[]]
    for op, text in segments:
        if op == "delete":
            text = text.replace("\n", " ¶ ")
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraphs.append([])
            if not part:
                continue
            body = _x(part)
            if op == "delete":
                body = (f'<font color="{DELETE_COLOUR}" backColor="{DELETE_BACK}">{DELETED_OPEN}<strike>{body}</strike>'
                        f'{MARK_CLOSE}</font>')
            elif op == "insert":
                body = (f'<font color="{INSERT_COLOUR}" backColor="{INSERT_BACK}">{INSERTED_OPEN}<u>{body}</u>'
                        f'{MARK_CLOSE}</font>')
            paragraphs[-1].append(body)
    return ["".join(p) for p in paragraphs if "".join(p).strip()]


def _diff_legend(st) -> Paragraph:
    return Paragraph(
        f"Lecture{NBSP}: <font color=\"{DELETE_COLOUR}\" backColor=\"{DELETE_BACK}\">{DELETED_OPEN}<strike>mots retirés"
        f"</strike>{MARK_CLOSE}</font> (barrés, en rouge), <font color=\"{INSERT_COLOUR}\" backColor=\"{INSERT_BACK}\">"
        f"{INSERTED_OPEN}<u>mots ajoutés</u>{MARK_CLOSE}</font> (soulignés, en vert)&nbsp;; le reste du texte est inchangé.",
        st["note"])


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
    data, styles = [], []
    for kind in sorted(counts, key=lambda k: CHANGE_PRIORITY.get(k, 99)):
        n = counts[kind]
        style = CHANGE_STYLES[kind]
        label = SUMMARY_LABELS[kind][0 if n == 1 else 1]
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
    story.append(Paragraph(_x(head), st["org"]))
    story.append(Paragraph("Dossier de réorganisation", st["title"]))
    story.append(Paragraph(_x(scenario.name), st["scenario"]))
    story.append(_Rule(width))
    if scenario.description.strip():
        for paragraph in scenario.description.strip().split("\n"):
            if paragraph.strip():
                story.append(Paragraph(_x(paragraph.strip()), st["description"]))
    dates = []
    if scenario.created:
        dates.append(f"Scénario établi le {french_date(scenario.created)}")
    if org.updated:
        dates.append(f"organisation actuelle à jour au {french_date(org.updated)}")
    dates.append(f"dossier édité le {french_date(today)}")
    first = dates[0]
    story.append(Paragraph(_x(" ; ".join([first[0].upper() + first[1:]] + dates[1:]) + "."), st["dates"]))
    story.append(Paragraph(f"Document de travail — projet{NBSP}: ne vaut pas décision. "
                           "Préparé pour la consultation des instances.", st["draft"]))
    story.append(Paragraph("Synthèse des changements", st["h2"]))
    n = len([c for c in diff.changes if not isinstance(c, LinksReordered)])
    if n:
        story.append(Paragraph(_x(
            f"Le scénario apporte {n} changement{'s' if n > 1 else ''} à l’organisation actuelle, "
            f"qui passe de {n_base} à {n_scenario} entité{'s' if n_scenario > 1 else ''}."), st["base"]))
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
        story.append(Paragraph(f"{i}.{NBSP}{_x(line)}", ParagraphStyle(f"c{i}", st["base"], leftIndent=14,
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
    now_head = _heading_block("Organisation actuelle", _subtitle_current(org), cw)
    now_plan = plan_chart(base, org, (cw, ch - max(0.0, now_head.height - reserved)), large_chart)
    _relabel(now_plan.pages, now_head, "Organisation actuelle", "Organisation actuelle")
    marks = {eid: (colour, badge) for eid, (badge, colour) in box_marks(diff, shown.__contains__).items()}
    legend_items = _marks_legend_items(diff, bool(ghosts), any(" +" in badge for _, badge in marks.values()))
    _, legend_h = _marks_positions(legend_items, cw)
    new_head = _heading_block(f"Organisation projetée — scénario « {found.name} »",
                              "Entités concernées marquées d’un cadre et d’un badge de couleur ; "
                              "légende des marques en bas de page.", cw)
    new_frame = (cw, ch - legend_h - max(0.0, new_head.height - reserved))
    new_plan = plan_chart(shown, org, new_frame, large_chart)
    _relabel(new_plan.pages, new_head, f"Organisation projetée (scénario « {found.name} »)", "Scénario")
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
    story.append(_diff_legend(st))
    colour = CHANGE_STYLES["attributions"].color
    for n, change in attributions:
        kind = style_for(base.entity(change.entity_id).kind).legend if change.entity_id in base else ""
        summary = change_row(change, base)[2].split(" — ")[0]
        blocks = [
            Block(french(_cap(kind) if kind and kind != "Autre" else "Entité"), fonts.REGULAR, 7.5, 10,
                  "#666666", keep_with_next=True),
            Block(french(change.name), fonts.BOLD, 12, 15, NAVY, space_before=1, keep_with_next=True),
            Block(french(_cap(summary)), fonts.ITALIC, 8.5, 12, "#555555", keep_with_next=True),
        ]
        section = TextSection(blocks, outline=Outline(attr_keys[n], change.name, 1), bar=colour, space_before=16)
        paragraphs = [Paragraph(p, st["diff"]) for p in diff_paragraphs(change.segments)]
        story.append(KeepTogether([section, *paragraphs[:1]]))  # never a heading alone at a page foot
        story.extend(paragraphs[1:])
    return story


