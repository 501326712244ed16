"""The window's document lock and read-only mode: two windows never overwrite each other's work.

When a document with a path is shown, its lock (:class:`dicom_desktop.files.filelock.DocumentLock`, a
``.~FICHIER.json.lock`` beside it) is taken. If another live instance holds it, the user is told
who and since when, and the document opens read-only unless they choose « Ouvrir quand même ».
A lock left by a killed process is stale: ``DocumentLock.acquire`` clears it without a word.

Why filelock.py and not QLockFile: the core tools (and the kill tests) read the same lock
without Qt, and the message needs the holder's user, host and start time, which filelock.py
stores; mixing the two would mean two incompatible lock formats beside the same file.

Read-only: editing actions disabled, « (lecture seule) » in the title, every operation refused
by ``EditorController.execute`` (a guard; showing a scenario still works), Enregistrer becomes
Enregistrer sous. The controller follows the editor's ``documentReplaced``; the window shows
``badge`` in its status bar and listens to ``readOnlyChanged``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from dicom_desktop.files.filelock import DocumentLock
from dicom_desktop.operations import Operation
from dicom_desktop.files.paths import is_read_only_resource
from dicom_desktop.ui.editor import EditorController

READ_ONLY_SUFFIX = " (lecture seule)"
REFRESH_MS = 60_000  # touch the lock every minute so that other hosts see it alive


def _same(a: Path | None, b: Path | None) -> bool:
    return a is not None and b is not None and os.path.abspath(a) == os.path.abspath(b)


class LockController(QObject):
    """Holds the lock of the edited document and the read-only state it implies.

    ``edit_menu``/``edit_actions``: what read-only mode disables (every action of the menu and its
    sub-menus, and those listed, except ``view_only`` ones)."""

    readOnlyChanged = Signal(bool)
    _headless = 0

    @classmethod
    @contextmanager
    def headless(cls):
        """Windows built inside ``with LockController.headless():`` (screenshot, image export)
        never lock and never ask: a command must not block on a question nobody can answer."""
        cls._headless += 1
        try:
            yield
        finally:
            cls._headless -= 1

    def __init__(self, editor: EditorController, edit_menu: QMenu, edit_actions: list[QAction],
                 view_only: set[QAction], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.edit_menu = edit_menu
        self.edit_actions = edit_actions
        self.view_only = view_only
        self.enabled = LockController._headless == 0
        self.lock: DocumentLock | None = None
        self.read_only = False
        self._refused_once = False
        self._disabled: list = []  # actions this controller disabled (to re-enable them)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.badge = QLabel("Lecture seule")  # permanent status-bar mark while read-only
        self.badge.setObjectName("readOnlyBadge")
        self.badge.setStyleSheet("QLabel { color: #8a1c1c; font-weight: bold; padding: 0 6px; }")
        self.badge.setToolTip("Une autre fenêtre a ce fichier ouvert : « Enregistrer sous… » pour en faire une copie modifiable.")
        self.badge.hide()
        editor.add_guard(self.refuses)
        editor.documentReplaced.connect(self.attach)

    # ------------------------------------------------------------------ document life
    def attach(self, doc) -> None:
        """A document is about to be shown: lock its file (asking if another window has it)."""
        path = getattr(doc, "path", None)
        if self.lock is not None and _same(self.lock.document, path) and self.lock.held:
            return  # the same file again (reopen, restore of its snapshot): keep our lock
        self.release()
        self._refused_once = False
        if path is None or not self.enabled or is_read_only_resource(path):  # no lock inside an installation
            self._set_read_only(False)
            return
        lock = DocumentLock(path)
        result = lock.acquire()
        read_only = False
        if not result.acquired and result.holder is not None:
            answer = self.editor.dialogs.ask_open_locked(self.locked_message(Path(path), result.holder))
            if answer == "force":
                result = lock.acquire(force=True)
            else:
                read_only = True
        elif not result.acquired and result.error:
            self.editor.show_status(result.message(), 10000)  # e.g. read-only folder
        self.lock = lock if result.acquired else None
        if self.lock is not None:
            self._timer.start()
        self._set_read_only(read_only)

    @staticmethod
    def locked_message(path: Path, holder) -> str:
        return (f"« {path.name} » ({path.parent})\nCe fichier est déjà ouvert {holder.describe()}.\n\n"
                "Il va s’ouvrir en lecture seule pour ne pas écraser les modifications de l’autre fenêtre. "
                "Choisissez « Ouvrir quand même » seulement si vous êtes sûr que l’autre fenêtre est fermée.")

    def release(self) -> None:
        """Close/open other/exit: remove our lock (never someone else's)."""
        self._timer.stop()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def refresh(self) -> None:
        if self.lock is not None:
            self.lock.refresh()

    # ------------------------------------------------------------------ saving
    def may_write(self, path: Path) -> bool:
        """Before a save to ``path``: refuse to write over a file another live window holds."""
        if self.lock is not None and _same(self.lock.document, path):
            if self.lock.held:
                return True
            holder = self.lock.holder()
            if holder is None:  # the other window is gone: the file is ours again
                self.lock.acquire()
                return True
            return self.editor.dialogs.ask_yes_no(
                "Fichier repris par une autre fenêtre",
                f"« {path.name} » a été repris {holder.describe()}.\n"
                "Enregistrer maintenant remplacerait les modifications de cette autre fenêtre.",
                yes="Enregistrer quand même", no="Annuler")
        holder = DocumentLock(path).holder()  # another file: is a live window editing it?
        if holder is not None:
            self.editor.dialogs.error(
                "Enregistrement impossible",
                f"« {path.name} » est ouvert {holder.describe()}.\n"
                "Enregistrez sous un autre nom, ou fermez d’abord l’autre fenêtre.")
            return False
        return True

    def saved_to(self, path: Path) -> None:
        """After a successful save: the document now lives at ``path`` — lock it, writable again."""
        if self.lock is None or not _same(self.lock.document, path):
            self.release()
            lock = DocumentLock(path)
            if lock.acquire().acquired:
                self.lock = lock
                self._timer.start()
        self._set_read_only(False)

    # ------------------------------------------------------------------ read-only mode
    def _set_read_only(self, read_only: bool) -> None:
        changed = read_only != self.read_only
        self.read_only = read_only
        self.badge.setVisible(read_only)
        if not read_only:
            for action in self._disabled:
                action.setEnabled(True)
            self._disabled = []
        if changed:
            self.readOnlyChanged.emit(read_only)

    def editing_actions(self) -> list:
        """Every action that changes the document: the window's, and any other in « Édition »."""
        view_only = self.view_only
        found = [a for a in self.edit_actions if a not in view_only]
        stack = [self.edit_menu]
        while stack:
            menu = stack.pop()
            for action in menu.actions():
                if action.menu() is not None:
                    stack.append(action.menu())
                elif not action.isSeparator() and action not in view_only and action not in found:
                    found.append(action)
        return found

    def enforce(self) -> None:
        """Called whenever the window enables its actions: keep editing actions off."""
        if not self.read_only:
            return
        for action in self.editing_actions():
            if action.isEnabled():
                action.setEnabled(False)
                if action not in self._disabled:
                    self._disabled.append(action)

    def title_suffix(self) -> str:
        return READ_ONLY_SUFFIX if self.read_only else ""

    def refuses(self, operation: Operation) -> bool:
        """The editor's guard: True (and the user is told) when read-only."""
        if not self.read_only or not getattr(operation, "changes_content", True):
            return False
        text = ("Ce document est ouvert en lecture seule car une autre fenêtre l’a ouvert. "
                "Utilisez « Enregistrer sous… » pour en faire une copie modifiable.")
        if not self._refused_once:
            self._refused_once = True
            self.editor.dialogs.info("Lecture seule", text)
        else:
            self.editor.show_status(text, 8000)
        return True
