"""French wording helpers (dicom_desktop/wording.py): one rule each, used everywhere."""

from __future__ import annotations

import datetime as dt

from dicom_desktop import wording


def test_quotes_plurals_ordinals():
    assert wording.quoted("Bureau") == "« Bureau »"
    assert [wording.plural(n, "entité") for n in (0, 1, 2)] == ["0 entité", "1 entité", "2 entités"]
    assert wording.plural(3, "lien fonctionnel", "liens fonctionnels") == "3 liens fonctionnels"
    assert [wording.ordinal(i) for i in range(3)] == ["1re", "2e", "3e"]


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
