"""The tagged notice (PDF/UA-1, WeasyPrint + pikepdf): structure tree, alt text, metadata, text."""

from __future__ import annotations

import subprocess
import sys

import pikepdf
import pytest

from dicom_desktop.document import Document
from dicom_desktop.errors import DicomError

from .conftest import DICOM_FILE, REPO
from .test_pdf import normalise, seed_sentences


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    out = tmp_path_factory.mktemp("tagged") / "notice.pdf"
    result = subprocess.run([sys.executable, "-m", "dicom_desktop", "export-pdf", "--tagged", "-o", str(out)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "PDF/UA-1" in result.stdout
    return out


def structure(pdf: pikepdf.Pdf) -> list[tuple[int, pikepdf.Dictionary]]:
    """(depth, element) of the structure tree in reading order."""
    out = []
    stack = [(0, pdf.Root.StructTreeRoot)]
    while stack:
        depth, node = stack.pop()
        if "/S" in node:
            out.append((depth, node))
        k = node.get("/K")
        kids = list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
        stack.extend(reversed([(depth + 1, c) for c in kids if isinstance(c, pikepdf.Dictionary) and "/S" in c]))
    return out


def test_document_level_pdf_ua_requirements(tagged):
    with pikepdf.open(tagged) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "fr-FR"
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert root.PageMode == pikepdf.Name.UseOutlines
        assert "DICOM" in str(pdf.docinfo.Title)
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert "DICOM" in meta.get("dc:title", "")
    info = subprocess.run(["pdfinfo", str(tagged)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info


def test_headings_in_order_and_one_figure_with_alt(tagged):
    with pikepdf.open(tagged) as pdf:
        elements = structure(pdf)
        roles = [str(e.S) for _, e in elements]
        headings = [int(r[2]) for r in roles if len(r) == 3 and r.startswith("/H") and r[2].isdigit()]
        assert headings[0] == 1 and headings.count(1) == 1
        assert all(b <= a + 1 for a, b in zip(headings, headings[1:]))
        assert len(headings) == 1 + 4 + 10  # title; missions, chart, text version, notice; one per entity
        figures = [e for _, e in elements if e.S == pikepdf.Name.Figure]
        assert len(figures) == 1
        alt = str(figures[0].Alt)
        assert "Organigramme" in alt and "version texte" in alt


def test_hierarchy_is_nested_lists(tagged):
    doc = Document.open(DICOM_FILE)
    with pikepdf.open(tagged) as pdf:
        elements = structure(pdf)
        lists = [(d, e) for d, e in elements if e.S == pikepdf.Name.L]
        items = [e for _, e in elements if e.S == pikepdf.Name.LI]
        assert len(lists) >= 3  # legend, tree, nested levels
        for _, lst in lists:  # an L holds list items (and a caption), never a stray list
            kids = lst.K if isinstance(lst.K, pikepdf.Array) else [lst.K]
            assert {str(k.S) for k in kids if isinstance(k, pikepdf.Dictionary)} <= {"/LI", "/Caption"}
        # bureau des ressources' list sits inside the secrétariat général's item body
        depths = sorted({d for d, _ in lists})
        assert len(depths) >= 3
        assert len(items) >= len(doc.graph)


def test_link_annotations_say_where_they_go(tagged):
    with pikepdf.open(tagged) as pdf:
        contents = [str(a.Contents) for page in pdf.pages for a in page.get("/Annots", [])
                    if a.get("/Subtype") == pikepdf.Name.Link]
    assert contents and all(c.strip() for c in contents)
    assert "Section de la notice : Bureau des ressources" in contents
    assert not [c for c in contents if c.startswith("entite-")]


def test_every_source_sentence_is_in_the_text_layer(tagged):
    raw = subprocess.run(["pdftotext", "-raw", str(tagged), "-"], capture_output=True, text=True).stdout
    text = normalise(raw.replace("-\n", "-"))  # « pré-tests » broken after its own hyphen
    missing = [s for s in seed_sentences() if normalise(s) not in text]
    assert missing == []


def test_missing_pango_gives_a_french_error_naming_the_packages(monkeypatch):
    import builtins

    from dicom_desktop.html import tagged_pdf

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(DicomError) as err:
        tagged_pdf.export_tagged_pdf(DICOM_FILE, "/nonexistent/x.pdf")
    message = str(err.value)
    assert "Pango" in message and "libpango-1.0-0" in message and "libpangoft2-1.0-0" in message


def test_tagged_refuses_the_dossier(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dicom_desktop", "export-pdf", "--tagged", "--dossier",
                             "--scenario", "x", "-o", str(tmp_path / "x.pdf")], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2 and "--dossier" in result.stderr and "Traceback" not in result.stderr
