"""Autosave of unsaved changes to a recovery snapshot, and the recovery offer at start-up.

Every ``autosave/interval_seconds`` (QSettings, 60 s by default, 0 disables; « Fichier ›
Enregistrement automatique… » changes it) the editor's unsaved changes are written by
:mod:`dicom_desktop.files.recovery` into ``AppDataLocation/recovery`` — never over the user's file.
A save or a clean close removes the snapshot. After a crash, :func:`offer_recoveries` (called by
``run_editor``) lists the snapshots left by dead processes, with their date and original file,
and asks « Restaurer » / « Ignorer » through ``editor.dialogs``. The controller follows the
editor (a replaced document closes its snapshot); the window puts ``action`` in its « Fichier »
menu and calls ``document_saved`` / ``clean_exit``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer
from PySide6.QtGui import QAction

from dicom_desktop.files import recovery
from dicom_desktop.errors import DicomError
from dicom_desktop.ui.editor import EditorController

SETTINGS_KEY = "autosave/interval_seconds"
_instances = itertools.count(1)


def default_data_dir() -> Path:
    """The user's data folder for dicom-desktop (XDG_DATA_HOME/DICOM/dicom-desktop on Linux)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def interval_from(settings) -> int:
    """The configured interval in seconds; garbage or a negative value falls back to the default."""
    value = settings.value(SETTINGS_KEY, recovery.DEFAULT_AUTOSAVE_SECONDS)
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return recovery.DEFAULT_AUTOSAVE_SECONDS
    return seconds if seconds >= 0 else recovery.DEFAULT_AUTOSAVE_SECONDS


class AutosaveController(QObject):
    """The editor's autosave timer around a :class:`recovery.Autosaver`."""

    def __init__(self, editor: EditorController, settings, data_dir: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.settings = settings
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.autosaver = recovery.Autosaver(self.data_dir, instance=f"w{next(_instances)}")
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave_now)
        self.action = QAction("Enregistrement &automatique…", self)
        self.action.setStatusTip("Choisir tous les combien les modifications sont mises à l’abri "
                                 "(copie de secours en cas d’arrêt inattendu)")
        self.action.triggered.connect(self.choose_interval)
        editor.documentReplaced.connect(self.document_set)
        self.set_interval(interval_from(settings), store=False)

    @property
    def interval(self) -> int:
        return self.autosaver.interval

    def set_interval(self, seconds: int, store: bool = True) -> None:
        """Seconds between snapshots; 0 stops autosaving."""
        self.autosaver.interval = max(0, int(seconds))
        if store:
            self.settings.setValue(SETTINGS_KEY, self.autosaver.interval)
        if self.autosaver.interval:
            self.timer.start(self.autosaver.interval * 1000)
        else:
            self.timer.stop()

    def choose_interval(self) -> None:
        seconds = self.editor.dialogs.ask_autosave_interval(self.interval)
        if seconds is not None:
            self.set_interval(seconds)
            text = ("Enregistrement automatique désactivé." if not seconds
                    else f"Copie de secours toutes les {seconds} secondes.")
            self.editor.show_status(text, 6000)

    # ------------------------------------------------------------------ the timer's slot
    def autosave_now(self) -> Path | None:
        """Snapshot the document if it has unsaved changes; returns the snapshot written."""
        editor = self.editor
        if not editor.is_modified():
            self.autosaver.close()  # back to the saved state (undo): the user's file is the truth
            return None
        try:
            editor.commit_pending()
        except Exception:  # noqa: BLE001 - a half-typed field must never stop the autosave
            pass
        editor.doc.modified = True  # the undo stack says so (a restored snapshot has no history)
        written = self.autosaver.autosave(editor.doc)
        if written is None and self.autosaver.last_error:
            editor.show_status(f"Copie de secours impossible : {self.autosaver.last_error}", 10000)
        return written

    @property
    def snapshot(self) -> Path | None:
        return self.autosaver.current

    # ------------------------------------------------------------------ document life
    def document_set(self, _doc) -> None:
        """Another document replaces the current one (saved or discarded by the user)."""
        self.autosaver.close()

    def document_saved(self) -> None:
        self.autosaver.document_saved()

    def clean_exit(self) -> None:
        self.timer.stop()
        self.autosaver.close()

    # ------------------------------------------------------------------ recovery
    def restore(self, info: recovery.RecoveryInfo) -> bool:
        """Show the snapshot as a modified document attached to its original file."""
        try:
            doc = recovery.restore(info)
        except DicomError as exc:
            self.editor.dialogs.error("Restauration impossible", str(exc))
            return False
        self.editor.set_document(doc, unsaved=True)  # Enregistrer writes the original file
        self.autosaver.adopt(info)
        where = f"« {info.original_path} »" if info.original_path else "un nouveau fichier"
        self.editor.show_status(f"Modifications restaurées — Enregistrer les écrira dans {where}.", 10000)
        return True


def offer_recoveries(controller: AutosaveController) -> int:
    """At start-up: offer each snapshot left by a crash; returns how many were restored (0 or 1).

    Only one document fits in the window: once one is restored, the others stay on disk and are
    offered at the next start.
    """
    editor = controller.editor
    restored = 0
    for info in recovery.find_recoveries(controller.data_dir):
        if restored:
            editor.show_status(
                "D’autres copies de secours seront proposées au prochain démarrage.", 10000)
            break
        description = info.describe()
        if info.original_path is not None:
            description += f"\nFichier d’origine : {info.original_path}"
        answer = editor.dialogs.ask_recovery(description, damaged=bool(info.error))
        if answer == "restore" and not info.error:
            restored += int(controller.restore(info))
        elif answer == "discard":
            try:
                recovery.discard(info)
            except DicomError as exc:
                editor.dialogs.error("Suppression impossible", str(exc))
    return restored
