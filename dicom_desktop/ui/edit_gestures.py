"""The everyday edits of the chart: add a subdivision or a sibling, rename, delete, link two entities.

Each gesture asks what it must (through ``editor.dialogs``), builds its operation with the core
(:mod:`dicom_desktop.edits`) and pushes it with ``editor.execute``: one undo step. The window's
actions (« Ajouter une subdivision », F2, Suppr, Ctrl+L…) call these methods.
"""

from __future__ import annotations

from collections.abc import Callable

from dicom_desktop import edits
from dicom_desktop.errors import EditRefused
from dicom_desktop.model import Link
from dicom_desktop.operations import AddEntity, AddLink, RemoveLink, UpdateEntity
from dicom_desktop.ui.chart.chart_scene import ChartScene
from dicom_desktop.ui.chart.chart_view import ChartView
from dicom_desktop.ui.editor import EditorController


class EditGestures:
    """Edit gestures on the selection; ``reveal(entity_id)`` shows a box hidden by a collapse or focus."""

    def __init__(self, editor: EditorController, view: ChartView, scene: ChartScene,
                 reveal: Callable[[str], None]) -> None:
        self.editor = editor
        self.view = view
        self.scene = scene
        self.reveal = reveal

    def _current(self) -> str | None:
        current = self.editor.selection.current
        return current if current is not None and current in self.editor.doc.graph else None

    # ------------------------------------------------------------------ adding
    def add_child(self) -> str | None:
        """« Ajouter une subdivision » under the current entity; returns the new id."""
        current = self._current()
        if current is None:
            return None
        self.scene.collapsed.discard(current)  # the new box must be seen
        return self._add(edits.new_subdivision(self.editor.doc.graph, current))

    def add_sibling(self) -> str | None:
        """« Ajouter une entité au même niveau », right after the current entity."""
        current = self._current()
        if current is None:
            return None
        try:
            operation = edits.new_sibling(self.editor.doc.graph, current)
        except EditRefused as exc:
            self.editor.dialogs.info("Ajout impossible", str(exc))
            return None
        return self._add(operation)

    def _add(self, operation: AddEntity) -> str | None:
        entity_id = operation.entity.id
        if not self.editor.execute(operation, select_after=((entity_id,), entity_id)):
            return None
        self.view.ensure_entity_visible(entity_id)
        if self.view.isVisible():
            self.start_rename(entity_id)  # a new box is named at once
        return entity_id

    # ------------------------------------------------------------------ deleting
    def delete_selected(self) -> bool:
        """« Supprimer… »: alone (subdivisions move up) or with the branch, as the user says."""
        editor = self.editor
        graph = editor.doc.graph
        ids = editor.selected_ids()
        if graph.root in ids:
            editor.dialogs.info("Suppression impossible", "L’entité de tête ne peut pas être supprimée.")
            ids.remove(graph.root)
        if not ids:
            return False
        mode = "single"
        descendants = sum(len(graph.subtree(i)) - 1 for i in ids)
        if descendants:
            name = graph.entity(ids[0]).name if len(ids) == 1 else f"{len(ids)} entités"
            mode = editor.dialogs.ask_delete_mode(name, descendants)
            if mode is None:
                return False
        with_subtree = mode == "subtree"
        after = graph.parent(edits.removal_targets(graph, ids, with_subtree)[0])
        if not editor.execute(edits.removal(graph, ids, with_subtree), select_after=((after,), after)):
            return False
        editor.show_status("Entité supprimée — Ctrl+Z pour annuler.", 6000)
        return True

    # ------------------------------------------------------------------ renaming
    def rename_selected(self) -> None:
        current = self._current()
        if current is not None:
            self.start_rename(current)

    def start_rename(self, entity_id: str) -> None:
        """Open the inline name editor on the box (revealed first if hidden)."""
        graph = self.editor.doc.graph
        if entity_id not in graph:
            return
        if not self.scene.is_shown(entity_id):
            self.reveal(entity_id)
        self.view.start_rename(entity_id, graph.entity(entity_id).name)

    def commit_rename(self, entity_id: str, text: str) -> bool:
        text = text.strip()
        graph = self.editor.doc.graph
        if not text or entity_id not in graph or graph.entity(entity_id).name == text:
            return False
        return self.editor.execute(UpdateEntity(entity_id, {"name": text}))

    # ------------------------------------------------------------------ functional links
    def add_link(self) -> bool:
        ids = self.editor.selected_ids()
        if len(ids) != 2:
            self.editor.dialogs.info("Lien fonctionnel", "Sélectionnez exactement deux entités (Ctrl + clic).")
            return False
        return self.editor.execute(AddLink(Link(source=ids[0], target=ids[1])))

    def remove_link(self) -> bool:
        ids = self.editor.selected_ids()
        link = edits.link_between(self.editor.doc.graph, *ids) if len(ids) == 2 else None
        if link is None:
            self.editor.dialogs.info("Lien fonctionnel", "Aucun lien fonctionnel entre les deux entités sélectionnées.")
            return False
        return self.editor.execute(RemoveLink(link.source, link.target, link.kind))
