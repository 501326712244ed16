"""Fichier › Nouveau, Ouvrir, Importer un tableau, Enregistrer (sous): the editor's document and its file.

One open path: :meth:`Document.open` reads and checks the file, telling a progress callback
each phase (a dialog for large files, :mod:`.open_progress`). An error is explained in French and
the current document stays. Before a document is dropped, :meth:`DocumentFiles.maybe_save` asks
« Enregistrer ? ». Saves go through the document lock (another window may hold the file) and
close the autosave snapshot; every opened or saved file joins the « Fichiers récents ». An imported
spreadsheet (:mod:`.sheet_import` asks which column feeds which field) is all or nothing and
opens as a new, unsaved document.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from dicom_desktop.document import Document
from dicom_desktop.errors import DicomError, os_reason
from dicom_desktop.files.paths import is_read_only_resource
from dicom_desktop.files.storage import dump_organisation, parse_organisation
from dicom_desktop.heap import return_free_memory
from dicom_desktop.ui.services.autosave import AutosaveController
from dicom_desktop.ui.services.document_lock import LockController
from dicom_desktop.ui.editor import EditorController
from dicom_desktop.ui.services.locations import export_folder, open_folder, save_as_suggestion
from dicom_desktop.ui.services.open_progress import NO_PROGRESS, OPEN_LABELS, progress_for_file
from dicom_desktop.ui.services.recent_files import RecentFiles
from dicom_desktop.wording import plural

NOT_SAVED = "Le document reste ouvert, non enregistré."


# The first frame of a new chart (and the old scene's deferred deletions) frees more: at 10,000
# entities ~3 MiB that a trim right after the open cannot see yet.
AFTER_FIRST_FRAME_MS = 500


def _give_back_freed_memory() -> None:
    """Return the heap freed by replacing the document to the system, now and after the first frame."""
    return_free_memory()
    QTimer.singleShot(AFTER_FIRST_FRAME_MS, return_free_memory)


class DocumentFiles(QObject):
    """Open and save the editor's document. ``show(doc, progress)`` hands a freshly read document
    to the window (which tells ``progress`` its own phases: layout, scene, panels)."""

    saved = Signal(object)  # Path: the document now lives there

    def __init__(self, editor: EditorController, locks: LockController, autosave: AutosaveController,
                 recent: RecentFiles, show: Callable[[Document, object], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self.locks = locks
        self.autosave = autosave
        self.recent = recent
        self.show = show
        self.parent_widget = parent
        self.last_open_phases: list[str] | tuple = ()  # progress phases shown by the last open_path
        self.open_progress_hook: Callable | None = None  # hook(label, dialog) at each phase (tests)
        # show_loading(name) while a large file replaces the untouched new document (None: done):
        # the window hides the placeholder « Nouvelle organisation » meanwhile.
        self.show_loading: Callable[[str | None], None] = lambda _name: None

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded or unchanged)."""
        self.editor.commit_pending()
        if not self.editor.is_modified():
            return True
        answer = self.editor.dialogs.ask_save_changes(self.editor.document_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_document(self) -> None:
        if self.maybe_save():
            self.show(Document.new(), NO_PROGRESS)
            _give_back_freed_memory()  # the dropped document's data and chart items

    def open_document(self) -> None:
        if not self.maybe_save():
            return
        doc = self.editor.doc
        directory = str(open_folder(doc.path))
        path = self.editor.dialogs.open_path(directory)
        if path is not None:
            self.open_path(path, prompt=False)

    def open_path(self, path: Path, prompt: bool = True) -> bool:
        """Open ``path``; on error, explain in French and keep the current document."""
        if prompt and not self.maybe_save():
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        progress = progress_for_file(path, self.parent_widget, self.open_progress_hook)  # large files only
        self.last_open_phases = progress.phases
        editor = self.editor
        placeholder = progress is not NO_PROGRESS and editor.doc.path is None and editor.undo_stack.count() == 0
        if placeholder:
            self.show_loading(Path(path).name)
        try:
            try:
                doc = Document.open(path, progress=lambda phase: progress.step(OPEN_LABELS[phase]))
            except DicomError as exc:
                self.editor.dialogs.error("Ouverture impossible", str(exc))
                return False
            except OSError as exc:
                self.editor.dialogs.error("Ouverture impossible",
                                          f"Le fichier « {path} » ne peut pas être lu : {os_reason(exc)}.")
                return False
            self.show(doc, progress)
            _give_back_freed_memory()  # the previous document and the reading's temporaries
        finally:
            progress.close()
            if placeholder:
                self.show_loading(None)
            QGuiApplication.restoreOverrideCursor()
        self.recent.add(Path(path))
        self.editor.show_status(f"« {Path(path).name} » ouvert ({len(doc.graph)} entités).", 6000)
        return True

    def import_sheet(self, path: Path | None = None) -> bool:
        """« Importer un tableau… »: True when the spreadsheet became the open (unsaved) document."""
        # The spreadsheet readers load with the first import, not with every window (start-up).
        from dicom_desktop.sheets import SheetImportError, detect_columns, import_spreadsheet, read_spreadsheet

        editor, dialogs = self.editor, self.editor.dialogs
        if not self.maybe_save():  # the same prompt as Ouvrir, before anything is asked
            return False
        if path is None:
            path = dialogs.open_sheet_path(str(export_folder(editor.doc.path)))
            if path is None:
                return False
        try:
            spreadsheet = read_spreadsheet(path)
        except DicomError as exc:
            dialogs.error("Import impossible", str(exc))
            return False
        headers = spreadsheet.entities.headers
        if not headers:
            dialogs.error("Import impossible", f"Le tableau « {Path(path).name} » est vide : aucune ligne d’en-tête.")
            return False
        choice = dialogs.ask_column_mapping(spreadsheet, detect_columns(headers))
        if choice is None:
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = import_spreadsheet(spreadsheet, choice.mapping, attributions_separator=choice.attributions_separator)
            parse_organisation(dump_organisation(result.data))  # what could not be reopened is not opened
            doc = Document.from_file_model(result.data, None, list(result.warnings))
        except SheetImportError as exc:
            QGuiApplication.restoreOverrideCursor()
            dialogs.show_import_problems(Path(path).name, exc.problems)
            return False
        except DicomError as exc:
            QGuiApplication.restoreOverrideCursor()
            dialogs.error("Import impossible", f"Le tableau « {Path(path).name} » n’a pas pu être importé :\n{exc}")
            return False
        try:
            doc.modified = True
            editor.set_document(doc, unsaved=True)  # a new, unsaved document: closing it asks first
        finally:
            QGuiApplication.restoreOverrideCursor()
        n = len(doc.graph)
        editor.show_status(f"« {Path(path).name} » importé : {plural(n, 'entité')} "
                           "(document non enregistré).", 10000)
        if result.warnings:
            shown = result.warnings[:20]
            more = f"\n… et {plural(len(result.warnings) - 20, 'autre')}." if len(result.warnings) > 20 else ""
            dialogs.info("Import terminé avec des remarques",
                         f"{plural(n, 'entité importée', 'entités importées')}. Remarques :\n"
                         + "\n".join(f"– {w}" for w in shown) + more)
        return True

    def save(self) -> bool:
        self.editor.commit_pending()
        path = self.editor.doc.path
        if path is None or self.locks.read_only or is_read_only_resource(path):  # shipped chart: a template
            return self.save_as()
        return self._save_to(path)

    def save_as(self) -> bool:
        self.editor.commit_pending()
        doc = self.editor.doc
        suggested = str(save_as_suggestion(doc.path))
        path = self.editor.dialogs.save_path("Enregistrer l’organisation sous", suggested)
        if path is None:
            return False
        if path.suffix.lower() != ".json":
            path = path.with_suffix(path.suffix + ".json") if path.suffix else path.with_suffix(".json")
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        if not self.locks.may_write(path):
            return False
        dialogs = self.editor.dialogs
        try:
            self.editor.doc.save(path)
        except DicomError as exc:
            dialogs.error("Enregistrement impossible", f"{exc}\n\n{NOT_SAVED}")
            return False
        except OSError as exc:
            dialogs.error("Enregistrement impossible",
                          f"Le fichier « {path} » ne peut pas être écrit : {os_reason(exc)}.\n\n{NOT_SAVED}")
            return False
        self.editor.mark_saved()
        self.locks.saved_to(path)
        self.autosave.document_saved()
        self.recent.add(path)
        self.saved.emit(path)
        self.editor.show_status(f"Enregistré dans « {path} ».", 6000)
        return True
