"""French wording shared by the command line, the editor and the PDF: one place per rule.

Typographic quotes, plurals, ordinals, dates, slugs and paragraphs were written several times
over; every module now asks here, so a rule fixed once is fixed everywhere.
"""

from __future__ import annotations

APPLICATION_TITLE = "Éditeur d’organigrammes DICOM"  # window titles, About, the desktop entry


def quoted(text: str) -> str:
    """« text »: French quotation marks around a name."""
    return f"« {text} »"
