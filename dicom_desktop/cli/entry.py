"""The one command-line entry point, ``dicom-desktop``.

With no subcommand it opens the editor (Qt imported lazily, only then); subcommands run headless.
Every user error is printed in French on stderr with exit code 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from dicom_desktop.cli.arguments import add_organisation_file
from dicom_desktop.errors import DicomError, os_error_message
from dicom_desktop.text_rules import neutralise_for_terminal
from dicom_desktop.wording import plural, short_date

EXIT_OK = 0
EXIT_DIFFERENT = 1
EXIT_USER_ERROR = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell shows for a tool stopped by a closed pipe


_ARGPARSE_FRENCH = {
    "usage: ": "usage : ",
    "positional arguments": "arguments",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "afficher cette aide et quitter",
}
# argparse looks its words up through the module-level gettext alias at call time: give it French.
argparse._ = lambda text: _ARGPARSE_FRENCH.get(text, text)  # type: ignore[attr-defined]


class _FrenchParser(argparse.ArgumentParser):
    """argparse speaks English and exits with 2: keep the code, translate the words."""

    def error(self, message: str) -> NoReturn:  # pragma: no cover - exercised through main()
        self.print_usage(sys.stderr)
        message = (
            message.replace("the following arguments are required", "arguments obligatoires manquants")
            .replace("unrecognized arguments", "arguments non reconnus")
            .replace("invalid choice", "choix invalide")
            .replace("expected one argument", "une valeur est attendue")
        )
        self.exit(EXIT_USER_ERROR, f"{self.prog} : erreur : {message}\n")


def _summary_lines(doc) -> list[str]:
    """The French summary of ``validate``: counts per kind, depth, and the hierarchy itself."""
    graph = doc.graph
    org = doc.organisation
    lines = [f"{org.name}" + (f" ({org.acronym})" if org.acronym else "")]
    if org.updated:
        lines.append(f"Mise à jour : {short_date(org.updated)}")
    depth = graph.max_depth()
    lines.append(f"{plural(len(graph), 'entité')}, {plural(depth + 1, 'niveau hiérarchique', 'niveaux hiérarchiques')}, "
                 f"{plural(len(graph.links), 'lien fonctionnel', 'liens fonctionnels')}")
    lines.append("Par type :")
    for kind, count in sorted(graph.counts_per_kind().items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {kind} : {count}")
    if len(graph) <= 200:
        lines.append("Organigramme :")
        depths = graph.depths()
        for entity_id in graph.preorder():
            entity = graph.entity(entity_id)
            tags = []
            if entity.head_title:
                tags.append(entity.head_title)
            if entity.staff:
                tags.append("auprès de l’entité supérieure")
            if entity.vacant:
                tags.append("poste vacant")
            suffix = f" — {', '.join(tags)}" if tags else ""
            lines.append(f"  {'  ' * depths[entity_id]}{entity.name} [{entity.kind}]{suffix}")
    if doc.scenarios:
        lines.append(f"Scénarios : {', '.join(s.name for s in doc.scenarios)}")
    return lines


def cmd_validate(args: argparse.Namespace) -> int:
    from dicom_desktop.document import Document

    from dicom_desktop.chart.glyphs import missing_glyph_warnings

    doc = Document.open(args.file)
    for warning in [*doc.warnings, *missing_glyph_warnings(doc.to_file_model())]:
        print(neutralise_for_terminal(f"Avertissement : {warning}"), file=sys.stderr)
    print(neutralise_for_terminal(f"Fichier valide : {args.file}"))
    print(neutralise_for_terminal("\n".join(_summary_lines(doc))))
    sys.stdout.flush()  # a closed pipe is reported here, inside main()
    return EXIT_OK


def cmd_open_editor(args: argparse.Namespace) -> int:
    """Open the Qt editor (imported only now: the headless commands never load Qt)."""
    try:
        from dicom_desktop.ui.app import run_editor
    except ImportError as exc:  # Qt missing or broken on this machine
        raise DicomError(f"Impossible de démarrer l’éditeur graphique : {exc}") from None
    return run_editor(args.file)


# Subcommand → module exposing ``register(subparsers)``. Only the module of the command being run
# is imported (``validate`` must not load Qt or ReportLab); ``--help`` imports them all.
SUBCOMMAND_MODULES: dict[str, str] = {
    "export-pdf": "dicom_desktop.cli.pdf_command",
    "diff": "dicom_desktop.cli.diff_command",
    "import": "dicom_desktop.cli.sheets_command",
    "export-sheet": "dicom_desktop.cli.sheets_command",
    "screenshot": "dicom_desktop.ui.screenshot_command",
    "export-image": "dicom_desktop.cli.image_command",
    "install-desktop": "dicom_desktop.desktop_integration",
    "export-html": "dicom_desktop.cli.html_command",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or, given ``command``, one that knows only that subcommand (fast start)."""
    parser = _FrenchParser(
        prog="dicom-desktop",
        description="Éditeur d’organigrammes de la DICOM. Sans sous-commande : ouvre l’éditeur.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_FrenchParser)

    p = sub.add_parser("validate", help="vérifier un fichier d’organisation et en afficher le résumé")
    add_organisation_file(p)
    p.set_defaults(func=cmd_validate)

    # Other subcommands register themselves here, each in its own module (keeps this file small).
    for register in _subcommand_registrars(command):
        register(sub)
    return parser


def _subcommand_registrars(command: str | None = None):
    """``register`` functions of the feature modules (all, or the one of ``command``)."""
    import importlib

    if command == "validate":
        return []
    names = [SUBCOMMAND_MODULES[command]] if command in SUBCOMMAND_MODULES else dict.fromkeys(SUBCOMMAND_MODULES.values())
    return [importlib.import_module(module_name).register for module_name in names]


def _editor_parser() -> argparse.ArgumentParser:
    parser = _FrenchParser(prog="dicom-desktop", description="Ouvre l’éditeur d’organigrammes.")
    add_organisation_file(parser, "fichier d’organisation à ouvrir (par défaut : l’organigramme de la DICOM)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"validate", *SUBCOMMAND_MODULES}
    try:
        if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
            # "dicom-desktop" or "dicom-desktop FILE": the editor. (A positional FILE beside
            # subcommands would swallow the subcommand's name, hence two parsers.)
            return cmd_open_editor(_editor_parser().parse_args(argv))
        args = build_parser(argv[0] if argv[0] in commands else None).parse_args(argv)
        if args.command is None:
            return cmd_open_editor(_editor_parser().parse_args([]))
        return args.func(args)
    except DicomError as exc:
        print(f"Erreur : {neutralise_for_terminal(str(exc))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return _stdout_closed()
    except OSError as exc:  # a file system failure no command caught: French, naming the file
        print(f"Erreur : {os_error_message(exc)}.", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except MemoryError:
        print("Erreur : mémoire insuffisante pour traiter ce fichier.", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:  # noqa: BLE001 - last resort: a French line, never a traceback
        print(f"Erreur interne inattendue ({type(exc).__name__} : {exc}). Merci de la signaler.", file=sys.stderr)
        return EXIT_INTERNAL


def _stdout_closed() -> int:
    """The reader of our output went away (``validate … | head -c1``): stop quietly, like the
    command-line tools, and keep Python from complaining again when it flushes stdout at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
