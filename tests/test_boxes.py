"""Text measurement and box contents shared by the editor and the PDF."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dicom_desktop.chart.boxes import DEFAULT_STYLE, box_content, box_sizes, measure_boxes, text_lines
from dicom_desktop.files.paths import FONT_FILES
from dicom_desktop.chart.textmetrics import text_width, wrap_text

LONG_NAME = (
    "Sous-direction de l’animation territoriale, de l’œuvre sociale et des "
    "« relations européennes » du ministère chargé de l’Économie"
)


@pytest.fixture(scope="module")
def rl_fonts():
    """The same TTFs registered in ReportLab, the PDF's own reference widths."""
    names = {}
    for key, path in FONT_FILES.items():
        names[key] = f"TestDejaVu-{key}"
        pdfmetrics.registerFont(TTFont(names[key], str(path)))
    return names


@pytest.mark.parametrize("text", ["œ", "’", "« »", "Œuvre d’État à l’été", LONG_NAME])
@pytest.mark.parametrize("font", ["regular", "bold"])
def test_widths_match_reportlab(rl_fonts, text, font):
    expected = pdfmetrics.stringWidth(text, rl_fonts[font], 9.0)
    assert text_width(text, font, 9.0) == pytest.approx(expected, rel=1e-9)


def test_special_glyphs_have_real_widths():
    # œ is wider than o, guillemets and the apostrophe are real glyphs, not defaults.
    assert text_width("œ", "regular", 10) > text_width("o", "regular", 10)
    assert 0 < text_width("’", "regular", 10) < text_width("m", "regular", 10)
    assert text_width("«", "bold", 10) > 0
    assert text_width("Œ", "bold", 10) > text_width("Œ", "regular", 10)


def test_unknown_font_is_rejected():
    with pytest.raises(ValueError):
        text_width("a", "italic", 10)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["de", "l’Économie", "œuvre", "«", "»", "Bureau", "x" * 60, "é" * 7]), max_size=25),
    st.floats(30, 200),
    st.sampled_from(["regular", "bold"]),
)
def test_wrap_fits_and_keeps_all_text(words, width, font):
    text = " ".join(words)
    lines = wrap_text(text, width, font, 8.5)
    for line in lines:
        assert text_width(line, font, 8.5) <= width + 1e-9, line
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_long_french_name_wraps_inside_box():
    content = box_content(LONG_NAME, "Sous-directrice", "Mme Anne-Cécile Lœuvre")
    inner = DEFAULT_STYLE.inner_width
    assert len(content.name_lines) >= 3
    assert " ".join(content.name_lines) == LONG_NAME  # never cut
    for line in content.name_lines:
        assert text_width(line, "bold", DEFAULT_STYLE.name_size) <= inner
    for line in content.subtitle_lines:
        assert text_width(line, "regular", DEFAULT_STYLE.title_size) <= inner
    assert " ".join(content.subtitle_lines) == "Sous-directrice\u00a0: Mme Anne-Cécile Lœuvre"


def test_overlong_word_is_broken_by_characters():
    lines = wrap_text("Anticonstitutionnellementissimement", 40, "bold", 8.5)
    assert len(lines) > 1 and "".join(lines) == "Anticonstitutionnellementissimement"
    assert all(text_width(s, "bold", 8.5) <= 40 for s in lines)


