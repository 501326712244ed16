"""Spreadsheets in and out: CSV and XLSX import/export of an organisation, and the blank template.

The pure core (no Qt). The editor's column-mapping dialog only needs :mod:`.columns`
(``detect_columns``, ``ColumnMapping``, ``FIELDS``) and :mod:`.importer`
(``read_spreadsheet``, ``import_spreadsheet``, ``SheetImportError``).
"""

from .columns import FIELDS, ColumnMapping, detect_columns
from .exporter import export_csv, export_xlsx, organisation_rows
from .importer import (
    ImportResult,
    SheetImportError,
    Spreadsheet,
    import_file,
    import_rows,
    import_spreadsheet,
    read_spreadsheet,
)
from .table import Row, Table

__all__ = [
    "FIELDS",
    "ColumnMapping",
    "ImportResult",
    "Row",
    "SheetImportError",
    "Spreadsheet",
    "Table",
    "detect_columns",
    "export_csv",
    "export_xlsx",
    "import_file",
    "import_rows",
    "import_spreadsheet",
    "organisation_rows",
    "read_spreadsheet",
]
