"""The search panel: find entities by name or by a word of their attributions.

Matching ignores case and accents (« equipe » finds « Équipe ») and typographic apostrophes.
Results are listed here and highlighted on the chart (``matchesChanged``); choosing a result
selects the entity. Entrée and F3 go to the next result (Maj+F3 the previous one), Échap clears
the search.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...graph import OrgGraph
from dicom_desktop.wording import plural

MAX_LISTED = 500


def fold(text: str) -> str:
    """Lower-case, accent-free, plain-apostrophe form used for matching."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("œ", "oe").replace("Œ", "Oe"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def search_entities(graph: OrgGraph, query: str) -> list[tuple[str, str]]:
    """``[(entity_id, where)]`` in chart order; ``where`` is « nom » or « attributions »."""
    needle = fold(query.strip())
    if not needle:
        return []
    found = []
    for entity_id in graph.preorder():
        e = graph.entity(entity_id)
        if needle in fold(" ".join((e.name, e.short_name, e.head_title, e.head_name))):
            found.append((entity_id, "nom"))
        elif any(needle in fold(p) for p in e.attributions):
            found.append((entity_id, "attributions"))
    return found


class SearchPanel(QWidget):
    """A filter field and the list of matching entities."""

    matchesChanged = Signal(object)  # set[str] | None (None: no search in progress)
    entityChosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._graph: OrgGraph | None = None
        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Rechercher un nom ou un mot des attributions…")
        self.field.setClearButtonEnabled(True)
        self.count_label = QLabel("")
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addWidget(self.count_label)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.run)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self.next_result)
        self.field.installEventFilter(self)
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        self.matches: set[str] | None = None
        # F3 / Maj+F3 from anywhere in the window (the window puts them in its Édition menu).
        self.act_next = QAction("Résultat &suivant", self)
        self.act_next.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.FindNext))
        self.act_next.setStatusTip("Sélectionner le résultat de recherche suivant")
        self.act_next.triggered.connect(lambda: self.next_result(1))
        self.act_previous = QAction("Résultat &précédent", self)
        self.act_previous.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.FindPrevious))
        self.act_previous.setStatusTip("Sélectionner le résultat de recherche précédent")
        self.act_previous.triggered.connect(lambda: self.next_result(-1))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.field and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.clear()
            return True
        return False

    def clear(self) -> None:
        """Échap: empty the field, drop the highlights and the list."""
        self.field.clear()
        self.run()

    def set_graph(self, graph: OrgGraph | None) -> None:
        self._graph = graph
        self.run()

    def run(self) -> None:
        """Search now (the field's changes are debounced; tests may call this directly)."""
        self._timer.stop()
        self.results.clear()
        query = self.field.text()
        if self._graph is None or not query.strip():
            self.count_label.setText("")
            self.matches = None
            self.matchesChanged.emit(None)
            return
        found = search_entities(self._graph, query)
        for entity_id, where in found[:MAX_LISTED]:
            entity = self._graph.entity(entity_id)
            item = QListWidgetItem(entity.name if where == "nom" else f"{entity.name} — dans les attributions")
            item.setData(Qt.ItemDataRole.UserRole, entity_id)
            item.setToolTip(entity.kind)
            self.results.addItem(item)
        n = len(found)
        self.count_label.setText("Aucun résultat" if n == 0 else plural(n, "résultat"))
        self.matches = {entity_id for entity_id, _ in found}
        self.matchesChanged.emit(self.matches)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.entityChosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def next_result(self, step: int = 1) -> str | None:
        """Entrée / F3: select the next result (cycling), Maj+F3 the previous one; returns its id."""
        if self._timer.isActive() or self.matches is None:
            self.run()  # the text was just typed: search now
        count = self.results.count()
        if not count:
            return None
        row = self.results.currentRow()
        row = (0 if step > 0 else count - 1) if row < 0 else (row + step) % count
        self.results.setCurrentRow(row)
        item = self.results.item(row)
        self._chosen(item)
        return item.data(Qt.ItemDataRole.UserRole)
