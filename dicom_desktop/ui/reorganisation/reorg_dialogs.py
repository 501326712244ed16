"""The questions of the reorganisation features, in one replaceable factory (``window.reorg_dialogs``).

Each ``ask_*`` method opens a modal dialog and returns the user's answer, or None when cancelled.
Tests replace the methods (or the whole object) so nothing blocks; the dialog classes themselves
can also be filled and read without ``exec()`` (their ``values()`` is what ``ask_*`` returns).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from dicom_desktop.graph import OrgGraph
from dicom_desktop.kinds import KIND_STYLES
from dicom_desktop.reorg import MergeProposal
from dicom_desktop.ui.panels.attributions import join_paragraphs, split_paragraphs
from dicom_desktop.ui.panels.search import fold

ID_ROLE = Qt.ItemDataRole.UserRole


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------- merge
class MergeDialog(QDialog):
    """« Fusionner »: the combined name and attributions, pre-filled, for the user to edit."""

    def __init__(self, survivor: str, absorbed: str, proposal: MergeProposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle("Fusionner deux entités")
        intro = QLabel(f"« {absorbed} » sera absorbée par « {survivor} » : ses subdivisions et ses liens "
                       "fonctionnels passent à l’entité fusionnée. Vérifiez le nom et les attributions.")
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(proposal.name)
        self.attributions_edit = QPlainTextEdit(join_paragraphs(list(proposal.attributions)))
        self.attributions_edit.setPlaceholderText("Un paragraphe par bloc, séparés par une ligne vide.")
        form = QFormLayout()
        form.addRow("&Nom de l’entité fusionnée :", self.name_edit)
        form.addRow("&Attributions :", self.attributions_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Fusionner"))
        self.resize(640, 460)

    def values(self) -> tuple[str, list[str]]:
        return self.name_edit.text().strip(), split_paragraphs(self.attributions_edit.toPlainText())


# ---------------------------------------------------------------------------- split
@dataclass(frozen=True)
class SplitChoice:
    name: str
    kind: str
    children: tuple[str, ...]
    paragraphs: tuple[int, ...]


class SplitDialog(QDialog):
    """« Scinder »: the new entity's name and type, and what it takes from the source."""

    def __init__(self, graph: OrgGraph, entity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("splitDialog")
        source = graph.entity(entity_id)
        self.setWindowTitle(f"Scinder « {source.name} »")
        intro = QLabel(f"Une nouvelle entité est créée à côté de « {source.name} ». Cochez les subdivisions "
                       "et les paragraphes d’attributions qui passent dans la nouvelle entité.")
        intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Nom de la nouvelle entité")
        self.kind_combo = QComboBox()
        kinds = list(KIND_STYLES)
        if source.kind not in kinds:
            kinds.append(source.kind)
        self.kind_combo.addItems(kinds)
        self.kind_combo.setCurrentText(source.kind)
        self.children_list = QListWidget()
        self.children_list.setObjectName("splitChildren")
        for child in graph.children(entity_id):
            item = QListWidgetItem(graph.entity(child).name)
            item.setData(ID_ROLE, child)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.children_list.addItem(item)
        self.paragraphs_list = QListWidget()
        self.paragraphs_list.setObjectName("splitParagraphs")
        for n, paragraph in enumerate(source.attributions):
            item = QListWidgetItem(f"{n + 1}. {_short(paragraph)}")
            item.setToolTip(paragraph)
            item.setData(ID_ROLE, n)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.paragraphs_list.addItem(item)
        form = QFormLayout()
        form.addRow("&Nom :", self.name_edit)
        form.addRow("&Type :", self.kind_combo)
        form.addRow("&Subdivisions :", self.children_list if self.children_list.count() else QLabel("(aucune)"))
        form.addRow("&Paragraphes :", self.paragraphs_list if self.paragraphs_list.count() else QLabel("(aucun)"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        self.buttons = _buttons(self, "Scinder")
        layout.addWidget(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.name_edit.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        self.resize(640, 520)

    @staticmethod
    def _checked(widget: QListWidget) -> tuple:
        return tuple(widget.item(i).data(ID_ROLE) for i in range(widget.count())
                     if widget.item(i).checkState() == Qt.CheckState.Checked)

    def values(self) -> SplitChoice:
        return SplitChoice(self.name_edit.text().strip(), self.kind_combo.currentText(),
                           self._checked(self.children_list), self._checked(self.paragraphs_list))


# ---------------------------------------------------------------------------- entity picker
class EntityPickerDialog(QDialog):
    """A searchable list of entities (type to filter, arrows, Enter): the keyboard way to pick one.

    ``refusals`` maps ids to the reason they cannot be chosen: shown greyed, reason in the tooltip.
    """

    def __init__(self, graph: OrgGraph, title: str, prompt: str, refusals: dict[str, str] | None = None,
                 exclude: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityPickerDialog")
        self.setWindowTitle(title)
        refusals = refusals or {}
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Rechercher une entité (nom, sigle, type)…")
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("entityPickerList")
        depths = graph.depths()
        excluded = set(exclude)
        for entity_id in graph.preorder():
            if entity_id in excluded:
                continue
            e = graph.entity(entity_id)
            item = QListWidgetItem("    " * min(depths[entity_id], 8) + e.name + f" — {e.kind}")
            item.setData(ID_ROLE, entity_id)
            item.setData(ID_ROLE + 1, fold(" ".join((e.name, e.short_name, e.kind, entity_id))))
            reason = refusals.get(entity_id)
            if reason:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(reason)
            self.list.addItem(item)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.filter_edit.returnPressed.connect(self._accept_current)
        self.list.itemActivated.connect(lambda _i: self._accept_current())
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        layout.addWidget(_buttons(self, "Choisir"))
        self.resize(520, 560)
        self.apply_filter("")

    def apply_filter(self, text: str) -> None:
        words = fold(text).split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = not all(w in item.data(ID_ROLE + 1) for w in words)
            item.setHidden(hidden)
            if not hidden and first is None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                first = item
        if first is not None and (self.list.currentItem() is None or self.list.currentItem().isHidden()):
            self.list.setCurrentItem(first)

    def _accept_current(self) -> None:
        if self.values() is not None:
            self.accept()

    def values(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden() or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return item.data(ID_ROLE)


# ---------------------------------------------------------------------------- scenario details
class ScenarioDialog(QDialog):
    """Name and description of a scenario (new or renamed)."""

    def __init__(self, title: str, name: str = "", description: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenarioDialog")
        self.setWindowTitle(title)
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText("Par exemple : Campagnes auprès des adjoints")
        self.description_edit = QPlainTextEdit(description)
        self.description_edit.setPlaceholderText("Ce que le scénario change et pourquoi (facultatif)")
        form = QFormLayout(self)
        form.addRow("&Nom :", self.name_edit)
        form.addRow("&Description :", self.description_edit)
        buttons = _buttons(self, "Valider")
        form.addRow(buttons)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(name.strip()))
        self.name_edit.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        self.resize(520, 260)

    def values(self) -> tuple[str, str]:
        return self.name_edit.text().strip(), self.description_edit.toPlainText().strip()


# ---------------------------------------------------------------------------- the factory
class ReorgDialogs:
    """Opens the dialogs above, modally; returns their values or None when cancelled."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    @staticmethod
    def _run(dialog: QDialog):
        try:
            return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def ask_merge(self, survivor: str, absorbed: str, proposal: MergeProposal) -> tuple[str, list[str]] | None:
        return self._run(MergeDialog(survivor, absorbed, proposal, self.parent))

    def ask_split(self, graph: OrgGraph, entity_id: str) -> SplitChoice | None:
        return self._run(SplitDialog(graph, entity_id, self.parent))

    def ask_entity(self, graph: OrgGraph, title: str, prompt: str, refusals: dict[str, str] | None = None,
                   exclude: Sequence[str] = ()) -> str | None:
        return self._run(EntityPickerDialog(graph, title, prompt, refusals, exclude, self.parent))

    def ask_scenario(self, title: str, name: str = "", description: str = "") -> tuple[str, str] | None:
        return self._run(ScenarioDialog(title, name, description, self.parent))
