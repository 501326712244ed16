"""Finishing touches ReportLab's open-source edition cannot write, applied to the built PDF.

The printable notice and dossier stay untagged (that is ``export-pdf --tagged``), but they
should still open well in a reader and with assistive technologies: the document title shown
instead of the file name (``/DisplayDocTitle``), the bookmarks shown at opening
(``/PageMode /UseOutlines``), an XMP metadata stream (title, author, subject, language), and a
``/Contents`` description on every link annotation (« Aller à : Bureau des campagnes, page 4 »).
ReportLab resolves link destinations to a page and a position; the bookmark with the same
destination gives the words.
"""

from __future__ import annotations

import io
import warnings
from typing import Mapping


def _dest_key(pdf, dest) -> tuple | None:
    import pikepdf

    if isinstance(dest, pikepdf.Array) and len(dest) >= 1 and isinstance(dest[0], pikepdf.Dictionary):
        try:
            top = round(float(dest[3]), 1) if len(dest) > 3 else None
        except (TypeError, ValueError):  # /Fit, null
            top = None
        return dest[0].objgen, top
    return None


def _outline_titles(pdf) -> dict[tuple, str]:
    """(page objgen, top) → bookmark title, for every outline item (iterative walk)."""
    titles: dict[tuple, str] = {}
    outlines = pdf.Root.get("/Outlines")
    if outlines is None:
        return titles
    stack = [outlines.get("/First")]
    while stack:
        item = stack.pop()
        while item is not None:
            key = _dest_key(pdf, item.get("/Dest"))
            if key is not None and "/Title" in item:
                titles.setdefault(key, str(item.Title))
            if "/First" in item:
                stack.append(item.First)
            item = item.get("/Next")
    return titles


def finish_pdf(data: bytes, meta: Mapping[str, str]) -> bytes:
    """``data`` with DisplayDocTitle, UseOutlines, XMP metadata and described link annotations."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        prefs = root.get("/ViewerPreferences") or pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        root.ViewerPreferences = prefs
        if "/Outlines" in root:
            root.PageMode = pikepdf.Name.UseOutlines
        lang = meta.get("lang", "fr-FR")
        root.Lang = pikepdf.String(lang)
        page_numbers = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        titles = _outline_titles(pdf)
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != pikepdf.Name.Link or str(annot.get("/Contents", "")).strip():
                    continue
                annot.Contents = pikepdf.String(_describe(annot, titles, page_numbers))
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            with warnings.catch_warnings():  # « /Trapped has no XMP equivalent »: nothing to keep
                warnings.simplefilter("ignore", UserWarning)
                xmp.load_from_docinfo(pdf.docinfo)
            xmp["dc:language"] = [lang]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _describe(annot, titles: dict, page_numbers: dict) -> str:
    import pikepdf

    dest = annot.get("/Dest")
    action = annot.get("/A")
    if dest is None and action is not None:
        if action.get("/S") == pikepdf.Name.URI:
            return f"Lien externe : {action.URI}"
        dest = action.get("/D")
    key = _dest_key(None, dest) if dest is not None else None
    if key is None:
        return "Lien interne"
    page = page_numbers.get(key[0])
    title = titles.get(key)
    where = f", page {page}" if page else ""
    return f"Aller à : {title}{where}" if title else f"Aller à la page {page}" if page else "Lien interne"
