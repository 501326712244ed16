"""The PDF « dossier de réorganisation » of a scenario: contents, marks, word diff, outline, CLI, errors."""

from __future__ import annotations

import os

import pytest
from pypdf import PdfReader
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str

from dicom_desktop.comparison.change_styles import CHANGE_STYLES, box_marks
from dicom_desktop.cli import main
from dicom_desktop.comparison.diff import diff_organisations
from dicom_desktop.document import Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.operations import MoveEntity, UpdateEntity
from dicom_desktop.pdf import PdfExportError
from dicom_desktop.pdf.dossier import export_dossier_pdf
from dicom_desktop.pdf.dossier_changes import DELETE_COLOUR, INSERT_COLOUR, diff_paragraphs
from dicom_desktop.pdf.dossier_charts import graph_with_ghosts
from dicom_desktop.reorg import declare_vacant, merge_entities
from dicom_desktop.scenarios import ActivateScenario, NewScenario, ScenarioNotFound, current_graph, scenario_graph
from dicom_desktop.synthetic import generate_organisation

from .conftest import REPO

EXAMPLE = REPO / "dicom_desktop" / "resources" / "examples" / "dicom-scenarios.json"
FUSION = "campagnes-adjoints-fusion-veille-influence"
EVENT = "bureau-evenementiel"


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def fusion_pdf(tmp_path_factory) -> PdfReader:
    out = tmp_path_factory.mktemp("dossier") / "fusion.pdf"
    export_dossier_pdf(Document.open(EXAMPLE), FUSION, out)
    return PdfReader(str(out))


@pytest.fixture(scope="module")
def event_pdf(tmp_path_factory) -> PdfReader:
    out = tmp_path_factory.mktemp("dossier") / "event.pdf"
    export_dossier_pdf(Document.open(EXAMPLE), "Bureau de l’événementiel distinct", out)  # by name
    return PdfReader(str(out))


def _page_with(reader: PdfReader, needle: str) -> int:
    for i, page in enumerate(reader.pages):
        if needle in _flat(page.extract_text()):
            return i
    raise AssertionError(f"{needle!r} on no page")


def _outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


# ------------------------------------------------------------------ contents
def test_title_page_names_the_scenario_the_organisation_and_says_it_is_a_draft(fusion_pdf):
    first = _flat(fusion_pdf.pages[0].extract_text())
    assert "Dossier de réorganisation" in first
    assert "Campagnes auprès des adjoints, veille et influence fusionnées" in first
    assert "Délégation à l’information et à la communication des ministères sociaux" in first
    assert "Document de travail — projet" in first
    assert "Le bureau des campagnes est rattaché aux délégués adjoints" in first  # description
    assert "15 janvier 2025" in first  # the scenario's date
    assert "4 changements" in first and "rattachement modifié" in first and "entité renommée" in first
    meta = fusion_pdf.metadata
    assert meta.title == "Dossier de réorganisation — Campagnes auprès des adjoints, veille et influence fusionnées"
    assert "Délégation à l’information" in meta.author and meta.creator == "dicom-desktop"


def test_table_lists_move_with_old_and_new_parent_merge_and_rename(fusion_pdf):
    table = _flat(fusion_pdf.pages[_page_with(fusion_pdf, "Tableau des changements")].extract_text())
    assert "Bureau des campagnes" in table
    # « Rattachement : » agrees with any entity (« Rattachée à » was wrong for a bureau)
    assert "Rattachement : « Délégation à l’information et à la communication »" in table  # old parent
    assert "Rattachement : « Délégués adjoints »" in table  # new parent
    assert "Rattachée" not in table and "Absorbée" not in table
    assert "Bureau de la veille et de l’opinion (bureau)" in table  # merged entity
    assert "Fusion dans « Bureau de l’influence, du digital, de la veille et de l’opinion »" in table
    assert "« Bureau de l’influence et du digital »" in table  # old name
    for header in ("Changement", "Entité", "Avant", "Après"):
        assert header in table


