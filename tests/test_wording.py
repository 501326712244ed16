"""French wording helpers (dicom_desktop/wording.py): one rule each, used everywhere."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from dicom_desktop import wording

PACKAGE = Path(wording.__file__).parent


def test_quotes_plurals_ordinals():
    assert wording.quoted("Bureau") == "« Bureau »"
    assert [wording.plural(n, "entité") for n in (0, 1, 2)] == ["0 entité", "1 entité", "2 entités"]
    assert wording.plural(3, "lien fonctionnel", "liens fonctionnels") == "3 liens fonctionnels"
    assert [wording.ordinal(i) for i in range(3)] == ["1re", "2e", "3e"]
    assert [wording.plural_word(n, "lue") for n in (0, 1, 2)] == ["lue", "lue", "lues"]
    assert wording.plural_word(4, "autre unité", "autres unités") == "autres unités"


# An agreement written inline: {'s' if n > 1 else ''}, ("s" if … else ""), {'x' if depth else ''}.
_INLINE_PLURAL = re.compile(r"""['"](?:s|x|es)['"] if """)


def test_plurals_go_through_the_shared_rule():
    """Every count in a message agrees through wording.plural / plural_word (French: 0 and 1 take
    the singular), so the rule cannot drift between the CLI, the editor and the PDF."""
    inline = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
              for path in sorted(PACKAGE.rglob("*.py"))
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if _INLINE_PLURAL.search(line)]
    assert inline == []


def test_dates():
    assert wording.short_date(dt.date(2026, 3, 1)) == "01/03/2026"
    assert wording.date_time(dt.datetime(2026, 12, 1, 20, 5)) == "01/12/2026 à 20:05"
    assert wording.french_date(dt.date(2025, 3, 1)) == "1ᵉʳ\u00a0mars\u00a02025"


def test_identifier_slugs():
    assert wording.id_slug("Bureau de l’appui aux « régions »") == "bureau-de-l-appui-aux-regions"
    assert wording.id_slug("   ", default="scenario") == "scenario"
    assert len(wording.id_slug("x" * 200)) == 60


def test_paragraphs_round_trip():
    text = "Premier paragraphe.\n \nDeuxième,\nsur deux lignes.\n\n\nTroisième."
    parts = wording.split_paragraphs(text)
    assert parts == ["Premier paragraphe.", "Deuxième,\nsur deux lignes.", "Troisième."]
    assert wording.split_paragraphs(wording.join_paragraphs(parts)) == parts


def test_typography():
    assert wording.typographic("l'appui : « régions »") == "l’appui\u00a0: «\u00a0régions\u00a0»"