def test_max_lines_truncates_with_ellipsis():
    lines = wrap_text(LONG_NAME, 80, "regular", 8, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert text_width(lines[-1], "regular", 8) <= 80
    assert wrap_text("Court", 80, "regular", 8, max_lines=2) == ["Court"]


def test_height_grows_with_lines_and_vacancy_label():
    short = box_content("DICOM", "Directeur")
    long = box_content(LONG_NAME, "Directeur")
    assert long.height > short.height >= DEFAULT_STYLE.min_height
    vacant = box_content("Bureau", "Chef de bureau", "M. X", vacant=True)
    assert vacant.subtitle_lines == ("Chef de bureau\u00a0: poste vacant",)
    assert box_content("Bureau", "", "", vacant=True).subtitle_lines == ("Poste vacant",)
    assert box_content("Bureau", "").subtitle_lines == ()


def test_text_lines_stay_inside_box():
    content = box_content(LONG_NAME, "Chef de bureau", "Mme Y")
    lines = text_lines(content)
    assert tuple(t.text for t in lines) == content.name_lines + content.subtitle_lines
    baselines = [t.baseline for t in lines]
    assert baselines == sorted(baselines)
    assert 0 < baselines[0] and baselines[-1] < content.height


def test_measure_boxes_and_sizes():
    rows = [("a", "Bureau A", "Chef", "M. A", False), ("b", LONG_NAME, "Chef", "", True)]
    contents = measure_boxes(rows, width=140)
    assert set(contents) == {"a", "b"}
    assert contents["a"].width == 140
    assert box_sizes(contents)["b"] == (140, contents["b"].height)


def test_measure_boxes_equals_box_content_row_by_row_and_shares_head_lines():
    """The bulk path (opening a file) gives every box exactly what ``box_content`` gives, holds
    immutable lines, and boxes with the same head line share one tuple of lines (memory: the
    editor keeps a box per entity)."""
    import random

    rng = random.Random(16)
    words = ["Bureau", "des", "affaires", "générales", "l’information", "Sous-direction", "très",
             "anticonstitutionnellement", "DICOM", "et", "de", "la", "communication", "Œuvre"]
    heads = [("Chef de bureau", "Mme Dupont"), ("Chef de bureau", ""), ("", ""), ("Sous-directrice", "Mme Lœuvre")]
    rows = []
    for i in range(300):
        name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        title, head = rng.choice(heads)
        rows.append((f"e{i}", name, title, head, rng.random() < 0.2))
    contents = measure_boxes(rows)
    for eid, name, title, head, vacant in rows:
        assert contents[eid] == box_content(name, title, head, vacant)
        assert isinstance(contents[eid].name_lines, tuple) and isinstance(contents[eid].subtitle_lines, tuple)
    by_head: dict = {}
    for eid, _name, title, head, vacant in rows:
        lines = contents[eid].subtitle_lines
        if lines:
            assert by_head.setdefault((title, head, vacant), lines) is lines


# ------------------------------------------------------------------ the bulk wrapper (opening a file)
_VOCABULARY = ["Bureau", "de", "la", "l’Économie", "n°\u00a012", "œuvre", "«", "»", "Sous-direction", "",
               "x" * 45, "é" * 30, "Anticonstitutionnellement", "日本語", "👩‍💼", "e\u0301", "\u2028", "\t",
               "\u00a0", "\u202f", "\U0010fffd", "12", "3", "A"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_VOCABULARY), max_size=14), max_size=30),
    st.lists(st.sampled_from([" ", "  ", "\u00a0", " \u00a0 "]), min_size=1, max_size=4),
    st.floats(1, 220),
    st.sampled_from(["regular", "bold"]),
    st.sampled_from([8.5, 7.5, 0.0, 23.0]),
    st.integers(0, 3),
)
def test_bulk_wrapper_equals_the_plain_wrap(texts, seps, width, font, size, memo_max):
    """One bulk wrapper over many texts sharing beginnings (its prefix memo reused, and cleared
    when full) gives every text the very lines of the plain greedy wrap: accents, non-breaking
    spaces, words wider than the box, characters the font lacks, empty and blank texts."""
    import dicom_desktop.chart.textmetrics as tm

    plain = tm._wrap.__wrapped__
    old_max = tm.PREFIX_MEMO_MAX
    tm.PREFIX_MEMO_MAX = memo_max or old_max
    try:
        wrap = tm.bulk_wrapper(width, font, size)
        built = [seps[i % len(seps)].join(words) for i, words in enumerate(texts)]
        built += [t + " " + w for t in built for w in ("1", "Bureau", "x" * 60)]  # shared prefixes
        for text in built + built[::-1]:
            assert wrap(text) == plain(text, float(width), font, float(size), None), text
    finally:
        tm.PREFIX_MEMO_MAX = old_max


def test_bulk_wrapper_on_a_synthetic_organisation_equals_box_content():
    """Names of a large organisation share their beginnings (« Cellule de l’emploi n° 12 »): the
    boxes measured in bulk are those of ``box_content``, name by name."""
    from dicom_desktop.synthetic import generate_organisation

    entities = generate_organisation(400, seed=3).entities
    rows = [(e.id, e.name, e.head_title, e.head_name, e.vacant) for e in entities]
    rows += [(f"w{i}", name, "", "", False) for i, name in enumerate(
        ["Bureau  des  affaires", " Bureau", "Bureau ", "", " ", "Cellule de l’emploi n° 12 anticonstitutionnellementissimement"])]
    contents = measure_boxes(rows)
    for width in (170.0, 60.0):
        narrow = measure_boxes(rows, width=width)
        for eid, name, title, head, vacant in rows:
            assert narrow[eid] == box_content(name, title, head, vacant, width=width)
    for eid, name, title, head, vacant in rows:
        assert contents[eid] == box_content(name, title, head, vacant)


def test_bulk_wrapper_keeps_a_line_that_fits_exactly():
    """A line exactly as wide as the box stays one line, in the bulk wrapper as in the plain wrap
    (same sums in the same order: a float off by one unit would break it)."""
    import dicom_desktop.chart.textmetrics as tm

    for font in ("regular", "bold"):
        for words in (["Bureau", "de", "l’Économie"], ["n°\u00a012", "œuvre"], ["a", "b", "c", "d", "e"]):
            space = tm._units(" ", font)
            exact = tm._units(words[0], font)
            for word in words[1:]:
                exact += space + tm._units(word, font)
            text = " ".join(words)
            wrap = tm.bulk_wrapper(exact, font, 1000.0)
            assert wrap(text) == tm._wrap.__wrapped__(text, exact, font, 1000.0, None) == (text,)
            narrower = tm.bulk_wrapper(exact * (1 - 1e-12), font, 1000.0)
            assert len(narrower(text)) == 2