def test_table_lists_split_with_its_source_and_vacant_post(event_pdf):
    table = _flat(event_pdf.pages[_page_with(event_pdf, "Tableau des changements")].extract_text())
    assert "Bureau de l’événementiel (bureau)" in table
    assert "Partie de « Bureau de la production multimédia »" in table
    assert "poste de responsable à pourvoir" in table


def _fill_and_stroke(colour: str) -> tuple[str, str]:
    rgb = fp_str(*HexColor(colour).rgb())
    return f"{rgb} rg", f"{rgb} RG"


def test_deleted_words_are_struck_in_red(event_pdf):
    i = _page_with(event_pdf, "Modifications des attributions")
    text = _flat(event_pdf.pages[i].extract_text())
    assert "Il définit, prépare et coordonne l’organisation d’évènements" in text
    ops = event_pdf.pages[i].get_contents().get_data().decode("latin-1")
    fill, stroke = _fill_and_stroke(DELETE_COLOUR)
    assert fill in ops  # red text
    assert stroke in ops  # and the red strike line through it


def test_inserted_words_are_underlined_in_green(fusion_pdf):
    i = _page_with(fusion_pdf, "Modifications des attributions")
    text = _flat(fusion_pdf.pages[i].extract_text())
    assert "Le bureau de la veille et de l’opinion assure la veille des médias" in text
    ops = fusion_pdf.pages[i].get_contents().get_data().decode("latin-1")
    fill, stroke = _fill_and_stroke(INSERT_COLOUR)
    assert fill in ops and stroke in ops  # green text, green underline


def test_outline_has_every_section_and_each_changed_attributions_text(fusion_pdf):
    titles = _outline_titles(fusion_pdf)
    assert titles[:5] == [
        "Dossier de réorganisation",
        "Organisation actuelle",
        "Organisation projetée (scénario « Campagnes auprès des adjoints, veille et influence fusionnées »)",
        "Tableau des changements",
        "Modifications des attributions",
    ]
    assert "Bureau de l’influence, du digital, de la veille et de l’opinion" in titles


def test_both_charts_are_drawn_on_landscape_pages_and_only_the_scenario_is_marked(fusion_pdf):
    current = _page_with(fusion_pdf, "Organisation actuelle")
    projected = _page_with(fusion_pdf, "Organisation projetée")
    assert projected == current + 1
    now, then = (_flat(fusion_pdf.pages[i].extract_text()) for i in (current, projected))
    for name in ("Bureau des ressources", "Bureau des campagnes", "Secrétariat général"):
        assert name in now and name in then
    assert "Bureau de l’influence et du digital" in now  # old name on the current chart
    assert "Bureau de l’influence, du digital, de la veille et de l’opinion" in then
    assert "Bureau de la veille et de l’opinion" in then  # ghost where it was
    for i in (current, projected):
        w, h = (float(v) for v in fusion_pdf.pages[i].mediabox[2:])
        assert w > h
    moved = _fill_and_stroke(CHANGE_STYLES["moved"].color)[1]
    assert moved in fusion_pdf.pages[projected].get_contents().get_data().decode("latin-1")
    assert moved not in fusion_pdf.pages[current].get_contents().get_data().decode("latin-1")
    assert "Déplacé" in then and "Marques" in then and "Déplacé" not in now


def test_changed_boxes_link_to_their_table_row(fusion_pdf):
    projected = fusion_pdf.pages[_page_with(fusion_pdf, "Organisation projetée")]
    table = _page_with(fusion_pdf, "Tableau des changements")
    links = [a.get_object() for a in projected.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) == 3  # the moved bureau, the merged one (ghost) and the one that absorbs it
    for link in links:
        assert fusion_pdf.get_page_number(link["/Dest"][0].get_object()) == table


def test_footer_numbers_pages_out_of_the_total(fusion_pdf):
    n = len(fusion_pdf.pages)
    for i, page in enumerate(fusion_pdf.pages, 1):
        assert f"page {i} / {n}" in _flat(page.extract_text())


def test_fonts_are_embedded_dejavu(fusion_pdf):
    fonts = set()
    for page in fusion_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded TrueType
    assert fonts and all("DejaVuSans" in f for f in fonts)  # no Helvetica anywhere


