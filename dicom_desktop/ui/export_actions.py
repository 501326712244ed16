"""The « Fichier » menu's outputs: notice PDF, printing, dossier, web page, tagged PDF, image, table.

One feature like the others (see ``ui/editor.py``): :class:`ExportActions` receives the editor,
the settings (page format, export folder), the chart scene (image export) and the widget the
dialogs belong to — never the window — and exposes its ``QAction``s, which the window puts in
its « Fichier » menu (:attr:`ExportActions.menu_actions`, in menu order) and its toolbar. The work
itself is in :mod:`dicom_desktop.ui.services.exports` and :mod:`dicom_desktop.ui.services.publish_export`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from dicom_desktop.ui.services import exports
from dicom_desktop.ui.services import publish_export
from dicom_desktop.ui.chart.chart_scene import ChartScene
from dicom_desktop.ui.editor import EditorController


class ExportActions(QObject):
    """Every way the document leaves the editor (other than « Enregistrer »), as actions."""

    def __init__(self, editor: EditorController, settings: QSettings, scene: ChartScene, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor, self.settings, self.scene, self.parent_widget = editor, settings, scene, parent
        a = self._action
        self.act_export_pdf = a("E&xporter la notice PDF…", self.export_pdf, "Ctrl+E",
                                "Exporter la notice (organigramme et attributions) en PDF")
        self.act_print = a("&Imprimer…", self.print_notice, QKeySequence.StandardKey.Print, "Imprimer la notice PDF")
        self.act_print_preview = a("Aperçu avant i&mpression…", self.preview_notice, "Ctrl+Shift+P",
                                   "Voir les pages de la notice telles qu’elles seront imprimées")
        self.act_page_setup = a("Mise en pa&ge…", self.page_setup, None, "Choisir le format du papier")
        self.act_export_dossier = a("Exporter le &dossier de réorganisation (PDF)…", self.export_dossier, None,
                                    "Organigrammes actuel et projeté, tableau des changements et attributions "
                                    "modifiées du scénario affiché")
        self.act_publish_web = a("&Publier la page web (accessible)…", self.publish_web_page, None,
                                 "La notice en page web autonome et accessible (RGAA), à mettre en ligne")
        self.act_export_tagged = a("Exporter la notice PDF &balisée (accessible)…", self.export_tagged_pdf, None,
                                   "PDF/UA-1 lisible par les lecteurs d’écran, pour la publication")
        self.act_export_image = a("Exporter l’&image…", self.export_image, None,
                                  "Exporter l’organigramme en image SVG ou PNG (tout ou la branche sélectionnée)")
        self.act_export_sheet = a("Exporter le ta&bleau…", self.export_sheet, None,
                                  "Exporter les entités dans un tableau XLSX ou CSV")
        self.act_sheet_template = a("&Modèle de tableau…", self.save_sheet_template, None,
                                    "Enregistrer un tableau vide à remplir (en-têtes et une ligne d’exemple)")
        # The « Fichier » menu's export group, in order (the window adds « Importer un tableau… »).
        self.menu_actions = [self.act_export_pdf, self.act_export_dossier, self.act_page_setup,
                             self.act_print_preview, self.act_print, self.act_publish_web, self.act_export_tagged,
                             self.act_export_image]
        self.sheet_actions = [self.act_export_sheet, self.act_sheet_template]

    def _action(self, text: str, slot, shortcut, tip: str) -> QAction:
        action = QAction(text, self.parent_widget)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def update_enabled(self) -> None:
        """The dossier needs a scenario on screen."""
        self.act_export_dossier.setEnabled(self.editor.doc.active_scenario is not None)

    # ------------------------------------------------------------------ the notice (ui/exports.py)
    def export_pdf(self) -> Path | None:
        return exports.export_notice(self.editor, self.settings)

    def print_notice(self) -> bool:
        return exports.print_notice(self.editor, self.settings, self.parent_widget)

    def preview_notice(self) -> bool:
        return exports.preview_notice(self.editor, self.settings, self.parent_widget)

    def page_setup(self) -> bool:
        return exports.page_setup(self.editor, self.settings, self.parent_widget)

    # ------------------------------------------------------------------ publishing (ui/publish_export.py)
    def publish_web_page(self) -> Path | None:
        return publish_export.publish_web_page(self.editor)

    def export_tagged_pdf(self) -> Path | None:
        return publish_export.export_tagged_pdf(self.editor)

    # ------------------------------------------------------------------ the rest
    def export_dossier(self) -> Path | None:
        return exports.export_dossier(self.editor)

    def export_image(self) -> Path | None:
        return exports.export_chart_image(self.editor, self.scene)

    def export_sheet(self) -> Path | None:
        return exports.export_sheet(self.editor)

    def save_sheet_template(self) -> Path | None:
        return exports.save_template(self.editor)
