"""Drag and drop in the outline panel: the same re-attachment as on the chart, from the tree.

:class:`DraggableOutlineModel` extends the outline's model with an internal mime type holding the
dragged entity ids; a drop calls ``EditorController.move_with_feedback`` (one ``move_entities``
operation, one undo step, warnings in the status bar). Dropping ON a row
re-attaches under it; dropping BETWEEN rows places the entities at that position among the
siblings. A loop (onto itself or its own branch) is refused while hovering (``canDropMimeData``)
and again at the drop, with the reason in the status bar.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView

from dicom_desktop.ui.editor import Animate, EditorController
from dicom_desktop.ui.panels.outline import OutlineModel, OutlinePanel

MIME_TYPE = "application/x-dicom-entity-ids"


class DraggableOutlineModel(OutlineModel):
    """The outline model, plus internal drag and drop of entities."""

    def __init__(self, editor: EditorController, animate: Animate | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.animate = animate

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = base | Qt.ItemFlag.ItemIsDropEnabled
        if index.parent().isValid():  # the head entity stays where it is
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802 - Qt API
        ids = list(dict.fromkeys(i for i in (self.entity_id(x) for x in indexes) if i is not None))
        data = QMimeData()
        data.setData(MIME_TYPE, json.dumps(ids).encode("utf-8"))
        return data

    @staticmethod
    def dragged_ids(data: QMimeData) -> list[str]:
        if data is None or not data.hasFormat(MIME_TYPE):
            return []
        try:
            ids = json.loads(bytes(data.data(MIME_TYPE)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return []
        return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []

    def drop_place(self, row: int, parent: QModelIndex) -> tuple[str, int | None] | None:
        """(new parent, index or None for the end) for a drop at ``row`` under ``parent``."""
        parent_id = self.entity_id(parent)
        if parent_id is None:
            return None  # above or below the head entity: there is no parent there
        return parent_id, (row if row >= 0 else None)

    def refusal(self, data: QMimeData, row: int, parent: QModelIndex) -> str | None:
        ids = self.dragged_ids(data)
        place = self.drop_place(row, parent)
        graph = self._graph
        if not ids or place is None or graph is None:
            return "Déposez sur une entité (ou entre deux entités de même niveau)."
        for entity_id in ids:
            if entity_id not in graph:
                return f"L’entité « {entity_id} » n’existe plus."
            reason = graph.move_refusal(entity_id, place[0])
            if reason:
                return reason
        return None

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802 - Qt API
        return self.refusal(data, row, parent) is None

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802 - Qt API
        if action == Qt.DropAction.IgnoreAction:
            return True
        reason = self.refusal(data, row, parent)
        place = self.drop_place(row, parent)
        if reason is not None or place is None:
            self.editor.show_status(f"Déplacement impossible : {reason}", 8000)
            return False
        parent_id, index = place
        # False: the editor already moved the rows (through the document); the view must not remove them.
        self.editor.move_with_feedback(self.dragged_ids(data), parent_id, index, self.animate)
        return False


def enable_outline_drag(panel: OutlinePanel, editor: EditorController,
                        animate: Animate | None = None) -> DraggableOutlineModel:
    """Swap the outline's model for the draggable one and turn internal moves on."""
    model = DraggableOutlineModel(editor, animate, panel)
    panel.set_model(model)
    view = panel.view
    view.setDragEnabled(True)
    view.setAcceptDrops(True)
    view.setDropIndicatorShown(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
    view.setDefaultDropAction(Qt.DropAction.MoveAction)
    return model
