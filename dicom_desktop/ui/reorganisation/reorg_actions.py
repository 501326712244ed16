"""Reorganisation gestures from the chart's context menu and the « Édition › Réorganisation » menu.

« Fusionner avec… », « Scinder… », « Déclarer vacant » / « Pourvoir le poste » and
« Rattacher à… » each build one core gesture (:mod:`dicom_desktop.reorg`) and push it with
``EditorController.execute`` — one undo step. Questions go through ``dialogs``
(:class:`~dicom_desktop.ui.reorganisation.reorg_dialogs.ReorgDialogs`), which tests replace. The « Réorganisation »
menu is exposed as ``menu``; the window puts it in its « Édition » menu.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from dicom_desktop.errors import EditRefused
from dicom_desktop.graph import OrgGraph
from dicom_desktop.reorg import declare_vacant, merge_entities, merge_proposal, split_entity
from dicom_desktop.ui.chart.chart_view import ChartView
from dicom_desktop.ui.editor import Animate, EditorController
from dicom_desktop.ui.reorganisation.reorg_dialogs import ReorgDialogs


class ReorgActions:
    """The gestures, callable directly (tests, menus) and offered in the chart's context menu."""

    def __init__(self, editor: EditorController, view: ChartView, dialogs: ReorgDialogs,
                 animate: Animate | None = None, parent: QWidget | None = None) -> None:
        self.editor = editor
        self.dialogs = dialogs
        self.animate = animate
        view.add_context_menu_hook(self.context_menu_hook)
        self.menu = self._build_menu(parent)

    def _graph(self) -> OrgGraph:
        return self.editor.doc.graph

    def _refused(self, title: str, exc: EditRefused) -> bool:
        self.editor.dialogs.error(title, str(exc))
        return False

    # ------------------------------------------------------------------ menus
    def context_menu_hook(self, menu: QMenu, ids: list[str]) -> None:
        graph = self._graph()
        ids = [i for i in ids if i in graph]
        if not ids:
            return
        first = ids[0]
        name = graph.entity(first).name
        menu.addSeparator()
        if len(ids) == 2:
            other = graph.entity(ids[1]).name
            action = menu.addAction(f"Fusionner avec « {other} »…", lambda: self.merge(first, ids[1]))
            action.setStatusTip(f"« {name} » absorbe « {other} »")
        else:
            menu.addAction("Fusionner avec…", lambda: self.merge(first))
        menu.addAction("Scinder…", lambda: self.split(first))
        if graph.entity(first).vacant:
            menu.addAction("Pourvoir le poste", lambda: self.set_vacant(first, False))
        else:
            menu.addAction("Déclarer vacant", lambda: self.set_vacant(first, True))
        attach = menu.addAction("Rattacher à…", lambda: self.attach(ids))
        attach.setEnabled(first != graph.root or len(ids) > 1)

    def _build_menu(self, parent: QWidget | None) -> QMenu:
        """« Réorganisation » for the Édition menu: the same gestures on the selection, keyboard-reachable."""
        menu = QMenu("Ré&organisation", parent)
        menu.setObjectName("reorganisationMenu")
        selection = self.editor.selection

        def current():
            ids = self.editor.selected_ids()
            current = selection.current
            if current in ids:
                ids = [current] + [i for i in ids if i != current]
            return ids

        def add(text, slot, shortcut=None):
            action = QAction(text, menu)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False: (lambda ids: ids and slot(ids))(current()))
            menu.addAction(action)
            return action

        self.act_merge = add("&Fusionner avec…", lambda ids: self.merge(ids[0], ids[1] if len(ids) == 2 else None))
        self.act_split = add("&Scinder…", lambda ids: self.split(ids[0]))
        self.act_vacant = add("Déclarer vacant / &pourvoir le poste",
                              lambda ids: self.set_vacant(ids[0], not self._graph().entity(ids[0]).vacant))
        self.act_attach = add("&Rattacher à…", self.attach, "Ctrl+Shift+R")
        return menu

    # ------------------------------------------------------------------ gestures
    def merge(self, survivor: str, absorbed: str | None = None) -> bool:
        """« Fusionner »: ask the partner when not given, then the combined name and attributions."""
        graph = self._graph()
        if absorbed is None:
            absorbed = self.dialogs.ask_entity(
                graph, "Fusionner avec…",
                f"Choisissez l’entité à fusionner avec « {graph.entity(survivor).name} » "
                "(elle sera absorbée et disparaîtra).", exclude=[survivor])
            if absorbed is None:
                return False
        if absorbed == graph.root:  # the head entity is always the survivor
            survivor, absorbed = absorbed, survivor
        try:
            proposal = merge_proposal(self.editor.doc, survivor, absorbed)
        except EditRefused as exc:
            return self._refused("Fusion impossible", exc)
        answer = self.dialogs.ask_merge(graph.entity(survivor).name, graph.entity(absorbed).name, proposal)
        if answer is None:
            return False
        name, attributions = answer
        try:
            operation = merge_entities(self.editor.doc, survivor, absorbed,
                                       name=name or proposal.name, attributions=attributions)
        except EditRefused as exc:
            return self._refused("Fusion impossible", exc)
        ok = self.editor.execute(operation, select_after=((survivor,), survivor))
        if ok:
            self.editor.show_status(f"{operation.label} — Ctrl+Z pour annuler.", 8000)
        return ok

    def split(self, entity_id: str) -> str | None:
        """« Scinder »: returns the new entity's id."""
        graph = self._graph()
        choice = self.dialogs.ask_split(graph, entity_id)
        if choice is None:
            return None
        try:
            operation = split_entity(self.editor.doc, entity_id, name=choice.name, kind=choice.kind,
                                     children_to_move=list(choice.children),
                                     paragraphs_to_move=list(choice.paragraphs))
        except EditRefused as exc:
            self._refused("Scission impossible", exc)
            return None
        new_id = operation.entity_id
        if not self.editor.execute(operation, select_after=((new_id,), new_id)):
            return None
        self.editor.show_status(f"{operation.label} — Ctrl+Z pour annuler.", 8000)
        return new_id

    def set_vacant(self, entity_id: str, vacant: bool = True) -> bool:
        if self._graph().entity(entity_id).vacant == vacant:
            return False
        return self.editor.execute(declare_vacant(self.editor.doc, entity_id, vacant))

    def attach(self, entity_ids: Sequence[str]) -> bool:
        """« Rattacher à… »: pick the new parent in a searchable list (loops shown greyed)."""
        graph = self._graph()
        ids = [i for i in entity_ids if i in graph and i != graph.root]
        if not ids:
            self.editor.dialogs.info("Rattachement impossible", "L’entité de tête ne peut pas être rattachée.")
            return False
        refusals = {}
        for candidate in graph.preorder():
            reason = next((r for r in (graph.move_refusal(e, candidate) for e in ids) if r), None)
            if reason:
                refusals[candidate] = reason
        names = graph.entity(ids[0]).name if len(ids) == 1 else f"{len(ids)} entités"
        parent = self.dialogs.ask_entity(graph, "Rattacher à…",
                                         f"Choisissez la nouvelle entité de rattachement de « {names} » "
                                         "(avec ses subdivisions).", refusals)
        if parent is None:
            return False
        return self.editor.move_with_feedback(ids, parent, None, self.animate)
