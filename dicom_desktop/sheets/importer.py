"""Spreadsheet rows → a checked OrganisationFile, or every problem at once, each with row and column.

Nothing is half-imported: the whole sheet is read and checked (values, ids, parents, cycles,
roots, links, metadata) before an organisation is returned; any problem raises one
:class:`SheetImportError` listing them all. The mapping dialog calls :func:`read_spreadsheet`,
shows :func:`~.columns.detect_columns` of ``spreadsheet.entities.headers``, lets the user amend
it, then calls :func:`import_spreadsheet` with the amended mapping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..graph import OrgGraph
from dicom_desktop.files.inputs import read_bounded
from ..model import SCHEMA_VERSION, Entity, Link, Organisation, OrganisationFile
from ..validation import check_structure, kind_warnings
from .columns import FIELDS, ColumnMapping, detect_columns, normalise_header
from .csv_io import SEPARATOR_NAMES, read_csv
from .errors import RowProblem, SheetImportError, SheetReadError
from .table import Row, Table, is_blank
from .values import (BadValue, as_bool, as_date, as_inferred_fields, as_int, as_kind, as_paragraph_text, as_text, slugify,
                     split_paragraphs)
from .xlsx_io import read_xlsx

ENTITIES_SHEET = "Entités"
LINKS_SHEET = "Liens"
ORGANISATION_SHEET = "Organisation"
MAX_SHEET_BYTES = 200 * 1024 * 1024

# Links sheet and Organisation sheet vocabularies (field key → header on export, synonyms).
LINK_COLUMNS = {
    "source": ("Source", ("source", "de", "from", "origine", "entite source")),
    "target": ("Cible", ("cible", "target", "vers", "to", "destination", "entite cible")),
    "kind": ("Type", ("type", "kind", "nature", "type de lien")),
    "label": ("Libellé", ("libelle", "label", "description", "intitule", "commentaire")),
}
ORGANISATION_FIELDS = {
    "name": ("Nom", ("nom", "name", "nom de l organisation", "intitule")),
    "acronym": ("Sigle", ("sigle", "acronym", "acronyme")),
    "missions": ("Missions", ("missions", "mission")),
    "legal_basis": ("Fondement juridique", ("fondement juridique", "legal basis", "base juridique", "texte")),
    "updated": ("Mise à jour", ("mise a jour", "updated", "date de mise a jour", "date")),
    "source": ("Source", ("source", "sources")),
    "notes": ("Notes", ("notes", "note", "remarques")),
}

_ENTITY_FIELD_TO_COLUMN = {"order": "position"}


@dataclass
class Spreadsheet:
    """What was read from a file, before any interpretation: the entity table and optional extras."""

    entities: Table
    links: Table | None = None
    organisation: Table | None = None
    path: Path | None = None
    description: str = ""  # « CSV, séparateur point-virgule, encodage cp1252 » / « XLSX, feuille « Entités » »


@dataclass
class ImportResult:
    """A valid organisation, with non-blocking remarks (ignored columns, unknown kinds…)."""

    data: OrganisationFile
    mapping: ColumnMapping
    warnings: list[str] = field(default_factory=list)
    multiline_cells: int = 0  # CSV cells in quotes that spanned several lines


# ---------------------------------------------------------------------------------------- reading
def read_spreadsheet(path: str | os.PathLike, *, sheet: str | None = None, separator: str | None = None,
                     encoding: str | None = None) -> Spreadsheet:
    """Read a CSV or XLSX file (format from the extension, else from the content)."""
    p = Path(path)
    raw = read_bounded(p, MAX_SHEET_BYTES, SheetReadError)
    suffix = p.suffix.lower()
    if suffix == ".xls":
        raise SheetReadError(p, "format Excel 97-2003 (.xls) non pris en charge : enregistrez le classeur au format .xlsx ou CSV")
    if suffix in (".ods", ".numbers"):
        raise SheetReadError(p, f"format {suffix} non pris en charge : enregistrez le tableau au format .xlsx ou CSV")
    is_xlsx = suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".txt", ".tsv") and raw[:4] == b"PK\x03\x04")
    if is_xlsx:
        if separator or encoding:
            raise SheetReadError(p, "les options --separator et --encoding ne s’appliquent qu’aux fichiers CSV")
        entities, extras, _ = read_xlsx(raw, p, sheet=sheet, preferred=ENTITIES_SHEET, extra=(LINKS_SHEET, ORGANISATION_SHEET))
        return Spreadsheet(entities, extras.get(LINKS_SHEET), extras.get(ORGANISATION_SHEET), p,
                           f"XLSX, feuille « {entities.name} »")
    if sheet:
        raise SheetReadError(p, "l’option --sheet ne s’applique qu’aux classeurs XLSX")
    table, fmt = read_csv(raw, p, separator=separator, encoding=encoding)
    return Spreadsheet(table, None, None, p, f"CSV, séparateur {SEPARATOR_NAMES.get(fmt.separator, repr(fmt.separator))}, encodage {fmt.encoding}")


def import_file(path: str | os.PathLike, *, sheet: str | None = None, separator: str | None = None,
                encoding: str | None = None, mapping: ColumnMapping | None = None, name: str | None = None,
                attributions_separator: str | None = None) -> ImportResult:
    """Read and import in one go (the ``import`` command)."""
    spreadsheet = read_spreadsheet(path, sheet=sheet, separator=separator, encoding=encoding)
    return import_spreadsheet(spreadsheet, mapping, name=name, attributions_separator=attributions_separator)


def import_spreadsheet(spreadsheet: Spreadsheet, mapping: ColumnMapping | None = None, *, name: str | None = None,
                       attributions_separator: str | None = None) -> ImportResult:
    return import_rows(spreadsheet.entities, mapping, links=spreadsheet.links, organisation=spreadsheet.organisation,
                       name=name, attributions_separator=attributions_separator, path=spreadsheet.path)


# ---------------------------------------------------------------------------------------- importing
@dataclass
class _Record:
    row: Row
    id: str = ""
    generated_id: bool = False
    parent_text: str = ""
    parent: str | None = None
    position: int | None = None
    values: dict = field(default_factory=dict)


class _Collector:
    def __init__(self, sheet: str | None):
        self.sheet = sheet
        self.problems: list[RowProblem] = []

    def add(self, message: str, row: int | None = None, column: str | None = None, sheet: str | None = None) -> None:
        self.problems.append(RowProblem(message, row, column, sheet if sheet is not None else self.sheet))


def import_rows(table: Table, mapping: ColumnMapping | None = None, *, links: Table | None = None,
                organisation: Table | None = None, name: str | None = None, attributions_separator: str | None = None,
                path: object = None) -> ImportResult:
    """Turn a table of entity rows (plus optional links and metadata tables) into a valid organisation.

    Raises SheetImportError listing every problem (row, column, reason) when anything is wrong.
    """
    mapping = mapping or detect_columns(table.headers)
    sheet_name = table.name or None
    out = _Collector(sheet_name)
    warnings: list[str] = []

    if not table.headers:
        out.add("la feuille est vide : une ligne d’en-têtes (Nom, Rattachement…) puis une ligne par entité sont attendues")
        raise SheetImportError(path, out.problems)
    for key in mapping.missing_required:
        spec = FIELDS[key]
        out.add(f"aucune colonne « {spec.header} » trouvée (noms reconnus : {', '.join(spec.synonyms[:5])}…) ; "
                f"colonnes présentes : {', '.join(f'« {h} »' for h in mapping.headers if h.strip()) or 'aucune'}", 1)
    if out.problems:
        raise SheetImportError(path, out.problems)
    if not table.rows:
        out.add("aucune entité : la feuille ne contient que la ligne d’en-têtes")
        raise SheetImportError(path, out.problems)
    if table.problems:  # CSV rows whose cells are shifted: any further check would only be noise
        raise SheetImportError(path, out.problems + list(table.problems))

    for index in mapping.unrecognised:
        if any(not is_blank(row.get(index)) for row in table.rows):
            warnings.append(f"Colonne « {mapping.headers[index]} » non reconnue : ignorée.")
    for index, header in enumerate(mapping.headers):
        if not header.strip() and mapping.field_of(index) is None and any(not is_blank(row.get(index)) for row in table.rows):
            warnings.append(f"Colonne {_column_letter(index)} ignorée alors qu’elle contient des valeurs : donnez-lui un titre.")

    records = [_read_row(row, mapping, attributions_separator, out) for row in table.rows]
    _assign_ids(records, mapping, out)
    resolver = _Resolver(records)
    _resolve_parents(records, resolver, mapping, out)
    _check_roots_and_cycles(records, mapping, out)
    entities = _build_entities(records, mapping, out)
    by_id = {r.id: r for r in records}
    link_list = _read_links(links, resolver, out) if links is not None else []
    org = _read_organisation(organisation, out, name, records)

    if out.problems:
        raise SheetImportError(path, out.problems)

    # Backstop: the same structural rules as the file loader (nothing invalid can leave here).
    backstop = check_structure(entities, link_list)
    if backstop:
        for problem in backstop:
            record = by_id.get(problem.entity_id or "")
            out.add(problem.message, record.row.number if record else None,
                    mapping.header_of("parent") if problem.field == "parent" else None)
        raise SheetImportError(path, out.problems)

    graph = OrgGraph.from_entities(entities, link_list)
    data = OrganisationFile(schema_version=SCHEMA_VERSION, organisation=org, entities=graph.to_entities(), links=link_list)
    warnings += kind_warnings(data.entities)
    return ImportResult(data, mapping, warnings, table.multiline_cells)


def _read_row(row: Row, mapping: ColumnMapping, separator: str | None, out: _Collector) -> _Record:
    record = _Record(row)
    width = len(mapping.headers)
    for index in range(width, len(row.values)):
        if not is_blank(row.values[index]):
            out.add(f"valeur « {as_text(row.values[index])[:40]} » hors des colonnes titrées (en-tête manquant ?)", row.number,
                    _column_letter(index))
            break

    def cell(key):
        index = mapping.column_of(key)
        return None if index is None else row.get(index)

    def parse(key, parser):
        try:
            return parser(cell(key))
        except BadValue as exc:
            out.add(str(exc), row.number, mapping.header_of(key))
            return None

    values = record.values
    values["name"] = as_text(cell("name"))
    if not values["name"]:
        out.add("le nom de l’entité est vide", row.number, mapping.header_of("name"))
    record.id = as_text(cell("id"))
    values["kind"] = as_kind(cell("kind"))
    record.parent_text = as_text(cell("parent"))
    record.position = parse("position", lambda v: as_int(v, minimum=-1_000_000))
    values["staff"] = bool(parse("staff", as_bool))
    for key in ("short_name", "head_title", "head_name", "legal_reference"):
        values[key] = as_text(cell(key))
    values["headcount"] = parse("headcount", as_int)
    values["vacant"] = bool(parse("vacant", as_bool))
    values["attributions"] = split_paragraphs(cell("attributions"), separator)
    values["effective_date"] = parse("effective_date", as_date)
    values["inferred"] = parse("inferred", as_inferred_fields) or []
    return record


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)} (sans titre)"


def _assign_ids(records: list[_Record], mapping: ColumnMapping, out: _Collector) -> None:
    """Explicit ids must be unique; missing ones are made from the name (slug), never clashing."""
    header = mapping.header_of("id")
    first_row: dict[str, int] = {}
    for record in records:
        if not record.id:
            continue
        if record.id in first_row:
            out.add(f"identifiant « {record.id} » en double (déjà utilisé ligne {first_row[record.id]})", record.row.number, header)
        else:
            first_row[record.id] = record.row.number
    taken = set(first_row)
    for record in records:
        if record.id:
            continue
        base = slugify(record.values["name"]) if record.values["name"] else f"ligne-{record.row.number}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        record.id, record.generated_id = candidate, True


class _Resolver:
    """Finds an entity by id, else by name (accent-, case- and space-insensitive)."""

    def __init__(self, records: list[_Record]):
        self.by_id: dict[str, _Record] = {}
        for record in records:
            self.by_id.setdefault(record.id, record)
        self._records = records
        self._by_name: dict[str, list[_Record]] | None = None

    @property
    def by_name(self) -> dict[str, list[_Record]]:
        # Built on first use only: parents given by identifier never need it.
        if self._by_name is None:
            self._by_name = {}
            for record in self._records:
                if record.values["name"]:
                    self._by_name.setdefault(normalise_header(record.values["name"]), []).append(record)
        return self._by_name

    def find(self, text: str) -> tuple[_Record | None, str | None]:
        """(record, None) when found; (None, French reason) otherwise."""
        record = self.by_id.get(text)
        if record is not None:
            return record, None
        matches = self.by_name.get(normalise_header(text), [])
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            rows = ", ".join(str(m.row.number) for m in matches[:6])
            return None, f"« {text} » est ambigu : plusieurs entités portent ce nom (lignes {rows}) ; indiquez l’identifiant"
        return None, f"« {text} » ne correspond à aucune entité (ni identifiant ni nom)"


def _resolve_parents(records: list[_Record], resolver: _Resolver, mapping: ColumnMapping, out: _Collector) -> None:
    header = mapping.header_of("parent")
    for record in records:
        if not record.parent_text:
            continue
        parent, reason = resolver.find(record.parent_text)
        if parent is None:
            out.add(f"rattachement {reason}", record.row.number, header)
        elif parent is record:
            out.add("l’entité est rattachée à elle-même", record.row.number, header)
        else:
            record.parent = parent.id
    # Unresolved parents are marked so that they are not also counted as roots.
    for record in records:
        if record.parent_text and record.parent is None:
            record.parent = ""


def _check_roots_and_cycles(records: list[_Record], mapping: ColumnMapping, out: _Collector) -> None:
    header = mapping.header_of("parent")
    roots = [r for r in records if r.parent is None]
    if len(records) > 1 and mapping.column_of("parent") is None:
        out.add("aucune colonne « Rattachement » (ou parent, entité de rattachement) : impossible de construire la hiérarchie", 1)
        return
    if not roots and not any(r.parent == "" for r in records):
        out.add("aucune entité de tête : toutes les lignes ont un rattachement ; il en faut exactement une sans rattachement", None, header)
    for extra in roots[1:]:
        out.add(f"entité sans rattachement, alors que la ligne {roots[0].row.number} en est déjà une ; "
                "il faut exactement une entité de tête : indiquez le rattachement", extra.row.number, header)
    for root in roots[:1]:
        if root.values["staff"]:
            out.add("l’entité de tête ne peut pas être une position d’état-major", root.row.number, mapping.header_of("staff"))

    # Cycles: walk up from each record, colouring (linear time, iterative).
    by_id: dict[str, _Record] = {}
    for r in records:
        by_id.setdefault(r.id, r)
    state: dict[str, int] = {}
    for start in records:
        if state.get(start.id):
            continue
        walk: list[_Record] = []
        node: _Record | None = start
        while node is not None and not state.get(node.id):
            state[node.id] = 1
            walk.append(node)
            node = by_id.get(node.parent) if node.parent else None
        if node is not None and state.get(node.id) == 1:
            cycle = walk[[w.id for w in walk].index(node.id):]
            shown = " → ".join(f"{c.values['name'] or c.id} (ligne {c.row.number})" for c in cycle[:6])
            shown += (" → …" if len(cycle) > 6 else "") + f" → {node.values['name'] or node.id}"
            first = min(cycle, key=lambda c: c.row.number)
            out.add(f"les rattachements forment une boucle : {shown}", first.row.number, header)
        for visited in walk:
            state[visited.id] = 2


def _build_entities(records: list[_Record], mapping: ColumnMapping, out: _Collector) -> list[Entity]:
    """Entities with sibling order from the Position column (then row order)."""
    siblings: dict[str | None, list[_Record]] = {}
    for record in records:
        siblings.setdefault(record.parent, []).append(record)
    order: dict[int, int] = {}
    for group in siblings.values():
        ranked = sorted(group, key=lambda r: (r.position is None, r.position or 0, r.row.number))
        for rank, record in enumerate(ranked):
            order[id(record)] = rank
    entities = []
    for record in records:
        try:
            entities.append(Entity(id=record.id, parent=record.parent or None, order=order[id(record)], **record.values))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                key = str(err["loc"][0]) if err["loc"] else "name"
                key = _ENTITY_FIELD_TO_COLUMN.get(key, key)
                reason = str(err.get("ctx", {}).get("error", err["msg"])) if err["type"] == "value_error" else err["msg"]
                out.add(reason, record.row.number, mapping.header_of(key) if key in FIELDS else key)
    return entities


def _small_mapping(headers, vocabulary) -> dict[str, int]:
    index = {normalise_header(word): key for key, (header, synonyms) in vocabulary.items() for word in (key, header, *synonyms)}
    found: dict[str, int] = {}
    for i, header in enumerate(headers):
        key = index.get(normalise_header(header))
        if key and key not in found:
            found[key] = i
    return found


def _read_links(table: Table, resolver: _Resolver, out: _Collector) -> list[Link]:
    sheet = table.name or LINKS_SHEET
    columns = _small_mapping(table.headers, LINK_COLUMNS)
    if not table.rows:
        return []
    for key in ("source", "target"):
        if key not in columns:
            out.add(f"colonne « {LINK_COLUMNS[key][0]} » absente", 1, None, sheet)
    if "source" not in columns or "target" not in columns:
        return []
    links: list[Link] = []
    seen: dict[tuple[str, str, str], int] = {}

    def header(key):
        return table.headers[columns[key]] if key in columns else LINK_COLUMNS[key][0]

    for row in table.rows:
        ends = []
        for key in ("source", "target"):
            text = as_text(row.get(columns[key]))
            if not text:
                out.add("entité non renseignée", row.number, header(key), sheet)
                continue
            record, reason = resolver.find(text)
            if record is None:
                assert reason is not None  # find says why it found nothing
                out.add(reason, row.number, header(key), sheet)
            else:
                ends.append(record.id)
        if len(ends) != 2:
            continue
        kind = as_text(row.get(columns["kind"])) if "kind" in columns else ""
        label = as_text(row.get(columns["label"])) if "label" in columns else ""
        kind = kind or "functional"
        if ends[0] == ends[1]:
            out.add("un lien ne peut pas relier une entité à elle-même", row.number, header("target"), sheet)
            continue
        link_key = (ends[0], ends[1], kind)
        if link_key in seen:
            out.add(f"lien en double (déjà ligne {seen[link_key]})", row.number, header("target"), sheet)
            continue
        seen[link_key] = row.number
        try:
            links.append(Link(source=ends[0], target=ends[1], kind=kind, label=label))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                out.add(str(err.get("ctx", {}).get("error", err["msg"])), row.number, header(str(err["loc"][0])), sheet)
    return links


def _read_organisation(table: Table | None, out: _Collector, name: str | None, records: list[_Record]) -> Organisation:
    """Metadata from a two-column sheet (Champ | Valeur); the name falls back to --name, then the root's name."""
    values: dict[str, Any] = {}  # field -> value, checked by Organisation(**values)
    if table is not None:
        sheet = table.name or ORGANISATION_SHEET
        index = {normalise_header(w): key for key, (h, syn) in ORGANISATION_FIELDS.items() for w in (key, h, *syn)}
        for row in [Row(1, tuple(table.headers))] + table.rows:
            label = as_text(row.get(0))
            key = index.get(normalise_header(label))
            if key is None:
                continue  # the header row (« Champ | Valeur ») or a free note
            raw = row.get(1)
            if key == "missions":
                values[key] = split_paragraphs(raw)
            elif key in ("legal_basis", "source", "notes"):
                values[key] = as_paragraph_text(raw)
            elif key == "updated":
                try:
                    values[key] = as_date(raw)
                except BadValue as exc:
                    out.add(str(exc), row.number, "Valeur", sheet)
            else:
                values[key] = as_text(raw)
    if name and name.strip():
        values["name"] = name.strip()
    if not values.get("name"):
        root = next((r for r in records if r.parent is None and r.values["name"]), None)
        values["name"] = root.values["name"] if root else "Organisation importée"
    try:
        return Organisation(**values)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            key = str(err["loc"][0]) if err["loc"] else ""
            label = ORGANISATION_FIELDS.get(key, (key,))[0]
            out.add(str(err.get("ctx", {}).get("error", err["msg"])), None, label, ORGANISATION_SHEET)
        return Organisation(name="Organisation importée")
