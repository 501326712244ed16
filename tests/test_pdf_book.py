"""The chart book: a direction page, then the units continued page after page (issue 15).

Read back from the real PDF: text per page (pdftotext), word heights (pdftotext -bbox), link
annotations and outline (pypdf).
"""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from dicom_desktop.chart.boxes import head_label
from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Organisation
from dicom_desktop.pdf import chartplan, export_notice_pdf
from dicom_desktop.pdf.chartbook import REF_ID
from dicom_desktop.pdf.chartpages import plan_chart
from dicom_desktop.pdf.chartplan import ChartTooLargeError
from dicom_desktop.wording import typographic as french
from dicom_desktop.synthetic import generate_organisation

A4_LANDSCAPE_FRAME = (770.0, 519.0)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def _texts(pdf, last):
    out = subprocess.run(["pdftotext", "-raw", "-l", str(last), str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [_norm(t) for t in out.split("\f")[:last]]


def _words(pdf, last):
    out = subprocess.run(["pdftotext", "-bbox", "-l", str(last), str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk)]
        for chunk in out.split("<page ")[1:]]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    data = generate_organisation(1000)
    out = tmp_path_factory.mktemp("book") / "book.pdf"
    report = export_notice_pdf(data, out)
    return data, out, report


def test_a_thousand_entities_make_a_book_of_readable_pages(book):
    data, out, report = book
    assert report.chart_mode == "book"
    assert 2 < report.chart_pages <= 40  # measured: 30 (the poster was 46 sheets + an overview)
    words = _words(out, report.chart_pages)
    assert min(y1 - y0 for page in words for _, y0, _, y1, _ in page) >= 6.99  # text ≥ 7 pt everywhere
    graph = OrgGraph.from_entities(data.entities, data.links)
    first_page = _texts(out, 1)[0]
    for eid in [graph.root, *graph.children(graph.root)]:
        assert _norm(french(graph.entity(eid).name)) in first_page


def test_every_entity_has_its_full_box_on_exactly_one_chart_page(book):
    data, out, report = book
    texts = _texts(out, report.chart_pages)
    for e in data.entities:
        box = _norm(f"{french(e.name)} {french(head_label(e.head_title, e.head_name, e.vacant))}")
        assert sum(box in t for t in texts) == 1, e.name


def test_every_continuation_mark_links_to_the_page_it_names(book):
    _, out, report = book
    reader = PdfReader(str(out))
    number = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    words = _words(out, report.chart_pages)
    forward = back = 0
    for index in range(report.chart_pages):
        page = reader.pages[index]
        height = float(page.mediabox.height)
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            dest = a.get("/Dest")
            if a.get("/Subtype") != "/Link" or not isinstance(dest, list):
                continue
            x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
            inside = " ".join(w for a0, b0, a1, b1, w in words[index]
                              if a0 >= x0 - 1 and a1 <= x1 + 1 and height - b1 >= y0 - 1 and height - b0 <= y1 + 1)
            m = re.search(r"([→←]|suite) p\. ?(\d+)", inside)
            if m is None:
                continue
            assert number[dest[0].idnum] == int(m.group(2)), (index + 1, inside)
            assert number[dest[0].idnum] <= report.chart_pages
            forward += m.group(1) == "→"
            back += m.group(1) == "←"
    assert forward >= report.chart_pages - 1 and back >= report.chart_pages - 1


def test_unit_pages_name_the_path_to_the_head_and_the_notice_follows(book):
    data, out, report = book
    texts = _texts(out, report.chart_pages + 1)
    head = _norm(french(data.entities[0].name))
    for text in texts[1:report.chart_pages]:
        assert re.search(r"Chemin : .*" + re.escape(head), text)
    reader = PdfReader(str(out))
    notice = [o for o in reader.outline if not isinstance(o, list) and o.title.startswith("Notice")]
    assert reader.get_destination_page_number(notice[0]) == report.chart_pages  # right after the chart


def test_plan_puts_each_box_once_and_bands_lead_to_its_unit():
    data = generate_organisation(2000, seed=3)
    graph = OrgGraph.from_entities(data.entities, data.links)
    plan = plan_chart(graph, Organisation(name="Essai"), A4_LANDSCAPE_FRAME)
    full: dict[str, int] = {}
    for i, page in enumerate(plan.pages):
        for did in page.geom.layout.boxes:
            if not did.startswith(REF_ID):
                assert did not in full, did
                full[did] = i
        for did, items in page.bands.items():
            for text, target in items:
                eid = did.removeprefix(REF_ID)
                if text.startswith("→"):
                    assert REF_ID + eid in plan.pages[target].geom.layout.boxes
                elif text.startswith("←"):
                    assert eid in plan.pages[target].geom.layout.boxes
        area = sum(b.w * b.h for b in page.geom.layout.boxes.values()) * page.scale ** 2
        assert page.geom.width * page.scale <= A4_LANDSCAPE_FRAME[0] + 1e-6
    assert set(full) == set(graph.preorder())
    assert area > 0


def test_tile_overview_names_the_first_levels_and_the_grid_is_capped(tmp_path, monkeypatch):
    data = generate_organisation(1000)
    out = tmp_path / "poster.pdf"
    report = export_notice_pdf(data, out, large_chart="tile")
    assert report.chart_mode == "tiled"
    overview = _texts(out, 1)[0]
    graph = OrgGraph.from_entities(data.entities, data.links)
    for eid in [graph.root, *graph.children(graph.root)]:
        assert _norm(french(graph.entity(eid).name)) in overview
    assert min(y1 - y0 for _, y0, _, y1, _ in _words(out, 1)[0]) >= 6.99
    monkeypatch.setattr(chartplan, "MAX_TILE_SIDE", 3)
    with pytest.raises(ChartTooLargeError, match="feuilles .* mode « book »"):
        export_notice_pdf(data, tmp_path / "too-big.pdf", large_chart="tile")


def test_notice_sections_match_the_chart_pages_and_are_listed_with_their_pages(book):
    data, out, report = book
    reader = PdfReader(str(out))
    outline = reader.outline
    at = next(i for i, o in enumerate(outline) if not isinstance(o, list) and o.title.startswith("Notice"))
    sections = [o for o in outline[at + 1] if not isinstance(o, list)]
    assert [int(o.title.split(".")[0]) for o in sections] == list(range(1, report.chart_pages + 1))
    toc = subprocess.run(["pdftotext", "-raw", "-f", str(report.chart_pages + 1), "-l", str(report.chart_pages + 2),
                          str(out), "-"], capture_output=True, text=True, check=True).stdout
    listed = {int(m.group(1)): int(m.group(2)) for m in re.finditer(r"^(\d+) .+ (\d+)$", toc, re.M)}
    for o in sections:
        assert listed[int(o.title.split(".")[0])] == reader.get_destination_page_number(o) + 1
    # Section 2 holds exactly the entities whose full box is on chart page 2.
    page2 = _texts(out, 2)[1]
    on_page = {e.name for e in data.entities
               if _norm(f"{french(e.name)} {french(head_label(e.head_title, e.head_name, e.vacant))}") in page2}
    items = outline[at + 1]
    entries = items[items.index(sections[1]) + 1]
    assert on_page and {o.title for o in entries} == on_page
