"""The application icon, built from the PNG sizes shipped in ``resources/icons``."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from dicom_desktop.files.paths import ICONS_DIR

ICON_NAME = "dicom-desktop"  # also the desktop entry's Icon= and the hicolor file name


def application_icon() -> QIcon:
    """The application icon at every rendered size (title bar, taskbar, Alt+Tab, « À propos »)."""
    icon = QIcon()
    for png in sorted(ICONS_DIR.glob(f"{ICON_NAME}-*.png")):
        icon.addFile(str(png))
    return icon
