"""WCAG 2.1 contrast of every text colour of the palettes (1.4.3: at least 4.5:1 for text).

Computed from the palettes themselves (kinds, change badges, ghosts) and from the text colours
written in the PDF modules, so a new colour that fails is caught where it is introduced.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dicom_desktop.comparison.change_styles import CHANGE_STYLES, OTHER_STYLE
from dicom_desktop.kinds import KIND_STYLES, NEUTRAL_STYLE
from dicom_desktop.pdf.chart import GHOST_COLOUR

PDF = Path(__file__).resolve().parent.parent / "dicom_desktop" / "pdf"
HTML = Path(__file__).resolve().parent.parent / "dicom_desktop" / "html"
WHITE = "#ffffff"


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_ratio_matches_the_wcag_reference_values():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("kind", [*KIND_STYLES, "autre"])
def test_box_text_on_every_kind_fill(kind):
    st = KIND_STYLES.get(kind, NEUTRAL_STYLE)
    assert ratio(st.text, st.fill) >= 4.5, (kind, st.text, st.fill)


@pytest.mark.parametrize("change", list(CHANGE_STYLES) + ["other"])
def test_white_badge_text_on_every_change_colour(change):
    colour = CHANGE_STYLES.get(change, OTHER_STYLE).color
    assert ratio(WHITE, colour) >= 4.5, (change, colour)


def test_ghost_text_of_removed_entities():
    assert ratio(GHOST_COLOUR, WHITE) >= 4.5


def _text_colours(source: str) -> set[str]:
    """Colours given to text: Block(..., "#rrggbb"), textColor=HexColor(...), <font color=...>,
    setFillColor(HexColor(...)) (fill is the text colour on a canvas)."""
    found = set(re.findall(r"Block\([^\n]*?\"(#[0-9a-fA-F]{6})\"", source))
    found |= set(re.findall(r"textColor=HexColor\(\"(#[0-9a-fA-F]{6})\"\)", source))
    found |= set(re.findall(r"color=\\?\"(#[0-9a-fA-F]{6})\\?\"", source))
    found |= set(re.findall(r"lines.append\(\([^\n]*\"(#[0-9a-fA-F]{6})\"\)\)", source))
    return {c.lower() for c in found}


@pytest.mark.parametrize("module", ["notice.py", "dossier.py", "dossier_changes.py", "dossier_charts.py", "chartpages.py",
                                    "textblock.py"])
def test_text_colours_of_the_pdf_documents(module):
    colours = _text_colours((PDF / module).read_text(encoding="utf-8"))
    failing = {c: round(ratio(c, WHITE), 2) for c in colours if ratio(c, WHITE) < 4.5}
    assert failing == {}


def test_text_colours_of_the_web_page():
    css = (HTML / "templates" / "notice.css").read_text(encoding="utf-8")
    colours = {c.lower() for c in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", css)}
    assert colours and {c for c in colours - {WHITE} if ratio(c, WHITE) < 4.5} == set()
    assert ratio(WHITE, "#12325c") >= 4.5  # header band and focused skip link: white on navy
