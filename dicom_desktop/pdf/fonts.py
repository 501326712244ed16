"""The shipped DejaVu fonts, registered once with ReportLab under stable names.

DejaVu Sans covers French fully (é è ê à ç œ « » ’ and the no-break spaces U+00A0 / U+202F);
ReportLab embeds a subset of each TTF automatically, so the PDF looks the same everywhere.
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFError

from dicom_desktop.errors import DicomError
from dicom_desktop.files.paths import FONTS_DIR

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

#: Font keys of ``dicom_desktop.chart.textmetrics`` / ``boxes`` → registered ReportLab names.
BY_METRICS_KEY = {"regular": REGULAR, "bold": BOLD}

_registered = False


def register_fonts() -> None:
    """Register the four DejaVu faces (idempotent); a missing file is a French DicomError."""
    global _registered
    if _registered:
        return
    for name, filename in _FILES.items():
        path = FONTS_DIR / filename
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as exc:
            raise DicomError(
                f"Police « {filename} » introuvable ou illisible dans « {FONTS_DIR} » : {exc}. "
                "Réinstallez dicom-desktop."
            ) from None
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    _registered = True


def string_width(text: str, font: str, size: float) -> float:
    """Width in points of ``text`` in a registered font (C-accelerated in ReportLab)."""
    return pdfmetrics.stringWidth(text, font, size)
