"""What several subcommands share: their common arguments (the organisation FICHIER, ``-o SORTIE``,
``--scenario NOM``), ``FILE.json#scénario`` and the document to publish.

Shared here so the subcommands stay independent of each other (an import contract checks it) and
say the same thing the same way in their ``--help``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dicom_desktop.errors import DicomError
from dicom_desktop.files.paths import DEFAULT_ORGANISATION

ORGANISATION_FILE = "fichier d’organisation (par défaut : l’organigramme de la DICOM)"
ORGANISATION_OR_SCENARIO = "fichier d’organisation, ou FICHIER.json#scénario (par défaut : l’organigramme de la DICOM)"


def add_organisation_file(parser: argparse.ArgumentParser, help: str = ORGANISATION_FILE) -> None:  # noqa: A002
    """The optional FICHIER argument: an organisation file, the DICOM chart when omitted."""
    parser.add_argument("file", type=Path, nargs="?", default=DEFAULT_ORGANISATION, metavar="FICHIER", help=help)


def add_output(parser: argparse.ArgumentParser, help: str, *, required: bool = False) -> None:  # noqa: A002
    """``-o/--output SORTIE``: the file to write (``required`` when the command has no default place)."""
    parser.add_argument("-o", "--output", type=Path, required=required, default=None, metavar="SORTIE", help=help)


def default_place(what: str, name: str) -> str:
    """The ``-o`` help of an export written by default beside the file (or in Documents)."""
    return (f"{what} à écrire (par défaut : {name} à côté du fichier ou dans Documents ; "
            "exports/ dans une copie de développement)")


def add_scenario(parser: argparse.ArgumentParser, help: str) -> None:  # noqa: A002
    """``--scenario NOM``: one scenario of the file, by id or name."""
    parser.add_argument("--scenario", metavar="NOM", default=None, help=help)


def split_scenario_ref(text: str) -> tuple[Path, str | None]:
    """``FILE.json#scénario`` → (path, scenario); a path that itself contains « # » still works."""
    if "#" in text and not Path(text).exists():
        path, _, scenario = text.rpartition("#")
        if not scenario.strip():
            raise DicomError(f"« {text} » : le nom du scénario après « # » est vide ; écrivez FICHIER.json#scénario "
                             "(identifiant ou nom), ou le fichier seul pour l’organisation actuelle.")
        return Path(path), scenario
    return Path(text), None


def file_and_scenario(text: str, scenario: str | None) -> tuple[Path, str | None]:
    """The file and the scenario asked for, by ``FILE.json#NOM`` or by an option; both must agree."""
    path, from_ref = split_scenario_ref(text)
    if scenario and from_ref and scenario != from_ref:
        raise DicomError(f"Deux scénarios différents sont demandés pour « {path} » (« {from_ref} » et "
                         f"« {scenario} ») : n’en indiquez qu’un.")
    return path, scenario or from_ref


def scenario_slug(text: str) -> str:
    """A scenario's id as a file-name suffix."""
    from dicom_desktop.files.outputs import file_stem

    return file_stem(text, "scenario", 40)


def publication_document(args: argparse.Namespace):
    """The document to publish (the file's organisation, or a scenario's), a file-name suffix, the file."""
    from dicom_desktop.document import Document
    from dicom_desktop.scenarios import find_scenario, scenario_document

    path, wanted = file_and_scenario(str(args.file), args.scenario)
    doc = Document.open(path)
    for warning in doc.warnings:
        print(f"Avertissement : {warning}", file=sys.stderr)
    if wanted is None:
        return doc, "", path
    scenario = find_scenario(doc.scenarios, wanted, where=f"« {path} »")
    variant = scenario_document(doc, scenario.id)
    org = doc.organisation
    label = f"scénario « {scenario.name} » (projet)"
    variant.organisation = org.model_copy(update={"acronym": f"{org.acronym} — {label}" if org.acronym else label,
                                                  "updated": None})
    return variant, scenario_slug(scenario.id), path
