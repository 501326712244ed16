"""``dicom-desktop diff BASE.json OTHER.json``: what a reorganisation changes, in French, headless.

Like ``diff``: exit 0 when the two organisations are identical, 1 when they differ, 2 on bad
input. A scenario of a file is named ``FILE.json#scénario`` (id or name) or with
``--base-scenario`` / ``--scenario``; ``--format json`` prints the changes as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys

from dicom_desktop.cli.arguments import add_scenario, file_and_scenario
from dicom_desktop.comparison.diff import OrgDiff, diff_organisations
from dicom_desktop.model import OrganisationFile, Scenario
from dicom_desktop.scenarios import find_scenario
from dicom_desktop.files.storage import load_organisation

EXIT_IDENTICAL = 0
EXIT_DIFFERENT = 1


def load_variant(text: str, scenario: str | None = None) -> tuple[OrganisationFile | Scenario, str, dict]:
    """The organisation (or one of its scenarios) designated on the command line, a French label,
    and where it comes from (``{"path", "scenario"}``) for the JSON output."""
    path, wanted = file_and_scenario(text, scenario)
    data = load_organisation(path).data
    if wanted is None:
        return data, f"« {path} »", {"path": str(path), "scenario": None}
    found = find_scenario(data.scenarios, wanted, where=f"« {path} »")
    return found, f"scénario « {found.name} » de « {path} »", {"path": str(path), "scenario": found.id}


def cmd_diff(args: argparse.Namespace) -> int:
    base, base_label, base_origin = load_variant(args.base, args.base_scenario)
    other, other_label, other_origin = load_variant(args.other, args.scenario)
    result: OrgDiff = diff_organisations(base, other)
    if args.format == "json":
        payload = {"base": base_origin, "other": other_origin, **result.to_dict()}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif result.is_empty:
        print(f"Aucune différence entre {base_label} et {other_label}.")
    else:
        for line in result.lines():
            print(line)
    sys.stdout.flush()
    return EXIT_IDENTICAL if result.is_empty else EXIT_DIFFERENT


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "diff",
        help="comparer deux organisations (ou scénarios) et lister les changements",
        description=(
            "Compare deux organisations entité par entité (créations, suppressions, fusions, scissions, "
            "rattachements, renommages, vacances, attributions mot à mot, liens). Code de sortie : 0 si "
            "identiques, 1 si différentes, 2 en cas d’erreur. Un scénario se désigne par FICHIER.json#scénario."
        ),
    )
    p.add_argument("base", metavar="BASE.json", help="organisation de référence (FICHIER.json ou FICHIER.json#scénario)")
    p.add_argument("other", metavar="AUTRE.json", help="organisation comparée (FICHIER.json ou FICHIER.json#scénario)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (une ligne par changement) ou json")
    p.add_argument("--base-scenario", metavar="NOM", default=None, help="scénario de BASE.json à utiliser (id ou nom)")
    add_scenario(p, "scénario de AUTRE.json à utiliser (id ou nom)")
    p.set_defaults(func=cmd_diff)
