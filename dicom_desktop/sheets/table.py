"""A sheet as read from a file: header cells, then numbered data rows, values untouched.

CSV gives strings; XLSX gives str, int, float, bool, datetime. Converting them into entity
fields is the importer's job, so that every error can name the row and column it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """One data row; ``number`` is what the spreadsheet shows in its margin (header = 1)."""

    number: int
    values: tuple[object, ...]

    def get(self, index: int) -> object:
        return self.values[index] if 0 <= index < len(self.values) else None


@dataclass
class Table:
    """Header cells (as text) and the data rows under them; fully blank rows are already dropped."""

    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    name: str = ""
    width: int = 0  # cells in the header record as read, trailing blank ones included
    multiline_cells: int = 0  # quoted CSV cells that spanned several lines (said in the summary)
    problems: list = field(default_factory=list)  # RowProblem found while reading (CSV field counts)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def table_from_cells(records, *, name: str = "", first_number: int = 1) -> Table:
    """Build a Table from an iterable of cell sequences: the first non-blank record is the header."""
    headers: list[str] | None = None
    width = 0
    rows: list[Row] = []
    for number, record in enumerate(records, start=first_number):
        values = tuple(record)
        if all(is_blank(v) for v in values):
            continue
        if headers is None:
            width = len(values)
            headers = ["" if v is None else str(v).strip() for v in values]
            # Trailing blank header cells are only formatting (XLSX sheets often have them).
            while headers and not headers[-1]:
                headers.pop()
            continue
        rows.append(Row(number, values))
    return Table(headers or [], rows, name, width)