# ------------------------------------------------------------------ pieces
def test_removed_entity_is_put_back_ghosted_under_its_former_parent():
    doc = Document.open(EXAMPLE)
    base, scen = current_graph(doc), scenario_graph(doc, FUSION)
    diff = diff_organisations(base, scen)
    shown, ghosts = graph_with_ghosts(scen, base, diff)
    assert ghosts == {"bureau-veille-opinion"}
    assert shown.parent("bureau-veille-opinion") == "delegue"
    assert "bureau-veille-opinion" not in scen  # the scenario itself is untouched
    marks = box_marks(diff, shown.__contains__)
    assert marks["bureau-campagnes"] == ("Déplacé", CHANGE_STYLES["moved"].color)
    assert marks["bureau-veille-opinion"][0] == "Fusionné"
    assert marks["bureau-influence-digital"][0].startswith("Fusionné +")


def test_word_diff_markup_escapes_the_text_and_keeps_paragraphs():
    segments = [("equal", "Veille <presse> & "), ("delete", "R&D"), ("insert", "études\nNouveau"),
                ("equal", " paragraphe")]
    paragraphs = diff_paragraphs(segments)
    assert len(paragraphs) == 2
    assert "&lt;presse&gt; &amp;" in paragraphs[0]
    assert "[retiré\u00a0:</font> <strike>R&amp;D</strike>" in paragraphs[0] and "<u>études</u>" in paragraphs[0]
    assert "[ajouté\u00a0:</font> <u>études</u>" in paragraphs[0]
    assert paragraphs[1].startswith(f'<font color="{INSERT_COLOUR}"') and "Nouveau" in paragraphs[1]
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from dicom_desktop.pdf import fonts

    fonts.register_fonts()
    for p in paragraphs:  # valid mini-markup
        Paragraph(p, ParagraphStyle("t", fontName=fonts.REGULAR)).wrap(300, 100)
    assert diff_paragraphs([("equal", "A"), ("delete", "\n"), ("equal", "B")]) == [
        'A<font color="%s" backColor="#fbe5e1"><font size="6.5">[retiré\u00a0:</font> <strike> ¶ </strike>'
        '<font size="6.5">]</font></font>B' % DELETE_COLOUR]


def test_removed_and_added_words_are_told_apart_in_the_text_layer(fusion_pdf):
    i = _page_with(fusion_pdf, "Modifications des attributions")
    text = _flat(fusion_pdf.pages[i].extract_text())
    assert "[retiré" in text and "[ajouté" in text


def test_unknown_scenario_is_a_french_error_listing_the_available_ones(tmp_path):
    with pytest.raises(ScenarioNotFound) as info:
        export_dossier_pdf(Document.open(EXAMPLE), "absent", tmp_path / "x.pdf")
    assert "Scénario « absent » introuvable" in str(info.value)
    assert "bureau-evenementiel" in str(info.value) and FUSION in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_path_leaves_no_file(tmp_path, monkeypatch):
    out = tmp_path / "absent" / "dossier.pdf"
    with pytest.raises(PdfExportError, match="Impossible d’écrire le PDF.*dossier introuvable"):
        export_dossier_pdf(Document.open(EXAMPLE), FUSION, out)
    assert not out.parent.exists()

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)  # fails after the whole PDF was built
    out = tmp_path / "dossier.pdf"
    with pytest.raises(PdfExportError, match="accès refusé"):
        export_dossier_pdf(Document.open(EXAMPLE), FUSION, out)
    assert list(tmp_path.iterdir()) == []


