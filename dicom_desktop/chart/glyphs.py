"""Which characters of an organisation the bundled DejaVu fonts cannot draw (PDF tofu boxes).

``validate`` and ``export-pdf`` warn, naming the entity and the characters, instead of letting
a name in Chinese or with an emoji come out of the PDF as empty squares. The font's character
map is read (through ReportLab's TTF parser, imported only when a candidate character is found)
once per process; the pre-filter is one regular expression per text, so a French file costs
nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dicom_desktop.files.paths import FONTS_DIR
from dicom_desktop.text_rules import char_names, unique_chars

# Latin (with French), general punctuation and the symbols the notice uses: always in DejaVu.
_SURELY_COVERED = re.compile(r"[\x00-\u024f\u2000-\u206f\u20ac\u2116\u2122\s]*")
FONT_FILE = "DejaVuSans.ttf"


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    try:
        from reportlab.pdfbase.ttfonts import TTFontFile

        return frozenset(TTFontFile(str(FONTS_DIR / FONT_FILE)).charToGlyph)
    except Exception:  # noqa: BLE001 - no font, no ReportLab: nothing to check against
        return frozenset(range(0x110000))


def missing_chars(text: str) -> str:
    """The distinct characters of ``text`` that DejaVu Sans has no glyph for, in order."""
    if not text or _SURELY_COVERED.fullmatch(text):
        return ""
    covered = _covered()
    return unique_chars("".join(c for c in text if ord(c) not in covered and not c.isspace()))


def missing_glyph_warnings(data) -> list[str]:
    """One French warning per entity (or the organisation) with characters the PDF cannot draw."""
    found = []
    org = data.organisation
    texts = [org.name, org.acronym, *org.missions]
    if missing := missing_chars("".join(texts)):
        found.append(f"organisation : {_missing_sentence(missing)}")
    for entity in data.entities:
        text = "".join([entity.name, entity.short_name, entity.head_title, entity.head_name, *entity.attributions])
        if missing := missing_chars(text):
            found.append(f"entité « {entity.id} » ({entity.name}) : {_missing_sentence(missing)}")
    return found


def _missing_sentence(missing: str) -> str:
    """« « 中 » (U+4E2D) absent des polices du PDF (DejaVu) : il s’affichera comme un carré vide… »,
    agreed in number with the characters named."""
    if len(missing) == 1:
        return (f"{char_names(missing)} absent des polices du PDF (DejaVu) : "
                "il s’affichera comme un carré vide dans le PDF")
    return (f"{char_names(missing)} absents des polices du PDF (DejaVu) : "
            "ils s’afficheront comme des carrés vides dans le PDF")
