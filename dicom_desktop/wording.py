"""French wording shared by the command line, the editor and the PDF: one place per rule.

Typographic quotes, plurals, ordinals, dates, slugs and paragraphs were written several times
over; every module now asks here, so a rule fixed once is fixed everywhere.
"""

from __future__ import annotations

import re
import unicodedata

APPLICATION_TITLE = "Éditeur d’organigrammes DICOM"  # window titles, About, the desktop entry


def quoted(text: str) -> str:
    """« text »: French quotation marks around a name."""
    return f"« {text} »"


def plural_word(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word (or words) alone, agreed with ``count``: « entité » for 0 and 1, « entités » from 2
    (French: 0 and 1 take the singular). ``plural_form`` when it is not ``singular`` + « s »."""
    return singular if count <= 1 else (plural_form or singular + "s")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 entité », « 3 entités », « 2 liens fonctionnels » (French: 0 and 1 take the singular)."""
    return f"{count} {plural_word(count, singular, plural_form)}"


def ordinal(index: int) -> str:
    """The French ordinal of a 0-based position: « 1re », « 2e », « 3e »…"""
    return "1re" if index == 0 else f"{index + 1}e"


def short_date(day) -> str:
    """« 01/12/2026 »: the short date of lists and status lines."""
    return day.strftime("%d/%m/%Y")


def date_time(moment) -> str:
    """« 01/12/2026 à 20:35 »."""
    return moment.strftime("%d/%m/%Y à %H:%M")


def id_slug(name: str, default: str = "entite", max_length: int = 60) -> str:
    """An identifier from a name: ASCII, lower case, words joined by « - » (« Bureau de l’appui »
    → « bureau-de-l-appui »)."""
    ascii_name = unicodedata.normalize("NFKD", re.sub(r"[’'ʼ]", "-", name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:max_length].strip("-") or default


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by a blank line (spaces allowed on it); surrounding blanks dropped."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def join_paragraphs(paragraphs: list[str]) -> str:
    """The inverse of :func:`split_paragraphs`: one blank line between paragraphs."""
    return "\n\n".join(paragraphs)


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
# « n° 2013-727 », « 12 août 2013 », « 1er mars » must not break across lines.
_NUMERO = re.compile(r"\b([nN]°s?|[nN]os?\.?(?=" + _SPACES + r"+\d))" + _SPACES + r"+(?=\w)")
_DIGIT = re.compile(r"\d")
_MONTH_NAMES = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_MONTH = re.compile(_MONTH_NAMES)
_DATE = re.compile(r"\b(\d{1,2}|1er|1ᵉʳ)" + _SPACES + r"+(" + _MONTH_NAMES + r")(?:" + _SPACES + r"+(\d{4})\b)?")


def _numero_nbsp(match: re.Match) -> str:
    return match.group(1) + NBSP


def _date_nbsp(match: re.Match) -> str:
    day, month, year = match.groups()
    return f"{day}{NBSP}{month}" + (f"{NBSP}{year}" if year else "")


def typographic(text: str, *, apostrophes: bool = True) -> str:
    """``text`` with French no-break spaces and apostrophes; idempotent. Applied when drawing
    (chart boxes, PDF, web page); the organisation data itself is never changed.

    Rules of the Imprimerie nationale: a narrow no-break space (U+202F) before « ; ! ? », a
    no-break space (U+00A0) before « : », inside « guillemets », after « n° » and inside dates
    (« 12 août 2013 »), the typographic apostrophe ’ between letters. ``apostrophes=False``
    keeps the apostrophes as written (the web page quotes the source word for word)."""
    if not text:
        return text
    if apostrophes and "'" in text:
        text = _APOSTROPHE.sub("\u2019", text)
    if _DIGIT.search(text):  # both rules need a number; most paragraphs have none
        if "°" in text or "o" in text:
            text = _NUMERO.sub(_numero_nbsp, text)
        if _MONTH.search(text):
            text = _DATE.sub(_date_nbsp, text)
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


ORDINAL_FIRST = "1\u1d49\u02b3"  # « 1ᵉʳ », the ordinal with superscript letters


def french_date(day) -> str:
    """« 23 septembre 2024 », « 1ᵉʳ mars 2025 » (no-break spaces: a date never breaks)."""
    first = ORDINAL_FIRST if day.day == 1 else str(day.day)
    return f"{first}{NBSP}{_MONTHS[day.month - 1]}{NBSP}{day.year}"


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def long_dates(text: str) -> str:
    """« 23/09/2024 » → « 23 septembre 2024 »: one date format in a document (invalid dates kept)."""
    import datetime as _dt

    def repl(match: re.Match) -> str:
        day, month, year = (int(g) for g in match.groups())
        try:
            return french_date(_dt.date(year, month, day))
        except ValueError:
            return match.group()

    return _NUMERIC_DATE.sub(repl, text) if "/" in text else text
