"""The ``import`` and ``export-sheet`` commands (registered by cli.py through ``register``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dicom_desktop.errors import DicomError
from dicom_desktop.cli.arguments import add_organisation_file, add_output
from dicom_desktop.files.outputs import check_output, write_output
from dicom_desktop.files.storage import dump_organisation, load_organisation, parse_organisation
from dicom_desktop.sheets.csv_io import check_encoding, parse_separator
from dicom_desktop.wording import plural, plural_word

EXIT_OK = 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import",
        help="importer un tableau CSV ou XLSX (une ligne par entité) en fichier d’organisation",
        description="Importe un tableau (CSV ou XLSX) : une ligne par entité, colonnes en français ou en anglais "
        "(Identifiant, Nom, Type, Rattachement, Intitulé du responsable, Responsable, Effectif, Poste vacant, "
        "Attributions…). Tous les problèmes sont signalés avec leur ligne et leur colonne ; rien n’est écrit s’il y en a.",
    )
    p.add_argument("file", type=Path, help="tableau à importer (.csv ou .xlsx)")
    add_output(p, "fichier d’organisation à écrire (.json)", required=True)
    p.add_argument("--sheet", help="feuille du classeur XLSX à lire (par défaut « Entités », sinon la première)")
    p.add_argument("--separator", help="séparateur du CSV (; , | ou « tab » ; détecté par défaut)")
    p.add_argument("--encoding", help="encodage du CSV (utf-8, utf-8-sig, cp1252 ; détecté par défaut)")
    p.add_argument("--name", help="nom de l’organisation (par défaut : feuille « Organisation », sinon nom de l’entité de tête)")
    p.add_argument("--attributions-separator", metavar="SEP",
                   help="séparateur des paragraphes d’attributions dans une cellule (par défaut : une ligne vide), ex. « ¶ » ou « | »")
    p.set_defaults(func=cmd_import)

    e = subparsers.add_parser(
        "export-sheet",
        help="exporter une organisation en tableau XLSX ou CSV (ou le modèle vide avec --template)",
        description="Exporte les entités (une ligne par entité, dans l’ordre de l’organigramme). En XLSX, les liens "
        "fonctionnels sont dans la feuille « Liens » et les informations de l’organisation dans « Organisation » ; "
        "un CSV ne contient que les entités.",
    )
    add_organisation_file(e)
    add_output(e, "tableau à écrire (.xlsx ou .csv)", required=True)
    e.add_argument("--template", action="store_true", help="écrire le modèle vide (en-têtes et une ligne d’exemple)")
    e.add_argument("--separator", default=";", help="séparateur du CSV (par défaut « ; »)")
    e.add_argument("--encoding", default="utf-8-sig",
                   help="encodage du CSV (par défaut utf-8-sig : UTF-8 avec BOM, lu correctement par Excel ; utf-8 ; cp1252)")
    e.set_defaults(func=cmd_export_sheet)


def cmd_import(args: argparse.Namespace) -> int:
    from dicom_desktop.sheets.importer import import_file

    output: Path = args.output
    if output.suffix.lower() in (".csv", ".xlsx", ".xls"):
        raise DicomError(f"« {output} » : la sortie de l’import est un fichier d’organisation .json (pas un tableau)")
    check_output(output, inputs=[args.file], allow_organisation=True)  # before the (possibly long) import
    separator = parse_separator(args.separator) if args.separator else None
    attr_sep = args.attributions_separator
    if attr_sep is not None and not attr_sep.strip():
        raise DicomError("--attributions-separator ne peut pas être vide")
    result = import_file(args.file, sheet=args.sheet, separator=separator, encoding=args.encoding, name=args.name,
                         attributions_separator=attr_sep)
    content = dump_organisation(result.data)
    parse_organisation(content, output)  # the same checks as opening the file: never write what cannot be opened
    write_output(output, content, inputs=[args.file], allow_organisation=True)
    for warning in result.warnings:
        print(f"Avertissement : {warning}", file=sys.stderr)
    data = result.data
    cells = result.multiline_cells
    multiline = (f" ; {plural(cells, 'cellule')} sur plusieurs lignes (entre guillemets) {plural_word(cells, 'lue')}"
                 if cells else "")
    print(f"Importé : {plural(len(data.entities), 'entité')}, {plural(len(data.links), 'lien')}{multiline} → {output}")
    return EXIT_OK


def cmd_export_sheet(args: argparse.Namespace) -> int:
    from dicom_desktop.sheets.exporter import export_csv, export_xlsx
    from dicom_desktop.sheets.template import template_csv, template_xlsx

    output: Path = args.output
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise DicomError(f"« {output} » : extension .xlsx ou .csv attendue")
    separator = parse_separator(args.separator)
    encoding = check_encoding(args.encoding)
    if args.template:
        content = template_xlsx() if suffix == ".xlsx" else template_csv(separator=separator, encoding=encoding)
        write_output(output, content)
        print(f"Modèle écrit : {output}")
        return EXIT_OK
    if args.file.suffix.lower() in (".csv", ".xlsx", ".xls", ".tsv"):
        raise DicomError(f"« {args.file} » est un tableau, pas un fichier d’organisation : pour le convertir, "
                         f"utilisez « dicom-desktop import {args.file} -o ORGANISATION.json »")
    check_output(output, inputs=[args.file])
    data = load_organisation(args.file).data
    if suffix == ".xlsx":
        content = export_xlsx(data)
    else:
        content = export_csv(data, separator=separator, encoding=encoding)
        if data.links:
            print(f"Avertissement : un CSV ne contient que les entités ; les {len(data.links)} liens fonctionnels et les "
                  "informations de l’organisation ne sont conservés qu’en XLSX.", file=sys.stderr)
    if data.scenarios:
        print(f"Avertissement : les {len(data.scenarios)} scénarios ne sont pas exportés dans le tableau.", file=sys.stderr)
    write_output(output, content, inputs=[args.file])
    print(f"Exporté : {plural(len(data.entities), 'entité')} → {output}")
    return EXIT_OK