def test_existing_file_is_kept_whole_when_the_build_fails(tmp_path, monkeypatch):
    from dicom_desktop.pdf import dossier

    out = tmp_path / "dossier.pdf"
    out.write_bytes(b"previous")

    def boom(*_args, **_kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(dossier, "_changes_story", boom)
    with pytest.raises(RuntimeError):
        export_dossier_pdf(Document.open(EXAMPLE), FUSION, out)
    assert out.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["dossier.pdf"]


def _synthetic_with_scenario(size: int) -> Document:
    doc = Document.from_file_model(generate_organisation(size, seed=3))
    doc.apply(NewScenario("Essai synthétique", "Quelques modifications.", scenario_id="essai"))
    doc.apply(ActivateScenario("essai"))
    ids = doc.graph.preorder()
    doc.apply(MoveEntity(ids[-1], ids[1]))
    doc.apply(UpdateEntity(ids[5], {"name": "Entité <renommée> & cie"}))
    doc.apply(declare_vacant(doc, ids[7]))
    try:
        doc.apply(merge_entities(doc, ids[10], ids[11]))
    except EditRefused:
        pass
    doc.apply(ActivateScenario(None))
    return doc


def test_synthetic_organisation_with_a_scenario_exports_with_every_change_listed(tmp_path):
    doc = _synthetic_with_scenario(300)
    report = export_dossier_pdf(doc, "essai", tmp_path / "s.pdf", large_chart="branches")
    reader = PdfReader(str(tmp_path / "s.pdf"))
    assert report.pages == len(reader.pages) and report.changes >= 4
    table = _flat(reader.pages[_page_with(reader, "Tableau des changements")].extract_text())
    assert "Entité <renommée> & cie" in table  # escaped for the markup, printed as typed
    assert "Poste déclaré vacant" in table
    if report.scenario_chart_pages > 1:  # a chart on several sheets: the table says where each box is
        assert "organigramme projeté :" in table


# ------------------------------------------------------------------ command line
def test_cli_dossier_ok(tmp_path, capsys):
    out = tmp_path / "d.pdf"
    assert main(["export-pdf", str(EXAMPLE), "--scenario", FUSION, "--dossier", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "dossier de réorganisation" in said and str(out) in said
    assert "Tableau des changements" in _flat(" ".join(p.extract_text() for p in PdfReader(str(out)).pages))


def test_cli_scenario_reference_in_the_file_name(tmp_path, capsys):
    out = tmp_path / "d.pdf"
    assert main(["export-pdf", f"{EXAMPLE}#{EVENT}", "--dossier", "-o", str(out)]) == 0
    assert "Bureau de l’événementiel distinct" in PdfReader(str(out)).metadata.title


def test_cli_scenario_alone_exports_the_projected_notice(tmp_path, capsys):
    out = tmp_path / "n.pdf"
    assert main(["export-pdf", str(EXAMPLE), "--scenario", EVENT, "-o", str(out)]) == 0
    text = _flat(" ".join(p.extract_text() for p in PdfReader(str(out)).pages))
    assert "scénario « Bureau de l’événementiel distinct » (projet)" in text
    assert "Bureau de l’événementiel" in text and "Notice explicative" in text
    assert "Dossier de réorganisation" not in text


def test_cli_unknown_scenario_exit_2_lists_available(tmp_path, capsys):
    out = tmp_path / "d.pdf"
    assert main(["export-pdf", str(EXAMPLE), "--scenario", "inconnu", "--dossier", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Scénario « inconnu » introuvable" in err and "Scénarios disponibles" in err
    assert "« Bureau de l’événementiel distinct » (bureau-evenementiel)" in err and "Traceback" not in err
    assert not out.exists()


def test_cli_dossier_without_scenario_exit_2(tmp_path, capsys):
    assert main(["export-pdf", str(EXAMPLE), "--dossier", "-o", str(tmp_path / "d.pdf")]) == 2
    err = capsys.readouterr().err
    assert "--dossier demande un scénario" in err and "bureau-evenementiel" in err


def test_cli_bad_file_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{ pas du json", encoding="utf-8")
    assert main(["export-pdf", str(bad), "--scenario", "x", "--dossier", "-o", str(tmp_path / "d.pdf")]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "Traceback" not in err
    assert not (tmp_path / "d.pdf").exists()


def test_cli_unwritable_output_exit_2_no_partial_file(tmp_path, capsys):
    out = tmp_path / "absent" / "d.pdf"
    assert main(["export-pdf", str(EXAMPLE), "--scenario", FUSION, "--dossier", "-o", str(out)]) == 2
    assert "Impossible d’écrire le PDF" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
