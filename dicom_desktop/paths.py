"""Filesystem locations of the bundled resources, resolved from the source tree."""

from __future__ import annotations

from pathlib import Path

#: Repository root (the parent of the ``dicom_desktop`` package).
REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES_DIR = REPO_ROOT / "resources"
FONTS_DIR = RESOURCES_DIR / "fonts"
DEFAULT_ORGANISATION = RESOURCES_DIR / "dicom-organigramme.json"
EXPORTS_DIR = REPO_ROOT / "exports"

FONT_FILES = {
    "regular": FONTS_DIR / "DejaVuSans.ttf",
    "bold": FONTS_DIR / "DejaVuSans-Bold.ttf",
}
