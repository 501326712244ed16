"""Where dicom-desktop finds the files it ships, and where it writes what the user did not place.

The shipped files (the DICOM chart, the example scenarios, the fonts, the icons, the desktop entry)
live inside the package, in ``dicom_desktop/resources/``, found through :mod:`importlib.resources`:
the same code works from a clone (``PYTHONPATH`` or ``pip install -e .``), from an installed wheel
and from the standalone bundle. The repository's top-level ``resources`` is a link to that folder
(one copy, edited by developers, carried by the wheel).

Outputs: in a source checkout, ``exports/`` at its root, as developers expect; in an installed copy,
next to the file the user opened, else in the user's documents folder, never inside the installation.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import sys
from pathlib import Path

#: The installed package itself (``…/site-packages/dicom_desktop``, or the clone's folder).
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _resources_dir() -> Path:
    root = importlib.resources.files("dicom_desktop") / "resources"
    if not isinstance(root, Path):  # a zipped install: ReportLab and Qt need real files
        raise TypeError(f"dicom-desktop must be installed as files, not inside an archive ({root})")
    return root


def _source_tree() -> Path | None:
    """The clone's root when running from a source checkout (its pyproject.toml names us)."""
    root = PACKAGE_DIR.parent
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return root if re.search(r'^name\s*=\s*"dicom-desktop"', text, re.MULTILINE) else None


RESOURCES_DIR = _resources_dir()
FONTS_DIR = RESOURCES_DIR / "fonts"
EXAMPLES_DIR = RESOURCES_DIR / "examples"
ICONS_DIR = RESOURCES_DIR / "icons"
DESKTOP_DIR = RESOURCES_DIR / "desktop"
DEFAULT_ORGANISATION = RESOURCES_DIR / "dicom-organigramme.json"

#: The clone's root, or None in an installed copy (wheel, pipx, standalone bundle).
SOURCE_TREE = _source_tree()
#: Parent of the package: the repository root in a clone (tests and benchmarks use it).
REPO_ROOT = SOURCE_TREE or PACKAGE_DIR.parent
#: ``exports/`` of the clone; None in an installed copy (outputs go next to the file or to Documents).
EXPORTS_DIR = SOURCE_TREE / "exports" if SOURCE_TREE else None

FONT_FILES = {
    "regular": FONTS_DIR / "DejaVuSans.ttf",
    "bold": FONTS_DIR / "DejaVuSans-Bold.ttf",
}


def is_shipped(path: str | os.PathLike) -> bool:
    """True for a file inside the package (the bundled chart, an example)."""
    try:
        return Path(path).resolve().is_relative_to(PACKAGE_DIR)
    except OSError:
        return False


def is_read_only_resource(path: str | os.PathLike | None) -> bool:
    """A shipped file of an installed copy: opened as a template, never written to.

    In a clone the bundled chart is the developers' source, so it stays writable there.
    """
    return path is not None and SOURCE_TREE is None and is_shipped(path)


def documents_dir() -> Path:
    """The user's documents folder: XDG's ``XDG_DOCUMENTS_DIR`` (user-dirs.dirs), else ``~/Documents``.

    The editor asks Qt (``QStandardPaths.DocumentsLocation``), which reads the same file on Linux and
    follows folder redirection on Windows; this is the answer for the headless commands.
    """
    home = Path.home()
    if sys.platform != "win32":
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        try:
            lines = (config / "user-dirs.dirs").read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        for line in lines:
            match = re.match(r'\s*XDG_DOCUMENTS_DIR\s*=\s*"(.+)"\s*$', line)
            if match:
                folder = Path(match.group(1).replace("$HOME", str(home)))
                if folder.is_absolute():
                    return folder
    return home / "Documents"


def default_output_dir(source: str | os.PathLike | None = None) -> Path:
    """Folder of an output the user did not place (``export-pdf`` without ``-o``…).

    A clone: ``exports/``. An installed copy: the folder of ``source`` when it is the user's own
    file in a writable folder, else the documents folder — never inside the installation.
    """
    if EXPORTS_DIR is not None:
        return EXPORTS_DIR
    if source is not None and not is_shipped(source):
        folder = Path(source).resolve().parent
        if os.access(folder, os.W_OK):
            return folder
    return documents_dir()
