"""``dicom-desktop export-html [FICHIER] [-o SORTIE.html] [--scenario S]``: the accessible web page."""

from __future__ import annotations

import argparse

from dicom_desktop.cli.arguments import (
    ORGANISATION_OR_SCENARIO, add_organisation_file, add_output, add_scenario, default_place,
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export-html",
        help="publier la notice en page web accessible (HTML autonome, sans script)",
        description="Écrit la notice explicative en une page HTML5 autonome et accessible (RGAA, WCAG 2.1 AA) : "
        "organigramme en SVG avec sa version texte, puis une section par entité.",
    )
    add_organisation_file(p, ORGANISATION_OR_SCENARIO)
    add_output(p, default_place("page", "<SIGLE>-<date>-notice.html"))
    add_scenario(p, "scénario du fichier (id ou nom) : la page de l’organisation telle que le scénario la ferait")
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
