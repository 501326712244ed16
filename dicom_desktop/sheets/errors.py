"""Spreadsheet errors, in French, each problem with the row and the column where it is."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import DicomError, InputFileError
from dicom_desktop.wording import plural

MAX_SHOWN = 30


@dataclass(frozen=True)
class RowProblem:
    """One problem of a spreadsheet: sheet, row number as the spreadsheet shows it, column header."""

    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"feuille « {self.sheet} »")
        if self.row is not None:
            parts.append(f"ligne {self.row}")
        if self.column:
            parts.append(f"colonne « {self.column} »")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where} : {self.message}" if where else self.message


class SheetReadError(InputFileError):
    """A spreadsheet file that cannot be read at all (missing, not CSV/XLSX, undecodable)."""


class SheetImportError(DicomError):
    """Every problem found in a spreadsheet, all at once; nothing was imported."""

    def __init__(self, path: object, problems: list[RowProblem]):
        self.path = None if path is None else str(path)
        # Reading order: sheet by sheet, top to bottom (problems without a row first).
        self.problems = sorted(problems, key=lambda p: (p.sheet or "", p.row or 0))
        count = len(self.problems)
        source = f"« {self.path} »" if self.path else "le tableau"
        lines = [f"Import impossible depuis {source} ({plural(count, 'problème')}) ; rien n’a été importé :"]
        lines += [f"  – {p}" for p in self.problems[:MAX_SHOWN]]
        if count > MAX_SHOWN:
            lines.append(f"  … et {plural(count - MAX_SHOWN, 'autre problème', 'autres problèmes')}.")
        super().__init__("\n".join(lines))


class SheetExportError(DicomError):
    """An organisation that cannot be written in the requested spreadsheet format."""
