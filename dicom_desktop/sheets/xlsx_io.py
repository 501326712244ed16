"""XLSX through openpyxl: read a sheet into a Table, write formatted sheets a secretary can use.

Written sheets have a bold, frozen header row, sensible column widths, and wrapped text for long
cells (attributions). Values keep their type (numbers, dates), and text that starts with « = »
stays text (never turned into a formula).
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass, field

from .errors import SheetExportError, SheetReadError
from .table import Table, table_from_cells

XLSX_CELL_LIMIT = 32_767
DATE_FORMAT = "DD/MM/YYYY"


def read_xlsx(raw: bytes, path: object = None, *, sheet: str | None = None, preferred: str | None = None,
              extra: tuple[str, ...] = ()) -> tuple[Table, dict[str, Table], list[str]]:
    """Read the entity sheet (``sheet``, else ``preferred`` if present, else the first one) and the
    ``extra`` sheets that exist. Returns (entities table, {extra name: table}, all sheet names)."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(raw)):
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise SheetReadError(path, "format Excel 97-2003 (.xls) non pris en charge : enregistrez le classeur au format .xlsx ou CSV")
        raise SheetReadError(path, "ce n’est pas un classeur XLSX (fichier endommagé ou d’un autre format)")
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken archives
        raise SheetReadError(path, f"classeur XLSX illisible ou endommagé ({type(exc).__name__})") from None
    try:
        names = list(book.sheetnames)
        if sheet is not None:
            chosen = _find_sheet(names, sheet)
            if chosen is None:
                raise SheetReadError(path, f"la feuille « {sheet} » n’existe pas (feuilles : {', '.join(f'« {n} »' for n in names)})")
        else:
            chosen = _find_sheet(names, preferred) if preferred else None
            chosen = chosen or (names[0] if names else None)
        if chosen is None:
            raise SheetReadError(path, "le classeur ne contient aucune feuille")
        entities = _read_sheet(book, chosen)
        extras = {}
        for name in extra:
            found = _find_sheet(names, name)
            if found is not None and found != chosen:
                extras[name] = _read_sheet(book, found)
        return entities, extras, names
    except SheetReadError:
        raise
    except Exception as exc:
        raise SheetReadError(path, f"classeur XLSX illisible ou endommagé ({type(exc).__name__})") from None
    finally:
        book.close()


def _find_sheet(names: list[str], wanted: str) -> str | None:
    if wanted in names:
        return wanted
    folded = wanted.strip().casefold()
    return next((n for n in names if n.strip().casefold() == folded), None)


def _read_sheet(book, name: str) -> Table:
    ws = book[name]
    if hasattr(ws, "reset_dimensions"):
        # Some tools write a wrong <dimension> (e.g. « A1 »); read-only mode would then cut rows.
        ws.reset_dimensions()
    return table_from_cells(ws.iter_rows(values_only=True), name=name)


@dataclass
class SheetSpec:
    """A sheet to write: its name, rows (header first), column widths, columns whose text wraps."""

    name: str
    rows: list[list[object]]
    widths: list[float] = field(default_factory=list)
    wrap: set[int] = field(default_factory=set)


def write_xlsx(sheets: list[SheetSpec]) -> bytes:
    """Sheets → XLSX bytes (bold frozen header, widths, wrapping); streamed (write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DBE7F5")
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for spec in sheets:
        ws = book.create_sheet(spec.name)
        for c, width in enumerate(spec.widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
        header = spec.rows[0] if spec.rows else []
        for r, row in enumerate(spec.rows, start=1):
            cells = []
            for c, value in enumerate(row):
                if value == "":
                    value = None
                if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
                    raise SheetExportError(
                        f"Feuille « {spec.name} », ligne {r}, colonne « {header[c]} » : texte de {len(value)} caractères, "
                        f"trop long pour une cellule Excel (au plus {XLSX_CELL_LIMIT})."
                    )
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
                if isinstance(value, _dt.date):
                    cell.number_format = DATE_FORMAT
                if r == 1:
                    cell.font = bold
                    cell.fill = header_fill
                else:
                    # Top-aligned, so a tall attributions cell does not push the name to the bottom.
                    cell.alignment = wrapped if c in spec.wrap else top
                cells.append(cell)
            ws.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
