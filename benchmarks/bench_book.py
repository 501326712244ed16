"""The chart book of large organisations, measured on the printed PDF (issue 15).

Run: ``python benchmarks/bench_book.py [--sizes 1000,10000] [--papers A4,A3] [--shapes synthetic,deep,wide,bureaux]``.

For each organisation shape, size and paper (landscape chart pages), exports the notice (chart
+ notice) and reads the PDF back:

- chart pages, export time (wall and CPU);
- smallest text on the chart pages: the least word height of ``pdftotext -bbox`` (poppler gives
  the font size as the height: the 7.5 pt footer reads 7.5);
- average fill: the area of the boxes printed on a chart page over the page's chart frame;
- page 1 names the head and every first-level unit (text of page 1);
- every entity's full box (name then head line) on exactly one chart page (text of each page);
- every continuation mark « → p. N » / « ← p. N » a link (pypdf) to page N;
- the « Notice » bookmark on the page right after the chart pages.

Shapes: ``synthetic`` is ``benchmarks/generate.py`` (2–8 children per unit); ``deep`` is a
binary tree (14 levels at 10,000); ``wide`` has 60 first-level units; ``bureaux`` has a few
bureaux of several hundred cells each.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from dicom_desktop.chart.boxes import head_label
from dicom_desktop.document import Document
from dicom_desktop.model import SCHEMA_VERSION, Entity, Organisation, OrganisationFile
from dicom_desktop.pdf import export_notice_pdf
from dicom_desktop.pdf.chartpages import plan_chart
from dicom_desktop.pdf.notice import PAGE_SIZES, _frame_rect
from dicom_desktop.wording import typographic as french
from dicom_desktop.synthetic import generate_organisation

KINDS = ["direction", "service", "sous-direction", "bureau", "pôle", "cellule"]


def shaped_organisation(shape: str, size: int) -> OrganisationFile:
    """A synthetic organisation of ``size`` entities with the given shape."""
    if shape == "synthetic":
        return generate_organisation(size)
    parents: list[int | None] = [None]
    if shape == "deep":  # binary tree
        parents += [(i - 1) // 2 for i in range(1, size)]
    elif shape == "wide":  # 60 first-level units, then 4 children each, breadth first
        first = min(60, size - 1)
        parents += [0] * first
        parents += [1 + (i - 1 - first) // 4 for i in range(1 + first, size)]
    elif shape == "bureaux":  # 4 directions × 3 sous-directions × 3 bureaux, the rest cells in 5 bureaux
        parents += [0] * 4 + [1 + i // 3 for i in range(12)] + [5 + i // 3 for i in range(36)]
        big = [17 + 7 * k for k in range(5)]
        parents += [big[i % 5] for i in range(size - len(parents))]
        parents = parents[:size]
    else:
        raise SystemExit(f"forme inconnue : {shape}")
    depth = [0] * size
    entities = []
    order: dict[int, int] = {}
    for i, p in enumerate(parents):
        if p is not None:
            depth[i] = depth[p] + 1
        kind = KINDS[min(depth[i], len(KINDS) - 1)]
        order[p] = order.get(p, -1) + 1
        entities.append(Entity(id=f"e{i}", name=f"{kind.capitalize()} d’essai n° {i}", kind=kind,
                               parent=None if p is None else f"e{p}", order=order[p],
                               head_title="Responsable", attributions=[f"Attributions de l’entité {i}."]))
    org = Organisation(name=f"Organisation {shape} de {size} entités", acronym="FORME", missions=[])
    return OrganisationFile(schema_version=SCHEMA_VERSION, organisation=org, entities=entities, links=[])


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def page_texts(pdf: Path, last: int) -> list[str]:
    out = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", str(last), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [_norm(t) for t in out.split("\f")[:last]]


def smallest_text(pdf: Path, last: int) -> float:
    heights = [y1 - y0 for page in _words_by_page(pdf, last) for _, y0, _, y1, _ in page]
    return min(heights) if heights else 0.0


def _words_by_page(pdf: Path, last: int) -> list[list[tuple[float, float, float, float, str]]]:
    """Words of each page from ``pdftotext -bbox`` (x0, y0, x1, y1 from the top-left corner)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", str(last), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk)])
    return pages


