"""French typography at render time, text wrapping of the notice, chart geometry and drawing."""

from __future__ import annotations

import datetime as dt

from reportlab.pdfgen.canvas import Canvas

from dicom_desktop.pdf import fonts
from dicom_desktop.pdf.chart import draw_chart, geometry_for_graph
from dicom_desktop.pdf.textblock import wrap
from dicom_desktop.wording import NBSP, NNBSP, french_date
from dicom_desktop.wording import typographic as french


def test_no_break_spaces_before_high_punctuation_and_inside_guillemets():
    assert french("Attention : ok") == f"Attention{NBSP}: ok"
    assert french("Vraiment ? Oui ! Bien ; fin") == f"Vraiment{NNBSP}? Oui{NNBSP}! Bien{NNBSP}; fin"
    assert french("Quoi?") == f"Quoi{NNBSP}?"
    assert french("« prioritaires »") == f"«{NBSP}prioritaires{NBSP}»"
    assert french("«x»") == f"«{NBSP}x{NBSP}»"


def test_apostrophe_between_letters_becomes_typographic():
    assert french("l'animation des réseaux") == "l’animation des réseaux"
    assert french("l’État") == "l’État"


def test_urls_times_and_already_correct_text_are_left_alone():
    for text in ("10:30", "https://travail-emploi.gouv.fr/?id=3", "x=1;y=2", ""):
        assert french(text) == text
    once = french("Il dit : « oui » ; puis ?")
    assert french(once) == once


def test_french_dates_never_break_and_write_the_first_as_an_ordinal():
    assert french_date(dt.date(2024, 9, 23)) == "23\u00a0septembre\u00a02024"
    assert french_date(dt.date(2025, 3, 1)) == "1ᵉʳ\u00a0mars\u00a02025"
    assert french_date(dt.date(2025, 8, 15)) == "15\u00a0août\u00a02025"


def test_no_break_space_after_numero_and_inside_dates_in_running_text():
    text = french("article 9 du décret n° 2013-727 du 12 août 2013")
    assert text == "article 9 du décret n°\u00a02013-727 du 12\u00a0août\u00a02013"
    assert french("Nos amis, no 3") == "Nos amis, no\u00a03"  # « Nos » is a word, « no 3 » a number
    assert french(text) == text


def test_wrap_breaks_only_on_ordinary_spaces_and_never_loses_text():
    fonts.register_fonts()
    text = french("Le secrétariat général assiste le délégué : il supervise « les marchés » ; voilà !")
    for width in (40, 80, 120, 400):
        lines = wrap(text, fonts.REGULAR, 9.5, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(fonts.string_width(line, fonts.REGULAR, 9.5) <= width for line in lines)
        if width >= 120:  # every unit fits: breaks happen only at ordinary spaces
            assert " ".join(lines) == text
        for line in lines if width >= 80 else ():  # (at 40 pt units are broken by character)
            assert not line.startswith((":", ";", "!", "»", NBSP, NNBSP)) and not line.endswith("«")
    long_word = "anticonstitutionnellement" * 4
    lines = wrap(long_word, fonts.BOLD, 12, 60)
    assert "".join(lines) == long_word and len(lines) > 3
    assert all(fonts.string_width(line, fonts.BOLD, 12) <= 60 for line in lines)


def test_draw_chart_reusable_with_marks_ghosts_and_a_window(tmp_path, dicom_doc):
    geom = geometry_for_graph(dicom_doc.graph)
    canv = Canvas(str(tmp_path / "c.pdf"))
    drawn = draw_chart(canv, geom, left=20, top=800, scale=0.5,
                       marks={"bureau-campagnes": ("#c0392b", "déplacé")}, ghosts={"bureau-production"})
    assert drawn[0] == dicom_doc.graph.root and set(drawn) == set(dicom_doc.graph.preorder())
    first = geom.layout.boxes[dicom_doc.graph.root]
    window = (first.x, first.y, first.w, first.h)
    assert draw_chart(canv, geom, left=0, top=800, scale=1, view=window) == [dicom_doc.graph.root]
    canv.showPage()
    canv.save()
    from pypdf import PdfReader

    text = PdfReader(str(tmp_path / "c.pdf")).pages[0].extract_text()
    assert "déplacé" in text  # the badge of the marked box
    assert "Bureau de la production" in text  # the ghost keeps its name, faded


def test_geometry_of_a_branch_keeps_only_the_path_and_the_subtree(dicom_doc):
    graph = dicom_doc.graph
    ids = graph.path_from_root("secretariat-general") + graph.subtree("secretariat-general")[1:]
    geom = geometry_for_graph(graph, subset=ids)
    assert set(geom.layout.boxes) == {"delegue", "secretariat-general", "bureau-ressources"}
    assert [c.child for c in geom.layout.connectors] == ["secretariat-general", "bureau-ressources"]
    assert not geom.links  # the functional links of other entities are not drawn


def test_sections_never_leave_a_heading_or_a_single_line_alone():
    from dicom_desktop.pdf.textblock import Block, TextSection

    fonts.register_fonts()
    body = "mot " * 200
    section = TextSection([
        Block("Bureau des campagnes", fonts.BOLD, 12, 15, keep_with_next=True),
        Block(body.strip(), fonts.REGULAR, 9.5, 13),
    ])
    width = 300
    _, height = section.wrap(width, 10_000)
    lines = section._lines  # noqa: SLF001
    assert len(lines) > 6
    # Room for the heading and one body line only: no split (the whole section moves on).
    assert section.split(width, 15 + 13 + 5) == []
    # Room for the heading and two lines: a legal split that keeps everything.
    first, rest = section.split(width, 15 + 2 * 13 + 5)
    assert len(first._lines) == 3 and len(first._lines) + len(rest._lines) == len(lines)  # noqa: SLF001
    # Never a widow: a split cannot leave exactly one line of the paragraph for the next frame.
    first, rest = section.split(width, height - 13 + 1)
    assert len(rest._lines) >= 2  # noqa: SLF001
    assert first.outline is section.outline and rest.outline is None
