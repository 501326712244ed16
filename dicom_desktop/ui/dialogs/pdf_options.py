"""The PDF export's options in the editor: page size, chart orientation, large-chart mode.

The choices are the command line's own lists (``dicom-desktop export-pdf --page-size/--orientation/
--large-chart``, :mod:`dicom_desktop.cli.pdf_command`), so a mode added there appears here. The last
choice is remembered in QSettings and used by the next export and by printing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from dicom_desktop.pdf.page_options import LARGE_CHART_CHOICES, ORIENTATION_CHOICES, PAGE_SIZE_CHOICES

SETTINGS_GROUP = "pdfExport"
LABELS = {
    "A4": "A4 (21 × 29,7 cm)",
    "A3": "A3 (29,7 × 42 cm)",
    "landscape": "Paysage",
    "portrait": "Portrait",
    "book": "Cahier : page de direction puis une page par unité, avec renvois",
    "tile": "Assemblage de feuilles, avec une vue d’ensemble",
    "branches": "Une page par branche",
}


@dataclass(frozen=True)
class PdfOptions:
    """What ``export_notice_pdf`` takes besides the document and the output path."""

    page_size: str = "A4"
    orientation: str = "landscape"
    large_chart: str = "book"  # export-pdf's default

    def as_kwargs(self) -> dict:
        return {"page_size": self.page_size, "orientation": self.orientation, "large_chart": self.large_chart}


def _pick(value, choices: tuple, default: str) -> str:
    return value if value in choices else default


def load_options(settings: QSettings) -> PdfOptions:
    """The remembered choice (unknown or missing values fall back to the command line's defaults)."""
    defaults = PdfOptions()
    return PdfOptions(
        _pick(settings.value(f"{SETTINGS_GROUP}/pageSize"), PAGE_SIZE_CHOICES, defaults.page_size),
        _pick(settings.value(f"{SETTINGS_GROUP}/orientation"), ORIENTATION_CHOICES, defaults.orientation),
        _pick(settings.value(f"{SETTINGS_GROUP}/largeChart"), LARGE_CHART_CHOICES, defaults.large_chart),
    )


def save_options(settings: QSettings, options: PdfOptions) -> None:
    settings.setValue(f"{SETTINGS_GROUP}/pageSize", options.page_size)
    settings.setValue(f"{SETTINGS_GROUP}/orientation", options.orientation)
    settings.setValue(f"{SETTINGS_GROUP}/largeChart", options.large_chart)


class PdfOptionsDialog(QDialog):
    """Three choices, as ``export-pdf`` offers them, then « Continuer… » to the file name."""

    def __init__(self, options: PdfOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfOptionsDialog")
        self.setWindowTitle("Exporter la notice PDF")
        self.page_size = self._combo(PAGE_SIZE_CHOICES, options.page_size, "pageSizeCombo")
        self.orientation = self._combo(ORIENTATION_CHOICES, options.orientation, "orientationCombo")
        self.large_chart = self._combo(LARGE_CHART_CHOICES, options.large_chart, "largeChartCombo")
        form = QFormLayout()
        form.addRow("Format du papier :", self.page_size)
        form.addRow("Pages de l’organigramme :", self.orientation)
        form.addRow("Organigramme trop grand\npour une page lisible :", self.large_chart)
        note = QLabel("Le texte de la notice est toujours en portrait. Ces choix sont gardés pour les "
                      "prochains exports et pour l’impression.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton("Continuer…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    @staticmethod
    def _combo(choices: tuple, current: str, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for value in choices:
            combo.addItem(LABELS.get(value, value), value)  # a mode new to this list shows its own name
        combo.setCurrentIndex(max(combo.findData(current), 0))
        return combo

    def options(self) -> PdfOptions:
        return PdfOptions(self.page_size.currentData(), self.orientation.currentData(), self.large_chart.currentData())


def ask_pdf_options(parent: QWidget, options: PdfOptions) -> PdfOptions | None:
    """The modal dialog (Dialogs.ask_pdf_options calls this); None when cancelled."""
    dialog = PdfOptionsDialog(options, parent)
    return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None
