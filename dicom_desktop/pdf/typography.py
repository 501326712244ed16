"""French typography for the PDF: the rules live in :mod:`dicom_desktop.wording` (shared with the
chart geometry, so the editor and the PDF wrap box texts identically); kept importable here."""

from __future__ import annotations

from dicom_desktop.wording import NBSP, NNBSP, french_date, long_dates
from dicom_desktop.wording import typographic as french

__all__ = ["NBSP", "NNBSP", "french", "french_date", "long_dates"]
