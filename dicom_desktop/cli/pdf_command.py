"""``dicom-desktop export-pdf``: the printable notice of an organisation file, headless.

``--scenario NOM`` (or ``FICHIER.json#NOM``) exports the notice of the organisation as that
scenario would make it; ``--dossier`` adds the before/after reorganisation dossier instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dicom_desktop.cli.arguments import (
    ORGANISATION_OR_SCENARIO,
    add_organisation_file,
    add_output,
    add_scenario,
    default_place,
    file_and_scenario,
    publication_document,
    scenario_slug,
)
from dicom_desktop.files.outputs import make_parent
from dicom_desktop.pdf.page_options import LARGE_CHART_CHOICES, ORIENTATION_CHOICES, PAGE_SIZE_CHOICES
from dicom_desktop.wording import plural


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export-pdf",
        help="exporter l’organigramme et sa notice explicative en PDF",
        description="Exporte l’organigramme (dessin vectoriel) puis la notice explicative "
        "(missions et attributions de chaque entité) dans un PDF imprimable.",
    )
    add_organisation_file(p, ORGANISATION_OR_SCENARIO)
    add_output(p, default_place("PDF", "<SIGLE>-<date>-notice.pdf"))
    p.add_argument("--page-size", choices=PAGE_SIZE_CHOICES, default="A4", help="format du papier (A4 par défaut)")
    p.add_argument("--orientation", choices=ORIENTATION_CHOICES, default="landscape",
                   help="orientation des pages de l’organigramme (paysage par défaut)")
    p.add_argument("--large-chart", choices=LARGE_CHART_CHOICES, default="book",
                   help="organigramme trop grand pour une page lisible : « book » (par défaut : page de "
                   "direction puis une page par unité, avec renvois cliquables), « tile » (poster en "
                   "feuilles à assembler) ou « branches » (une page par département)")
    add_scenario(p, "scénario du fichier (id ou nom) : notice de l’organisation telle que le scénario la ferait")
    p.add_argument("--dossier", action="store_true",
                   help="avec --scenario : dossier de réorganisation avant/après (organigrammes actuel et projeté, "
                   "tableau des changements, attributions modifiées mot à mot)")
    p.add_argument("--tagged", action="store_true",
                   help="PDF balisé accessible (PDF/UA-1, lu par les lecteurs d’écran) imprimé depuis la page web "
                   "de la notice, pour la publication ; demande la bibliothèque Pango du système")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dicom_desktop.document import Document

    if args.tagged:
        return _run_tagged(args)

    from dicom_desktop.pdf.notice import default_output_path, export_notice_pdf

    path, wanted = file_and_scenario(str(args.file), args.scenario)
    from dicom_desktop.chart.glyphs import missing_glyph_warnings
    from dicom_desktop.files.outputs import check_output
    from dicom_desktop.text_rules import neutralise_for_terminal

    if args.output is not None:
        check_output(args.output, inputs=[path])  # before the long work
    doc = Document.open(path)
    for warning in [*doc.warnings, *missing_glyph_warnings(doc.to_file_model())]:
        print(neutralise_for_terminal(f"Avertissement : {warning}"), file=sys.stderr)
    if wanted is not None or args.dossier:
        return _run_scenario(args, doc, path, wanted)
    out = args.output
    if out is None:
        out = default_output_path(doc.organisation, source=path)
        make_parent(out)
    report = export_notice_pdf(doc, out, page_size=args.page_size, orientation=args.orientation,
                               large_chart=args.large_chart)
    mode = {
        "single": "organigramme sur une page",
        "tiled": f"organigramme en {report.tiles} feuilles à assembler, plus une vue d’ensemble",
        "branches": f"organigramme en {report.chart_pages} pages (une par branche)",
        "book": f"organigramme en {report.chart_pages} pages (direction, puis une page par unité)",
        "none": "aucune entité à dessiner",
    }[report.chart_mode]
    print(f"PDF écrit : {report.path} ({report.pages} pages ; {mode} ; {report.entities} entités)")
    return 0


def _run_tagged(args: argparse.Namespace) -> int:
    """``--tagged``: the PDF/UA-1 notice, printed by WeasyPrint from the web page."""
    from dicom_desktop.errors import DicomError
    from dicom_desktop.html.tagged_pdf import default_tagged_path, export_tagged_pdf

    if args.dossier:
        raise DicomError("L’option --tagged produit la notice accessible ; le dossier de réorganisation "
                         "(--dossier) n’existe qu’en PDF imprimable : retirez l’une des deux options.")
    doc, suffix, source = publication_document(args)
    out = args.output
    if out is None:
        out = default_tagged_path(doc.organisation, suffix, source)
        out.parent.mkdir(parents=True, exist_ok=True)
    report = export_tagged_pdf(doc, out)
    print(f"PDF balisé écrit : {report.path} (PDF/UA-1 ; {report.pages} pages ; {report.entities} entités)")
    return 0


def _run_scenario(args: argparse.Namespace, doc, path: Path, wanted: str | None) -> int:
    """``--scenario`` (notice of the projected organisation) and ``--dossier`` (before/after)."""
    from dicom_desktop.errors import DicomError
    from dicom_desktop.scenarios import find_scenario, scenario_document

    from dicom_desktop.pdf.notice import default_output_path, export_notice_pdf

    if wanted is None:
        known = ", ".join(f"« {s.name} » ({s.id})" for s in doc.scenarios[:20])
        raise DicomError("L’option --dossier demande un scénario : --scenario NOM ou FICHIER.json#NOM"
                         + (f". Scénarios disponibles : {known}." if known else
                            f" ; « {path} » ne contient aucun scénario."))
    scenario = find_scenario(doc.scenarios, wanted, where=f"« {path} »")
    if args.dossier:
        from dicom_desktop.pdf.dossier import default_dossier_path, export_dossier_pdf

        out = args.output or default_dossier_path(doc.organisation, scenario, source=path)
        if args.output is None:
            make_parent(out)
        dossier = export_dossier_pdf(doc, scenario.id, out, page_size=args.page_size,
                                    orientation=args.orientation, large_chart=args.large_chart)
        print(f"PDF écrit : {dossier.path} (dossier de réorganisation « {dossier.scenario_name} » ; "
              f"{dossier.pages} pages ; {plural(dossier.changes, 'changement')})")
        return 0
    variant = scenario_document(doc, scenario.id)
    org = doc.organisation
    label = f"scénario « {scenario.name} » (projet)"
    # Rendering copy only: the title line of the notice says which scenario it shows.
    variant.organisation = org.model_copy(update={"acronym": f"{org.acronym} — {label}" if org.acronym else label,
                                                  "updated": None})
    out = args.output
    if out is None:
        plain = default_output_path(org, source=path)
        out = plain.with_name(f"{plain.stem}-{scenario_slug(scenario.id)}.pdf")
        make_parent(out)
    report = export_notice_pdf(variant, out, page_size=args.page_size, orientation=args.orientation,
                               large_chart=args.large_chart, sources=(path,))
    print(f"PDF écrit : {report.path} (notice du scénario « {scenario.name} » ; {report.pages} pages ; "
          f"{report.entities} entités)")
    return 0
