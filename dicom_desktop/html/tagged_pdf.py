"""The notice as a tagged PDF (PDF/UA-1): WeasyPrint prints the web page, pikepdf completes it.

ReportLab's open-source edition cannot write a structure tree; WeasyPrint tags what it renders
(headings, paragraphs, lists, links, the SVG as a Figure) when asked for ``pdf/ua-1``. What it
leaves out or does loosely is completed here on the written file:

* ``/Lang`` is the region form ``fr-FR``; the outline is shown at opening (``/PageMode``);
* the chart's ``Figure`` gets an ``/Alt`` text that summarises it and points to the list;
* every link annotation gets a ``/Contents`` in words (WeasyPrint writes the raw anchor name);
* a list nested in a list item sometimes lands beside the item (``L`` inside ``L``): it is moved
  back into the item's body, so assistive technologies read the hierarchy as nested lists.

WeasyPrint needs the Pango library from the system: its absence is reported in French with the
Debian packages to install.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from dicom_desktop.errors import DicomError

PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
LANG = "fr-FR"


class TaggedPdfError(DicomError):
    """The tagged PDF cannot be produced (library missing, file not writable)."""


@dataclass
class TaggedPdfReport:
    path: Path
    pages: int
    entities: int
    seconds: float


def default_tagged_path(organisation, suffix: str = "", source: Path | None = None) -> Path:
    """``<SIGLE>-<date>-notice-accessible.pdf``, beside the printable notice."""
    from dicom_desktop.pdf.notice import default_output_path

    plain = default_output_path(organisation, source=source)
    return plain.with_name(f"{plain.stem}{'-' + suffix if suffix else ''}-accessible.pdf")


def _weasyprint():
    """Import WeasyPrint, or explain in French what the system lacks."""
    try:
        import weasyprint
    except (OSError, ImportError) as exc:  # cffi cannot load libpango / libgobject
        raise TaggedPdfError(
            "Le PDF balisé (accessible) est produit par WeasyPrint, qui a besoin de la bibliothèque "
            f"Pango du système ({exc}). Installez-la, par exemple sous Debian ou Ubuntu : "
            f"« sudo apt-get install {PANGO_PACKAGES} », puis relancez la commande. "
            "La notice imprimable (dicom-desktop export-pdf sans --tagged) reste disponible."
        ) from None
    return weasyprint


def link_descriptions(context: dict) -> dict[str, str]:
    """Anchor name → what a link to it does, in words (the annotation's ``/Contents``)."""
    out = {"contenu": "Aller au contenu", "version-texte": "Version texte de l’organigramme",
           "organigramme": "Organigramme", "missions": "Missions", "notice": "Notice explicative de l’organigramme"}
    for s in context["sections"]:
        name = str(s.name)
        out[s.anchor] = f"Section de la notice : {_unescape(name)}"
        out[s.tree_anchor] = f"Retour à l’organigramme (version texte) : {_unescape(name)}"
    return out


def _unescape(markup: str) -> str:
    from html import unescape

    return unescape(markup)


def figure_alt(context: dict) -> str:
    chart = context["chart"]
    if not chart:
        return ""
    svg = str(chart["svg"])
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    return ". ".join(_unescape(m.group(1)) for m in (title, desc) if m)


def export_tagged_pdf(source, out_path) -> TaggedPdfReport:
    """Write the PDF/UA-1 notice of ``source`` (Document, OrganisationFile or path) to ``out_path``."""
    from dicom_desktop.pdf.notice import _as_document

    from .page import _environment, notice_context, write_text_atomically

    started = time.perf_counter()
    weasyprint = _weasyprint()
    doc = _as_document(source)
    context = notice_context(doc, for_print=True)
    html = _environment().get_template("notice.html.j2").render(**context)
    out_path = Path(out_path)
    import io

    raw = io.BytesIO()
    weasyprint.HTML(string=html, base_url=str(Path.cwd())).write_pdf(
        raw, pdf_variant="pdf/ua-1", pdf_identifier=None, uncompressed_pdf=False,
    )
    data, pages = complete_structure(raw.getvalue(), link_descriptions(context), figure_alt(context))
    write_text_atomically(out_path, data, "le PDF", inputs=[getattr(doc, "path", None)])
    return TaggedPdfReport(out_path, pages, len(doc.graph), time.perf_counter() - started)


def complete_structure(data: bytes, links: dict[str, str], alt: str) -> tuple[bytes, int]:
    """Apply the completions listed in the module docstring; return the new bytes and page count."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        root.Lang = pikepdf.String(LANG)
        root.PageMode = pikepdf.Name.UseOutlines if "/Outlines" in root else pikepdf.Name.UseNone
        prefs = root.get("/ViewerPreferences") or pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        root.ViewerPreferences = prefs
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != pikepdf.Name.Link:
                    continue
                anchor = str(annot.get("/Contents", ""))
                annot.Contents = pikepdf.String(links.get(anchor, anchor and f"Lien : {anchor}" or "Lien"))
        tree = root.get("/StructTreeRoot")
        if tree is not None:
            for node in _walk(tree):
                role = node.get("/S")
                if role == pikepdf.Name.Figure and alt:
                    node.Alt = pikepdf.String(alt)
                elif role == pikepdf.Name.L:
                    _nest_stray_lists(node)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:language"] = [LANG]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue(), len(pdf.pages)


def _kids(node) -> list:
    import pikepdf

    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _walk(node):
    import pikepdf

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, pikepdf.Dictionary):
            if "/S" in current:
                yield current
            stack.extend(reversed([k for k in _kids(current) if isinstance(k, pikepdf.Dictionary)]))


def _nest_stray_lists(lst) -> None:
    """``L`` directly inside ``L``: move it into the previous item's ``LBody`` (its real parent)."""
    import pikepdf

    kids = _kids(lst)
    if not any(isinstance(k, pikepdf.Dictionary) and k.get("/S") == pikepdf.Name.L for k in kids):
        return
    kept: list = []
    for kid in kids:
        is_list = isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == pikepdf.Name.L
        previous = kept[-1] if kept else None
        if is_list and previous is not None and previous.get("/S") == pikepdf.Name.LI:
            body = next((k for k in _kids(previous) if isinstance(k, pikepdf.Dictionary)
                         and k.get("/S") == pikepdf.Name.LBody), None)
            if body is None:
                body = previous
            body.K = pikepdf.Array(_kids(body) + [kid])
            kid.P = body
            continue
        kept.append(kid)
    lst.K = pikepdf.Array(kept)
