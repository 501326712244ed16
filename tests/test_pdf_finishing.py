"""The printable notice and dossier open well: title shown, bookmarks open, XMP, link texts (issue 11, item 3)."""

from __future__ import annotations

import pikepdf
import pytest

from dicom_desktop.pdf.dossier import export_dossier_pdf
from dicom_desktop.pdf.notice import export_notice_pdf

from .conftest import DICOM_FILE
from .test_pdf_dossier import EXAMPLE, FUSION


@pytest.fixture(scope="module")
def notice(tmp_path_factory):
    out = tmp_path_factory.mktemp("finishing") / "notice.pdf"
    export_notice_pdf(DICOM_FILE, out)
    return out


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    out = tmp_path_factory.mktemp("finishing") / "dossier.pdf"
    export_dossier_pdf(EXAMPLE, FUSION, out)
    return out


@pytest.mark.parametrize("which", ["notice", "dossier"])
def test_viewer_shows_the_title_and_the_bookmarks(which, request):
    with pikepdf.open(request.getfixturevalue(which)) as pdf:
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines
        assert str(pdf.Root.Lang) == "fr-FR"
        meta = pdf.open_metadata()
        assert meta.get("dc:title") == str(pdf.docinfo.Title)
        assert "fr-FR" in str(meta.get("dc:language"))


@pytest.mark.parametrize("which", ["notice", "dossier"])
def test_every_link_annotation_says_where_it_goes(which, request):
    with pikepdf.open(request.getfixturevalue(which)) as pdf:
        contents = [str(a.get("/Contents", "")) for page in pdf.pages for a in page.get("/Annots", [])
                    if a.get("/Subtype") == pikepdf.Name.Link]
    assert contents and all(c.startswith("Aller à") for c in contents), contents[:5]


def test_chart_box_links_name_their_section(notice):
    with pikepdf.open(notice) as pdf:
        contents = {str(a.Contents) for a in pdf.pages[0].get("/Annots", [])}
    assert any(c.startswith("Aller à : Bureau des campagnes, page ") for c in contents)
