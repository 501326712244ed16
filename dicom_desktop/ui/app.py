"""QApplication setup shared by the editor, the screenshot command and the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from dicom_desktop.files.paths import FONTS_DIR
from dicom_desktop.ui.app_icon import application_icon
from dicom_desktop.wording import APPLICATION_TITLE

__all__ = ["APPLICATION_TITLE", "create_application", "ensure_platform", "run_editor", "start_editor"]

ORGANISATION_NAME = "DICOM"
APPLICATION_NAME = "dicom-desktop"
UI_FONT_FAMILY = "DejaVu Sans"

_fonts_loaded = False
_translators: list[QTranslator] = []  # installed translators must outlive the call that loads them


def load_fonts() -> str:
    """Register the bundled DejaVu fonts once; returns the family name to use."""
    global _fonts_loaded
    if not _fonts_loaded:
        for path in sorted(FONTS_DIR.glob("*.ttf")):
            QFontDatabase.addApplicationFont(str(path))
        _fonts_loaded = True
    return UI_FONT_FAMILY


def install_french_translations(app: QApplication) -> bool:
    """Qt's own texts in French: standard buttons (« Enregistrer », « Annuler »), the print and file
    dialogs, key names in menus (« Inser », « Suppr », « Maj »). PySide6 ships ``qtbase_fr.qm``.

    Also makes French the default locale (dates, numbers, paper sizes in dialogs). Returns False
    when the translation file is missing (the interface then falls back to Qt's English)."""
    french = QLocale(QLocale.Language.French, QLocale.Country.France)
    QLocale.setDefault(french)
    if _translators:
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(french, "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _translators.append(translator)
    return True


def ensure_platform() -> None:
    """Without a display (CI, SSH, screenshot), render offscreen instead of failing."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# Qt platform chatter that says nothing to a user (the offscreen plugin cannot resize
# windows to their size hints: harmless for captures and exports).
_SILENCED_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
_previous_handler = None


def _qt_message_handler(mode, context, message: str) -> None:
    if message in _SILENCED_QT_MESSAGES:
        return
    if _previous_handler is not None:
        _previous_handler(mode, context, message)
    else:
        sys.stderr.write(message + "\n")


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication singleton, with names for QSettings and the DejaVu UI font."""
    global _previous_handler
    app = QApplication.instance()
    if app is None:
        ensure_platform()
        _previous_handler = qInstallMessageHandler(_qt_message_handler)
        app = QApplication(argv if argv is not None else [sys.argv[0] if sys.argv else "dicom-desktop"])
    QCoreApplication.setOrganizationName(ORGANISATION_NAME)
    QCoreApplication.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APPLICATION_TITLE)
    install_french_translations(app)
    # The taskbar matches the window to the installed menu entry (Wayland app id, X11 WM_CLASS).
    QGuiApplication.setDesktopFileName(APPLICATION_NAME)
    app.setWindowIcon(application_icon())
    family = load_fonts()
    font = QFont(family)
    font.setPointSizeF(9.5)
    app.setFont(font)
    return app


def start_editor(path: str | os.PathLike | None = None, *, settings: QSettings | None = None, dialogs=None):
    """Show the main window: crash recovery first, then ``path``; returns the window.

    A snapshot left by a crash is offered (« Restaurer » / « Ignorer ») before anything else, so
    that nothing can hide it. A restored document takes the window (``path`` is then opened only
    if it is that document's own file, already shown). A bad ``path`` gets its French message
    (dialog, and stderr for the terminal) and the window stays open on a new, empty document.
    """
    create_application()
    from dicom_desktop.ui.services.autosave import offer_recoveries
    from .main_window import MainWindow

    window = MainWindow(settings=settings if settings is not None else QSettings(), dialogs=dialogs)
    window.restore_layout()
    window.show()
    restored = offer_recoveries(window.autosave)
    if path is not None and not restored:
        if not window.open_path(Path(path), prompt=False):
            print(f"Erreur : « {path} » n’a pas pu être ouvert ; l’éditeur s’ouvre sur un nouveau document.",
                  file=sys.stderr)
    elif path is not None and (window.doc.path is None or Path(path).resolve() != window.doc.path.resolve()):
        window.statusBar().showMessage(
            f"« {Path(path).name} » n’a pas été ouvert : enregistrez d’abord les modifications restaurées, "
            "puis utilisez Fichier › Ouvrir.", 15000)
    return window


def run_editor(path: str | os.PathLike | None = None) -> int:
    """Open the main window on ``path`` (the DICOM chart by default) and run the event loop."""
    app = create_application()
    window = start_editor(path)  # noqa: F841 - keep the window alive during exec()
    return app.exec()
