"""``dicom-desktop install-desktop [--uninstall]``: the menu entry, the icon and the file type.

Installs, for the current user only, what a Linux desktop (freedesktop.org) needs to show
dicom-desktop like any installed application: the French ``.desktop`` entry (menu « Bureautique »),
the icon in the hicolor theme (SVG and PNG sizes), and the shared-mime-info type of organisation
files, so that a double-click on one opens it in the editor. Files are written under
``$XDG_DATA_HOME`` (``~/.local/share`` by default), then the MIME and desktop databases are
refreshed when their tools are there. ``--uninstall`` removes exactly those files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dicom_desktop.errors import DicomError
from dicom_desktop.files.paths import DESKTOP_DIR, ICONS_DIR

APP_ID = "dicom-desktop"
MIME_TYPE = "application/x-dicom-desktop-organisation+json"
DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_FILE = f"{APP_ID}.xml"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when unset or not absolute (XDG spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launcher() -> list[str]:
    """The command that starts this very installation (a menu has no virtual environment on PATH)."""
    if getattr(sys, "frozen", False):  # the standalone bundle: its own executable
        return [sys.executable]
    script = Path(sys.executable).parent / APP_ID  # venv, pipx: the script beside its Python
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which(APP_ID)
    if found:
        return [found]
    return [sys.executable, "-m", "dicom_desktop"]


def _exec_quote(arg: str) -> str:
    """Quote one argument of a desktop entry's Exec key (Desktop Entry Specification, « Exec »)."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`='):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: list[str]) -> str:
    """The shipped entry with Exec/TryExec pointing at ``command`` (its text otherwise unchanged)."""
    lines = []
    for line in (DESKTOP_DIR / DESKTOP_FILE).read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(_exec_quote(a).replace("%", "%%") for a in command) + " %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={command[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _targets(root: Path) -> dict[Path, Path | None]:
    """Installed file → shipped source (None: generated)."""
    hicolor = root / "icons" / "hicolor"
    files: dict[Path, Path | None] = {
        root / "applications" / DESKTOP_FILE: None,
        root / "mime" / "packages" / MIME_FILE: DESKTOP_DIR / f"{APP_ID}-mime.xml",
        hicolor / "scalable" / "apps" / f"{APP_ID}.svg": ICONS_DIR / f"{APP_ID}.svg",
    }
    for size in PNG_SIZES:
        files[hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = ICONS_DIR / f"{APP_ID}-{size}.png"
    return files


def _refresh(root: Path) -> list[str]:
    """Rebuild the MIME, desktop and icon caches that exist; returns the tools that were missing."""
    missing = []
    steps = [
        ("update-mime-database", [str(root / "mime")], True),
        ("update-desktop-database", ["-q", str(root / "applications")], True),
        ("gtk-update-icon-cache", ["-q", "-f", "-t", str(root / "icons" / "hicolor")],
         (root / "icons" / "hicolor" / "icon-theme.cache").exists()),  # only refresh an existing cache
    ]
    for tool, args, wanted in steps:
        if not wanted:
            continue
        found = shutil.which(tool)
        if found is None:
            missing.append(tool)
            continue
        subprocess.run([found, *args], check=False, capture_output=True, timeout=120)
    return missing


def install(root: Path | None = None, command: list[str] | None = None) -> tuple[list[Path], list[str]]:
    """Write the entry, the icons and the MIME type under ``root`` (``$XDG_DATA_HOME``).

    Returns the files written and the refresh tools that were missing.
    """
    _require_freedesktop()
    root = root or data_home()
    written = []
    try:
        for target, source in _targets(root).items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if source is None:
                target.write_text(desktop_entry(command or launcher()), encoding="utf-8")
            else:
                shutil.copyfile(source, target)
            written.append(target)
    except OSError as exc:
        raise DicomError(f"Impossible d’installer l’intégration au bureau dans « {root} » : "
                         f"{exc.strerror or exc} ({exc.filename or root}).") from None
    return written, _refresh(root)


def uninstall(root: Path | None = None) -> tuple[list[Path], list[str]]:
    """Remove what :func:`install` wrote under ``root``; returns the files removed."""
    _require_freedesktop()
    root = root or data_home()
    removed = []
    for target in _targets(root):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DicomError(f"Impossible de supprimer « {target} » : {exc.strerror or exc}.") from None
        removed.append(target)
    return removed, _refresh(root) if removed else []


def _require_freedesktop() -> None:
    if sys.platform in ("win32", "darwin"):
        raise DicomError("install-desktop installe l’entrée de menu des bureaux Linux (freedesktop.org). "
                         "Sous Windows, l’application autonome se lance depuis son dossier : voir "
                         "« Installer pour un poste de travail » dans le README.")


def run(args: argparse.Namespace) -> int:
    root = data_home()
    if args.uninstall:
        files, missing = uninstall(root)
        if not files:
            print(f"Rien à désinstaller : aucune intégration de dicom-desktop dans « {root} ».")
        else:
            print(f"Intégration au bureau supprimée ({len(files)} fichiers sous « {root} »).")
    else:
        files, missing = install(root)
        print(f"Intégration au bureau installée sous « {root} » :")
        print(f"  entrée de menu  {root / 'applications' / DESKTOP_FILE}")
        print(f"  type de fichier {MIME_TYPE} ({root / 'mime' / 'packages' / MIME_FILE})")
        print(f"  icône           {root / 'icons' / 'hicolor'} ({len(PNG_SIZES)} tailles + SVG)")
        print(f"  commande        {' '.join(launcher())}")
    if missing:
        print(f"Avertissement : {', '.join(missing)} introuvable : le bureau prendra les changements en compte "
              "à la prochaine session (paquets shared-mime-info, desktop-file-utils).", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "install-desktop",
        help="ajouter l’éditeur au menu du bureau (Linux) : entrée, icône, type de fichier",
        description="Installe pour l’utilisateur courant l’entrée de menu « Éditeur d’organigrammes "
        "DICOM », son icône et le type des fichiers d’organisation (un double-clic les ouvre dans "
        "l’éditeur), sous $XDG_DATA_HOME (~/.local/share).",
    )
    p.add_argument("--uninstall", action="store_true", help="retirer ce qu’install-desktop a installé")
    p.set_defaults(func=run)
