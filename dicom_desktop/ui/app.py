"""QApplication setup shared by the editor, the screenshot command and the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ..paths import FONTS_DIR

ORGANISATION_NAME = "DICOM"
APPLICATION_NAME = "dicom-desktop"
APPLICATION_TITLE = "Éditeur d’organigrammes DICOM"
UI_FONT_FAMILY = "DejaVu Sans"

_fonts_loaded = False


def load_fonts() -> str:
    """Register the bundled DejaVu fonts once; returns the family name to use."""
    global _fonts_loaded
    if not _fonts_loaded:
        for path in sorted(FONTS_DIR.glob("*.ttf")):
            QFontDatabase.addApplicationFont(str(path))
        _fonts_loaded = True
    return UI_FONT_FAMILY


def ensure_platform() -> None:
    """Without a display (CI, SSH, screenshot), render offscreen instead of failing."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication singleton, with names for QSettings and the DejaVu UI font."""
    app = QApplication.instance()
    if app is None:
        ensure_platform()
        app = QApplication(argv if argv is not None else [sys.argv[0] if sys.argv else "dicom-desktop"])
    QCoreApplication.setOrganizationName(ORGANISATION_NAME)
    QCoreApplication.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APPLICATION_TITLE)
    family = load_fonts()
    font = QFont(family)
    font.setPointSizeF(9.5)
    app.setFont(font)
    return app


def run_editor(path: str | os.PathLike | None = None) -> int:
    """Open the main window on ``path`` (the DICOM chart by default) and run the event loop."""
    app = create_application()
    from .main_window import MainWindow

    window = MainWindow(settings=QSettings())
    window.restore_layout()
    window.show()
    if path is not None:
        window.open_path(Path(path), prompt=False)
    return app.exec()
