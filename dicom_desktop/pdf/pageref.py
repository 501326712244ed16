"""Printed page numbers of places drawn later in the same PDF, in one pass (« → p. 12 »).

A chart page can point to a page not drawn yet, and a table of contents lists sections before
they are set. Instead of building the document twice, the reference draws a form XObject named
after the place; the place records its page number when it is drawn (:func:`mark_page`); the
canvas defines every form, number inside, just before saving (:func:`define_page_forms`).
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor

from . import fonts

_PAGES = "_dicom_page_of"
_WANTED = "_dicom_page_refs"


def mark_page(canv, key: str) -> None:
    """Record that the place ``key`` is on the page being drawn."""
    canv.__dict__.setdefault(_PAGES, {})[key] = canv.getPageNumber()


def draw_page_number(canv, key: str, x: float, y: float, *, font: str = fonts.REGULAR, size: float = 7.5,
                     colour: str = "#1a1a1a") -> None:
    """Draw the page number of ``key`` with its baseline starting at (``x``, ``y``)."""
    style = (font, round(size, 3), colour)
    wanted = canv.__dict__.setdefault(_WANTED, {})
    name = wanted.setdefault((key, style), f"dicomPage{len(wanted)}")
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(name)
    canv.restoreState()


def number_width(size: float, font: str = fonts.REGULAR) -> float:
    """Room kept for a page number (three digits), for link rectangles and alignment."""
    return fonts.string_width("888", font, size)


def define_page_forms(canv) -> None:
    """Define the form of every page number drawn; call once, just before ``canv.save()``."""
    pages = canv.__dict__.get(_PAGES, {})
    for (key, (font, size, colour)), name in canv.__dict__.get(_WANTED, {}).items():
        canv.beginForm(name)
        canv.setFont(font, size)
        canv.setFillColor(HexColor(colour))
        canv.drawString(0, 0, str(pages.get(key, "?")))
        canv.endForm()
