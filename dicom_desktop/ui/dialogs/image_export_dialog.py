"""The options dialog of « Exporter l’image… »: whole chart or selected branch, PNG scale.

The action (``exports.export_chart_image``) asks it through the editor's ``dialogs``
(``ask_image_options`` then ``save_path``), so tests answer without any modal window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QRadioButton, QVBoxLayout,
    QWidget,
)

from dicom_desktop.ui.chart.image_export import DEFAULT_SCALE
from dicom_desktop.wording import plural_word

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
        self.dpi = QLabel()
        self.scale.valueChanged.connect(self._show_suffix)
        self._show_suffix(self.scale.value())
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

    def _show_suffix(self, value: float) -> None:
        # French: « 1,5 pixel », « 2,0 pixels » (below two, the singular).
        self.scale.setSuffix(f" {plural_word(int(value), 'pixel')} par point")

    def _show_dpi(self, value: float) -> None:
        self.dpi.setText(f"soit {round(72 * value)} ppp (points par pouce)")

    def options(self) -> ImageOptions:
        return ImageOptions(self.branch.isChecked(), self.scale.value())


def ask_image_options(parent: QWidget, branch_name: str | None, branch_default: bool = False) -> ImageOptions | None:
    """The modal options dialog (Dialogs.ask_image_options calls this); None when cancelled."""
    dialog = ImageOptionsDialog(branch_name, branch_default, parent)
    return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None