def check_links(pdf: Path, chart_pages: int) -> tuple[int, int]:
    """(marks whose link leads to the page their number names, marks) on the chart pages."""
    reader = PdfReader(str(pdf))
    number = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    words = _words_by_page(pdf, chart_pages)
    ok = total = 0
    for index in range(chart_pages):
        page = reader.pages[index]
        height = float(page.mediabox.height)
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            dest = a.get("/Dest")
            if dest is None and "/A" in a:
                dest = a["/A"].get("/D")
            if not isinstance(dest, list) or not dest:
                continue
            x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
            inside = " ".join(w for a0, b0, a1, b1, w in words[index]
                              if a0 >= x0 - 1 and a1 <= x1 + 1 and height - b1 >= y0 - 1 and height - b0 <= y1 + 1)
            m = re.search(r"p\.\s*(\d+)", inside)
            if not m:
                continue  # a box's link to the notice or a breadcrumb name
            total += 1
            ok += int(number.get(dest[0].idnum) == int(m.group(1)))
    return ok, total


def measure(shape: str, size: int, paper: str, tmp: Path) -> dict:
    data = shaped_organisation(shape, size)
    doc = Document.from_file_model(data)
    pdf = tmp / f"{shape}-{size}-{paper}.pdf"
    t0, c0 = time.perf_counter(), time.process_time()
    report = export_notice_pdf(doc, pdf, page_size=paper)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = report.chart_pages
    from reportlab.lib.pagesizes import landscape

    _, _, cw, ch = _frame_rect(landscape(PAGE_SIZES[paper]))
    plan = plan_chart(doc.graph, doc.organisation, (cw, ch))
    fills = [sum(b.w * b.h for b in p.geom.layout.boxes.values()) * p.scale ** 2 / (cw * ch) for p in plan.pages]
    texts = page_texts(pdf, n)
    graph = doc.graph
    first = [graph.root] + [c for c in graph.children(graph.root)]
    names_p1 = sum(1 for e in first if _norm(french(graph.entity(e).name)) in texts[0])
    once = 0
    for eid in graph.preorder():
        e = graph.entity(eid)
        box = _norm(f"{french(e.name)} {french(head_label(e.head_title, e.head_name, e.vacant))}")
        once += int(sum(1 for t in texts if box in t) == 1)
    links_ok, links = check_links(pdf, n)
    reader = PdfReader(str(pdf))
    notice_page = next((reader.get_destination_page_number(o) + 1 for o in reader.outline
                        if not isinstance(o, list) and o.title.startswith("Notice")), None)
    return dict(shape=shape, size=size, paper=paper, mode=report.chart_mode, pages=n, total=report.pages,
                wall=wall, cpu=cpu, smallest=smallest_text(pdf, n), fill=sum(fills) / len(fills),
                p1=f"{names_p1}/{len(first)}", once=f"{once}/{len(graph)}", links=f"{links_ok}/{links}",
                notice=notice_page == n + 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--papers", default="A4,A3")
    parser.add_argument("--shapes", default="synthetic,deep,wide,bureaux")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}")
    head = ("shape", "size", "paper", "mode", "chart p.", "all p.", "wall s", "cpu s", "min text pt",
            "avg fill", "p.1 names", "one full box", "marks → page", "Notice after chart")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                for paper in args.papers.split(","):
                    r = measure(shape, size, paper, Path(tmp))
                    print(f"| {r['shape']} | {r['size']} | {r['paper']} | {r['mode']} | {r['pages']} | {r['total']} | "
                          f"{r['wall']:.2f} | {r['cpu']:.2f} | {r['smallest']:.2f} | {r['fill']:.0%} | {r['p1']} | "
                          f"{r['once']} | {r['links']} | {'yes' if r['notice'] else 'no'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
