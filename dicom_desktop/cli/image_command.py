"""``dicom-desktop export-image [FILE] -o OUT.svg|OUT.png [--scale N] [--branch ID]``: the chart as an image.

The drawing is the editor's (Qt, offscreen when there is no display), so this module only parses
arguments and imports the Qt side when the command runs: importing it keeps the core Qt-free.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dicom_desktop.errors import DicomError
from dicom_desktop.cli.arguments import add_organisation_file, add_output
from dicom_desktop.wording import plural

IMAGE_SUFFIXES = (".svg", ".png")
MAX_SCALE = 16.0


def parse_scale(text: str) -> float:
    """« 2 », « 1.5 » or « 1,5 » → a float in (0, 16]; otherwise a French error."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise DicomError(f"Échelle « {text} » invalide : attendu un nombre, par exemple 2 (144 dpi) ou 4.") from None
    if not 0.1 <= value <= MAX_SCALE or value != value:
        raise DicomError(f"Échelle « {text} » invalide : attendu un nombre entre 0,1 et {MAX_SCALE:g}.")
    return value


def cmd_export_image(args: argparse.Namespace) -> int:
    output: Path = args.output
    if output.suffix.lower() not in IMAGE_SUFFIXES:
        raise DicomError(f"« {output} » : extension .svg ou .png attendue pour l’image.")
    scale = parse_scale(args.scale)
    if output.suffix.lower() == ".svg" and args.scale != "2":
        print("Remarque : --scale ne s’applique qu’au PNG (le SVG est vectoriel).")
    from dicom_desktop.document import Document

    doc = Document.open(args.file)  # OrganisationFileError (French) goes to the CLI as is
    if args.branch is not None and args.branch not in doc.graph:
        raise DicomError(f"L’entité « {args.branch} » n’existe pas dans « {args.file} ».")
    from dicom_desktop.ui import app as ui_app  # the ui package guards PySide6 first

    ui_app.ensure_platform()
    ui_app.create_application()
    from dicom_desktop.ui.chart.image_export import export_image

    result = export_image(doc.graph, output, scale=scale, branch=args.branch, orientation=args.orientation,
                          title=doc.organisation.name, sources=(args.file,))
    unit = "points" if result.format == "svg" else "pixels"
    print(f"Image enregistrée : {result.path} ({result.width} × {result.height} {unit}, "
          f"{plural(result.boxes, 'entité')})")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export-image",
        help="exporter l’organigramme en image SVG ou PNG (sans écran)",
        description="Dessine l’organigramme comme l’éditeur (mêmes cadres, couleurs, textes, liens) dans une image "
        "SVG (vectorielle, texte sélectionnable) ou PNG (à l’échelle choisie, fond blanc).",
    )
    add_organisation_file(p)
    add_output(p, "image à écrire (.svg ou .png)", required=True)
    p.add_argument("--scale", default="2", metavar="N",
                   help="pixels par point pour le PNG (par défaut 2, soit 144 dpi ; 4 pour l’impression)")
    p.add_argument("--branch", metavar="ID",
                   help="n’exporter que la branche de cette entité (avec le chemin vers l’entité de tête)")
    p.add_argument("--orientation", choices=("top-down", "left-right"), default="top-down",
                   help="sens de l’organigramme (par défaut : de haut en bas)")
    p.set_defaults(func=cmd_export_image)
