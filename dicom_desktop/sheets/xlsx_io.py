"""XLSX through openpyxl: read a sheet into a Table, write formatted sheets a secretary can use.

Written sheets have a bold, frozen header row, sensible column widths, and wrapped text for long
cells (attributions). Values keep their type (numbers, dates), and text that starts with « = »
stays text (never turned into a formula).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from .errors import SheetExportError, SheetReadError
from .table import Table, table_from_cells
from .values import FORMULA_TRIGGERS

XLSX_CELL_LIMIT = 32_767
DATE_FORMAT = "DD/MM/YYYY"


def read_xlsx(raw: bytes, path: object = None, *, sheet: str | None = None, preferred: str | None = None,
              extra: tuple[str, ...] = ()) -> tuple[Table, dict[str, Table], list[str]]:
    """Read the entity sheet (``sheet``, else ``preferred`` if present, else the first one) and the
    ``extra`` sheets that exist. Returns (entities table, {extra name: table}, all sheet names)."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(raw)):
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            if "EncryptedPackage".encode("utf-16-le") in raw:
                raise SheetReadError(path, "le classeur est protégé par un mot de passe : ouvrez-le dans Excel, retirez "
                                           "le mot de passe (Fichier › Informations › Protéger le classeur) et réenregistrez-le")
            raise SheetReadError(path, "format Excel 97-2003 (.xls) non pris en charge : enregistrez le classeur au format .xlsx ou CSV")
        raise SheetReadError(path, "ce n’est pas un classeur XLSX (fichier endommagé ou d’un autre format)")
    check_archive(raw, path)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken archives
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
    except SheetReadError as exc:
        if exc.path is None:
            raise SheetReadError(path, exc.reason) from None
        raise
    except Exception as exc:  # noqa: BLE001 - as above: a broken archive, whatever openpyxl raises
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
    return table_from_cells(_limited_rows(ws.iter_rows(values_only=True), name), name=name)


def _limited_rows(rows, sheet: str):
    """Stream rows (openpyxl's read-only mode), stopping at MAX_ROWS with a French error."""
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise SheetReadError(None, f"feuille « {sheet} » : plus de {_n(MAX_ROWS)} lignes ; dicom-desktop en lit au "
                                       "plus autant (limite) : découpez le classeur")
        if len(row) > MAX_COLUMNS:
            row = row[:MAX_COLUMNS]
        yield row


# ------------------------------------------------------------------------- limits before the work
# An XLSX file is a zip: a few kilobytes can expand to gigabytes (« zip bomb »). Every member's
# declared size and compression ratio, and each sheet's declared dimension, are checked before
# openpyxl reads anything; openpyxl parses through defusedxml (entity expansion refused).
MAX_ROWS = 200_000  # twice the largest organisation the editor is measured with
MAX_COLUMNS = 1_000
MAX_MEMBER_BYTES = 300 * 1024 * 1024  # one uncompressed part (a sheet of 100,000 entities: ~100 Mo)
MAX_TOTAL_BYTES = 600 * 1024 * 1024
MAX_RATIO = 200  # shared strings of repeated text compress ~20×; a bomb compresses ~1,000×
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"')


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(head: bytes, member) -> int:
    """Rows of a sheet's XML, counted while streaming it 1 Mio at a time; stops past MAX_ROWS."""
    count = 0
    carry = head
    while True:
        chunk = member.read(1 << 20)
        data = carry + chunk
        count += len(_ROW_TAG.findall(data, 0, max(len(data) - 16, 0) if chunk else len(data)))
        if count > MAX_ROWS or not chunk:
            return count
        carry = data[max(len(data) - 16, 0):]


def check_archive(raw: bytes, path: object = None) -> None:
    """Refuse a zip whose parts would expand beyond the limits, or a sheet declaring too many rows."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetReadError(path, "ce n’est pas un classeur XLSX (archive endommagée)") from None
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise SheetReadError(path, f"le classeur contient une partie « {info.filename} » qui se décompresse en "
                                       f"{info.file_size / (1024 * 1024):.0f} Mo (taux {ratio:.0f} pour 1) : au-delà "
                                       f"des limites ({MAX_MEMBER_BYTES // (1024 * 1024)} Mo, {MAX_RATIO} pour 1), "
                                       "c’est une archive piégée ou un classeur qui n’est pas une liste d’entités")
        if total > MAX_TOTAL_BYTES:
            raise SheetReadError(path, f"le classeur se décompresse en plus de {MAX_TOTAL_BYTES // (1024 * 1024)} Mo "
                                       "(limite) : ce n’est pas une liste d’entités")
    for info in members:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        try:
            with archive.open(info) as member:
                head = member.read(4096)
                rows = _count_rows(head, member)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
            raise SheetReadError(path, f"partie « {info.filename} » illisible (archive endommagée ou chiffrée)") from None
        if rows > MAX_ROWS:
            raise SheetReadError(path, f"une feuille contient plus de {_n(MAX_ROWS)} lignes ; dicom-desktop en lit au plus "
                                       "autant (limite) : découpez le classeur ou supprimez les lignes vides")
        match = _DIMENSION.search(head)
        if match is None:
            continue
        last_col, last_row = (match.group(3), match.group(4)) if match.group(3) else (match.group(1), match.group(2))
        rows, cols = int(last_row), _column_number(last_col)
        if rows > MAX_ROWS:
            raise SheetReadError(path, f"une feuille déclare {_n(rows)} lignes ; dicom-desktop en lit au plus "
                                       f"{_n(MAX_ROWS)} (limite) : découpez le classeur ou supprimez les lignes vides")
        if cols > MAX_COLUMNS:
            raise SheetReadError(path, f"une feuille déclare {_n(cols)} colonnes ; dicom-desktop en lit au plus "
                                       f"{_n(MAX_COLUMNS)} (limite)")


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
                if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                    # Text, not a formula, and marked so (Excel's « quote prefix »): the cell keeps
                    # its exact text and stays text when the sheet is edited or saved as CSV.
                    cell.data_type = "s"
                    cell.quotePrefix = True
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
