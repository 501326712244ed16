"""The editor's main window: the shell that shows an :class:`~dicom_desktop.ui.editor.EditorController`.

The controller owns the document, the undo stack, the selection and every edit
(``editor.execute``); the window lays out the chart in the centre and the panels around it,
holds the menus, the toolbar and the status bar, opens and saves files, and **assembles the
features** (chart and outline drag and drop, reorganisation gestures, scenarios, comparison,
exports): each receives the controller and what it needs, never the window, and exposes its
actions and docks, which :meth:`MainWindow._build_features` places. See ``ui/editor.py`` for how
a feature plugs in.

Data flow: a gesture builds a core operation → ``editor.execute`` pushes an
:class:`OperationCommand` → ``doc.apply`` → ``editor.documentChanged`` → chart, outline, panels
redraw from the model.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QLabel, QMainWindow, QMenu, QStyle, QToolBar, QUndoView, QWidget,
)

from dicom_desktop import edits
from dicom_desktop.document import Document
from dicom_desktop.operations import Operation
from dicom_desktop.ui.services.autosave import AutosaveController
from dicom_desktop.ui.chart.chart_navigation import ChartNavigation
from dicom_desktop.ui.chart.chart_scene import ChartScene
from dicom_desktop.ui.chart.chart_view import ChartView
from dicom_desktop.ui.reorganisation.compare_view import CompareController
from dicom_desktop.ui.dialogs.common import Dialogs
from dicom_desktop.ui.services.document_files import DocumentFiles
from dicom_desktop.ui.services.document_lock import LockController
from dicom_desktop.ui.reorganisation.drag import ChartDragController
from dicom_desktop.ui.edit_gestures import EditGestures
from dicom_desktop.ui.editor import EditorController, make_dock
from dicom_desktop.ui.export_actions import ExportActions
from dicom_desktop.ui.services.open_progress import LAYOUT, NO_PROGRESS, PANELS, SCENE
from dicom_desktop.ui.reorganisation.outline_drag import DraggableOutlineModel, enable_outline_drag
from dicom_desktop.ui.panels.attributions import AttributionsPanel
from dicom_desktop.ui.panels.legend import LegendWidget
from dicom_desktop.ui.panels.navigator import NavigatorWidget
from dicom_desktop.ui.panels.outline import OutlinePanel
from dicom_desktop.ui.panels.search import SearchPanel
from dicom_desktop.ui.services.recent_files import RecentFiles
from dicom_desktop.ui.reorganisation.reorg_actions import ReorgActions
from dicom_desktop.ui.reorganisation.reorg_dialogs import ReorgDialogs
from dicom_desktop.ui.reorganisation.scenarios_panel import ScenariosPanel, VariantBanner
from dicom_desktop.ui.selection import SelectionModel, Snapshot
from dicom_desktop.ui.small_screens import SmallScreenSupport, initial_size
from dicom_desktop.wording import APPLICATION_TITLE, plural

DEFAULT_SIZE = (1600, 1000)
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


class MainWindow(QMainWindow):
    """The organisation-chart editor window."""

    def __init__(self, doc: Document | None = None, *, settings: QSettings | None = None,
                 dialogs: Dialogs | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else QSettings()
        self.editor = EditorController(dialogs if dialogs is not None else Dialogs(self), self)
        self._syncing = False
        self._progress = NO_PROGRESS  # the open in progress (large files: a dialog)
        self.last_open_seconds = 0.0

        self.scene = ChartScene(self)
        self.view = ChartView(self.scene, self)
        self.view.setObjectName("chartView")
        self.setCentralWidget(self.view)
        self.navigation = ChartNavigation(self.editor, self.view, self.scene, self._relayout_view)
        self.gestures = EditGestures(self.editor, self.view, self.scene, self.navigation.reveal_and_select)
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        # Services first: they follow documentReplaced before the window redraws (lock → read-only).
        self.locks = LockController(self.editor, self.edit_menu, self.edit_actions,
                                    {self.act_undo, self.act_redo, self.act_find, self.act_collapse,
                                     self.act_focus}, self)  # document lock and read-only mode
        self.statusBar().addPermanentWidget(self.locks.badge)
        self.autosave = AutosaveController(self.editor, self.settings, parent=self)  # recovery snapshots
        self.file_menu.insertAction(self.act_quit, self.autosave.action)
        self.file_menu.insertSeparator(self.act_quit)
        self.recent = RecentFiles(self.settings, self.recent_menu, lambda path: self.files.open_path(path))
        self.files = DocumentFiles(self.editor, self.locks, self.autosave, self.recent, self.set_document, self)
        self.files.show_loading = self._show_loading
        self._connect()
        self._build_features()
        # Compact docks on narrow windows, « Organigramme seul » (F11) (ui/small_screens.py).
        self.small_screens = SmallScreenSupport(self, self.view, self.settings)
        self._fill(self.view_menu, [None, self.small_screens.action])
        self.resize(initial_size(self, DEFAULT_SIZE))  # never larger than the screen
        self.set_document(doc if doc is not None else Document.new())

    # ------------------------------------------------------------------ the editor's state, for callers
    @property
    def doc(self) -> Document:
        return self.editor.doc

    @property
    def undo_stack(self) -> QUndoStack:
        return self.editor.undo_stack

    @property
    def selection(self) -> SelectionModel:
        return self.editor.selection

    @property
    def dialogs(self) -> Dialogs:
        return self.editor.dialogs

    def execute(self, operation: Operation, select_after: Snapshot | None = None) -> bool:
        """``editor.execute``: one undo step (kept here for scripts and tests driving the window)."""
        return self.editor.execute(operation, select_after)

    @property
    def reorg_dialogs(self) -> ReorgDialogs:
        """The reorganisation questions (merge, split, pick an entity, name a scenario)."""
        return self.reorg.dialogs

    @reorg_dialogs.setter
    def reorg_dialogs(self, dialogs: ReorgDialogs) -> None:  # tests script the answers
        self.reorg.dialogs = dialogs
        self.scenarios_panel.dialogs = dialogs

    # ================================================================== construction
    def add_panel(self, dock: QDockWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """Show ``dock`` in ``area`` and list it in Affichage › Panneaux."""
        self.addDockWidget(area, dock)
        self.panels_menu.addAction(dock.toggleViewAction())
        return dock

    def _panel(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        return make_dock(title, name, widget, self)

    def _build_docks(self) -> None:
        self.outline = OutlinePanel(self)
        self.search = SearchPanel(self)
        self.legend = LegendWidget(self)
        self.attributions = AttributionsPanel(self.execute, self)
        self.editor.add_pending_edits(self.attributions.commit_pending)
        self.history = QUndoView(self.undo_stack, self)
        self.history.setObjectName("historyView")
        self.history.setEmptyLabel("Ouverture du document")
        self.outline_dock = self._panel("Plan", "outlineDock", self.outline)
        self.search_dock = self._panel("Recherche", "searchDock", self.search)
        self.legend_dock = self._panel("Légende", "legendDock", self.legend)
        self.attributions_dock = self._panel("Attributions", "attributionsDock", self.attributions)
        self.history_dock = self._panel("Historique", "historyDock", self.history)
        self.navigator = NavigatorWidget(self.view, self)  # issue 15: the whole chart, the visible part framed
        self.navigator_dock = self._panel("Vue d’ensemble", "navigatorDock", self.navigator)
        for dock, area in ((self.outline_dock, LEFT), (self.search_dock, LEFT), (self.legend_dock, LEFT),
                           (self.navigator_dock, LEFT), (self.attributions_dock, RIGHT), (self.history_dock, RIGHT)):
            self.addDockWidget(area, dock)
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
        K, SP = QKeySequence.StandardKey, QStyle.StandardPixmap  # noqa: N806 - short aliases for the table below
        a = self._action
        self.act_new = a("&Nouveau", lambda: self.files.new_document(), K.New, "Créer une nouvelle organisation", SP.SP_FileIcon)
        self.act_open = a("&Ouvrir…", lambda: self.files.open_document(), K.Open, "Ouvrir un fichier d’organisation",
                          SP.SP_DialogOpenButton)
        self.act_save = a("&Enregistrer", self.save, K.Save, "Enregistrer l’organisation", SP.SP_DialogSaveButton)
        self.act_save_as = a("Enregistrer &sous…", self.save_as, K.SaveAs, "Enregistrer sous un autre nom")
        self.act_org_properties = a("&Propriétés…", self.edit_organisation_properties, None,
                                    "Nom, sigle, date de mise à jour, base juridique, source et missions "
                                    "de l’organisation")
        self.act_import_sheet = a("Importer un &tableau…", self.import_sheet, None,
                                  "Créer une organisation à partir d’un tableau CSV ou XLSX")
        self.exports = ExportActions(self.editor, self.settings, self.scene, self)  # the « Fichier » outputs
        self.act_quit = a("&Quitter", self.close, K.Quit, "Fermer l’éditeur")
        self.act_undo = self.undo_stack.createUndoAction(self, "&Annuler")
        self.act_undo.setShortcuts(QKeySequence.keyBindings(K.Undo))
        self.act_undo.setIcon(self.style().standardIcon(SP.SP_ArrowBack))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Rétablir")
        redo_keys = QKeySequence.keyBindings(K.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.act_redo.setShortcuts(redo_keys)
        self.act_redo.setIcon(self.style().standardIcon(SP.SP_ArrowForward))
        self.act_add_child = a("Ajouter une &subdivision", self.gestures.add_child, ["Ins", "Ctrl+Shift+N"],
                               "Ajouter une entité rattachée à l’entité sélectionnée")
        self.act_add_sibling = a("Ajouter une entité au même &niveau", self.gestures.add_sibling, "Ctrl+Shift+Ins",
                                 "Ajouter une entité à côté de l’entité sélectionnée")
        self.act_rename = a("Re&nommer", self.gestures.rename_selected, "F2", "Renommer l’entité sélectionnée")
        self.act_delete = a("&Supprimer…", self.gestures.delete_selected, K.Delete, "Supprimer l’entité sélectionnée")
        self.act_add_link = a("Ajouter un &lien fonctionnel", self.gestures.add_link, "Ctrl+L",
                              "Relier les deux entités sélectionnées par un lien fonctionnel (pointillés)")
        self.act_remove_link = a("Supprimer le lien &fonctionnel", self.gestures.remove_link, "Ctrl+Shift+L",
                                 "Supprimer le lien fonctionnel entre les deux entités sélectionnées")
        self.act_find = a("&Rechercher…", self.focus_search, K.Find, "Rechercher une entité")
        self.act_zoom_in = a("Zoom a&vant", self.view.zoom_in, [QKeySequence(K.ZoomIn), "Ctrl+="], "Agrandir")
        self.act_zoom_out = a("Zoom a&rrière", self.view.zoom_out, K.ZoomOut, "Réduire")
        self.act_zoom_reset = a("&Taille réelle", self.view.reset_zoom, "Ctrl+1", "Zoom à 100 %")
        self.act_fit = a("A&juster à la fenêtre", self.view.fit_chart, "Ctrl+0",
                         "Ajuster l’organigramme à la fenêtre (sur un très grand organigramme : la tête et "
                         "les premiers niveaux)")
        self.act_fit_all = a("Tout a&fficher", self.view.fit_all, "Ctrl+Shift+0",
                             "Afficher l’organigramme entier dans la fenêtre, jusqu’au dernier niveau")
        self.act_collapse = a("Replier / déplier la &branche", self.navigation.toggle_collapse_selected, "Ctrl+Shift+C",
                              "Replier ou déplier les subdivisions de l’entité sélectionnée")
        self.act_expand_all = a("Tout &déplier", self.navigation.expand_all, "Ctrl+Shift+E", "Déplier toutes les branches")
        self.act_focus = a("Afficher uniquement cette &branche", self.navigation.focus_branch, "Ctrl+B",
                           "N’afficher que la branche sélectionnée et le chemin vers la tête")
        self.act_show_all = a("Afficher &tout", self.navigation.show_all, "Ctrl+Shift+B", "Afficher tout l’organigramme")
        self.act_orientation = a("Orientation &gauche-droite", self.navigation.toggle_orientation, "Ctrl+Shift+O",
                                 "Basculer entre organigramme vertical et horizontal", checkable=True)
        self.act_compact = a("Disposition &compacte", self.navigation.toggle_compact, None,
                             "Empiler les petites branches en listes verticales pour un organigramme moins large",
                             checkable=True)
        self.act_selection_links = a("&Liens fonctionnels de la sélection seulement",
                                     self.navigation.toggle_selection_links,
                                     None, "N’afficher que les liens fonctionnels des entités sélectionnées "
                                     "(automatique au-delà de 500 entités)", checkable=True)
        self.act_about = a("À &propos", self.about, None, "À propos de l’éditeur")
        self.act_about_qt = a("À propos de &Qt", QApplication.aboutQt, None)
        self.edit_actions = [self.act_add_child, self.act_add_sibling, self.act_rename, self.act_delete,
                             self.act_add_link, self.act_remove_link, self.act_collapse, self.act_focus]

    @staticmethod
    def _fill(menu: QMenu | QToolBar, actions: list[QAction | None]) -> None:
        """Add ``actions`` in order; None is a separator."""
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&Fichier")
        self._fill(self.file_menu, [self.act_new, self.act_open])
        self.recent_menu = self.file_menu.addMenu("Fichiers &récents")
        self._fill(self.file_menu, [None, self.act_save, self.act_save_as, None, *self.exports.menu_actions, None,
                                    self.act_import_sheet, *self.exports.sheet_actions, None, self.act_quit])
        self.edit_menu = bar.addMenu("É&dition")
        self._fill(self.edit_menu, [self.act_undo, self.act_redo, None, self.act_add_child, self.act_add_sibling,
                                    self.act_rename, self.act_delete, None, self.act_add_link,
                                    self.act_remove_link, None, self.act_find, self.search.act_next,
                                    self.search.act_previous])
        self.organisation_menu = bar.addMenu("&Organisation")
        self._fill(self.organisation_menu, [self.act_org_properties])
        self.view_menu = bar.addMenu("&Affichage")
        self._fill(self.view_menu, [self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset, self.act_fit,
                                    self.act_fit_all, None,
                                    self.act_collapse, self.act_expand_all, self.act_focus, self.act_show_all,
                                    None, self.act_orientation, self.act_compact,
                                    self.act_selection_links, None])
        self.panels_menu = self.view_menu.addMenu("&Panneaux")
        self._fill(self.panels_menu, [dock.toggleViewAction() for dock in (
            self.outline_dock, self.search_dock, self.legend_dock, self.navigator_dock, self.attributions_dock,
            self.history_dock)])
        self.help_menu = bar.addMenu("Aid&e")  # Alt+D is « É&dition »
        self._fill(self.help_menu, [self.act_about, self.act_about_qt])

    def _build_toolbar(self) -> None:
        self.toolbar = tb = QToolBar("Barre d’outils", self)
        tb.setObjectName("mainToolBar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setMovable(False)
        self.addToolBar(tb)
        self._fill(tb, [self.act_new, self.act_open, self.act_save, None, self.act_undo, self.act_redo, None,
                        self.act_add_child, self.act_add_sibling, self.act_delete, None, self.act_zoom_in,
                        self.act_zoom_out, self.act_fit, None, self.act_orientation, self.exports.act_export_pdf])
        # Short toolbar labels; the menus keep the full ones.
        for action, short in ((self.act_add_child, "Subdivision"), (self.act_add_sibling, "Même niveau"),
                              (self.act_delete, "Supprimer"), (self.act_zoom_in, "Zoom +"),
                              (self.act_zoom_out, "Zoom −"), (self.act_fit, "Ajuster"),
                              (self.act_orientation, "Horizontal"), (self.exports.act_export_pdf, "Notice PDF"),
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
        self.scene.collapseToggled.connect(self.navigation.toggle_collapse, queued)
        self.scene.renameRequested.connect(self.gestures.start_rename, queued)
        self.view.navigate.connect(self.navigation.navigate)
        self.view.renameCommitted.connect(self.gestures.commit_rename)
        self.view.zoomChanged.connect(lambda z: self.zoom_label.setText(f"Zoom {round(z * 100)} %"))
        self.view.add_context_menu_hook(self._standard_context_menu)
        self.outline.selectionEdited.connect(lambda ids: self.selection.set(ids))
        self.selection.changed.connect(self._on_selection_changed)
        self.search.matchesChanged.connect(self.scene.set_search)
        self.search.entityChosen.connect(self.navigation.reveal_and_select)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.indexChanged.connect(lambda _i: self._update_actions())
        self.locks.readOnlyChanged.connect(self._read_only_changed)
        self.files.saved.connect(self._update_title)
        self.editor.statusMessage.connect(self._show_status)
        self.editor.documentReplaced.connect(self._show_document)
        self.editor.documentChanged.connect(self._on_document_changed)
        self.editor.graphSwitched.connect(self._on_graph_switched)

    def _build_features(self) -> None:
        """Reorganisation simulations: each feature gets the editor and what it needs, explicitly."""
        self.drag = ChartDragController(self.editor, self.view, self.scene)
        animate = self.drag.animator.run  # moves from the outline and the menus glide too
        self.outline_drag: DraggableOutlineModel = enable_outline_drag(self.outline, self.editor, animate)
        self.reorg = ReorgActions(self.editor, self.view, ReorgDialogs(self), animate, self)
        self.edit_menu.addSeparator()
        self.edit_menu.addMenu(self.reorg.menu)
        self.variant_banner = VariantBanner(self.view)
        self.scenarios_panel = ScenariosPanel(self.editor, self.reorg.dialogs, self.variant_banner, self)
        self.scenarios_dock = self.add_panel(self.scenarios_panel.dock, RIGHT)
        self.compare = CompareController(self.editor, self.view, self.scene, self.navigation.reveal_and_select, self)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.compare.action)
        self.scenarios_panel.set_compare(self.compare.action, self.compare.banner_text)
        self.compare.changed.connect(self.scenarios_panel.refresh)
        self.add_panel(self.compare.dock, RIGHT)

    def _show_status(self, text: str, milliseconds: int) -> None:
        if text:
            self.statusBar().showMessage(text, milliseconds)
        else:
            self.statusBar().clearMessage()

    def _read_only_changed(self, _read_only: bool) -> None:
        self._update_title()
        self._update_actions()

    # ================================================================== document
    def set_document(self, doc: Document, progress=NO_PROGRESS) -> None:
        """Edit and show ``doc`` (freshly opened or new): history cleared, view state reset.

        ``progress`` (ui/open_progress.py) is told each phase: layout, scene, panels."""
        self._progress = progress
        try:
            self.editor.set_document(doc)
        finally:
            self._progress = NO_PROGRESS

    def _show_loading(self, name: str | None) -> None:
        """While ``name`` loads, the chart and the outline show nothing (not the empty placeholder
        document) and the title says what is opening; ``None`` shows them again."""
        self.view.viewport().setVisible(name is None)
        self.outline.setVisible(name is None)
        if name is not None:
            self.setWindowTitle(f"Ouverture de « {name} »… — {APPLICATION_TITLE}")
        else:
            self._update_title()

    def _show_document(self, doc: Document) -> None:
        """The editor has a new document (the lock and autosave already followed): redraw all."""
        start = time.perf_counter()
        progress = self._progress
        self.scene.collapsed.clear()
        self.scene.focus = None
        self.scene.clear_decorations()
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

    def _on_document_changed(self, _operation: object) -> None:
        self._rebuild_chart()
        self.outline.refresh(self.doc.graph)
        self.attributions.document_changed()
        if self.search.matches is not None:
            self.search.run()
        self._update_legend()
        self._update_counts()
        self._sync_views()

    def _on_graph_switched(self, doc: Document) -> None:
        """Another variant on screen: the search follows its graph (the rest redraws anyway)."""
        self.search.set_graph(doc.graph)
        if self.search.matches is not None:
            self.search.run()

    def _rebuild_chart(self) -> None:
        self._syncing = True
        try:
            self.scene.rebuild(self.doc.graph)
            self.act_compact.setChecked(self.scene.compact_active())  # automatic for large charts
            self.act_orientation.setChecked(self.scene.orientation == "left-right")
            self.act_selection_links.setChecked(self.scene.selection_links_active())
            self.scene.set_selected_ids(self.selection.ids)
        finally:
            self._syncing = False

    def _update_legend(self) -> None:
        self.legend.set_kinds(self.doc.graph.counts_per_kind())

    def _update_counts(self) -> None:
        n = len(self.doc.graph)
        links = len(self.doc.graph.links)
        shown = len(self.scene.placed_positions())
        text = f"{plural(n, 'entité')} · {plural(links, 'lien fonctionnel', 'liens fonctionnels')}"
        if shown != n:
            text += f" · {plural(shown, 'affichée')}"
        self.count_label.setText(text)

    def document_name(self) -> str:
        return self.editor.document_name()

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.document_name()}{self.locks.title_suffix()}[*] — {APPLICATION_TITLE}")
        self.setWindowModified(not self.undo_stack.isClean())

    def is_modified(self) -> bool:
        return self.editor.is_modified()

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
        graph = self.doc.graph
        ids = self.editor.selected_ids()
        current = self.selection.current if ids else None
        one = current is not None
        linked = len(ids) == 2 and edits.link_between(graph, *ids) is not None
        self.act_add_child.setEnabled(one)
        self.act_add_sibling.setEnabled(one and current != graph.root)
        self.act_rename.setEnabled(one)
        self.act_delete.setEnabled(any(i != graph.root for i in ids))
        self.act_add_link.setEnabled(len(ids) == 2 and not linked)
        self.act_remove_link.setEnabled(linked)
        self.act_collapse.setEnabled(one and bool(graph.children_map().get(current)))
        self.act_focus.setEnabled(one)
        self.act_show_all.setEnabled(self.scene.focus is not None)
        self.exports.update_enabled()
        self.locks.enforce()  # read-only: editing actions stay off

    def select(self, entity_id: str | None) -> None:
        self.selection.select(entity_id)

    # ================================================================== editing
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

    def _standard_context_menu(self, menu: QMenu, ids: list[str]) -> None:
        if not ids:
            menu.addActions([self.act_fit, self.act_show_all])
            return
        menu.addActions([self.act_add_child, self.act_add_sibling, self.act_rename, self.act_delete])
        menu.addSeparator()
        menu.addActions([self.act_add_link, self.act_remove_link])
        menu.addSeparator()
        menu.addActions([self.act_collapse, self.act_focus, self.act_show_all])

    # ================================================================== files (ui/document_files.py)
    def maybe_save(self) -> bool:
        return self.files.maybe_save()

    def open_path(self, path: Path, prompt: bool = True) -> bool:
        return self.files.open_path(path, prompt)

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    # ------------------------------------------------------------------ layout persistence
    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
            # The « Changements » dock belongs to the comparison, which always starts off.
            if not self.compare.enabled:
                self.compare.dock.hide()

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
        self.editor.close_document()
        event.accept()

    # ------------------------------------------------------------------ organisation
    def edit_organisation_properties(self) -> bool:
        """« Organisation › Propriétés… »: every organisation field, one undo step."""
        from dicom_desktop.ui.dialogs.organisation_properties import properties_operation

        self.editor.commit_pending()
        changes = self.dialogs.ask_organisation_properties(self.doc.organisation)
        if not changes:
            return False
        return self.execute(properties_operation(changes))

    def import_sheet(self) -> bool:
        return self.files.import_sheet()

    # ------------------------------------------------------------------ help
    def about(self) -> None:
        from dicom_desktop.ui.dialogs.about_dialog import show_about

        show_about(self)
