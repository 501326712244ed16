"""``dicom-desktop screenshot [FILE] -o OUT.png [--select ID] [--size WxH]``: the editor as a PNG.

Renders the real main window offscreen (no display needed), for the README, the tests and anyone
checking what a change looks like. User settings are not read nor written (a throw-away INI).
"""

from __future__ import annotations

import argparse
import atexit
import gc
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import DicomError
from dicom_desktop.files.outputs import check_output, make_parent, write_output
from dicom_desktop.files.paths import DEFAULT_ORGANISATION

PNG_QUALITY = 70  # lossless either way; zlib level 2 instead of the default: faster, no bigger
_SIZE = re.compile(r"^\s*(\d{3,5})\s*[x×]\s*(\d{3,5})\s*$")


def parse_size(text: str) -> tuple[int, int]:
    match = _SIZE.match(text)
    if not match:
        raise DicomError(f"Taille « {text} » invalide : attendu LARGEURxHAUTEUR, par exemple 1600x1000.")
    return int(match.group(1)), int(match.group(2))


def render_screenshot(file: Path, out: Path, select: str | None = None, size: tuple[int, int] = (1600, 1000),
                      orientation: str = "top-down", scenario: str | None = None, compare: bool = False) -> Path:
    """Open ``file`` in a main window, select ``select``, fit the chart and save the window to ``out``."""
    from .app import create_application, ensure_platform

    ensure_platform()
    app = create_application()
    from PySide6.QtCore import QSettings, Qt

    from ..document import Document
    from dicom_desktop.ui.services.document_lock import LockController
    from .main_window import MainWindow

    out = check_output(out, inputs=[file])  # before the window is built
    doc = Document.open(file)  # OrganisationFileError (French) goes to the CLI as is
    shown = doc.graph
    if scenario is not None:  # ScenarioNotFound (French, lists the scenarios) goes to the CLI as is
        from ..scenarios import find_scenario, scenario_graph

        scenario = find_scenario(doc.scenarios, scenario, where=f"« {file} »").id
        shown = scenario_graph(doc, scenario)
    elif compare:
        raise DicomError("--compare montre ce qu’un scénario change : précisez-le avec --scenario ID.")
    if select is not None and select not in shown:
        raise DicomError(f"L’entité « {select} » n’existe pas dans « {file} ».")
    settings_dir = tempfile.mkdtemp(prefix="dicom-capture-")
    settings = QSettings(str(Path(settings_dir) / "settings.ini"), QSettings.Format.IniFormat)
    with LockController.headless():  # never ask « Ouvrir quand même » in a command
        window = MainWindow(doc, settings=settings)
    window.resize(*size)
    if orientation == "left-right":
        window.navigation.toggle_orientation(True)
    window.show()
    for _ in range(3):
        app.processEvents()
    if scenario is not None:
        window.scenarios_panel.show_variant(scenario)
    window.view.show_initial(doc.graph.root)
    if compare:  # the chart and the changes list get the room (the other panels say nothing here)
        for dock in (window.attributions_dock, window.history_dock, window.outline_dock, window.search_dock,
                     window.legend_dock):
            dock.hide()
        window.compare.set_enabled(True)
        window.resizeDocks([window.scenarios_dock, window.compare.dock], [300, 700], Qt.Orientation.Vertical)
        app.processEvents()
        window.compare.fit_with_ghosts()
    if select is not None:
        window.select(select)
    app.processEvents()
    image = window.grab()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG", PNG_QUALITY):
        raise DicomError(f"Impossible d’encoder l’image « {out} ».")
    buffer.close()
    make_parent(out)
    write_output(out, bytes(data), inputs=[file])  # one atomic writer: a whole PNG or nothing
    window.undo_stack.setClean()
    window.close()
    shutil.rmtree(settings_dir, ignore_errors=True)
    return out


def cmd_screenshot(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    # The command ends the process: at exit, spare the interpreter's final garbage collection a
    # scan of the window, scene and model built for the capture (≈ 0.2 s at 5,000 entities).
    # Registered, not run now, so an in-process caller (the tests) keeps its collector intact.
    atexit.register(gc.freeze)
    out = render_screenshot(args.file, args.output, args.select, size, args.orientation,
                            scenario=args.scenario, compare=args.compare)
    print(f"Capture enregistrée : {out}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("screenshot", help="enregistrer une capture PNG de l’éditeur (sans écran)")
    p.add_argument("file", type=Path, nargs="?", default=DEFAULT_ORGANISATION,
                   help="fichier d’organisation (par défaut : l’organigramme de la DICOM)")
    p.add_argument("-o", "--output", type=Path, required=True, help="image PNG à écrire")
    p.add_argument("--select", metavar="ID", help="identifiant de l’entité à sélectionner")
    p.add_argument("--size", default="1600x1000", help="taille de la fenêtre, LARGEURxHAUTEUR (1600x1000)")
    p.add_argument("--orientation", choices=("top-down", "left-right"), default="top-down",
                   help="sens de l’organigramme")
    p.add_argument("--scenario", metavar="ID", help="afficher ce scénario du fichier (identifiant ou nom)")
    p.add_argument("--compare", action="store_true",
                   help="marquer ce que le scénario change par rapport à l’organisation actuelle")
    p.set_defaults(func=cmd_screenshot)
