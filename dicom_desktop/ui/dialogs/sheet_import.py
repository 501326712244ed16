"""The dialogs of « Importer un tableau… » (the action itself: ``DocumentFiles.import_sheet``).

Import: read the file (:func:`~dicom_desktop.sheets.read_spreadsheet`), let the user confirm or amend
which column feeds which field (:class:`ColumnMappingDialog`, pre-filled by ``detect_columns``),
import everything or nothing (:func:`~dicom_desktop.sheets.import_spreadsheet`): every problem is
listed at once with its row and column (:class:`ImportProblemsDialog`), and a success opens as a new
unsaved document. The questions go through the editor's ``dialogs`` so tests can answer them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from dicom_desktop.sheets import FIELDS, ColumnMapping, Spreadsheet, detect_columns
from dicom_desktop.sheets.errors import RowProblem
from dicom_desktop.wording import plural, plural_word

SHEET_OPEN_FILTER = "Tableaux (*.xlsx *.xlsm *.csv *.txt *.tsv);;Classeurs Excel (*.xlsx *.xlsm);;CSV (*.csv *.txt *.tsv)"
SHEET_SAVE_FILTER = "Classeur Excel (*.xlsx);;CSV, séparateur point-virgule (*.csv)"
IGNORE_LABEL = "(ignorer)"
PREVIEW_ROWS = 5
SAMPLE_CHARS = 60


@dataclass(frozen=True)
class MappingChoice:
    """What the mapping dialog returns: the amended mapping and the attributions separator (None: blank line)."""

    mapping: ColumnMapping
    attributions_separator: str | None = None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    text = " ".join(text.split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def sample_value(spreadsheet: Spreadsheet, column: int) -> str:
    """The first non-blank value of a column, shortened, for the mapping table."""
    for row in spreadsheet.entities.rows:
        text = _cell_text(row.get(column))
        if text:
            return text
    return ""


class ColumnMappingDialog(QDialog):
    """One line per spreadsheet column: header, sample value, target field (or « (ignorer) »)."""

    def __init__(self, spreadsheet: Spreadsheet, mapping: ColumnMapping | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spreadsheet = spreadsheet
        self._mapping = mapping if mapping is not None else detect_columns(spreadsheet.entities.headers)
        self._updating = False
        name = spreadsheet.path.name if spreadsheet.path else "tableau"
        self.setWindowTitle(f"Importer « {name} » : colonnes")
        self.resize(860, 620)
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{_html(name)}</b> — {_html(spreadsheet.description)}, "
                       f"{plural(len(spreadsheet.entities.rows), 'ligne')} de données.<br>"
                       "Indiquez ce que contient chaque colonne. Les colonnes reconnues sont déjà associées ; "
                       "« (ignorer) » laisse une colonne de côté.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(len(self._mapping.headers), 3, self)
        self.table.setObjectName("columnMappingTable")
        self.table.setHorizontalHeaderLabels(["Colonne du tableau", "Exemple de valeur", "Champ de l’organigramme"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.combos: list[QComboBox] = []
        for column, title in enumerate(self._mapping.headers):
            letter = _column_letter(column)
            self.table.setItem(column, 0, QTableWidgetItem(f"{letter} · {title}" if title else f"{letter} · (sans titre)"))
            self.table.setItem(column, 1, QTableWidgetItem(sample_value(spreadsheet, column)))
            combo = QComboBox()
            combo.addItem(IGNORE_LABEL, None)
            for key, spec in FIELDS.items():
                combo.addItem(spec.header + (" (obligatoire)" if spec.required else ""), key)
                combo.setItemData(combo.count() - 1, spec.help, Qt.ItemDataRole.ToolTipRole)
            combo.currentIndexChanged.connect(lambda _i, c=column: self._on_combo(c))
            self.table.setCellWidget(column, 2, combo)
            self.combos.append(combo)
        layout.addWidget(self.table, 3)

        self.status = QLabel()
        self.status.setObjectName("mappingStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        layout.addWidget(QLabel(f"Aperçu des {min(PREVIEW_ROWS, len(spreadsheet.entities.rows))} premières lignes :"))
        rows = spreadsheet.entities.rows[:PREVIEW_ROWS]
        self.preview = QTableWidget(len(rows), len(self._mapping.headers), self)
        self.preview.setObjectName("mappingPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setVerticalHeaderLabels([str(r.number) for r in rows])
        for i, row in enumerate(rows):
            for j in range(len(self._mapping.headers)):
                item = QTableWidgetItem(_cell_text(row.get(j)))
                item.setToolTip(item.text())
                self.preview.setItem(i, j, item)
        layout.addWidget(self.preview, 2)

        form = QFormLayout()
        self.separator = QLineEdit()
        self.separator.setPlaceholderText("une ligne vide (par défaut)")
        self.separator.setToolTip("Ce qui sépare deux paragraphes d’attributions dans une cellule, par exemple ¶ ou |")
        form.addRow("Séparateur des paragraphes d’attributions :", self.separator)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton("Importer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._show_mapping()

    # ------------------------------------------------------------------ state
    def mapping(self) -> ColumnMapping:
        return self._mapping

    def choice(self) -> MappingChoice:
        separator = self.separator.text()
        return MappingChoice(self._mapping, separator if separator.strip() else None)

    def set_field(self, column: int, key: str | None) -> None:
        """Assign ``column`` to the field ``key`` (None: ignore it), as choosing in its combo does."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(key) if key is not None else 0)

    def _on_combo(self, column: int) -> None:
        if self._updating:
            return
        self._mapping = self._mapping.assign(column, self.combos[column].currentData())
        self._show_mapping()

    def _show_mapping(self) -> None:
        """Combos, preview headers, status line and the OK button follow the mapping."""
        self._updating = True
        try:
            for column, combo in enumerate(self.combos):
                key = self._mapping.field_of(column)
                combo.setCurrentIndex(combo.findData(key) if key is not None else 0)
        finally:
            self._updating = False
        labels = []
        for column, title in enumerate(self._mapping.headers):
            key = self._mapping.field_of(column)
            labels.append(f"{title or _column_letter(column)}\n→ {FIELDS[key].header if key else 'ignorée'}")
        self.preview.setHorizontalHeaderLabels(labels)
        self.preview.resizeColumnsToContents()
        for column in range(self.preview.columnCount()):  # long values stay readable in the tooltip
            self.preview.setColumnWidth(column, min(max(self.preview.columnWidth(column), 90), 240))
        missing = self._mapping.missing_required
        ignored = [self._mapping.headers[i] for i in self._mapping.unrecognised]
        if missing:
            names = ", ".join(f"« {FIELDS[k].header} »" for k in missing)
            self.status.setText(f"<span style='color:#b00020'>Associez une colonne au champ {names} "
                                f"(obligatoire) pour pouvoir importer.</span>")
        else:
            text = plural(len(self._mapping.fields), "colonne importée", "colonnes importées")
            if ignored:
                text += f" ; {plural_word(len(ignored), 'ignorée')} : {', '.join('« ' + _html(h) + ' »' for h in ignored)}"
            self.status.setText(text + ".")
        self.ok_button.setEnabled(not missing)


