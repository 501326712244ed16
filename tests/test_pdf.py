"""The PDF notice: content word for word, outline, links, footer, fonts, metadata, sizes of chart."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from dicom_desktop.pdf import export_notice_pdf
from dicom_desktop.synthetic import generate_organisation

from .conftest import DICOM_FILE, SEED


# ------------------------------------------------------------------------------ helpers
def page_texts(path: Path) -> list[str]:
    """Text of each page, in content-stream order (pdftotext -raw), pypdf as a fallback."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                             check=True, capture_output=True).stdout.decode("utf-8")
        pages = out.split("\f")
        return pages[:-1] if pages and not pages[-1].strip() else pages
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def normalise(text: str) -> str:
    """Compare words, not layout: spaces (incl. NBSP/NNBSP), line breaks, apostrophes, French spacing."""
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")
    text = text.replace("'", "\u2019")
    text = re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)
    text = re.sub(r" ([;:!?»])", r"\1", text)
    text = re.sub(r"« ", "«", text)
    return text.strip()


def seed_sentences() -> list[str]:
    """Sentences of the source notice's attribution paragraphs (lines 7..15), or the JSON's."""
    if SEED.is_file():
        lines = SEED.read_text(encoding="utf-8").splitlines()[6:15]
    else:  # CI without shared/: the same paragraphs as stored in the organisation file
        data = json.loads(DICOM_FILE.read_text(encoding="utf-8"))
        lines = [p for e in data["entities"] for p in e["attributions"]]
    assert len(lines) == 9
    sentences = []
    for line in lines:
        sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", line.strip()) if s]
    return sentences


