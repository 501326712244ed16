"""« Aide › À propos »: version, licence, the libraries with their licences, how to replace Qt.

PySide6 and Qt are used under the LGPL v3, which lets the user run the application with another
build of them: the dialog says where they are loaded from and how to swap them, for a pip/pipx
installation and for the standalone bundle.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dicom_desktop.about import about_text_facts
from dicom_desktop.ui.app_icon import application_icon

SOURCES_QT = "https://download.qt.io/official_releases/QtForPython/"


def _pyside_folder() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent


def about_html() -> str:
    """The body of the dialog (also what the tests read)."""
    facts = about_text_facts()
    rows = "".join(
        f"<tr><td>{html.escape(lib.name)}</td><td>{html.escape(lib.version)}</td>"
        f"<td>{html.escape(lib.licence)}</td></tr>"
        for lib in facts["libraries"])
    frozen = getattr(sys, "frozen", False)
    folder = html.escape(str(_pyside_folder()))
    if frozen:
        how = (f"Dans l’application autonome, remplacez les dossiers <code>PySide6</code> et "
               f"<code>shiboken6</code> (ici <code>{folder}</code>) par ceux d’une autre version 6 de "
               "PySide6 construite pour la même version de Python, ou reconstruisez l’application avec "
               "<code>packaging/build_bundle.py</code> après avoir installé la version de votre choix.")
    else:
        how = ("Dans l’environnement Python de l’application, installez une autre version 6 : "
               "<code>python -m pip install --upgrade \"PySide6==6.x.y\"</code> (avec pipx : "
               "<code>pipx runpip dicom-desktop install --upgrade \"PySide6==6.x.y\"</code>). "
               f"PySide6 est actuellement chargé depuis <code>{folder}</code>.")
    return (
        f"<p><b>Éditeur d’organigrammes DICOM</b> — version {html.escape(facts['version'])}<br>"
        "Éditeur d’organigrammes de la Délégation à l’information et à la communication des ministères "
        "sociaux : organigramme, attributions, simulations de réorganisation, notice explicative.</p>"
        f"<p>Licence : <b>{html.escape(facts['licence'])}</b>. Python {sys.version.split()[0]}.</p>"
        "<h4>Bibliothèques utilisées</h4>"
        "<table cellspacing='0' cellpadding='3'><tr><th align='left'>Bibliothèque</th>"
        f"<th align='left'>Version</th><th align='left'>Licence</th></tr>{rows}</table>"
        "<h4>Remplacer Qt et PySide6 (LGPL)</h4>"
        "<p>Qt et PySide6 sont utilisés sous la licence GNU LGPL version 3 : vous avez le droit de les "
        f"remplacer par une version modifiée ou plus récente. {how} Leurs sources sont publiées par The "
        f"Qt Company : <a href='{SOURCES_QT}'>{SOURCES_QT}</a>. Le texte de la LGPL v3 : "
        "<a href='https://www.gnu.org/licenses/lgpl-3.0.html'>https://www.gnu.org/licenses/lgpl-3.0.html</a>.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("À propos")  # Qt appends « — Éditeur d’organigrammes DICOM »
        self.setObjectName("aboutDialog")
        logo = QLabel(self)
        logo.setPixmap(application_icon().pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(about_html())
        self.browser.setMinimumSize(680, 520)
        buttons = QDialogButtonBox(self)
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)


def show_about(parent: QWidget | None) -> None:
    AboutDialog(parent).exec()
