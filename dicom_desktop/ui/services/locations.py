"""Where the editor's open, save and export dialogs start: the user's folders, never the installation.

The rules follow the headless commands (:func:`dicom_desktop.files.paths.default_output_dir`): the
document's own folder when it is the user's file; for the bundled DICOM chart or a new document,
``exports/`` in a clone and the documents folder (``QStandardPaths.DocumentsLocation``, which
follows XDG user-dirs on Linux and folder redirection on Windows) in an installed copy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from dicom_desktop.files import paths


def documents_folder() -> Path:
    """The user's documents folder (the home folder if it does not exist)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else paths.documents_dir()
    return folder if folder.is_dir() else Path.home()


def open_folder(doc_path: Path | None) -> Path:
    """« Ouvrir »: the current file's folder; else the examples of a clone, or the documents folder."""
    if doc_path is not None and not paths.is_read_only_resource(doc_path):
        return Path(doc_path).parent
    return paths.RESOURCES_DIR if paths.SOURCE_TREE is not None else documents_folder()


def export_folder(doc_path: Path | None) -> Path:
    """Folder where exports (PDF, image, spreadsheet, dossier) are proposed."""
    if doc_path is not None and not paths.is_shipped(doc_path):
        return Path(doc_path).parent
    if paths.EXPORTS_DIR is not None:
        paths.EXPORTS_DIR.mkdir(parents=True, exist_ok=True)
        return paths.EXPORTS_DIR
    return documents_folder()


def export_suggestion(doc_path: Path | None, name: str) -> Path:
    """``name`` in :func:`export_folder`."""
    return export_folder(doc_path) / name


def save_as_suggestion(doc_path: Path | None, default_name: str = "organisation.json") -> Path:
    """« Enregistrer sous »: the file itself, unless it is a shipped file of an installed copy."""
    if doc_path is not None and not paths.is_read_only_resource(doc_path):
        return Path(doc_path)
    return documents_folder() / (Path(doc_path).name if doc_path is not None else default_name)
