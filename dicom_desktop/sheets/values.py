"""Cell value → field value, for what people type in spreadsheets (« oui », « 12 », « 23/09/2024 »…).

Each parser raises :class:`BadValue` with a French reason; the importer adds the row and column.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..kinds import KNOWN_KINDS
from .columns import normalise_header


class BadValue(ValueError):
    """A cell whose content does not fit its column (message in French)."""


def as_text(value: object) -> str:
    """A single-line text: numbers without « .0 », dates as AAAA-MM-JJ, line breaks as spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, _dt.datetime):
        value = value.date() if value.time() == _dt.time() else value
    if isinstance(value, _dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def as_paragraph_text(value: object) -> str:
    """Multi-line text: keeps line breaks (normalised to \\n), trims each end."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return as_text(value)
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def split_paragraphs(value: object, separator: str | None = None) -> list[str]:
    """Paragraphs of a cell: separated by a blank line, or by ``separator`` (« ¶ », « | »…) if given."""
    text = as_paragraph_text(value)
    if not text:
        return []
    parts = text.split(separator) if separator else _BLANK_LINE.split(text)
    return [p.strip() for p in parts if p.strip()]


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def as_int(value: object, *, minimum: int = 0, maximum: int = 1_000_000) -> int | None:
    """An integer (« 12 », 12.0, « 1 200 »); empty → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(f"« {as_text(value)} » n’est pas un nombre entier")
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue(f"« {value:g} » n’est pas un nombre entier")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        match = re.fullmatch(r"([+-]?\d+)(?:[.,]0+)?", text)
        if not match:
            raise BadValue(f"« {str(value).strip()} » n’est pas un nombre entier")
        number = int(match.group(1))
    if number < minimum:
        raise BadValue(f"« {number} » : un nombre positif ou nul est attendu")
    if number > maximum:
        raise BadValue(f"« {number} » : valeur trop grande (au plus {maximum})")
    return number


_TRUE = {"oui", "o", "yes", "y", "true", "vrai", "x", "1", "✓", "✔", "v"}
_FALSE = {"non", "n", "no", "false", "faux", "0", "", "-"}


def as_bool(value: object) -> bool:
    """oui/non, true/false, vrai/faux, x/empty, 1/0; empty → non."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()  # fast path for the usual « oui »/« non »
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    text = normalise_header(value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadValue(f"« {as_text(value)} » : « oui » ou « non » est attendu")


_DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"), ("d", "m", "y")),
)


def as_date(value: object) -> _dt.date | None:
    """A date: an Excel date cell, AAAA-MM-JJ or JJ/MM/AAAA (also with « - » or « . »); empty → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups())))
            try:
                return _dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise BadValue(f"« {text} » n’est pas une date qui existe") from None
    raise BadValue(f"« {as_text(value)} » n’est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ attendu)")


_KINDS_BY_FORM = {normalise_header(k): k for k in KNOWN_KINDS}


def as_kind(value: object) -> str:
    """A kind in the vocabulary's spelling when recognised (« Delegation » → « délégation »); empty → bureau."""
    text = as_text(value)
    if not text:
        return "bureau"
    if text in KNOWN_KINDS:
        return text
    return _KINDS_BY_FORM.get(normalise_header(text), text)


def slugify(text: str, *, max_length: int = 60) -> str:
    """An id from a name: ascii, lower case, words joined by « - »."""
    plain = normalise_header(text)
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "entite"


# ------------------------------------------------------------------ formula injection (CSV)
# OWASP « CSV injection »: a cell that starts with one of these characters is run as a formula
# when the CSV is opened in a spreadsheet (=HYPERLINK(…) exfiltrates data on a click). On export
# such a text gets a leading apostrophe, which spreadsheets show as text; on import one leading
# apostrophe is removed again when a trigger (possibly after more apostrophes) follows it, so
# every legitimate text makes an exact round trip, « '=déjà protégé » included.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def protect_formula(text: str) -> str:
    """« =1+1 » → « '=1+1 » (and « '=x » → « ''=x »); any other text unchanged."""
    if text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def unprotect_formula(text: str) -> str:
    """The inverse of :func:`protect_formula` for the cells of an imported CSV."""
    if text[:1] == "'" and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def as_inferred_fields(value: object) -> list[str]:
    """« rattachement, intitulé du responsable » (French names or keys) → ``["parent", "head_title"]``."""
    from dicom_desktop.model import INFERABLE_FIELDS

    known = {normalise_header(label): key for key, label in INFERABLE_FIELDS.items()}
    known.update({normalise_header(key): key for key in INFERABLE_FIELDS})
    out = []
    for part in re.split(r"[,;\n]", as_text(value)):
        if not part.strip():
            continue
        key = known.get(normalise_header(part))
        if key is None:
            raise BadValue(f"« {part.strip()} » n’est pas un champ reconnu (attendu : {', '.join(INFERABLE_FIELDS.values())})")
        out.append(key)
    return out
