"""The window and the taskbar show the application icon; « À propos » says version, licences, LGPL."""

from __future__ import annotations

import re

from PySide6.QtGui import QGuiApplication

from dicom_desktop import __version__
from dicom_desktop.about import about_text_facts
from dicom_desktop.ui.dialogs.about_dialog import AboutDialog
from dicom_desktop.ui.app import create_application


def test_application_has_its_icon_and_desktop_file_name(qapp):
    app = create_application()
    icon = app.windowIcon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    assert QGuiApplication.desktopFileName() == "dicom-desktop"  # matches the installed .desktop entry


def test_about_lists_version_licence_libraries_and_how_to_replace_qt(qtbot):
    create_application()
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert f"version {__version__}" in text and "Licence : MIT" in text
    for library in ("PySide6", "networkx", "pydantic", "reportlab", "openpyxl", "Qt", "Polices DejaVu"):
        assert library in text, library
    assert "LGPL" in text and "pip install --upgrade" in text and "PySide6 est actuellement chargé depuis" in text
    assert not dialog.windowIcon().isNull()


def test_every_runtime_dependency_is_listed_with_a_licence():
    """A dependency added to pyproject.toml appears in « À propos » with its licence, unasked."""
    from importlib import metadata

    declared = [r for r in metadata.requires("dicom-desktop") or [] if "extra ==" not in r]
    assert declared  # the installed distribution's own requirements (pyproject's dependencies)
    libraries = about_text_facts()["libraries"]
    names = {lib.name.lower().replace("_", "-") for lib in libraries}
    for requirement in declared:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower().replace("_", "-")
        assert name in names, f"{name} missing from « À propos »"
    assert "rl-accel" in names  # reportlab[accel]: extras are followed
    assert all(lib.licence and lib.licence != "voir la distribution" for lib in libraries)


def test_aide_menu_opens_the_about_dialog_and_menu_mnemonics_are_unique(window, monkeypatch):
    titles = [action.text() for action in window.menuBar().actions()]
    keys = [title[title.index("&") + 1].lower() for title in titles if "&" in title]
    assert len(keys) == len(set(keys)), titles  # Alt+letter reaches one menu, « Aide » included
    shown = []
    monkeypatch.setattr("dicom_desktop.ui.dialogs.about_dialog.show_about", shown.append)
    window.act_about.trigger()
    assert shown == [window]
