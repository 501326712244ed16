"""What several subcommands read from their arguments: ``FILE.json#scénario`` and the document to publish.

Shared here so the subcommands stay independent of each other (an import contract checks it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dicom_desktop.errors import DicomError


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
