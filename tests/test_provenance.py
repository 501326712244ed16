"""Provenance: the notice tells the source's statements from the editor's reading (issue 11, item 4)."""

from __future__ import annotations

import subprocess

import pytest
from pydantic import ValidationError

from dicom_desktop.document import Document
from dicom_desktop.html.page import render_notice_html
from dicom_desktop.model import Entity, Organisation, OrganisationFile
from dicom_desktop.pdf.notice import export_notice_pdf

from .conftest import DICOM_FILE


def section(html: str, name: str) -> str:
    start = html.index(f">{name}</h")
    return html[start:html.index("</section>", start)]


def pdf_text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())


def test_dicom_file_marks_the_readings_its_notes_describe():
    doc = Document.open(DICOM_FILE)
    graph = doc.graph
    for eid in graph.preorder():
        e = graph.entity(eid)
        if e.kind == "bureau":
            assert {"parent", "head_title"} <= set(e.inferred), eid
        assert "attributions" not in e.inferred  # every attribution is the source's, word for word
    assert "head_title" in graph.entity("secretariat-general").inferred
    assert graph.entity("delegue").inferred == []


def test_web_page_flags_readings_and_keeps_the_reference_on_sourced_text():
    html = render_notice_html(Document.open(DICOM_FILE))
    ressources = section(html, "Bureau des ressources")
    assert "rattachement retenu par l’éditeur, non énoncé par la source" in ressources
    assert "Chef de bureau <span class=\"inferred\">(intitulé usuel, non cité par la source)" in ressources
    assert "Référence : Notice explicative" in ressources
    adjoints = section(html, "Délégués adjoints")
    assert "intitulé usuel" not in adjoints and "rattachement retenu" not in adjoints


def _doc_with_inferred_attributions() -> Document:
    org = Organisation(name="Direction d’essai", acronym="DE")
    entities = [
        Entity(id="d", name="Direction d’essai", kind="direction", legal_reference="Décret n° 1 du 1er janvier 2020"),
        Entity(id="b", name="Bureau rédigé", kind="bureau", parent="d", attributions=["Texte écrit par l’éditeur."],
               legal_reference="Notice explicative de l’organigramme", inferred=["attributions"]),
    ]
    return Document.from_file_model(OrganisationFile(schema_version=1, organisation=org, entities=entities))


def test_no_reference_under_attributions_the_source_does_not_state(tmp_path):
    doc = _doc_with_inferred_attributions()
    html = render_notice_html(doc)
    assert "Référence" not in section(html, "Bureau rédigé")
    assert "Référence : Décret" in section(html, "Direction d’essai")
    out = tmp_path / "n.pdf"
    export_notice_pdf(doc, out)
    text = pdf_text(out)
    bureau = text[text.rindex("Bureau rédigé"):]
    assert "Notice explicative de l’organigramme" not in bureau
    assert "Référence : Décret" in text


def test_printable_notice_flags_readings_and_prints_functional_link_labels(tmp_path):
    out = tmp_path / "n.pdf"
    export_notice_pdf(DICOM_FILE, out)
    text = pdf_text(out)
    assert "rattachement retenu par l’éditeur, non énoncé par la source" in text
    assert "(intitulé usuel, non cité par la source)" in text
    # the functional links' labels are printed in words
    assert "En lien fonctionnel avec : Bureau des campagnes (diffusion de messages d’alerte sanitaire)" in text
    # one date format: the reference's « 23/09/2024 » is written like every other date
    assert "23/09/2024" not in text and "mise à jour du 23 septembre 2024" in text


def test_unknown_inferred_field_is_refused_in_french():
    with pytest.raises(ValidationError) as err:
        Entity(id="x", name="X", inferred=["nom"])
    assert "« nom » n’est pas un champ dont la provenance se note" in str(err.value)


def test_spreadsheet_round_trip_keeps_the_provenance(tmp_path):
    from dicom_desktop.sheets.exporter import export_xlsx
    from dicom_desktop.sheets.importer import import_file
    from dicom_desktop.files.storage import load_organisation

    data = load_organisation(DICOM_FILE).data
    path = tmp_path / "o.xlsx"
    path.write_bytes(export_xlsx(data))
    back = import_file(path).data
    assert [e.inferred for e in back.entities] == [e.inferred for e in Document.open(DICOM_FILE).graph.to_entities()]
