"""What the chart shows and where the user is in it: collapse, focus, orientation, arrows.

These gestures change the view, never the document (nothing to undo): collapsed branches,
the focused branch (« Afficher uniquement cette branche »), the orientation, the compact layout,
and keyboard navigation between boxes. After changing the scene's state they call
``relayout(fit)``, the window's redraw (chart, counts, actions; ``fit`` refits the view).
"""

from __future__ import annotations

from collections.abc import Callable

from dicom_desktop.ui.chart.chart_scene import ChartScene
from dicom_desktop.ui.chart.chart_view import ChartView
from dicom_desktop.ui.editor import EditorController


class ChartNavigation:
    """View-state gestures over ``scene`` and ``view`` for the editor's document."""

    def __init__(self, editor: EditorController, view: ChartView, scene: ChartScene,
                 relayout: Callable[[bool], None]) -> None:
        self.editor = editor
        self.view = view
        self.scene = scene
        self.relayout = relayout

    # ------------------------------------------------------------------ collapse and focus
    def toggle_collapse(self, entity_id: str) -> None:
        graph = self.editor.doc.graph
        if entity_id in graph and graph.children_map().get(entity_id):
            self.scene.toggle_collapsed(entity_id)
            self.relayout(False)
            self.view.ensure_entity_visible(entity_id)

    def toggle_collapse_selected(self) -> None:
        current = self.editor.selection.current
        if current is not None:
            self.toggle_collapse(current)

    def expand_all(self) -> None:
        self.scene.collapsed.clear()
        self.relayout(False)

    def focus_branch(self) -> None:
        """Show only the current entity's branch (and the path up to the head)."""
        graph = self.editor.doc.graph
        current = self.editor.selection.current
        if current is None or current not in graph:
            return
        self.scene.focus = None if current == graph.root else current
        self.relayout(True)
        self.editor.show_status(f"Branche affichée : {graph.entity(current).name}", 6000)

    def show_all(self) -> None:
        self.scene.focus = None
        self.scene.collapsed.clear()
        self.relayout(True)

    # ------------------------------------------------------------------ layout choices
    def toggle_orientation(self, checked: bool | None = None) -> None:
        """Left-right when ``checked`` (None: the other orientation)."""
        if checked is None:
            checked = self.scene.orientation == "top-down"
        self.scene.orientation = "left-right" if checked else "top-down"
        self.relayout(True)

    def toggle_compact(self, checked: bool | None = None) -> None:
        """« Disposition compacte »: small branches as hanging lists (the user's choice wins)."""
        if checked is None:
            checked = not self.scene.compact_active()
        self.scene.compact = bool(checked)
        self.relayout(True)

    def toggle_selection_links(self, checked: bool | None = None) -> None:
        """« Liens fonctionnels de la sélection seulement » (the user's choice wins over the
        automatic choice, on above 500 entities)."""
        if checked is None:
            checked = not self.scene.selection_links_active()
        self.scene.selection_links = bool(checked)
        self.scene.update_links()

    # ------------------------------------------------------------------ moving around
    def reveal_and_select(self, entity_id: str) -> None:
        """Select an entity, expanding collapsed ancestors or leaving a focus that hides it."""
        graph = self.editor.doc.graph
        if entity_id not in graph:
            return
        if not self.scene.is_shown(entity_id):
            if self.scene.focus is not None and not graph.is_descendant(entity_id, self.scene.focus):
                self.scene.focus = None
            self.scene.collapsed.difference_update(graph.ancestors(entity_id))
            self.relayout(False)
        self.editor.selection.select(entity_id)
        self.view.ensure_entity_visible(entity_id)

    def navigate(self, direction: str) -> None:
        """Arrows: Up = parent, Down = first child, Left/Right = previous/next sibling (shown boxes)."""
        graph = self.editor.doc.graph
        current = self.editor.selection.current
        if current is None or current not in graph:
            self.editor.selection.select(graph.root)
            return
        shown = [k for k in graph.children_map()[current] if self.scene.is_shown(k)]
        target = None
        if direction == "up":
            target = graph.parent(current)
        elif direction == "down":
            target = shown[0] if shown else None
        else:
            parent = graph.parent(current)
            if parent is not None:
                siblings = [k for k in graph.children_map()[parent] if self.scene.is_shown(k)]
                i = siblings.index(current) if current in siblings else -1
                j = i - 1 if direction == "left" else i + 1
                if i >= 0 and 0 <= j < len(siblings):
                    target = siblings[j]
        if target is not None:
            self.editor.selection.select(target)
            self.view.ensure_entity_visible(target)
