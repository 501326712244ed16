"""A vacant post holds no name: declaring a vacancy clears it, and a file with both shows none (issue 12 §2)."""

from __future__ import annotations

from dicom_desktop.cli import main
from dicom_desktop.document import Document
from dicom_desktop.operations import UpdateEntity
from dicom_desktop.pdf import export_notice_pdf
from dicom_desktop.reorg import declare_vacant
from dicom_desktop.files.storage import load_organisation
from dicom_desktop.validation import vacancy_warnings

from .conftest import minimal_file, write_json
from .test_pdf import normalise, page_texts

HOLDER = "Mme Claire Dupont"


def test_declaring_a_vacancy_clears_the_name_and_one_undo_restores_both(dicom_doc):
    dicom_doc.apply(UpdateEntity("bureau-campagnes", {"head_name": HOLDER}))
    inverse = dicom_doc.apply(declare_vacant(dicom_doc, "bureau-campagnes"))
    entity = dicom_doc.graph.entity("bureau-campagnes")
    assert entity.vacant and entity.head_name == ""
    dicom_doc.apply(inverse)
    entity = dicom_doc.graph.entity("bureau-campagnes")
    assert not entity.vacant and entity.head_name == HOLDER


def test_filling_the_post_again_keeps_it_nameless(dicom_doc):
    dicom_doc.apply(UpdateEntity("bureau-campagnes", {"head_name": HOLDER}))
    dicom_doc.apply(declare_vacant(dicom_doc, "bureau-campagnes"))
    dicom_doc.apply(declare_vacant(dicom_doc, "bureau-campagnes", False))
    entity = dicom_doc.graph.entity("bureau-campagnes")
    assert not entity.vacant and entity.head_name == ""


def _vacant_with_name(tmp_path):
    data = minimal_file()
    data["entities"][1].update({"head_title": "Responsable de pôle", "head_name": HOLDER, "vacant": True})
    return write_json(tmp_path, data)


def test_a_file_with_both_is_exported_as_vacant_without_the_name(tmp_path):
    doc = Document.open(_vacant_with_name(tmp_path))
    out = export_notice_pdf(doc, tmp_path / "notice.pdf").path
    text = normalise(" ".join(page_texts(out)))
    assert "Responsable de pôle: poste vacant" in text
    assert "Dupont" not in text


def test_validate_warns_about_a_vacant_post_with_a_name(tmp_path, capsys):
    path = _vacant_with_name(tmp_path)
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "Avertissement" in err and "poste vacant portant encore le nom" in err and "entité : a)" in err
    assert any("vacant" in w for w in load_organisation(path).warnings)
    assert vacancy_warnings(Document.open(path).graph.to_entities()) != []
