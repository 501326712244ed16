"""The accessible web page: structure, text alternative, escaping, same geometry as the PDF."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from pydantic import ValidationError

from dicom_desktop.document import Document
from dicom_desktop.html.page import (
    SVG_MAX_ENTITIES,
    export_notice_html,
    render_notice_html,
)
from dicom_desktop.model import Entity, Link, Organisation, OrganisationFile
from dicom_desktop.synthetic import generate_organisation

from .conftest import DICOM_FILE, REPO
from .test_pdf import normalise, seed_sentences

SVG_NS = "{http://www.w3.org/2000/svg}"


class _Outline(HTMLParser):
    """Headings, ids, links, tree items and every tag seen, from the page as a browser parses it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tree_items: list[tuple[str, str]] = []  # (li id, href of its first link)
        self._heading: int | None = None
        self._text: list[str] = []
        self._pending_li: str | None = None
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if self._pending_li:
                self.tree_items.append((self._pending_li, a["href"]))
                self._pending_li = None
        if tag == "li" and a.get("id", "").startswith("arbre-"):
            self._pending_li = a["id"]
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, "".join(self._text).strip()))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)


def parse(html: str) -> _Outline:
    p = _Outline()
    p.feed(html)
    return p


def visible_text(html: str) -> str:
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", body))


@pytest.fixture(scope="module")
def dicom_html() -> str:
    return render_notice_html(Document.open(DICOM_FILE))


def test_page_is_french_self_contained_and_script_free(dicom_html):
    page = parse(dicom_html)
    assert page.lang == "fr"
    assert "script" not in page.tags and "iframe" not in page.tags and "link" not in page.tags
    assert not re.search(r"(src|href)=\"(https?:)?//", dicom_html)  # nothing loaded from a network
    assert re.search(r" on\w+=", dicom_html) is None
    assert "<title>Délégation à l’information et à la communication des ministères sociaux (DICOM) — " in dicom_html


def test_headings_follow_the_organisation_in_order(dicom_html):
    page = parse(dicom_html)
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"
    titles = [t for _, t in page.headings]
    assert titles[1:3] == ["Missions", "Organigramme"]
    notice = titles.index("Notice explicative de l’organigramme")
    doc = Document.open(DICOM_FILE)
    assert titles[notice + 1:] == [doc.graph.entity(e).name for e in doc.graph.preorder()]
    # the bureau des ressources sits one level under the secrétariat général
    assert dict((t, lvl) for lvl, t in page.headings)["Bureau des ressources"] == 5


def test_update_date_and_legal_basis_at_the_top(dicom_html):
    top = dicom_html[: dicom_html.index('id="missions"')]
    assert 'Mis à jour le <time datetime="2024-09-23">23\u00a0septembre\u00a02024</time>' in top
    assert "article 9 du décret n°\u00a02013-727 du 12\u00a0août\u00a02013" in top


def test_every_sentence_of_the_source_notice_is_on_the_page(dicom_html):
    text = normalise(visible_text(dicom_html))
    missing = [s for s in seed_sentences() if normalise(s) not in text]
    assert missing == []
    doc = Document.open(DICOM_FILE)
    for paragraph in doc.organisation.missions + [doc.organisation.legal_basis]:
        assert normalise(paragraph) in text


def test_text_alternative_is_nested_lists_each_item_a_link_to_its_section(dicom_html):
    page = parse(dicom_html)
    doc = Document.open(DICOM_FILE)
    assert len(page.tree_items) == len(doc.graph)
    for li, href in page.tree_items:
        assert href.startswith("#") and href[1:] in page.ids
        assert f'href="#{li}"' in dicom_html, "the section does not link back to the tree"
    tree = dicom_html[dicom_html.index('id="version-texte"'):dicom_html.index('id="notice"')]
    # the bureau des ressources is in a list inside the secrétariat général's item
    sg = tree.index(">Secrétariat général</a>")
    assert tree.index("<ul>", sg) < tree.index(">Bureau des ressources</a>") < tree.index("</ul>", sg)
    assert "en lien fonctionnel avec" in tree


def test_chart_is_an_image_with_a_name_and_a_link_to_its_text_alternative(dicom_html):
    svg = re.search(r"<svg\b.*?</svg>", dicom_html, re.S).group()
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    names = {el.get("id"): el.text for el in root if el.tag in (SVG_NS + "title", SVG_NS + "desc")}
    assert root.get("aria-labelledby") in names and "DICOM" in names[root.get("aria-labelledby")]
    assert "version texte" in names[root.get("aria-describedby")]
    assert '<a href="#version-texte">Version texte de l’organigramme</a>' in dicom_html
    legend = dicom_html[dicom_html.index('class="legend"'):]
    assert "Lien fonctionnel : trait pointillé" in legend  # said in words, not by colour alone


