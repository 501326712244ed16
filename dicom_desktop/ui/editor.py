"""The editing controller: one document, one undo stack, one selection, one way to change them.

:class:`EditorController` is what orange-canvas-core's ``SchemeEditWidget`` is to its window: it
owns the :class:`~dicom_desktop.document.Document` being edited, the ``QUndoStack`` every edit goes
through (:meth:`EditorController.execute`), the shared :class:`SelectionModel`, and it says what
happened through signals. The window (``ui/main_window.py``) is only the shell that shows it.

How a feature plugs in (drag and drop, reorganisation gestures, scenarios, comparison, exports…):

1. Its class takes the controller — and whatever else it needs, explicitly (the chart ``view``
   and ``scene``, a dialogs object, a ``reveal(entity_id)`` callable…) — **never the window**.
   No feature module imports ``ui/main_window``.
2. It reads ``editor.doc`` / ``editor.selection``, changes the data only with
   ``editor.execute(operation, select_after)`` (one undo step; a refusal is reported in French),
   moves entities with ``editor.move_with_feedback(...)``, and talks to the user through
   ``editor.dialogs`` and ``editor.show_status(text)``.
3. It follows the document through the signals: ``documentReplaced(doc)`` (open, new, import,
   restore), ``documentChanged(operation)`` (every apply, undo and redo included),
   ``graphSwitched(doc)`` (another variant on screen: ``doc.graph`` is another object).
4. It exposes what the window shows: its ``QAction``s, ``QMenu``s and dock widgets (build docks
   with :func:`make_dock`). ``MainWindow._build_features`` creates it, keeps it as a typed
   attribute, and puts its actions in the window's own menus (``window.edit_menu``…) and its dock
   in the « Panneaux » menu (``window.add_panel``).

Everything here is Qt-side bookkeeping; the rules themselves (what a move means, what warning an
unusual attachment gets…) are plain core functions (:mod:`dicom_desktop.reorg`,
:mod:`dicom_desktop.edits`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDockWidget, QWidget

from dicom_desktop.document import Document
from dicom_desktop.edits import operation_warnings
from dicom_desktop.errors import EditRefused
from dicom_desktop.operations import Operation
from dicom_desktop.reorg import is_noop_move, move_entities, move_warnings
from dicom_desktop.ui.commands import OperationCommand
from dicom_desktop.ui.dialogs.common import Dialogs
from dicom_desktop.ui.selection import SelectionModel, Snapshot

T = TypeVar("T")
Animate = Callable[[Callable[[], T]], T]


def _run_now(change: Callable[[], T]) -> T:
    return change()


def make_dock(title: str, name: str, widget: QWidget, parent: QWidget | None) -> QDockWidget:
    """A movable, closable, floatable dock around ``widget`` (the window decides where it goes)."""
    dock = QDockWidget(title, parent)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    return dock


class EditorController(QObject):
    """The document being edited and every change made to it (see the module docstring)."""

    documentReplaced = Signal(object)  # Document: a new document is edited (history cleared)
    documentChanged = Signal(object)  # the operation just applied (undo/redo included)
    graphSwitched = Signal(object)  # Document: ``doc.graph`` is another graph (scenario switch)
    statusMessage = Signal(str, int)  # text, milliseconds (0: until replaced)

    def __init__(self, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs  # every question asked to the user (tests pass scripted answers)
        self.doc: Document = Document.new()
        self.undo_stack = QUndoStack(self)
        self.selection = SelectionModel(self)
        self._graph = self.doc.graph
        self._unsubscribe: Callable[[], None] | None = None
        self._guards: list[Callable[[Operation], bool]] = []
        self._pending: list[Callable[[], None]] = []

    # ------------------------------------------------------------------ the document
    def set_document(self, doc: Document, *, unsaved: bool = False) -> None:
        """Edit ``doc`` from now on: history and selection cleared, ``documentReplaced`` emitted.

        ``unsaved``: the document differs from its file (an import, a restored snapshot), so
        closing it asks first even though there is no history."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.doc = doc
        self._graph = doc.graph
        self._unsubscribe = doc.subscribe(self._on_applied)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.selection.set([])
        self.documentReplaced.emit(doc)
        if unsaved:
            self.undo_stack.resetClean()

    def close_document(self) -> None:
        """Stop following the document (the window is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_applied(self, operation: object) -> None:
        self.documentChanged.emit(operation)
        if self.doc.graph is not self._graph:
            self._graph = self.doc.graph
            self.graphSwitched.emit(self.doc)

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def document_name(self) -> str:
        return self.doc.path.name if self.doc.path else "Sans titre"

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    # ------------------------------------------------------------------ pending edits
    def add_pending_edits(self, commit: Callable[[], None]) -> None:
        """``commit()`` pushes an edit still being typed (a panel's field) before a save or export."""
        self._pending.append(commit)

    def commit_pending(self) -> None:
        for commit in self._pending:
            commit()

    # ------------------------------------------------------------------ changing the data
    def add_guard(self, refuses: Callable[[Operation], bool]) -> None:
        """``refuses(operation)`` is asked before each edit; True drops it (it told the user why)."""
        self._guards.append(refuses)

    def execute(self, operation: Operation, select_after: Snapshot | None = None) -> bool:
        """Apply ``operation`` as one undo step; a refusal is shown in French and changes nothing.

        ``select_after``: the selection after the edit (``(ids, current)``); undo restores the one
        before. Unusual attachments it creates are pointed out in the status bar."""
        if any(refuses(operation) for refuses in self._guards):
            return False
        outcome: dict = {}
        self.undo_stack.push(OperationCommand(self.doc, operation, self.selection,
                                              select_after=select_after, outcome=outcome))
        if "error" in outcome:
            self.dialogs.error("Modification refusée", outcome["error"])
            return False
        warnings = operation_warnings(self.doc.graph, operation)
        if warnings:
            self.show_status("Attention : " + " ; ".join(warnings), 8000)
        return True

    def move_with_feedback(self, entity_ids: Sequence[str], parent: str, index: int | None = None,
                           animate: Animate | None = None) -> bool:
        """Re-attach ``entity_ids`` under ``parent`` (before the child at ``index``) as one undo
        step; the outcome, warnings and refusals go to the status bar. ``animate(change)`` runs the
        change (the chart drag's :class:`~dicom_desktop.ui.reorganisation.drag.RelayoutAnimator` glides the boxes)."""
        doc = self.doc
        if is_noop_move(doc.graph, entity_ids, parent, index):
            self.show_status("Rien à déplacer : l’entité est déjà à cette place.", 5000)
            return False
        try:
            warnings = move_warnings(doc, entity_ids, parent)
            operation = move_entities(doc, entity_ids, parent, index)
        except EditRefused as exc:
            self.show_status(f"Déplacement impossible : {exc}", 8000)
            return False
        moved = tuple(dict.fromkeys(op.entity_id for op in operation.operations))
        select = (moved, moved[0] if moved else None)
        run = animate if animate is not None else _run_now
        if not run(lambda: self.execute(operation, select_after=select)):
            return False
        message = f"{operation.label} — Ctrl+Z pour annuler."
        if warnings:
            message = "Attention : " + " ; ".join(warnings) + " — " + message
        self.show_status(message, 10000)
        return True

    # ------------------------------------------------------------------ talking to the user
    def show_status(self, text: str, milliseconds: int = 0) -> None:
        self.statusMessage.emit(text, milliseconds)

    def selected_ids(self) -> list[str]:
        """The selection, restricted to entities of the graph on screen (order kept)."""
        return [i for i in self.selection.ids if i in self.doc.graph]

