"""``dicom-desktop export-html [FICHIER] [-o SORTIE.html] [--scenario S]``: the accessible web page."""

from __future__ import annotations

import argparse
from pathlib import Path

from dicom_desktop.files.paths import DEFAULT_ORGANISATION


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export-html",
        help="publier la notice en page web accessible (HTML autonome, sans script)",
        description="Écrit la notice explicative en une page HTML5 autonome et accessible (RGAA, WCAG 2.1 AA) : "
        "organigramme en SVG avec sa version texte, puis une section par entité.",
    )
    p.add_argument("file", type=Path, nargs="?", default=DEFAULT_ORGANISATION,
                   help="fichier d’organisation, ou FICHIER.json#scénario (par défaut : l’organigramme de la DICOM)")
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="page à écrire (par défaut : <SIGLE>-<date>-notice.html à côté du fichier ou dans Documents ; "
                   "exports/ dans une copie de développement)")
    p.add_argument("--scenario", metavar="NOM", default=None,
                   help="scénario du fichier (id ou nom) : la page de l’organisation telle que le scénario la ferait")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dicom_desktop.cli.arguments import publication_document

    from dicom_desktop.html.page import default_html_path, export_notice_html

    doc, suffix, source = publication_document(args)
    out = args.output
    if out is None:
        out = default_html_path(doc.organisation, source)
        if suffix:
            out = out.with_name(f"{out.stem}-{suffix}{out.suffix}")
        out.parent.mkdir(parents=True, exist_ok=True)
    report = export_notice_html(doc, out)
    shown = "organigramme complet" if report.svg_entities >= report.entities else \
        f"organigramme réduit aux premiers niveaux ({report.svg_entities} entités dessinées)"
    print(f"Page écrite : {report.path} ({report.entities} entités ; {shown} ; {report.bytes // 1024} Ko)")
    return 0
