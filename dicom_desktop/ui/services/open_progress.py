"""Progress shown while a large organisation opens (issue 7: « avec une indication de progression »).

Opening 100,000 entities takes seconds: reading and checking the file, building the graph,
laying out the chart, building the scene and filling the panels. Above ``LARGE_FILE_BYTES`` a
window-modal ``QProgressDialog`` names each phase and is repainted between them; small files
(the DICOM chart) get :data:`NO_PROGRESS`, which costs nothing. There is no cancel button: the
phases are not interruptible, and an error at reading leaves the previous document on screen.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from dicom_desktop.document import OPEN_CHECKING, OPEN_READING

LARGE_FILE_BYTES = 2_000_000  # ≈ 2,600 synthetic entities; the DICOM chart is 10 kB

READING = "Lecture du fichier…"
CHECKING = "Vérification…"
LAYOUT = "Mise en page de l’organigramme…"
SCENE = "Construction de l’affichage…"
PANELS = "Remplissage des panneaux…"
PHASES = (READING, CHECKING, LAYOUT, SCENE, PANELS)
OPEN_LABELS = {OPEN_READING: READING, OPEN_CHECKING: CHECKING}  # Document.open's phases, in French


class _NoProgress:
    """Small opens: every call does nothing."""

    phases: tuple = ()

    def step(self, label: str) -> None:
        pass

    def close(self) -> None:
        pass


NO_PROGRESS = _NoProgress()


class OpenProgress:
    """A window-modal progress dialog stepped through :data:`PHASES`; ``phases`` lists the
    labels shown, in order. ``hook(label, dialog)`` (tests, benchmarks) is called at each step."""

    def __init__(self, parent: QWidget | None, title: str, hook: Callable | None = None) -> None:
        self.phases: list[str] = []
        self.hook = hook
        dialog = QProgressDialog(parent)
        dialog.setObjectName("openProgressDialog")
        dialog.setWindowTitle("Ouverture")
        dialog.setLabelText(title)
        dialog.setCancelButton(None)  # not interruptible; nothing is replaced before the end
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setRange(0, len(PHASES))
        dialog.setMinimumWidth(380)
        self.dialog = dialog
        self._title = title

    def step(self, label: str) -> None:
        """Show ``label`` as the phase now starting and let the dialog repaint."""
        dialog = self.dialog
        if dialog is None:
            return
        index = PHASES.index(label) if label in PHASES else len(self.phases)
        self.phases.append(label)
        dialog.setLabelText(f"{self._title}\n{label}")
        dialog.setValue(index)
        if not dialog.isVisible():
            dialog.show()
        if self.hook is not None:
            self.hook(label, dialog)
        # Paint the dialog now; user input stays queued (the dialog is modal anyway).
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def close(self) -> None:
        """Hide and delete the dialog (idempotent)."""
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.setValue(dialog.maximum())
            dialog.hide()
            dialog.deleteLater()


def progress_for_file(path, parent: QWidget | None, hook: Callable | None = None):
    """An :class:`OpenProgress` for a large file, else :data:`NO_PROGRESS`."""
    try:
        size = os.stat(path).st_size
    except (OSError, ValueError):
        return NO_PROGRESS  # the open itself reports the problem, in French
    if size <= LARGE_FILE_BYTES:
        return NO_PROGRESS
    name = os.path.basename(os.fspath(path))
    return OpenProgress(parent, f"Ouverture de « {name} » ({size / 1_000_000:.0f} Mo)", hook)
