"""Time spreadsheet export and import of a synthetic organisation (XLSX and CSV).

    python benchmarks/bench_sheets.py [SIZE] [--repeat N]

Prints, for SIZE entities (default 10,000): XLSX export, XLSX read (openpyxl), rows → checked
organisation, and the same for CSV; best of N runs. Also checks the round trip is exact.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _timing import best_of

from dicom_desktop.graph import OrgGraph
from dicom_desktop.sheets import export_csv, export_xlsx, import_spreadsheet, read_spreadsheet
from dicom_desktop.files.storage import dump_organisation
from dicom_desktop.synthetic import generate_organisation


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, nargs="?", default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = generate_organisation(args.size, seed=1)
    data = data.model_copy(update={"entities": OrgGraph.from_entities(data.entities, data.links).to_entities()})
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, export in ((".xlsx", export_xlsx), (".csv", export_csv)):
            path = Path(tmp) / f"org{suffix}"
            t_export, raw = best_of(lambda: export(data), args.repeat)
            path.write_bytes(raw)
            t_read, sheet = best_of(lambda: read_spreadsheet(path), args.repeat)
            t_import, result = best_of(lambda: import_spreadsheet(sheet), args.repeat)
            exact = dump_organisation(result.data) == dump_organisation(data) if suffix == ".xlsx" else result.data.entities == data.entities
            print(f"{suffix[1:].upper():4} {args.size} entités, {len(raw) / 1e6:.1f} Mo : export {t_export:.2f} s, "
                  f"lecture {t_read:.2f} s, contrôle et construction {t_import:.2f} s, "
                  f"import total {t_read + t_import:.2f} s ; aller-retour exact : {'oui' if exact else 'NON'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
