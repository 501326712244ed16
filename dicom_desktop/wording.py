"""French wording shared by the command line, the editor and the PDF: one place per rule.

Typographic quotes, plurals, ordinals, dates, slugs and paragraphs were written several times
over; every module now asks here, so a rule fixed once is fixed everywhere.
"""

from __future__ import annotations

import re

APPLICATION_TITLE = "Éditeur d’organigrammes DICOM"  # window titles, About, the desktop entry


def quoted(text: str) -> str:
    """« text »: French quotation marks around a name."""
    return f"« {text} »"


# ---------------------------------------------------------------------------- typography
NBSP = "\u00a0"
NNBSP = "\u202f"

_SPACES = "[ \t\u00a0\u202f\u2009]"
# Existing spaces before ; ! ? (one or more) become a single narrow no-break space.
_BEFORE_TIGHT = re.compile(_SPACES + r"+([;!?])")
# A missing space before ; ! ? after a word, when the sign ends a clause (not URLs, not "?id=").
_MISSING_TIGHT = re.compile(r"(?<=[\w»)\]])([;!?])(?=\s|$)")
# Before ":" only an existing space is replaced: "10:30" or "https://" must stay as they are.
_BEFORE_COLON = re.compile(_SPACES + r"+:")
_AFTER_OPEN = re.compile("«" + _SPACES + "*")
_BEFORE_CLOSE = re.compile(_SPACES + "*»")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def typographic(text: str) -> str:
    """``text`` with French no-break spaces and apostrophes; idempotent. Applied when drawing
    (chart boxes, PDF, web page); the organisation data itself is never changed.

    Rules of the Imprimerie nationale: a narrow no-break space (U+202F) before « ; ! ? », a
    no-break space (U+00A0) before « : » and inside « guillemets », the typographic apostrophe ’
    between letters."""
    if not text:
        return text
    if "'" in text:
        text = _APOSTROPHE.sub("\u2019", text)
    if ";" in text or "!" in text or "?" in text:
        text = _BEFORE_TIGHT.sub(NNBSP + r"\1", text)
        text = _MISSING_TIGHT.sub(NNBSP + r"\1", text)
    if ":" in text:
        text = _BEFORE_COLON.sub(NBSP + ":", text)
    if "«" in text or "»" in text:
        text = _AFTER_OPEN.sub("«" + NBSP, text)
        text = _BEFORE_CLOSE.sub(NBSP + "»", text)
    return text


_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def french_date(day) -> str:
    """« 23 septembre 2024 », « 1er mars 2025 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[day.month - 1]} {day.year}"
