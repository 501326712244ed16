"""Text that is safe to show: in a terminal (no raw bidirectional or control characters) and in
the PDF (characters the bundled DejaVu fonts can draw).

The model refuses bidi controls in every field (model.py); this module is the second line, for
text that reaches a terminal from elsewhere (a file name, a message quoting a refused value).
"""

from __future__ import annotations

import re
from dicom_desktop.wording import plural

_UNSAFE_IN_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def neutralise_for_terminal(text: str) -> str:
    """Replace control, bidirectional and invisible characters by a visible ‹U+XXXX›, so a
    U+202E quoted in a message cannot reverse the rest of the line (newlines and tabs kept)."""
    if text.isprintable() or not _UNSAFE_IN_TERMINAL.search(text):
        return text
    return _UNSAFE_IN_TERMINAL.sub(lambda m: f"‹U+{ord(m.group()):04X}›", text)


def char_names(chars: str, limit: int = 5) -> str:
    """« « 中 » (U+4E2D), « 😀 » (U+1F600) » for a message."""
    shown = [f"« {c} » (U+{ord(c):04X})" for c in chars[:limit]]
    more = f" et {plural(len(chars) - limit, 'autre')}" if len(chars) > limit else ""
    return ", ".join(shown) + more


def unique_chars(text: str) -> str:
    return "".join(dict.fromkeys(text))


