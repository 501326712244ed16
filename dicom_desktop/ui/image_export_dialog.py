"""« Exporter l’image… » in the editor: what to export (whole chart or selected branch, PNG scale), where, then write.

The questions go through the window's ``dialogs`` (``ask_image_options`` then ``save_path``), so tests
answer them without any modal window; the drawing is :mod:`.image_export`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QRadioButton, QVBoxLayout, QWidget,
)

from ..errors import DicomError
from .image_export import DEFAULT_SCALE, export_image

IMAGE_FILTER = "Image SVG (vectorielle) (*.svg);;Image PNG (*.png)"


@dataclass(frozen=True)
class ImageOptions:
    """The answers of the options dialog."""

    branch_only: bool = False
    scale: float = DEFAULT_SCALE


class ImageOptionsDialog(QDialog):
    """Whole chart or « branche sélectionnée seulement », and the PNG resolution."""

    def __init__(self, branch_name: str | None, branch_default: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Exporter l’image de l’organigramme")
        layout = QVBoxLayout(self)
        self.whole = QRadioButton("Tout l’organigramme")
        label = f"Branche sélectionnée seulement : « {branch_name} »" if branch_name else \
            "Branche sélectionnée seulement (aucune entité sélectionnée)"
        self.branch = QRadioButton(label)
        self.branch.setEnabled(branch_name is not None)
        group = QButtonGroup(self)
        group.addButton(self.whole)
        group.addButton(self.branch)
        (self.branch if branch_name is not None and branch_default else self.whole).setChecked(True)
        layout.addWidget(self.whole)
        layout.addWidget(self.branch)
        form = QFormLayout()
        self.scale = QDoubleSpinBox()
        self.scale.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))  # « 2,0 »
        self.scale.setRange(0.5, 8.0)
        self.scale.setSingleStep(0.5)
        self.scale.setDecimals(1)
        self.scale.setValue(DEFAULT_SCALE)
        self.scale.setSuffix(" pixel(s) par point")
        self.dpi = QLabel()
        self.scale.valueChanged.connect(self._show_dpi)
        self._show_dpi(self.scale.value())
        form.addRow("Résolution du PNG :", self.scale)
        form.addRow("", self.dpi)
        layout.addLayout(form)
        note = QLabel("Le format (SVG vectoriel ou PNG) se choisit à l’étape suivante, par l’extension du fichier.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        buttons.addButton("Continuer…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _show_dpi(self, value: float) -> None:
        self.dpi.setText(f"soit {round(72 * value)} ppp (points par pouce)")

    def options(self) -> ImageOptions:
        return ImageOptions(self.branch.isChecked(), self.scale.value())


def ask_image_options(parent: QWidget, branch_name: str | None, branch_default: bool = False) -> ImageOptions | None:
    """The modal options dialog (Dialogs.ask_image_options calls this); None when cancelled."""
    dialog = ImageOptionsDialog(branch_name, branch_default, parent)
    return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None


def export_chart_image(window) -> Path | None:
    """The « Exporter l’image… » action of the main window; returns the written file or None."""
    doc = window.doc
    graph = doc.graph
    if graph.root is None:
        window.dialogs.info("Exporter l’image", "L’organisation est vide : il n’y a pas d’organigramme à exporter.")
        return None
    current = window.selection.current if window.selection.current in graph else None
    focus = window.scene.focus if window.scene.focus in graph else None
    branch_id = current or focus
    branch_name = graph.entity(branch_id).name if branch_id is not None else None
    options = window.dialogs.ask_image_options(branch_name, focus is not None)
    if options is None:
        return None
    base = doc.path.with_suffix(".svg") if doc.path else Path.home() / "organigramme.svg"
    out = window.dialogs.save_path("Exporter l’image de l’organigramme", str(base), IMAGE_FILTER)
    if out is None:
        return None
    if out.suffix.lower() not in (".svg", ".png"):
        out = out.with_name(out.name + ".svg")
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = export_image(graph, out, scale=options.scale, orientation=window.scene.orientation,
                              branch=branch_id if options.branch_only else None, title=doc.organisation.name)
    except DicomError as exc:
        QGuiApplication.restoreOverrideCursor()
        window.dialogs.error("Export de l’image impossible", f"L’image n’a pas pu être exportée vers « {out} » :\n{exc}")
        return None
    except OSError as exc:
        QGuiApplication.restoreOverrideCursor()
        window.dialogs.error("Export de l’image impossible",
                             f"Le fichier « {out} » ne peut pas être écrit : {exc.strerror or exc}.")
        return None
    QGuiApplication.restoreOverrideCursor()
    window.statusBar().showMessage(f"Image exportée dans « {out} » ({result.boxes} entités).", 8000)
    if window.dialogs.ask_yes_no("Image exportée", f"L’image a été enregistrée dans « {out} ».\nVoulez-vous l’ouvrir ?",
                                 yes="Ouvrir", no="Fermer"):
        window.dialogs.open_url(QUrl.fromLocalFile(str(out)))
    return out
