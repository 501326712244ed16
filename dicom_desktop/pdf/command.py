"""``dicom-desktop export-pdf``: the printable notice of an organisation file, headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dicom_desktop.paths import DEFAULT_ORGANISATION


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export-pdf",
        help="exporter l’organigramme et sa notice explicative en PDF",
        description="Exporte l’organigramme (dessin vectoriel) puis la notice explicative "
        "(missions et attributions de chaque entité) dans un PDF imprimable.",
    )
    p.add_argument("file", type=Path, nargs="?", default=DEFAULT_ORGANISATION,
                   help="fichier d’organisation (par défaut : l’organigramme de la DICOM)")
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="PDF à écrire (par défaut : exports/<SIGLE>-<date>-notice.pdf)")
    p.add_argument("--page-size", choices=("A4", "A3"), default="A4", help="format du papier (A4 par défaut)")
    p.add_argument("--orientation", choices=("portrait", "landscape"), default="landscape",
                   help="orientation des pages de l’organigramme (paysage par défaut)")
    p.add_argument("--large-chart", choices=("tile", "branches"), default="tile",
                   help="organigramme trop grand pour une page lisible : « tile » (assemblage de "
                   "feuilles) ou « branches » (une page par département)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dicom_desktop.document import Document

    from .notice import default_output_path, export_notice_pdf

    doc = Document.open(args.file)
    for warning in doc.warnings:
        print(f"Avertissement : {warning}", file=sys.stderr)
    out = args.output
    if out is None:
        out = default_output_path(doc.organisation)
        out.parent.mkdir(parents=True, exist_ok=True)
    report = export_notice_pdf(doc, out, page_size=args.page_size, orientation=args.orientation,
                               large_chart=args.large_chart)
    mode = {
        "single": "organigramme sur une page",
        "tiled": f"organigramme en {report.tiles} feuilles à assembler, plus une vue d’ensemble",
        "branches": f"organigramme en {report.chart_pages} pages (une par branche)",
        "none": "aucune entité à dessiner",
    }[report.chart_mode]
    print(f"PDF écrit : {report.path} ({report.pages} pages ; {mode} ; {report.entities} entités)")
    return 0
