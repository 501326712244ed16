"""The editor's main window: chart in the centre, panels around, every edit through one undo stack.

Data flow: a user gesture builds a core operation → ``execute`` pushes an
:class:`OperationCommand` on ``undo_stack`` → the command calls ``doc.apply`` → the document
notifies ``_on_document_changed`` → chart, outline, panels redraw from the model. Selection
lives in one :class:`SelectionModel` followed by every view.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QLabel, QMainWindow, QMenu, QMessageBox, QStyle, QToolBar, QUndoView,
)

from ..document import Document
from ..errors import DicomError
from ..kinds import attachment_warning
from ..model import Entity, Link
from ..operations import AddEntity, AddLink, Batch, MoveEntity, RemoveEntity, RemoveLink, UpdateEntity
from ..paths import DEFAULT_ORGANISATION
from ..storage import load_organisation
from .app import APPLICATION_TITLE
from .autosave import AutosaveController
from .chart_scene import ChartScene
from .chart_view import ChartView
from .commands import OperationCommand
from .document_lock import LockController
from .dialogs import PDF_FILTER, Dialogs
from .open_progress import CHECKING, LAYOUT, NO_PROGRESS, PANELS, READING, SCENE, progress_for_file
from .panels.attributions import AttributionsPanel
from .panels.legend import LegendWidget
from .panels.outline import OutlinePanel
from .panels.search import SearchPanel
from .reorganisation import install_reorganisation
from .selection import SelectionModel
from .small_screens import initial_size
from .small_screens import install as install_small_screens

MAX_RECENT = 8
DEFAULT_SIZE = (1600, 1000)

# What a new subdivision usually is, below each kind (French administration).
CHILD_KIND = {
    "direction": "service", "délégation": "bureau", "cabinet": "pôle", "adjoint": "bureau",
    "secrétariat général": "bureau", "service": "sous-direction", "sous-direction": "bureau",
    "département": "bureau", "mission": "pôle", "bureau": "pôle", "pôle": "cellule", "cellule": "cellule",
}
HEAD_TITLE = {
    "service": "Chef de service", "sous-direction": "Sous-directeur", "département": "Chef de département",
    "bureau": "Chef de bureau", "pôle": "Responsable de pôle", "cellule": "Responsable de cellule",
    "mission": "Chef de mission",
}


class MainWindow(QMainWindow):
    """The organisation-chart editor window."""

    def __init__(self, doc: Document | None = None, *, settings: QSettings | None = None,
                 dialogs: Dialogs | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else QSettings()
        self.dialogs = dialogs if dialogs is not None else Dialogs(self)
        self.doc: Document | None = None
        self._unsubscribe = None
        self._syncing = False
        self.undo_stack = QUndoStack(self)
        self.selection = SelectionModel(self)
        self.last_open_seconds = 0.0
        self.last_open_phases: list[str] | tuple = ()  # progress phases shown by the last open_path
        self.open_progress_hook = None  # hook(label, dialog) at each phase of a large open (tests)

        self.scene = ChartScene(self)
        self.view = ChartView(self.scene, self)
        self.view.setObjectName("chartView")
        self.setCentralWidget(self.view)
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect()
        install_reorganisation(self)  # drag and drop, reorganisation menu, scenarios, comparison
        install_small_screens(self)  # compact docks on narrow windows, « Organigramme seul » (F11)
        self.resize(initial_size(self, DEFAULT_SIZE))  # never larger than the screen
        self.locks = LockController(self)  # document lock and read-only mode (issue 6)
        self.autosave = AutosaveController(self, self.settings)  # recovery snapshots (issue 6)
        self.set_document(doc if doc is not None else Document.new())

    # ================================================================== construction
    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.outline = OutlinePanel(self)
        self.search = SearchPanel(self)
        self.legend = LegendWidget(self)
        self.attributions = AttributionsPanel(self.execute, self)
        self.history = QUndoView(self.undo_stack, self)
        self.history.setObjectName("historyView")
        self.history.setEmptyLabel("Ouverture du document")
        self.outline_dock = self._dock("Plan", "outlineDock", self.outline, left)
        self.search_dock = self._dock("Recherche", "searchDock", self.search, left)
        self.legend_dock = self._dock("Légende", "legendDock", self.legend, left)
        self.attributions_dock = self._dock("Attributions", "attributionsDock", self.attributions, right)
        self.history_dock = self._dock("Historique", "historyDock", self.history, right)
        self.resizeDocks([self.outline_dock, self.attributions_dock], [330, 420], Qt.Orientation.Horizontal)
        self.resizeDocks([self.outline_dock, self.search_dock, self.legend_dock], [430, 230, 320],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.attributions_dock, self.history_dock], [760, 200], Qt.Orientation.Vertical)

    def _action(self, text: str, slot, shortcut=None, tip: str = "", icon=None, checkable=False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        K, SP = QKeySequence.StandardKey, QStyle.StandardPixmap
        a = self._action
        self.act_new = a("&Nouveau", self.new_document, K.New, "Créer une nouvelle organisation", SP.SP_FileIcon)
        self.act_open = a("&Ouvrir…", self.open_document, K.Open, "Ouvrir un fichier d’organisation",
                          SP.SP_DialogOpenButton)
        self.act_save = a("&Enregistrer", self.save, K.Save, "Enregistrer l’organisation", SP.SP_DialogSaveButton)
        self.act_save_as = a("Enregistrer &sous…", self.save_as, K.SaveAs, "Enregistrer sous un autre nom")
        self.act_export_pdf = a("E&xporter la notice PDF…", self.export_pdf, "Ctrl+E",
                                "Exporter la notice (organigramme et attributions) en PDF")
        self.act_print = a("&Imprimer…", self.print_notice, K.Print, "Imprimer la notice PDF")
        self.act_print_preview = a("Aperçu avant i&mpression…", self.preview_notice, "Ctrl+Shift+P",
                                   "Voir les pages de la notice telles qu’elles seront imprimées")
        self.act_page_setup = a("Mise en pa&ge…", self.page_setup, None, "Choisir le format du papier")
        self.act_export_dossier = a("Exporter le &dossier de réorganisation (PDF)…", self.export_dossier, None,
                                    "Organigrammes actuel et projeté, tableau des changements et attributions "
                                    "modifiées du scénario affiché")
        self.act_export_image = a("Exporter l’&image…", self.export_image, None,
                                  "Exporter l’organigramme en image SVG ou PNG (tout ou la branche sélectionnée)")
        self.act_import_sheet = a("Importer un &tableau…", self.import_sheet, None,
                                  "Créer une organisation à partir d’un tableau CSV ou XLSX")
        self.act_export_sheet = a("Exporter le ta&bleau…", self.export_sheet, None,
                                  "Exporter les entités dans un tableau XLSX ou CSV")
        self.act_sheet_template = a("&Modèle de tableau…", self.save_sheet_template, None,
                                    "Enregistrer un tableau vide à remplir (en-têtes et une ligne d’exemple)")
        self.act_quit = a("&Quitter", self.close, K.Quit, "Fermer l’éditeur")
        self.act_org_properties = a("&Propriétés…", self.edit_organisation_properties, None,
                                    "Nom, sigle, date de mise à jour, base juridique, source et missions "
                                    "de l’organisation")
        self.act_undo = self.undo_stack.createUndoAction(self, "&Annuler")
        self.act_undo.setShortcuts(QKeySequence.keyBindings(K.Undo))
        self.act_undo.setIcon(self.style().standardIcon(SP.SP_ArrowBack))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Rétablir")
        redo_keys = QKeySequence.keyBindings(K.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.act_redo.setShortcuts(redo_keys)
        self.act_redo.setIcon(self.style().standardIcon(SP.SP_ArrowForward))
        self.act_add_child = a("Ajouter une &subdivision", self.add_child, ["Ins", "Ctrl+Shift+N"],
                               "Ajouter une entité rattachée à l’entité sélectionnée")
        self.act_add_sibling = a("Ajouter une entité au même &niveau", self.add_sibling, "Ctrl+Shift+Ins",
                                 "Ajouter une entité à côté de l’entité sélectionnée")
        self.act_rename = a("Re&nommer", self.rename_selected, "F2", "Renommer l’entité sélectionnée")
        self.act_delete = a("&Supprimer…", self.delete_selected, K.Delete, "Supprimer l’entité sélectionnée")
        self.act_add_link = a("Ajouter un &lien fonctionnel", self.add_link, "Ctrl+L",
                              "Relier les deux entités sélectionnées par un lien fonctionnel (pointillés)")
        self.act_remove_link = a("Supprimer le lien &fonctionnel", self.remove_link, "Ctrl+Shift+L",
                                 "Supprimer le lien fonctionnel entre les deux entités sélectionnées")
        self.act_find = a("&Rechercher…", self.focus_search, K.Find, "Rechercher une entité")
        self.act_zoom_in = a("Zoom a&vant", self.view.zoom_in, [QKeySequence(K.ZoomIn), "Ctrl+="], "Agrandir")
        self.act_zoom_out = a("Zoom a&rrière", self.view.zoom_out, K.ZoomOut, "Réduire")
        self.act_zoom_reset = a("&Taille réelle", self.view.reset_zoom, "Ctrl+1", "Zoom à 100 %")
        self.act_fit = a("A&juster à la fenêtre", self.view.fit_chart, "Ctrl+0",
                         "Afficher tout l’organigramme dans la fenêtre")
        self.act_collapse = a("Replier / déplier la &branche", self.toggle_collapse_selected, "Ctrl+Shift+C",
                              "Replier ou déplier les subdivisions de l’entité sélectionnée")
        self.act_expand_all = a("Tout &déplier", self.expand_all, "Ctrl+Shift+E", "Déplier toutes les branches")
        self.act_focus = a("Afficher uniquement cette &branche", self.focus_branch, "Ctrl+B",
                           "N’afficher que la branche sélectionnée et le chemin vers la tête")
        self.act_show_all = a("Afficher &tout", self.show_all, "Ctrl+Shift+B", "Afficher tout l’organigramme")
        self.act_orientation = a("Orientation &gauche-droite", self.toggle_orientation, "Ctrl+Shift+O",
                                 "Basculer entre organigramme vertical et horizontal", checkable=True)
        self.act_compact = a("Disposition &compacte", self.toggle_compact, None,
                             "Empiler les petites branches en listes verticales pour un organigramme moins large",
                             checkable=True)
        self.act_about = a("À &propos", self.about, None, "À propos de l’éditeur")
        self.act_about_qt = a("À propos de &Qt", QApplication.aboutQt, None)
        self.edit_actions = [self.act_add_child, self.act_add_sibling, self.act_rename, self.act_delete,
                             self.act_add_link, self.act_remove_link, self.act_collapse, self.act_focus]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Fichier")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Fichiers &récents")
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        file_menu.addActions([self.act_export_pdf, self.act_export_dossier])
        file_menu.addActions([self.act_page_setup, self.act_print_preview, self.act_print])
        file_menu.addAction(self.act_export_image)
        file_menu.addSeparator()
        file_menu.addActions([self.act_import_sheet, self.act_export_sheet, self.act_sheet_template])
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = bar.addMenu("É&dition")
        edit_menu.addActions([self.act_undo, self.act_redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.act_add_child, self.act_add_sibling, self.act_rename, self.act_delete])
        edit_menu.addSeparator()
        edit_menu.addActions([self.act_add_link, self.act_remove_link])
        edit_menu.addSeparator()
        edit_menu.addActions([self.act_find, self.search.act_next, self.search.act_previous])
        self.organisation_menu = bar.addMenu("&Organisation")
        self.organisation_menu.addAction(self.act_org_properties)
        view_menu = bar.addMenu("&Affichage")
        view_menu.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset, self.act_fit])
        view_menu.addSeparator()
        view_menu.addActions([self.act_collapse, self.act_expand_all, self.act_focus, self.act_show_all])
        view_menu.addSeparator()
        view_menu.addActions([self.act_orientation, self.act_compact])
        view_menu.addSeparator()
        panels = view_menu.addMenu("&Panneaux")
        for dock in (self.outline_dock, self.search_dock, self.legend_dock, self.attributions_dock,
                     self.history_dock):
            panels.addAction(dock.toggleViewAction())
        help_menu = bar.addMenu("Ai&de")
        help_menu.addActions([self.act_about, self.act_about_qt])
        self.file_menu, self.edit_menu, self.view_menu, self.help_menu = file_menu, edit_menu, view_menu, help_menu
        self._refresh_recent_menu()

    def _build_toolbar(self) -> None:
        tb = QToolBar("Barre d’outils", self)
        tb.setObjectName("mainToolBar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setMovable(False)
        self.addToolBar(tb)
        tb.addActions([self.act_new, self.act_open, self.act_save])
        tb.addSeparator()
        tb.addActions([self.act_undo, self.act_redo])
        tb.addSeparator()
        tb.addActions([self.act_add_child, self.act_add_sibling, self.act_delete])
        tb.addSeparator()
        tb.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit])
        tb.addSeparator()
        tb.addActions([self.act_orientation, self.act_export_pdf])
        self.toolbar = tb
        # Short toolbar labels; the menus keep the full ones.
        for action, short in ((self.act_add_child, "Subdivision"), (self.act_add_sibling, "Même niveau"),
                              (self.act_delete, "Supprimer"), (self.act_zoom_in, "Zoom +"),
                              (self.act_zoom_out, "Zoom −"), (self.act_fit, "Ajuster"),
                              (self.act_orientation, "Horizontal"), (self.act_export_pdf, "Notice PDF"),
                              (self.act_open, "Ouvrir"), (self.act_undo, "Annuler"), (self.act_redo, "Rétablir")):
            action.setIconText(short)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

    def _connect(self) -> None:
        queued = Qt.ConnectionType.QueuedConnection  # item handlers must not see their item deleted
        self.scene.selectionChanged.connect(self._on_scene_selection)
        self.scene.collapseToggled.connect(self.toggle_collapse, queued)
        self.scene.renameRequested.connect(self.start_rename, queued)
        self.view.navigate.connect(self.navigate)
        self.view.renameCommitted.connect(self.commit_rename)
        self.view.zoomChanged.connect(lambda z: self.zoom_label.setText(f"Zoom {round(z * 100)} %"))
        self.view.add_context_menu_hook(self._standard_context_menu)
        self.outline.selectionEdited.connect(lambda ids: self.selection.set(ids))
        self.selection.changed.connect(self._on_selection_changed)
        self.search.matchesChanged.connect(self.scene.set_search)
        self.search.entityChosen.connect(self.reveal_and_select)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.indexChanged.connect(lambda _i: self._update_actions())

    # ================================================================== document
    def set_document(self, doc: Document, progress=NO_PROGRESS) -> None:
        """Show ``doc`` (freshly opened or new): history cleared, view state reset.

        ``progress`` (ui/open_progress.py) is told each phase: layout, scene, panels."""
        start = time.perf_counter()
        self.locks.attach(doc)  # may ask « Ouvrir quand même » if another window has the file
        self.autosave.document_set(doc)
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.doc = doc
        self._unsubscribe = doc.subscribe(self._on_document_changed)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.scene.collapsed.clear()
        self.scene.focus = None
        self.scene.clear_decorations()
        self.selection.set([])
        progress.step(LAYOUT)
        self.scene.layout_done = (lambda: progress.step(SCENE)) if progress is not NO_PROGRESS else None
        try:
            self._rebuild_chart()
        finally:
            self.scene.layout_done = None
        progress.step(PANELS)
        self.outline.set_graph(doc.graph)
        self.attributions.set_document(doc)
        self.search.set_graph(doc.graph)
        self._update_legend()
        self._update_title()
        self._update_counts()
        self._update_actions()
        self.last_open_seconds = time.perf_counter() - start
        self.fit_later()
        for warning in doc.warnings[:1]:
            self.statusBar().showMessage(f"Avertissement : {warning}", 10000)

    def fit_later(self) -> None:
        """Fit once the view has its final size (after show/resize); big charts open on the head."""
        show = lambda: self.view.show_initial(self.doc.graph.root)  # noqa: E731
        show()
        QTimer.singleShot(0, show)

    def _on_document_changed(self, _operation) -> None:
        self._rebuild_chart()
        self.outline.refresh(self.doc.graph)
        self.attributions.document_changed()
        if self.search.matches is not None:
            self.search.run()
        self._update_legend()
        self._update_counts()
        self._sync_views()

    def _rebuild_chart(self) -> None:
        self._syncing = True
        try:
            self.scene.rebuild(self.doc.graph)
            self.act_compact.setChecked(self.scene.compact_active())  # automatic for large charts
            self.scene.set_selected_ids(self.selection.ids)
        finally:
            self._syncing = False

    def _update_legend(self) -> None:
        self.legend.set_kinds(self.doc.graph.counts_per_kind())

    def _update_counts(self) -> None:
        n = len(self.doc.graph)
        links = len(self.doc.graph.links)
        shown = len(self.scene.box_items())
        text = f"{n} entité{'s' if n > 1 else ''} · {links} lien{'s' if links > 1 else ''} fonctionnel{'s' if links > 1 else ''}"
        if shown != n:
            text += f" · {shown} affichée{'s' if shown > 1 else ''}"
        self.count_label.setText(text)

    def document_name(self) -> str:
        return self.doc.path.name if self.doc is not None and self.doc.path else "Sans titre"

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.document_name()}{self.locks.title_suffix()}[*] — {APPLICATION_TITLE}")
        self.setWindowModified(not self.undo_stack.isClean())

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    # ================================================================== selection
    def _on_scene_selection(self) -> None:
        if self._syncing:
            return
        self.selection.merge_from_view(self.scene.selected_ids())

    def _on_selection_changed(self) -> None:
        self._sync_views()
        current = self.selection.current
        if current is not None and not self.view.underMouse():
            self.view.ensure_entity_visible(current)
        if current is not None and current in self.doc.graph:
            self.statusBar().showMessage(self.doc.graph.entity(current).name, 4000)

    def _sync_views(self) -> None:
        self._syncing = True
        try:
            ids = [i for i in self.selection.ids if i in self.doc.graph]
            self.scene.set_selected_ids(ids)
            self.outline.show_selection(ids, self.selection.current)
        finally:
            self._syncing = False
        self.attributions.show_entity(self.selection.current)
        self._update_actions()

    def _update_actions(self) -> None:
        ids = [i for i in self.selection.ids if self.doc is not None and i in self.doc.graph]
        current = self.selection.current if ids else None
        graph = self.doc.graph if self.doc is not None else None
        one = current is not None
        not_root = one and current != graph.root
        self.act_add_child.setEnabled(one)
        self.act_add_sibling.setEnabled(not_root)
        self.act_rename.setEnabled(one)
        self.act_delete.setEnabled(any(i != graph.root for i in ids) if graph else False)
        self.act_add_link.setEnabled(len(ids) == 2 and self._link_between(*ids) is None)
        self.act_remove_link.setEnabled(len(ids) == 2 and self._link_between(*ids) is not None)
        self.act_collapse.setEnabled(one and bool(graph.children_map().get(current)))
        self.act_focus.setEnabled(one)
        self.act_show_all.setEnabled(self.scene.focus is not None)
        self.act_export_dossier.setEnabled(self.doc is not None and self.doc.active_scenario is not None)
        self.locks.enforce()  # read-only: editing actions stay off

    def select(self, entity_id: str | None) -> None:
        self.selection.select(entity_id)

    def reveal_and_select(self, entity_id: str) -> None:
        """Select an entity, expanding collapsed ancestors or leaving a focus that hides it."""
        graph = self.doc.graph
        if entity_id not in graph:
            return
        hidden = self.scene.item_for(entity_id) is None
        if hidden:
            if self.scene.focus is not None and not graph.is_descendant(entity_id, self.scene.focus):
                self.scene.focus = None
            self.scene.collapsed.difference_update(graph.ancestors(entity_id))
            self._rebuild_chart()
            self._update_counts()
        self.selection.select(entity_id)
        self.view.ensure_entity_visible(entity_id)

    def navigate(self, direction: str) -> None:
        """Arrows: Up = parent, Down = first child, Left/Right = previous/next sibling."""
        graph = self.doc.graph
        current = self.selection.current
        if current is None or current not in graph:
            self.select(graph.root)
            return
        target = None
        if direction == "up":
            target = graph.parent(current)
        elif direction == "down":
            kids = [k for k in graph.children_map()[current] if self.scene.item_for(k) is not None]
            target = kids[0] if kids else None
        else:
            parent = graph.parent(current)
            if parent is not None:
                siblings = [k for k in graph.children_map()[parent] if self.scene.item_for(k) is not None]
                i = siblings.index(current) if current in siblings else -1
                j = i - 1 if direction == "left" else i + 1
                if i >= 0 and 0 <= j < len(siblings):
                    target = siblings[j]
        if target is not None:
            self.select(target)
            self.view.ensure_entity_visible(target)

    # ================================================================== editing
    def execute(self, operation, select_after=None) -> bool:
        """Apply ``operation`` as one undo step; a refusal is shown in French and changes nothing."""
        if self.locks.refuses(operation):
            return False
        outcome: dict = {}
        command = OperationCommand(self.doc, operation, self.selection, select_after=select_after, outcome=outcome)
        self.undo_stack.push(command)
        if "error" in outcome:
            self.dialogs.error("Modification refusée", outcome["error"])
            return False
        self._warn_attachment(operation)
        return True

    def _warn_attachment(self, operation) -> None:
        """Unusual attachments (a bureau under a bureau…) are allowed but pointed out."""
        graph = self.doc.graph
        entity_id = getattr(operation, "entity_id", None) if isinstance(operation, MoveEntity) else (
            operation.entity.id if isinstance(operation, AddEntity) else None)
        if entity_id is None or entity_id not in graph:
            return
        parent = graph.parent(entity_id)
        if parent is None:
            return
        warning = attachment_warning(graph.entity(entity_id).kind, graph.entity(parent).kind)
        if warning:
            self.statusBar().showMessage(f"Attention : {warning}", 8000)

    def _new_entity(self, parent: str) -> Entity:
        graph = self.doc.graph
        kind = CHILD_KIND.get(graph.entity(parent).kind, "bureau")
        return Entity(id=graph.new_id("nouvelle-entite"), name="Nouvelle entité", kind=kind,
                      head_title=HEAD_TITLE.get(kind, ""))

    def add_child(self) -> str | None:
        current = self.selection.current
        if current is None or current not in self.doc.graph:
            return None
        if current in self.scene.collapsed:
            self.scene.collapsed.discard(current)
        entity = self._new_entity(current)
        if self.execute(AddEntity(entity, current), select_after=((entity.id,), entity.id)):
            self._after_add(entity.id)
            return entity.id
        return None

    def add_sibling(self) -> str | None:
        graph = self.doc.graph
        current = self.selection.current
        if current is None or current not in graph:
            return None
        parent = graph.parent(current)
        if parent is None:
            self.dialogs.info("Ajout impossible", "L’entité de tête n’a pas d’entité de même niveau : "
                                                  "ajoutez plutôt une subdivision.")
            return None
        entity = self._new_entity(parent).model_copy(update={"kind": graph.entity(current).kind,
                                                             "head_title": graph.entity(current).head_title})
        if self.execute(AddEntity(entity, parent, graph.index_in_parent(current) + 1),
                        select_after=((entity.id,), entity.id)):
            self._after_add(entity.id)
            return entity.id
        return None

    def _after_add(self, entity_id: str) -> None:
        self.view.ensure_entity_visible(entity_id)
        if self.isVisible():
            self.start_rename(entity_id)

    def delete_selected(self) -> bool:
        graph = self.doc.graph
        ids = [i for i in self.selection.ids if i in graph]
        if graph.root in ids:
            self.dialogs.info("Suppression impossible", "L’entité de tête ne peut pas être supprimée.")
            ids.remove(graph.root)
        if not ids:
            return False
        descendants = sum(len(graph.subtree(i)) - 1 for i in ids)
        mode = "single"
        if descendants:
            name = graph.entity(ids[0]).name if len(ids) == 1 else f"{len(ids)} entités"
            mode = self.dialogs.ask_delete_mode(name, descendants)
            if mode is None:
                return False
        with_subtree = mode == "subtree"
        if with_subtree:  # a descendant of another removed branch goes with it
            ids = [i for i in ids if not any(a in ids for a in graph.ancestors(i))]
        after = graph.parent(ids[0])
        ops = [RemoveEntity(i, with_subtree=with_subtree) for i in ids]
        if len(ops) == 1:
            operation = ops[0]
        else:
            operation = Batch(ops, label=f"Supprimer {len(ops)} entités")
        ok = self.execute(operation, select_after=((after,), after))
        if ok:
            self.statusBar().showMessage("Entité supprimée — Ctrl+Z pour annuler.", 6000)
        return ok

    def rename_selected(self) -> None:
        if self.selection.current is not None:
            self.start_rename(self.selection.current)

    def start_rename(self, entity_id: str) -> None:
        if entity_id not in self.doc.graph:
            return
        if self.scene.item_for(entity_id) is None:
            self.reveal_and_select(entity_id)
        self.view.start_rename(entity_id, self.doc.graph.entity(entity_id).name)

    def commit_rename(self, entity_id: str, text: str) -> bool:
        text = text.strip()
        if not text or entity_id not in self.doc.graph or self.doc.graph.entity(entity_id).name == text:
            return False
        return self.execute(UpdateEntity(entity_id, {"name": text}))

    def _link_between(self, a: str, b: str) -> Link | None:
        for link in self.doc.graph.links:
            if {link.source, link.target} == {a, b}:
                return link
        return None

    def add_link(self) -> bool:
        ids = [i for i in self.selection.ids if i in self.doc.graph]
        if len(ids) != 2:
            self.dialogs.info("Lien fonctionnel", "Sélectionnez exactement deux entités (Ctrl + clic).")
            return False
        return self.execute(AddLink(Link(source=ids[0], target=ids[1])))

    def remove_link(self) -> bool:
        ids = [i for i in self.selection.ids if i in self.doc.graph]
        link = self._link_between(*ids) if len(ids) == 2 else None
        if link is None:
            self.dialogs.info("Lien fonctionnel", "Aucun lien fonctionnel entre les deux entités sélectionnées.")
            return False
        return self.execute(RemoveLink(link.source, link.target, link.kind))

    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.field.setFocus()
        self.search.field.selectAll()

    # ================================================================== chart view state
    def _relayout_view(self, fit: bool = False) -> None:
        self._rebuild_chart()
        self._update_counts()
        self._update_actions()
        if fit:
            self.view.fit_chart()

    def toggle_collapse(self, entity_id: str) -> None:
        if entity_id in self.doc.graph and self.doc.graph.children_map().get(entity_id):
            self.scene.toggle_collapsed(entity_id)
            self._relayout_view()
            self.view.ensure_entity_visible(entity_id)

    def toggle_collapse_selected(self) -> None:
        if self.selection.current is not None:
            self.toggle_collapse(self.selection.current)

    def expand_all(self) -> None:
        self.scene.collapsed.clear()
        self._relayout_view()

    def focus_branch(self) -> None:
        current = self.selection.current
        if current is None or current not in self.doc.graph:
            return
        self.scene.focus = None if current == self.doc.graph.root else current
        self._relayout_view(fit=True)
        self.statusBar().showMessage(f"Branche affichée : {self.doc.graph.entity(current).name}", 6000)

    def show_all(self) -> None:
        self.scene.focus = None
        self.scene.collapsed.clear()
        self._relayout_view(fit=True)

    def toggle_orientation(self, checked: bool | None = None) -> None:
        if checked is None:
            checked = self.scene.orientation == "top-down"
        self.scene.orientation = "left-right" if checked else "top-down"
        self.act_orientation.setChecked(checked)
        self._relayout_view(fit=True)

    def toggle_compact(self, checked: bool | None = None) -> None:
        """« Disposition compacte »: small branches as hanging lists (the user's choice wins)."""
        if checked is None:
            checked = not self.scene.compact_active()
        self.scene.compact = bool(checked)
        self._relayout_view(fit=True)

    def _standard_context_menu(self, menu: QMenu, ids: list[str]) -> None:
        if not ids:
            menu.addActions([self.act_fit, self.act_show_all])
            return
        menu.addActions([self.act_add_child, self.act_add_sibling, self.act_rename, self.act_delete])
        menu.addSeparator()
        menu.addActions([self.act_add_link, self.act_remove_link])
        menu.addSeparator()
        menu.addActions([self.act_collapse, self.act_focus, self.act_show_all])

    # ================================================================== files
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded or unchanged)."""
        self.attributions.commit_pending()
        if not self.is_modified():
            return True
        answer = self.dialogs.ask_save_changes(self.document_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_document(self) -> None:
        if self.maybe_save():
            self.set_document(Document.new())

    def open_document(self) -> None:
        if not self.maybe_save():
            return
        directory = str(self.doc.path.parent) if self.doc and self.doc.path else str(DEFAULT_ORGANISATION.parent)
        path = self.dialogs.open_path(directory)
        if path is not None:
            self.open_path(path, prompt=False)

    def open_path(self, path: Path, prompt: bool = True) -> bool:
        """Open ``path``; on error, explain in French and keep the current document."""
        if prompt and not self.maybe_save():
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        progress = progress_for_file(path, self, self.open_progress_hook)  # large files only
        self.last_open_phases = progress.phases
        placeholder = progress is not NO_PROGRESS and self.doc.path is None and self.undo_stack.count() == 0
        if placeholder:  # never show « Nouvelle organisation » while a large file loads
            self._show_loading(Path(path).name)
        try:
            progress.step(READING)
            loaded = load_organisation(path)
            progress.step(CHECKING)
            doc = Document.from_file_model(loaded.data, Path(path), loaded.warnings)
        except DicomError as exc:
            progress.close()
            self._show_loading(None)
            QGuiApplication.restoreOverrideCursor()
            self.dialogs.error("Ouverture impossible", str(exc))
            return False
        except OSError as exc:
            progress.close()
            self._show_loading(None)
            QGuiApplication.restoreOverrideCursor()
            self.dialogs.error("Ouverture impossible", f"Le fichier « {path} » ne peut pas être lu : {exc.strerror or exc}.")
            return False
        try:
            self.set_document(doc, progress)
        finally:
            progress.close()
            self._show_loading(None)
            QGuiApplication.restoreOverrideCursor()
        self._add_recent(Path(path))
        self.statusBar().showMessage(f"« {Path(path).name} » ouvert ({len(doc.graph)} entités).", 6000)
        return True

    def _show_loading(self, name: str | None) -> None:
        """While ``name`` loads, the chart and the outline show nothing (not the empty placeholder
        document) and the title says what is opening; ``None`` shows them again."""
        loading = name is not None
        self.view.viewport().setVisible(not loading)
        self.outline.setVisible(not loading)
        if loading:
            self.setWindowTitle(f"Ouverture de « {name} »… — {APPLICATION_TITLE}")
        else:
            self._update_title()

    def save(self) -> bool:
        self.attributions.commit_pending()
        if self.doc.path is None or self.locks.read_only:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        self.attributions.commit_pending()
        suggested = str(self.doc.path) if self.doc.path else str(Path.home() / "organisation.json")
        path = self.dialogs.save_path("Enregistrer l’organisation sous", suggested)
        if path is None:
            return False
        if path.suffix.lower() != ".json":
            path = path.with_suffix(path.suffix + ".json") if path.suffix else path.with_suffix(".json")
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        if not self.locks.may_write(path):
            return False
        try:
            self.doc.save(path)
        except DicomError as exc:
            self.dialogs.error("Enregistrement impossible", f"{exc}\n\nLe document reste ouvert, non enregistré.")
            return False
        except OSError as exc:
            self.dialogs.error("Enregistrement impossible",
                               f"Le fichier « {path} » ne peut pas être écrit : {exc.strerror or exc}.\n\n"
                               "Le document reste ouvert, non enregistré.")
            return False
        self.undo_stack.setClean()
        self.locks.saved_to(path)
        self.autosave.document_saved()
        self._update_title()
        self._add_recent(path)
        self.statusBar().showMessage(f"Enregistré dans « {path} ».", 6000)
        return True

    # ------------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        path_text = str(Path(path).resolve())
        files = [path_text] + [f for f in self.recent_files() if f != path_text]
        self.settings.setValue("recentFiles", files[:MAX_RECENT])
        self._refresh_recent_menu()

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, path_text in enumerate(files, 1):
            action = self.recent_menu.addAction(f"&{i} {Path(path_text).name}")
            action.setStatusTip(path_text)
            action.triggered.connect(lambda _c=False, p=path_text: self.open_path(Path(p)))
        if not files:
            self.recent_menu.addAction("(aucun)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Effacer la liste", self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.setValue("recentFiles", [])
        self._refresh_recent_menu()

    # ------------------------------------------------------------------ layout persistence
    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
            # The « Changements » dock belongs to the comparison, which always starts off.
            compare = getattr(self, "compare", None)
            if compare is not None and not compare.enabled:
                compare.dock.hide()

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.maybe_save():
            event.ignore()
            return
        self.save_layout()
        self.autosave.clean_exit()  # a clean close leaves no recovery snapshot
        self.locks.release()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        event.accept()

    # ------------------------------------------------------------------ PDF and printing
    def offer_date_update(self) -> bool:
        """Before a notice goes out (export, print, publish): if the organisation was edited since
        its « mise à jour » date, offer to set it to today (ui/organisation_properties.py)."""
        from .organisation_properties import offer_today

        return offer_today(self.doc.organisation, self.undo_stack.index() > 0, self.dialogs.ask_yes_no,
                           self.execute)

    def edit_organisation_properties(self) -> bool:
        """« Organisation › Propriétés… »: every organisation field, one undo step."""
        from .organisation_properties import properties_operation

        self.attributions.commit_pending()
        changes = self.dialogs.ask_organisation_properties(self.doc.organisation)
        if not changes:
            return False
        return self.execute(properties_operation(changes))

    def _export_to(self, out: Path, options=None) -> bool:
        try:
            from ..pdf import export_notice_pdf
            from .pdf_options import load_options
        except ImportError:
            self._pdf_unavailable()
            return False
        options = options if options is not None else load_options(self.settings)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_notice_pdf(self.doc, out, **options.as_kwargs())
        except (DicomError, OSError) as exc:
            QGuiApplication.restoreOverrideCursor()
            self.dialogs.error("Export PDF impossible", f"La notice n’a pas pu être exportée vers « {out} » :\n{exc}")
            return False
        QGuiApplication.restoreOverrideCursor()
        return True

    def _pdf_unavailable(self) -> None:
        self.dialogs.error("Export PDF indisponible",
                           "Le module d’export de la notice PDF n’est pas installé dans cette version.")

    def export_pdf(self) -> Path | None:
        try:
            from .pdf_options import load_options, save_options
        except ImportError:
            self._pdf_unavailable()
            return None
        self.attributions.commit_pending()
        self.offer_date_update()
        options = self.dialogs.ask_pdf_options(load_options(self.settings))  # ui/pdf_options.py
        if options is None:
            return None
        save_options(self.settings, options)
        base = self.doc.path.with_suffix(".pdf") if self.doc.path else Path.home() / "notice-organigramme.pdf"
        out = self.dialogs.save_path("Exporter la notice PDF", str(base), PDF_FILTER)
        if out is None:
            return None
        if out.suffix.lower() != ".pdf":
            out = out.with_suffix(".pdf")
        if not self._export_to(out, options):
            return None
        self.statusBar().showMessage(f"Notice exportée dans « {out} ».", 8000)
        if self.dialogs.ask_yes_no("Notice exportée", f"La notice a été enregistrée dans « {out} ».\n"
                                                     "Voulez-vous l’ouvrir ?", yes="Ouvrir", no="Fermer"):
            self.dialogs.open_url(QUrl.fromLocalFile(str(out)))
        return out

    def export_dossier(self) -> Path | None:
        """« Exporter le dossier de réorganisation (PDF)… » of the scenario on screen (ui/dossier_export.py)."""
        from .dossier_export import export_dossier

        return export_dossier(self)

    def _printing(self):
        """The notice's printing commands (ui/printing.py), built on first use."""
        if getattr(self, "_notice_printing", None) is None:
            from .printing import NoticePrinting

            def export(path: Path) -> bool:
                self.attributions.commit_pending()
                return self._export_to(path)

            self._notice_printing = NoticePrinting(
                self, self.settings, self.dialogs, export, lambda text: self.statusBar().showMessage(text, 6000),
                lambda: self.doc.organisation.name)
        return self._notice_printing

    def print_notice(self) -> bool:
        """Print the very PDF the export produces, each page in its orientation (ui/printing.py)."""
        self.offer_date_update()
        return self._printing().print_notice()

    def preview_notice(self) -> bool:
        self.offer_date_update()
        return self._printing().preview_notice()

    def page_setup(self) -> bool:
        return self._printing().page_setup()

    # ------------------------------------------------------------------ images and spreadsheets
    def export_image(self):
        """« Exporter l’image… » (ui/image_export_dialog.py)."""
        from .image_export_dialog import export_chart_image

        return export_chart_image(self)

    def import_sheet(self) -> bool:
        """« Importer un tableau… » (ui/sheet_import.py): a new unsaved document, or nothing."""
        from .sheet_import import import_sheet

        return import_sheet(self)

    def export_sheet(self):
        from .sheet_import import export_sheet

        return export_sheet(self)

    def save_sheet_template(self):
        from .sheet_import import save_template

        return save_template(self)

    # ------------------------------------------------------------------ help
    def about(self) -> None:
        QMessageBox.about(self, "À propos",
                          f"<b>{APPLICATION_TITLE}</b><br>Éditeur d’organigrammes de la Délégation à "
                          "l’information et à la communication des ministères sociaux.<br><br>"
                          "Chaque modification s’annule avec Ctrl+Z ; l’historique est dans le panneau "
                          "« Historique ».")
