"""The blank spreadsheet to fill in: the columns the importer reads, and one example row.

The example is a head entity (no « Rattachement »), so the template imports as it is; the
secretary replaces it and adds one row per entity below.
"""

from __future__ import annotations

import datetime as _dt

from ..model import SCHEMA_VERSION, Entity, Organisation, OrganisationFile
from .columns import FIELDS
from .exporter import export_csv, workbook_sheets
from .xlsx_io import SheetSpec, write_xlsx

EXAMPLE_ENTITY = Entity(
    id="direction",
    name="Direction de la communication",
    kind="direction",
    parent=None,
    short_name="DIRCOM",
    head_title="Directrice",
    head_name="Camille Martin",
    headcount=25,
    vacant=False,
    attributions=[
        "Premier paragraphe des attributions : la direction conçoit et met en œuvre la politique de communication.",
        "Second paragraphe, séparé du premier par une ligne vide (Alt+Entrée deux fois dans Excel).",
    ],
    legal_reference="Arrêté du 1er janvier 2025 portant organisation de la direction",
    effective_date=_dt.date(2025, 1, 1),
)

EXAMPLE = OrganisationFile(
    schema_version=SCHEMA_VERSION,
    organisation=Organisation(name="Direction de la communication"),
    entities=[EXAMPLE_ENTITY],
)

HELP_ROWS: list[list[object]] = [["Colonne", "Contenu attendu"]]
HELP_ROWS += [[spec.header, spec.help] for spec in FIELDS.values()]
HELP_ROWS += [
    ["", ""],
    ["Liens", "Feuille « Liens » : une ligne par lien fonctionnel (Source, Cible : identifiant ou nom)."],
    ["Organisation", "Feuille « Organisation » : nom, sigle, missions, fondement juridique, date de mise à jour."],
    ["Import", "dicom-desktop import fichier.xlsx -o organisation.json"],
]


def template_xlsx() -> bytes:
    """Entités (headers + example row), empty Liens, Organisation to fill, and an « Aide » sheet."""
    sheets = workbook_sheets(EXAMPLE)
    # Organisation sheet: the field names, values left blank (an empty name falls back to the
    # head entity's name or to --name on import).
    organisation = sheets[2]
    organisation.rows = [organisation.rows[0]] + [[label, None] for label, _ in organisation.rows[1:]]
    sheets.append(SheetSpec("Aide", HELP_ROWS, [24, 100], {1}))
    return write_xlsx(sheets)


def template_csv(*, separator: str = ";", encoding: str = "utf-8-sig") -> bytes:
    return export_csv(EXAMPLE, separator=separator, encoding=encoding)
