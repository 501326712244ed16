"""Regenerate ``resources/fonts/font-widths.json`` from the bundled TTFs (after changing a font).

    python tools/make_font_widths.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dicom_desktop.chart.fontwidths import WIDTH_TABLE, build_table  # noqa: E402


def main() -> int:
    table = build_table()
    # One run per line: small, and a font update reads as a readable diff.
    lines = ["{"]
    for i, (font, entry) in enumerate(table.items()):
        head = {k: v for k, v in entry.items() if k != "runs"}
        lines.append(f"  {json.dumps(font)}: {json.dumps(head)[:-1]}, \"runs\": [")
        runs = entry["runs"]
        lines += [f"    {json.dumps(run, separators=(',', ':'))}{',' if j < len(runs) - 1 else ''}" for j, run in enumerate(runs)]
        lines.append("  ]}" + ("," if i < len(table) - 1 else ""))
    lines.append("}")
    WIDTH_TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = ", ".join(f"{font} {sum(len(run[1]) for run in entry['runs'])} glyphs" for font, entry in table.items())
    print(f"{WIDTH_TABLE}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
