"""The advance widths of the bundled DejaVu fonts, read from a small table shipped beside them.

Parsing a TTF with ReportLab costs about 80 ms per process (the screenshot command, the first box
measured in the editor); the widths never change, so ``resources/fonts/font-widths.json`` holds
them per font, in font units, as runs of consecutive code points. ``tools/make_font_widths.py``
regenerates it; a test checks it against the TTF. If the table is missing, or was made from a
font file of another size, the TTF is parsed as before: a stale table can cost time, never widths.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from dicom_desktop.files.paths import FONT_FILES, FONTS_DIR

WIDTH_TABLE = FONTS_DIR / "font-widths.json"


def read_ttf_widths(path: Path) -> tuple[dict[str, float], float]:
    """Advance widths per character in 1/1000 em, and the default width, as ReportLab reads them."""
    from reportlab.pdfbase.ttfonts import TTFontFile  # only when the table cannot serve

    face = TTFontFile(str(path))
    return {chr(code): float(w) for code, w in face.charWidths.items()}, float(face.defaultWidth)


def table_entry(path: Path) -> dict:
    """One font's entry of the table: widths in font units, in runs of consecutive code points."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = TTFontFile(str(path))
    per_unit = 1000 / face.unitsPerEm  # ReportLab's own scale factor, so widths come back exact
    runs: list[list] = []
    for code in sorted(face.charWidths):
        units = round(face.charWidths[code] / per_unit)
        if runs and runs[-1][0] + len(runs[-1][1]) == code:
            runs[-1][1].append(units)
        else:
            runs.append([code, [units]])
    return {
        "file": path.name,
        "file_bytes": path.stat().st_size,
        "units_per_em": face.unitsPerEm,
        "default": round(face.defaultWidth / per_unit),
        "runs": runs,
    }


def build_table() -> dict:
    return {font: table_entry(path) for font, path in FONT_FILES.items()}


def _from_entry(entry: dict) -> tuple[dict[str, float], float]:
    per_unit = 1000 / entry["units_per_em"]
    widths: dict[str, float] = {}
    for start, units in entry["runs"]:
        widths.update(zip(map(chr, range(start, start + len(units))), [u * per_unit for u in units]))
    return widths, entry["default"] * per_unit


@lru_cache(maxsize=2)
def _read_table(path: Path) -> dict:
    """The table, read and parsed once for both fonts (once per font cost 2 ms each)."""
    return json.loads(path.read_bytes())


def load_widths(font: str) -> tuple[dict[str, float], float]:
    """Widths of ``font`` (a key of FONT_FILES): from the shipped table, else from the TTF."""
    path = FONT_FILES[font]
    try:
        entry = _read_table(WIDTH_TABLE)[font]
        if entry["file"] == path.name and entry["file_bytes"] == path.stat().st_size:
            return _from_entry(entry)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return read_ttf_widths(path)
