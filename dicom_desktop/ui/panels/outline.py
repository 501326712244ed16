"""The outline panel: the hierarchy as a tree view, kept in sync with the document and selection.

The model reads ``doc.graph`` directly (no copy): each entity is addressed by a small integer
(``internalId``); after any change the model is reset, which is cheap and always right.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QAbstractItemModel, QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QVBoxLayout, QWidget

from ...graph import OrgGraph
from ...kinds import style_for

EXPAND_ALL_LIMIT = 400


@lru_cache(maxsize=64)
def kind_icon(kind: str) -> QIcon:
    """A small swatch in the kind's colours (same as the chart)."""
    style = style_for(kind)
    pix = QPixmap(14, 14)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor(style.border))
    p.setBrush(QColor(style.fill))
    p.drawRoundedRect(1, 2, 12, 10, 2, 2)
    p.end()
    return QIcon(pix)


class OutlineModel(QAbstractItemModel):
    """One column: entity name with a swatch of its kind (the kind itself in the tooltip)."""

    HEADERS = ("Entité", "Type")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._graph: OrgGraph | None = None
        self._ids: list[str] = []
        self._num: dict[str, int] = {}

    def set_graph(self, graph: OrgGraph | None) -> None:
        self.beginResetModel()
        self._graph = graph
        self._ids, self._num = [], {}
        self.endResetModel()

    def refresh(self) -> None:
        """The graph changed in place: rebuild every index."""
        self.set_graph(self._graph)

    def _key(self, entity_id: str) -> int:
        n = self._num.get(entity_id)
        if n is None:
            n = self._num[entity_id] = len(self._ids)
            self._ids.append(entity_id)
        return n

    def entity_id(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        return self._ids[index.internalId()]

    def index_of(self, entity_id: str, column: int = 0) -> QModelIndex:
        g = self._graph
        if g is None or entity_id not in g:
            return QModelIndex()
        parent = g.parent(entity_id)
        row = 0 if parent is None else g.children_map()[parent].index(entity_id)
        return self.createIndex(row, column, self._key(entity_id))

    # ------------------------------------------------------------------ Qt model API
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        g = self._graph
        if g is None or g.root is None:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._key(g.root)) if row == 0 else QModelIndex()
        kids = g.children_map()[self._ids[parent.internalId()]]
        if 0 <= row < len(kids):
            return self.createIndex(row, column, self._key(kids[row]))
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or self._graph is None:
            return QModelIndex()
        parent = self._graph.parent(self._ids[index.internalId()])
        return QModelIndex() if parent is None else self.index_of(parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        g = self._graph
        if g is None or g.root is None:
            return 0
        if not parent.isValid():
            return 1
        if parent.column() > 0:
            return 0
        return len(g.children_map()[self._ids[parent.internalId()]])

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 1

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._graph is None:
            return None
        entity = self._graph.entity(self._ids[index.internalId()])
        if role == Qt.ItemDataRole.DisplayRole:
            return entity.name if index.column() == 0 else entity.kind
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return kind_icon(entity.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{entity.name} [{entity.kind}]" + (f" ({entity.short_name})" if entity.short_name else "")
            if entity.vacant:
                tip += " — poste vacant"
            if entity.staff:
                tip += " — auprès de l’entité supérieure"
            return tip
        if role == Qt.ItemDataRole.FontRole and (entity.vacant or entity.staff):
            font = QFont()
            font.setItalic(True)
            return font
        return None


class OutlinePanel(QWidget):
    """Tree view of the hierarchy; reports user selection through ``selectionEdited``."""

    selectionEdited = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = OutlineModel(self)
        self.view = QTreeView(self)
        self.view.setObjectName("outlineView")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setHeaderHidden(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)

    def set_model(self, model: OutlineModel) -> None:
        """Use ``model`` (a subclass adding drag and drop, say) instead of the plain one."""
        self.model = model
        self.view.setModel(model)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)

    def set_graph(self, graph: OrgGraph | None) -> None:
        self._syncing = True
        try:
            self.model.set_graph(graph)
            self._expand_default(graph)
        finally:
            self._syncing = False

    def refresh(self, graph: OrgGraph) -> None:
        """After a change: rebuild, keeping which branches were expanded."""
        expanded = self._expanded_ids()
        self._syncing = True
        try:
            self.model.set_graph(graph)
            if len(graph) <= EXPAND_ALL_LIMIT:
                self.view.expandAll()
            else:
                for entity_id in expanded:
                    index = self.model.index_of(entity_id)
                    if index.isValid():
                        self.view.setExpanded(index, True)
        finally:
            self._syncing = False

    def _expanded_ids(self) -> list[str]:
        if self.model._graph is None:  # noqa: SLF001 - own model
            return []
        out = []
        for entity_id in list(self.model._num):  # noqa: SLF001 - own model; only indexes the view asked for can be expanded
            index = self.model.index_of(entity_id)
            if index.isValid() and self.view.isExpanded(index):
                out.append(entity_id)
        return out

    def _expand_default(self, graph: OrgGraph | None) -> None:
        if graph is None:
            return
        if len(graph) <= EXPAND_ALL_LIMIT:
            self.view.expandAll()
        else:
            self.view.expandToDepth(1)

    def show_selection(self, ids, current: str | None) -> None:
        """Follow the shared selection without echoing it back."""
        self._syncing = True
        try:
            selection = QItemSelection()
            for entity_id in ids:
                index = self.model.index_of(entity_id)
                if index.isValid():
                    selection.select(index, index)
            sm = self.view.selectionModel()
            sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if current:
                index = self.model.index_of(current)
                if index.isValid():
                    sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                    self.view.scrollTo(index)
        finally:
            self._syncing = False

    def _on_view_selection(self, *_):
        if self._syncing:
            return
        ids = []
        for index in self.view.selectionModel().selectedRows(0):
            entity_id = self.model.entity_id(index)
            if entity_id is not None:
                ids.append(entity_id)
        current = self.model.entity_id(self.view.currentIndex())
        if current in ids:
            ids = [i for i in ids if i != current] + [current]
        self.selectionEdited.emit(ids)
