"""OrganisationFile → spreadsheet rows, CSV bytes or XLSX bytes (the columns the importer reads back).

Rows come in hierarchical pre-order (a reader sees the chart top-down); « Rattachement » holds
the parent's identifier and « Position » the 1-based rank among siblings, so that importing the
export gives back the same organisation. In XLSX, functional links go to the sheet « Liens » and
the organisation's metadata to « Organisation ». A CSV file holds one table only: it carries the
entities, not the links nor the metadata (the command says so when some are left out).
"""

from __future__ import annotations

from ..graph import OrgGraph
from ..model import INFERABLE_FIELDS, Entity, OrganisationFile
from .columns import FIELDS, HEADERS
from .csv_io import write_csv
from .importer import ENTITIES_SHEET, LINK_COLUMNS, LINKS_SHEET, ORGANISATION_FIELDS, ORGANISATION_SHEET
from .values import join_paragraphs, protect_formula
from .xlsx_io import SheetSpec, write_xlsx

# Column widths (characters) in XLSX, by field key; attributions wrap.
_WIDTHS = {"id": 24, "name": 44, "kind": 18, "parent": 24, "position": 9, "staff": 11, "short_name": 14,
           "head_title": 26, "head_name": 22, "headcount": 9, "vacant": 12, "attributions": 80,
           "legal_reference": 40, "effective_date": 13, "inferred": 30}


def _yes_no(flag: bool) -> str:
    return "oui" if flag else "non"


def entity_row(entity: Entity, *, dates_as_text: bool = False) -> list[object]:
    """One entity as the cells of a row, in FIELDS order."""
    date = entity.effective_date
    cells = {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "parent": entity.parent or "",
        "position": entity.order + 1,
        "staff": _yes_no(entity.staff),
        "short_name": entity.short_name,
        "head_title": entity.head_title,
        "head_name": entity.head_name,
        "headcount": entity.headcount,
        "vacant": _yes_no(entity.vacant),
        "attributions": join_paragraphs(entity.attributions),
        "legal_reference": entity.legal_reference,
        "effective_date": (date.strftime("%d/%m/%Y") if dates_as_text else date) if date else None,
        "inferred": ", ".join(INFERABLE_FIELDS[name] for name in entity.inferred),
    }
    return [cells[key] for key in FIELDS]


def organisation_rows(data: OrganisationFile, *, dates_as_text: bool = False) -> list[list[object]]:
    """Header + one row per entity, in pre-order (parents before their children, siblings in order)."""
    entities = OrgGraph.from_entities(data.entities, data.links).to_entities()
    header: list[object] = list(HEADERS)
    return [header, *(entity_row(e, dates_as_text=dates_as_text) for e in entities)]


def link_rows(data: OrganisationFile) -> list[list[object]]:
    rows: list[list[object]] = [[h for h, _ in LINK_COLUMNS.values()]]
    rows += [[l.source, l.target, l.kind, l.label] for l in data.links]
    return rows


def metadata_rows(data: OrganisationFile) -> list[list[object]]:
    org = data.organisation
    values = {
        "name": org.name,
        "acronym": org.acronym,
        "missions": join_paragraphs(org.missions),
        "legal_basis": org.legal_basis,
        "updated": org.updated,
        "source": org.source,
        "notes": org.notes,
    }
    rows: list[list[object]] = [["Champ", "Valeur"]]
    rows += [[header, values[key]] for key, (header, _) in ORGANISATION_FIELDS.items()]
    return rows


def export_csv(data: OrganisationFile, *, separator: str = ";", encoding: str = "utf-8-sig") -> bytes:
    """Entities only, as CSV (default: UTF-8 with BOM and « ; », what Excel in France opens right)."""
    rows = organisation_rows(data, dates_as_text=True)
    # Formula triggers (= + - @ …) get a leading apostrophe; the importer removes it (values.py).
    protected = [rows[0]] + [[protect_formula(v) if isinstance(v, str) else v for v in row] for row in rows[1:]]
    return write_csv(protected, separator=separator, encoding=encoding)


def export_xlsx(data: OrganisationFile) -> bytes:
    """A workbook with « Entités », « Liens » and « Organisation »: everything but scenarios."""
    return write_xlsx(workbook_sheets(data))


def workbook_sheets(data: OrganisationFile) -> list[SheetSpec]:
    keys = list(FIELDS)
    return [
        SheetSpec(ENTITIES_SHEET, organisation_rows(data), [_WIDTHS[k] for k in keys], {keys.index("attributions")}),
        SheetSpec(LINKS_SHEET, link_rows(data), [28, 28, 14, 60], {3}),
        SheetSpec(ORGANISATION_SHEET, metadata_rows(data), [22, 100], {1}),
    ]