def outline_tree(reader: PdfReader):
    """[(title, depth, page_index)] in order, from pypdf's nested outline lists."""
    # pypdf: a nested list holds the children of the item before it (depth ≤ 40 by design)
    items = []

    def walk(lst, depth):
        for item in lst:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                items.append((item.title, depth, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return items


@pytest.fixture(scope="module")
def dicom_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "dicom.pdf"
    report = export_notice_pdf(DICOM_FILE, out)
    return out, report


# ------------------------------------------------------------------------------ DICOM notice
def test_every_attribution_sentence_of_the_source_notice_is_in_the_pdf_word_for_word(dicom_pdf):
    path, _ = dicom_pdf
    text = normalise("\n".join(page_texts(path)))
    sentences = seed_sentences()
    assert len(sentences) >= 25
    missing = [s for s in sentences if normalise(s) not in text]
    assert not missing


def test_every_entity_name_and_mission_paragraph_is_in_the_notice(dicom_pdf, dicom_doc):
    path, _ = dicom_pdf
    notice = normalise("\n".join(page_texts(path)[1:]))
    for eid in dicom_doc.graph.preorder():
        assert normalise(dicom_doc.graph.entity(eid).name) in notice
    for paragraph in dicom_doc.organisation.missions:
        assert normalise(paragraph) in notice


def test_sections_follow_the_hierarchy_in_preorder(dicom_pdf, dicom_doc):
    path, _ = dicom_pdf
    notice = normalise("\n".join(page_texts(path)[1:]))
    graph = dicom_doc.graph
    positions = []
    for eid in graph.preorder():
        e = graph.entity(eid)
        # the heading line: the name followed by the head's title
        key = normalise(f"{e.name}\n{e.head_title}")
        assert key in notice, e.name
        positions.append(notice.index(key))
    assert positions == sorted(positions)


def test_chart_page_shows_every_box_with_name_and_head_title(dicom_pdf, dicom_doc):
    path, report = dicom_pdf
    assert report.chart_mode == "single" and report.chart_pages == 1
    chart = normalise(page_texts(path)[0])
    for eid in dicom_doc.graph.preorder():
        e = dicom_doc.graph.entity(eid)
        assert normalise(e.name) in chart
        assert normalise(e.head_title) in chart
    assert "Légende" in chart and "lien fonctionnel" in chart
    org = dicom_doc.organisation
    assert normalise(org.name) in chart and "23 septembre 2024" in chart
    assert normalise(org.legal_basis) in chart


def test_outline_has_one_entry_per_entity_nested_like_the_hierarchy(dicom_pdf, dicom_doc):
    path, _ = dicom_pdf
    reader = PdfReader(str(path))
    items = outline_tree(reader)
    graph = dicom_doc.graph
    by_name = {graph.entity(eid).name: eid for eid in graph.preorder()}
    entity_items = [(t, d, p) for t, d, p in items if t in by_name]
    assert [t for t, _, _ in entity_items] == [graph.entity(eid).name for eid in graph.preorder()]
    root_depth = entity_items[0][1]
    depths = graph.depths()
    for title, depth, page in entity_items:
        assert depth - root_depth == depths[by_name[title]], title
        # the bookmark leads to the page of that entity's section
        assert normalise(title) in normalise(page_texts(path)[page])
    assert ("Organigramme", 0, 0) in items


def test_each_chart_box_links_to_its_entity_section(dicom_pdf, dicom_doc):
    path, _ = dicom_pdf
    reader = PdfReader(str(path))
    annots = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    links = [a for a in annots if a.get("/Subtype") == "/Link"]
    assert len(links) == len(dicom_doc.graph)
    # Destinations of the links == destinations of the entities' bookmarks (page and height).
    def dest_key(dest):
        page = reader.get_page_number(dest[0].get_object()) if hasattr(dest[0], "get_object") else dest[0]
        return page, round(float(dest[3]), 1)

    link_dests = sorted(dest_key(a["/Dest"]) for a in links)
    names = {dicom_doc.graph.entity(e).name for e in dicom_doc.graph.preorder()}
    bookmarks = []

    def walk(lst):
        for item in lst:
            if isinstance(item, list):
                walk(item)
            elif item.title in names:
                bookmarks.append((reader.get_destination_page_number(item), round(float(item.top), 1)))

    walk(reader.outline)
    assert link_dests == sorted(bookmarks)
    assert all(p >= 1 for p, _ in link_dests)  # sections are after the chart page


def test_footer_on_every_page_with_page_x_of_y(dicom_pdf, dicom_doc):
    path, report = dicom_pdf
    texts = page_texts(path)
    assert len(texts) == report.pages == len(PdfReader(str(path)).pages)
    for i, text in enumerate(texts, 1):
        flat = normalise(text)
        assert f"page {i} / {report.pages}" in flat
        assert normalise(dicom_doc.organisation.name) in flat


def test_fonts_are_embedded_dejavu_only(dicom_pdf):
    path, _ = dicom_pdf
    reader = PdfReader(str(path))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(font["/BaseFont"])
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
    assert seen and all("DejaVuSans" in str(name) for name in seen)


def test_metadata_and_language(dicom_pdf, dicom_doc):
    path, _ = dicom_pdf
    reader = PdfReader(str(path))
    org = dicom_doc.organisation.name
    meta = reader.metadata
    assert org in meta.title and meta.author == org
    assert "notice explicative" in meta.subject.lower()
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_french_spacing_is_rendered_but_the_data_is_unchanged(tmp_path, dicom_doc):
    before = dicom_doc.to_file_model().model_dump()
    out = tmp_path / "n.pdf"
    export_notice_pdf(dicom_doc, out)
    assert dicom_doc.to_file_model().model_dump() == before
    raw = "\n".join(page_texts(out))
    assert "l’animation" in raw and "l'animation" not in raw
    # No-break spaces hold: no line starts with « : ; ! ? » » nor ends with « « ».
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    assert len(lines) > 100
    assert not [line for line in lines if line[0] in ":;!?»" or line.endswith("«")]


# ------------------------------------------------------------------------------ other sizes
def test_single_entity_organisation(tmp_path):
    out = tmp_path / "one.pdf"
    report = export_notice_pdf(generate_organisation(1), out)
    assert report.chart_mode == "single"
    assert report.pages == 2 == len(PdfReader(str(out)).pages)
    text = normalise("\n".join(page_texts(out)))
    assert "Direction générale de l’organisation synthétique" in text
    items = outline_tree(PdfReader(str(out)))
    assert sum(1 for t, _, _ in items if t == "Direction générale de l’organisation synthétique") == 1


def test_thousand_entities_are_tiled_with_labelled_sheets(tmp_path):
    data = generate_organisation(1000)
    out = tmp_path / "big.pdf"
    report = export_notice_pdf(data, out, large_chart="tile")
    assert report.chart_mode == "tiled" and report.tiles >= 2
    reader = PdfReader(str(out))
    assert report.pages == len(reader.pages) > 2
    texts = page_texts(out)
    assert f"Feuille 1/{report.tiles} — ligne 1, colonne 1" in texts[1]
    assert f"Feuille {report.tiles}/{report.tiles}" in texts[report.tiles]
    # Every box appears on at least one readable sheet, every entity has its section.
    sheets = normalise("\n".join(texts[1: report.chart_pages]))
    notice = normalise("\n".join(texts[report.chart_pages:]))
    for e in data.entities:
        assert normalise(e.name) in notice
    for e in data.entities[::37]:
        assert normalise(e.name) in sheets, e.name
    entity_titles = {e.name for e in data.entities}
    assert sum(1 for t, _, _ in outline_tree(reader) if t in entity_titles) == 1000


def _departments_file(departments=6, bureaux=12):
    from dicom_desktop.model import Entity, Organisation, OrganisationFile

    entities = [Entity(id="dg", name="Direction générale du travail", kind="direction", head_title="Directeur général")]
    for d in range(departments):
        entities.append(Entity(id=f"sd{d}", name=f"Sous-direction numéro {d + 1}", kind="sous-direction",
                               parent="dg", order=d, head_title="Sous-directrice"))
        for b in range(bureaux):
            entities.append(Entity(id=f"b{d}-{b}", name=f"Bureau {d + 1}.{b + 1} des affaires courantes",
                                   kind="bureau", parent=f"sd{d}", order=b, head_title="Cheffe de bureau"))
    return OrganisationFile(schema_version=1, organisation=Organisation(name="DGT", acronym="DGT"), entities=entities)


def test_one_page_per_department_keeps_the_path_up_to_the_head(tmp_path):
    data = _departments_file()
    out = tmp_path / "branches.pdf"
    report = export_notice_pdf(data, out, large_chart="branches")
    assert report.chart_mode == "branches" and report.chart_pages == 7 and report.tiles == 0
    texts = [normalise(t) for t in page_texts(out)]
    for d in range(6):
        page = texts[1 + d]
        assert f"Branche {d + 1}/6 — Sous-direction numéro {d + 1}" in page
        assert "Direction générale du travail" in page  # the path up to the head
        for b in range(12):
            assert f"Bureau {d + 1}.{b + 1} des affaires courantes" in page
        assert "Bureau 1.1 des" not in page or d == 0  # only its own department
    # The same organisation tiled instead: an overview and labelled sheets.
    tiled = export_notice_pdf(data, tmp_path / "tiled.pdf", large_chart="tile")
    assert tiled.chart_mode == "tiled" and tiled.tiles >= 2


def test_thousand_entities_by_branch_on_a3(tmp_path):
    data = generate_organisation(1000)
    out = tmp_path / "branches.pdf"
    report = export_notice_pdf(data, out, large_chart="branches", page_size="A3")
    assert report.chart_mode == "branches" and report.chart_pages > 2
    assert report.pages == len(PdfReader(str(out)).pages)
    texts = page_texts(out)
    firsts = [t for t in texts[1: report.chart_pages] if re.search(r"Branche \d+/\d+ — .*feuille 1/", t)]
    assert firsts
    for text in firsts:  # the first sheet of each department shows the path up to the head
        assert normalise(data.entities[0].name) in normalise(text)


def test_long_names_are_wrapped_never_cut(tmp_path):
    long_name = ("Bureau de la coordination interministérielle des politiques publiques de santé "
                 "environnementale et de l’anticonstitutionnellementissimeprocédurequiestvraimenttrèslongue")
    data = generate_organisation(3)
    data.entities[1] = data.entities[1].model_copy(update={"name": long_name})
    out = tmp_path / "long.pdf"
    export_notice_pdf(data, out)
    chart = re.sub(r"\s+", "", page_texts(out)[0])
    assert re.sub(r"\s+", "", long_name) in chart


def test_deep_chain_does_not_recurse(tmp_path):
    from dicom_desktop.model import Entity, Organisation, OrganisationFile

    n = 1500
    entities = [Entity(id="e0", name="Racine", kind="direction")] + [
        Entity(id=f"e{i}", name=f"Niveau {i}", kind="bureau", parent=f"e{i - 1}") for i in range(1, n)
    ]
    data = OrganisationFile(schema_version=1, organisation=Organisation(name="Chaîne"), entities=entities)
    report = export_notice_pdf(data, tmp_path / "chain.pdf")
    assert report.entities == n
    titles = [t for t, _, _ in outline_tree(PdfReader(str(tmp_path / "chain.pdf")))]
    assert sum(1 for t in titles if t.startswith("Niveau ")) == n - 1