def test_svg_draws_the_shared_geometry(dicom_html):
    from dicom_desktop.chart.geometry import chart_geometry

    doc = Document.open(DICOM_FILE)
    geom = chart_geometry(doc.graph)
    root = ET.fromstring(re.search(r"<svg\b.*?</svg>", dicom_html, re.S).group())
    rects = {(float(r.get("x")), float(r.get("y")), float(r.get("width"))) for r in root.iter(SVG_NS + "rect")}
    expected = {(round(b.x, 1), round(b.y, 1), round(b.w, 1)) for b in geom.layout.boxes.values()}
    assert rects == expected
    lines = [t.text for t in root.iter(SVG_NS + "text")]
    for content in geom.contents.values():
        for line in content.name_lines:
            assert line in lines
    assert any(p.get("stroke-dasharray") == "1.2 2.2" for p in root.iter(SVG_NS + "path"))  # functional links


HOSTILE = "<script>alert('x')</script> & ]]> \u202eevil\u202c 🎉 \"q\""


def hostile_doc() -> Document:
    """Names and texts an attacker might write. The model refuses bidi controls in a file, so the
    document is built without validation: the page must stay inert even if one got through."""
    org = Organisation.model_construct(name=HOSTILE, acronym="<b>&", missions=[HOSTILE], legal_basis=HOSTILE,
                                       updated=None, source="", notes="")
    base = Entity(id="x", name="x").model_dump()
    entities = [
        Entity.model_construct(**{**base, "id": "r", "name": HOSTILE, "kind": "<i>kind</i>", "attributions": [HOSTILE],
                                  "head_title": HOSTILE, "legal_reference": HOSTILE}),
        Entity.model_construct(**{**base, "id": "<a>", "name": "]]><svg onload=alert(1)>", "kind": "bureau",
                                  "parent": "r", "attributions": ["x & y"]}),
    ]
    links = [Link(source="r", target="<a>", label="<img src=x onerror=alert(1)>")]
    data = OrganisationFile.model_construct(schema_version=1, organisation=org, entities=entities, links=links,
                                            scenarios=[])
    return Document.from_file_model(data)


def test_the_model_refuses_bidi_controls_in_a_file():
    with pytest.raises(ValidationError):
        Entity(id="e", name="a\u202eb")


def test_hostile_names_stay_inert_text_in_html_and_svg():
    html = render_notice_html(hostile_doc())
    page = parse(html)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags and "i" not in page.tags
    assert page.tags.count("svg") == 1
    assert "&lt;script&gt;" in html and "&amp;" in html and "]]&gt;" in html
    assert "onload=alert" not in html.replace("onload=alert(1)&gt;", "")  # only as escaped text
    assert re.search(r"<[^>]*\bon(load|error)=", html) is None
    svg = re.search(r"<svg\b.*?</svg>", html, re.S).group()
    root = ET.fromstring(svg)  # well-formed XML despite « ]]> » and « < »
    texts = "".join(t.text or "" for t in root.iter(SVG_NS + "text"))
    assert "<script>" in texts.replace("\u00a0", " ").replace("\u202f", " ") or "<script>" in texts
    assert "🎉" in html and "\u202e" in html
    # a bidi override cannot reorder what follows the name: it is isolated
    assert re.search(r"<bdi>[^<]*\u202eevil", html) and "<bdi>" not in render_notice_html(Document.open(DICOM_FILE))


def test_large_chart_draws_top_levels_and_keeps_every_entity_in_the_lists():
    doc = Document.from_file_model(generate_organisation(1000))
    html = render_notice_html(doc)
    page = parse(html)
    svg = re.search(r"<svg\b.*?</svg>", html, re.S).group()
    boxes = svg.count("<rect ")
    assert 1 < boxes <= SVG_MAX_ENTITIES
    assert len(page.tree_items) == 1000
    assert "premiers niveaux de l’organigramme" in html
    assert sum(1 for h in page.hrefs if h.startswith("#arbre-")) == 1000  # each section links back


def test_export_html_command_writes_the_page(tmp_path):
    out = tmp_path / "notice.html"
    result = subprocess.run([sys.executable, "-m", "dicom_desktop", "export-html", "-o", str(out)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Page écrite" in result.stdout and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    scenario_file = REPO / "dicom_desktop" / "resources" / "examples" / "dicom-scenarios.json"
    out2 = tmp_path / "scenario.html"
    result = subprocess.run([sys.executable, "-m", "dicom_desktop", "export-html", str(scenario_file),
                             "--scenario", "campagnes-adjoints-fusion-veille-influence", "-o", str(out2)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "scénario" in out2.read_text(encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "dicom_desktop", "export-html", "-o",
                          str(tmp_path / "absent" / "x.html")], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and "Impossible d’écrire la page" in bad.stderr and "Traceback" not in bad.stderr


def test_export_leaves_no_partial_file(tmp_path):
    out = tmp_path / "n.html"
    report = export_notice_html(DICOM_FILE, out)
    assert report.entities == 10 and out.stat().st_size == report.bytes
    assert [p.name for p in tmp_path.iterdir()] == ["n.html"]
