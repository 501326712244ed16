"""The one QUndoCommand of the editor: any core operation, undoable, selection included.

``redo()`` applies the operation (the first time) or the operation that undo returned; ``undo()``
applies the stored inverse. The selection before the gesture is restored on undo and the one
after it on redo, so undo/redo give back exactly the previous state, selection included.
A refused first application (EditRefused) makes the command obsolete: the stack drops it and the
caller shows ``error`` to the user; nothing changed.

Showing another scenario is not an undo step (it changes nothing in the file), so each command
remembers which variant it edited: undo and redo first show that variant again, then edit it.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from ..document import Document
from ..errors import EditRefused
from ..scenarios import ActivateScenario
from .selection import SelectionModel, Snapshot


class OperationCommand(QUndoCommand):
    """Wrap ``operation`` (from :mod:`dicom_desktop.operations`) for the QUndoStack."""

    def __init__(
        self,
        doc: Document,
        operation,
        selection: SelectionModel,
        *,
        select_after: Snapshot | None = None,
        outcome: dict | None = None,
    ) -> None:
        super().__init__(operation.label or "Modification")
        self._doc = doc
        self._forward = operation
        self._inverse = None
        self._selection = selection
        self._before = selection.snapshot()
        self._after = select_after
        self._variant_before = doc.active_scenario  # the variant this edit applies to
        self._variant_after = doc.active_scenario  # the one on screen after it (set by redo)
        # Shared with the caller: survives the C++ deletion of an obsolete command.
        self.outcome = outcome if outcome is not None else {}

    def _exists(self, entity_id: str) -> bool:
        return entity_id in self._doc.graph

    def _show_variant(self, scenario_id: str | None) -> None:
        """Put the edited variant back on screen before undoing or redoing its edit."""
        if self._doc.active_scenario != scenario_id:
            self._doc.apply(ActivateScenario(scenario_id))

    def redo(self) -> None:
        first = self._inverse is None
        if not first:
            self._show_variant(self._variant_before)
        try:
            self._inverse = self._doc.apply(self._forward)
        except EditRefused as exc:
            if not first:
                raise
            self.outcome["error"] = str(exc)
            self.setObsolete(True)
            return
        self._variant_after = self._doc.active_scenario
        if first:
            self.outcome["applied"] = True
            if not self._forward.label and getattr(self._inverse, "label", ""):
                self.setText(self._inverse.label)
            if self._after is None:
                self._after = self._selection.snapshot()
        self._selection.restore(self._after, self._exists)

    def undo(self) -> None:
        self._show_variant(self._variant_after)
        self._forward = self._doc.apply(self._inverse)
        self._selection.restore(self._before, self._exists)
