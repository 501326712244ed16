"""The attributions panel: every field of the selected entity, editable in place.

Each edit becomes exactly one operation (``UpdateEntity``, ``MoveEntity`` for the parent,
``UpdateOrganisation`` for the root's missions) handed to ``execute`` — the window pushes it on the
undo stack. Nothing is sent when the value did not really change, and loading an entity into the
fields never sends anything (``_loading`` guard). Fields commit when editing finishes (Enter or
leaving the field); paragraphs also on Ctrl+Entrée.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QDate, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFormLayout, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea,
    QSpinBox,
    QVBoxLayout, QWidget,
)

from ...document import Document
from ...kinds import KNOWN_KINDS
from ...model import INFERABLE_FIELDS
from ...operations import MoveEntity, UpdateEntity, UpdateOrganisation
from ...reorg import declare_vacant

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
NO_DATE = QDate(1900, 1, 1)  # the date field's minimum, shown « — »: no effective date


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by a blank line; surrounding blanks are dropped."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


class _FocusOutFilter(QObject):
    """Calls ``callback`` when the watched widget loses focus."""

    def __init__(self, callback: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut:
            self._callback()
        return False



class ParentListModel(QAbstractListModel):
    """Every entity in chart order, indented by depth, for the « Rattachement » combo.

    Lazy twice. While the combo is closed it only shows the entity's parent, so the model holds
    that one row (:meth:`set_graph`); the whole list in chart order, a walk of the chart (~20 ms
    at 10,000 entities, after every drop), is made when the combo opens or gets the focus
    (:meth:`fill`). And a row's text is built when the combo draws it (100,000 entities: no
    100,000 QStandardItems).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._graph = None
        self._ids: list[str] = []
        self._rows: dict[str, int] | None = None
        self.complete = False  # True: every entity is listed (else only the shown parent)

    def set_graph(self, graph, shown: str | None = None) -> None:
        """Follow ``graph``, listing only ``shown`` (the closed combo's entity) until :meth:`fill`."""
        self.beginResetModel()
        self._graph = graph
        self._ids = [shown] if graph is not None and shown is not None else []
        self._rows = None
        self.complete = False
        self.endResetModel()

    def fill(self) -> bool:
        """List every entity in chart order; False if they already were (or there is no graph)."""
        if self.complete or self._graph is None:
            return False
        self.beginResetModel()
        self._ids = self._graph.preorder()
        self._rows = None
        self.complete = True
        self.endResetModel()
        return True

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._ids)

    def entity_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, entity_id: str) -> int:
        if self._rows is None:
            self._rows = {e: i for i, e in enumerate(self._ids)}
        return self._rows.get(entity_id, -1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        entity_id = self.entity_at(index.row()) if index.isValid() else None
        if entity_id is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return entity_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            depth = len(self._graph.ancestors(entity_id))
            return "\u2003" * min(depth, 8) + self._graph.entity(entity_id).name
        return None


class ParentCombo(QComboBox):
    """The « Rattachement » combo: asks ``before_use()`` to list every entity before the user can
    pick one (popup opened, focus by Tab or click, wheel over it, arrow keys)."""

    def __init__(self, before_use: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self._before_use = before_use

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        self._before_use()
        super().showPopup()

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._before_use()
        super().focusInEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._before_use()
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._before_use()
        super().keyPressEvent(event)


def _form() -> QFormLayout:
    """One of the panel's forms: fields take the width, flush with the title and the text box."""
    form = QFormLayout()
    form.setContentsMargins(0, 0, 0, 0)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    # A narrow panel puts each label above its field rather than cutting the field off.
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def _align_labels(*forms: QFormLayout) -> None:
    """One label column width for forms stacked one under another (their fields line up)."""
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for form in forms for row in range(form.rowCount())]
    widgets = [item.widget() for item in labels if item is not None and item.widget() is not None]
    width = max((w.sizeHint().width() for w in widgets), default=0)
    for widget in widgets:
        widget.setMinimumWidth(width)


class AttributionsPanel(QWidget):
    """Form over one entity; ``execute(operation) -> bool`` applies an edit through the undo stack."""

    entityShown = Signal(str)

    def __init__(self, execute: Callable[[object], bool], parent=None) -> None:
        super().__init__(parent)
        self._execute = execute
        self._doc: Document | None = None
        self.entity_id: str | None = None
        self._loading = False
        self._parents_dirty = True

        self.title = QLabel()
        self.title.setObjectName("attributionsTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt; padding: 4px 0;")
        self.name_edit = QLineEdit()
        self.short_name_edit = QLineEdit()
        self.kind_combo = QComboBox()
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems(list(KNOWN_KINDS))
        self.kind_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.head_title_edit = QLineEdit()
        self.head_name_edit = QLineEdit()
        self.head_title_edit.setPlaceholderText("ex. Chef de bureau")
        self.head_name_edit.setPlaceholderText("Nom du ou de la titulaire")
        self.headcount_spin = QSpinBox()
        self.headcount_spin.setRange(-1, 1_000_000)
        self.headcount_spin.setSpecialValueText("—")
        self.vacant_check = QCheckBox("Poste vacant")
        self.staff_check = QCheckBox("État-major (auprès du supérieur)")
        self.legal_edit = QLineEdit()
        self.effective_date_edit = QDateEdit()  # « — » (the minimum) means no date
        self.effective_date_edit.setCalendarPopup(True)
        self.effective_date_edit.setDisplayFormat("dd/MM/yyyy")
        self.effective_date_edit.setMinimumDate(NO_DATE)
        self.effective_date_edit.setSpecialValueText("—")
        self.effective_date_edit.setToolTip("Date à laquelle l’entité prend effet (« — » : aucune ; "
                                            "effacez ou descendez au minimum pour la retirer)")
        self.parent_model = ParentListModel(self)
        self.parent_combo = ParentCombo(self._complete_parents)
        self.parent_combo.setModel(self.parent_model)
        self.parent_combo.setMaxVisibleItems(20)
        # Never measure every row for the combo's width (10,000 rows are built lazily).
        self.parent_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.parent_combo.setMinimumContentsLength(12)  # narrow docks: the list itself is wider
        self.paragraphs_label = QLabel("Attributions")
        self.paragraphs_edit = QPlainTextEdit()
        self.paragraphs_edit.setPlaceholderText("Un paragraphe par bloc, séparés par une ligne vide.")
        self.paragraphs_edit.setTabChangesFocus(True)
        self.paragraphs_edit.setMinimumHeight(160)
        for widget, name in (
            (self.name_edit, "nameEdit"), (self.short_name_edit, "shortNameEdit"), (self.kind_combo, "kindCombo"),
            (self.head_title_edit, "headTitleEdit"), (self.head_name_edit, "headNameEdit"),
            (self.headcount_spin, "headcountSpin"), (self.vacant_check, "vacantCheck"),
            (self.staff_check, "staffCheck"), (self.legal_edit, "legalEdit"),
            (self.effective_date_edit, "effectiveDateEdit"),
            (self.parent_combo, "parentCombo"), (self.paragraphs_edit, "paragraphsEdit"),
        ):
            widget.setObjectName(name)

        form = _form()
        form.addRow("Intitulé", self.name_edit)
        form.addRow("Sigle / nom court", self.short_name_edit)
        form.addRow("Type", self.kind_combo)
        form.addRow("Rattachement", self.parent_combo)
        form.addRow("Titre du responsable", self.head_title_edit)
        form.addRow("Nom du responsable", self.head_name_edit)
        # The attributions come right after who the entity is (the panel's reason to be: on a
        # 1280×720 screen they were below the fold, under the dates and provenance boxes); the
        # other details follow them, in a second form whose labels line up with the first.
        details = _form()
        details.addRow("Effectif", self.headcount_spin)
        details.addRow("", self.vacant_check)
        details.addRow("", self.staff_check)
        details.addRow("Texte de référence", self.legal_edit)
        details.addRow("Date d’effet", self.effective_date_edit)
        # Provenance (published notice): which fields are the editor's reading, not the source's.
        self.inferred_checks: dict[str, QCheckBox] = {}
        provenance = QWidget()
        provenance.setObjectName("inferredBox")
        grid = QGridLayout(provenance)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (field_name, label) in enumerate(INFERABLE_FIELDS.items()):
            check = QCheckBox(label[0].upper() + label[1:])
            check.setObjectName(f"inferred_{field_name}")
            check.setToolTip("Cochez si ce champ est votre lecture et non un énoncé de la source : la notice publiée "
                             "le signale et n’y appose pas la référence de la source.")
            check.clicked.connect(self._commit_inferred)
            self.inferred_checks[field_name] = check
            grid.addWidget(check, i, 0)  # one column: the dock is narrow
        provenance_label = QLabel("Lecture de\nl’éditeur")
        provenance_label.setBuddy(next(iter(self.inferred_checks.values())))
        details.addRow(provenance_label, provenance)
        _align_labels(form, details)
        self.empty_label = QLabel("Sélectionnez une entité dans l’organigramme ou le plan.")
        self.empty_label.setWordWrap(True)

        inner = QWidget()
        box = QVBoxLayout(inner)
        box.addWidget(self.title)
        box.addWidget(self.empty_label)
        self.form_widget = QWidget()
        self.form_widget.setLayout(form)
        box.addWidget(self.form_widget)
        box.addWidget(self.paragraphs_label)
        box.addWidget(self.paragraphs_edit, 1)
        self.details_widget = QWidget()
        self.details_widget.setLayout(details)
        box.addWidget(self.details_widget)
        self._filler = QWidget()  # keeps the « nothing selected » text at the top
        box.addWidget(self._filler, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        # Text wraps to the panel's width; only a panel narrower than its fields' minimum scrolls
        # sideways (never cut off without a scroll bar).
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(inner)
        self.scroll = scroll
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 4, 4)
        outer.addWidget(scroll)

        # Commit signals: only user gestures, never programmatic loading.
        for edit, field in ((self.name_edit, "name"), (self.short_name_edit, "short_name"),
                            (self.head_title_edit, "head_title"), (self.head_name_edit, "head_name"),
                            (self.legal_edit, "legal_reference")):
            edit.editingFinished.connect(lambda e=edit, f=field: self._commit_text(f, e.text()))
        self.kind_combo.activated.connect(lambda _i: self._commit_text("kind", self.kind_combo.currentText()))
        self.kind_combo.lineEdit().editingFinished.connect(
            lambda: self._commit_text("kind", self.kind_combo.currentText()))
        self.headcount_spin.editingFinished.connect(self._commit_headcount)
        self.effective_date_edit.editingFinished.connect(self._commit_effective_date)
        self.vacant_check.clicked.connect(self._commit_vacancy)
        self.staff_check.clicked.connect(lambda checked: self._commit("staff", bool(checked)))
        self.parent_combo.activated.connect(self._commit_parent)
        self._focus_filter = _FocusOutFilter(self.commit_paragraphs, self)
        self.paragraphs_edit.installEventFilter(self._focus_filter)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.paragraphs_edit)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.commit_paragraphs)
        self.show_entity(None)

    # ------------------------------------------------------------------ loading
    def set_document(self, doc: Document | None) -> None:
        self._doc = doc
        self._parents_dirty = True
        self.show_entity(None)

    def document_changed(self) -> None:
        """The model changed (maybe by undo): reload the fields from it."""
        self._parents_dirty = True
        if self._doc is not None and self.entity_id is not None and self.entity_id not in self._doc.graph:
            self.entity_id = None
        self.show_entity(self.entity_id, force=True)

    def _show_parent(self, parent: str | None) -> None:
        """The combo shows ``parent``; the full list waits for the user to open it (or is made
        now if the combo is in use: focused or open while the chart changed under it)."""
        model, combo = self.parent_model, self.parent_combo
        if self._parents_dirty or not model.complete:
            model.set_graph(self._doc.graph, parent)
            self._parents_dirty = False
            if combo.hasFocus() or combo.view().isVisible():
                model.fill()
        combo.setEnabled(parent is not None)
        if parent is None:
            combo.setCurrentIndex(-1)
            combo.setPlaceholderText("— (entité de tête)")
        else:
            combo.setCurrentIndex(model.row_of(parent))

    def _complete_parents(self) -> None:
        """Every entity in the combo, the current parent still current (the user is about to pick)."""
        if self._doc is None or not self.parent_model.fill():
            return
        parent = self._doc.graph.parent(self.entity_id) if self.entity_id in self._doc.graph else None
        was_loading, self._loading = self._loading, True
        try:
            self.parent_combo.setCurrentIndex(-1 if parent is None else self.parent_model.row_of(parent))
        finally:
            self._loading = was_loading

    def show_entity(self, entity_id: str | None, force: bool = False) -> None:
        if not force and entity_id == self.entity_id and entity_id is not None:
            return
        doc = self._doc
        if doc is None or entity_id is None or entity_id not in doc.graph:
            self.entity_id = None
            self.title.setText("Aucune entité sélectionnée")
            self.empty_label.show()
            self._filler.show()
            self.form_widget.hide()
            self.details_widget.hide()
            self.paragraphs_label.hide()
            self.paragraphs_edit.hide()
            return
        self._loading = True
        try:
            self.entity_id = entity_id
            graph = doc.graph
            entity = graph.entity(entity_id)
            is_root = entity_id == graph.root
            self.title.setText(entity.name)
            self.empty_label.hide()
            self._filler.hide()
            self.form_widget.show()
            self.details_widget.show()
            self.paragraphs_label.show()
            self.paragraphs_edit.show()
            self.name_edit.setText(entity.name)
            self.short_name_edit.setText(entity.short_name)
            self.kind_combo.setCurrentText(entity.kind)
            self.head_title_edit.setText(entity.head_title)
            self.head_name_edit.setText("" if entity.vacant else entity.head_name)
            self.head_name_edit.setEnabled(not entity.vacant)  # a vacant post holds no name
            self.head_name_edit.setPlaceholderText("Poste vacant" if entity.vacant else "Nom du ou de la titulaire")
            self.headcount_spin.setValue(-1 if entity.headcount is None else entity.headcount)
            self.vacant_check.setChecked(entity.vacant)
            self.staff_check.setChecked(entity.staff)
            self.staff_check.setEnabled(not is_root)
            self.legal_edit.setText(entity.legal_reference)
            day = entity.effective_date
            self.effective_date_edit.setDate(QDate(day.year, day.month, day.day) if day else NO_DATE)
            for field_name, check in self.inferred_checks.items():
                check.setChecked(field_name in entity.inferred)
            self.inferred_checks["parent"].setEnabled(not is_root)
            for edit in (self.name_edit, self.short_name_edit, self.head_title_edit, self.head_name_edit,
                         self.legal_edit):
                edit.setCursorPosition(0)
            self._show_parent(graph.parent(entity_id))
            if self._shows_missions():
                self.paragraphs_label.setText(f"Missions de l’organisation ({doc.organisation.acronym or doc.organisation.name})")
                self.paragraphs_edit.setPlainText(join_paragraphs(doc.organisation.missions))
            else:
                self.paragraphs_label.setText("Attributions")
                self.paragraphs_edit.setPlainText(join_paragraphs(entity.attributions))
        finally:
            self._loading = False
        self.entityShown.emit(entity_id)

    def _parent_row(self, parent: str) -> int:
        """The row of ``parent`` in the full list (made if need be): what the user would pick."""
        self._complete_parents()
        return self.parent_model.row_of(parent)

    def _shows_missions(self) -> bool:
        """The root's own attributions are the organisation's missions (empty list on the entity)."""
        graph = self._doc.graph
        return self.entity_id == graph.root and not graph.entity(self.entity_id).attributions

    # ------------------------------------------------------------------ commits
    def _commit(self, field: str, value) -> bool:
        if self._loading or self._doc is None or self.entity_id is None or self.entity_id not in self._doc.graph:
            return False
        entity = self._doc.graph.entity(self.entity_id)
        if getattr(entity, field) == value:
            return False
        ok = self._execute(UpdateEntity(self.entity_id, {field: value}))
        if not ok:
            self.show_entity(self.entity_id, force=True)  # put the model's value back
        return ok

    def _commit_text(self, field: str, text: str) -> bool:
        value = text.strip()
        if field == "name" and not value:
            self.show_entity(self.entity_id, force=True)
            return False
        return self._commit(field, value)

    def _commit_vacancy(self, checked: bool) -> bool:
        """« Poste vacant » is the « Déclarer vacant » gesture: the holder's name goes with it (one step)."""
        if self._loading or self._doc is None or self.entity_id is None or self.entity_id not in self._doc.graph:
            return False
        if self._doc.graph.entity(self.entity_id).vacant == bool(checked):
            return False
        ok = self._execute(declare_vacant(self._doc, self.entity_id, bool(checked)))
        if not ok:
            self.show_entity(self.entity_id, force=True)
        return ok

    def _commit_effective_date(self) -> None:
        value = self.effective_date_edit.date()
        day = None if value <= NO_DATE else _dt.date(value.year(), value.month(), value.day())
        self._commit("effective_date", day)
    def _commit_inferred(self) -> None:
        """One undoable step with the new list of fields marked as the editor's reading."""
        chosen = [name for name, check in self.inferred_checks.items() if check.isChecked()]
        self._commit("inferred", chosen)

    def _commit_headcount(self) -> None:
        value = self.headcount_spin.value()
        self._commit("headcount", None if value < 0 else value)

    def _commit_parent(self, row: int) -> None:
        if self._loading or self._doc is None or self.entity_id is None:
            return
        new_parent = self.parent_model.entity_at(row)
        if new_parent is None:
            return
        if new_parent == self._doc.graph.parent(self.entity_id):
            return
        if not self._execute(MoveEntity(self.entity_id, new_parent)):
            self.show_entity(self.entity_id, force=True)

    def commit_paragraphs(self) -> bool:
        """Send the paragraphs if they changed (focus out, Ctrl+Entrée, before a save)."""
        if self._loading or self._doc is None or self.entity_id is None or self.entity_id not in self._doc.graph:
            return False
        paragraphs = split_paragraphs(self.paragraphs_edit.toPlainText())
        if self._shows_missions():
            if paragraphs == list(self._doc.organisation.missions):
                return False
            return self._execute(UpdateOrganisation({"missions": paragraphs},
                                                    label="Modifier les missions de l’organisation"))
        return self._commit("attributions", paragraphs)

    def commit_pending(self) -> None:
        """Flush an edit in progress (the user pressed Ctrl+S while typing)."""
        focus = self.focusWidget()
        if focus is self.paragraphs_edit:
            self.commit_paragraphs()
        elif isinstance(focus, QLineEdit) and focus.isModified():
            focus.editingFinished.emit()