class ImportProblemsDialog(QDialog):
    """Every problem of the spreadsheet at once, one line each: row, column, what is wrong."""

    def __init__(self, source: str, problems: list[RowProblem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import impossible")
        self.resize(820, 460)
        layout = QVBoxLayout(self)
        count = len(problems)
        label = QLabel(f"Le tableau « {_html(source)} » contient {plural(count, 'problème')} ; "
                       "<b>rien n’a été importé</b>. Corrigez le tableau puis importez-le à nouveau.")
        label.setWordWrap(True)
        layout.addWidget(label)
        with_sheet = any(p.sheet for p in problems)
        columns = (["Feuille"] if with_sheet else []) + ["Ligne", "Colonne", "Problème"]
        self.table = QTableWidget(count, len(columns), self)
        self.table.setObjectName("importProblemsTable")
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for i, problem in enumerate(problems):
            cells = ([problem.sheet or ""] if with_sheet else []) + [
                "" if problem.row is None else str(problem.row), problem.column or "", problem.message]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox()
        copy = buttons.addButton("Copier la liste", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.as_text()))
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.problems = problems

    def as_text(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def ask_column_mapping(parent: QWidget, spreadsheet: Spreadsheet, mapping: ColumnMapping) -> MappingChoice | None:
    """The modal mapping dialog (Dialogs.ask_column_mapping calls this); None when cancelled."""
    dialog = ColumnMappingDialog(spreadsheet, mapping, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def show_import_problems(parent: QWidget, source: str, problems: list[RowProblem]) -> None:
    ImportProblemsDialog(source, problems, parent).exec()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = [
    "ColumnMappingDialog", "ImportProblemsDialog", "MappingChoice", "ask_column_mapping", "show_import_problems",
]
