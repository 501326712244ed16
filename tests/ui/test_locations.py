"""The editor's open, save and export dialogs start in the user's folders, never in the installation."""

from __future__ import annotations

import shutil

import pytest

from dicom_desktop.files import paths
from dicom_desktop.ui.services import locations

from .conftest import ScriptedDialogs


@pytest.fixture
def installed(monkeypatch, tmp_path):
    """An installed copy (no clone around the package) with a throw-away home and Documents."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setattr(paths, "SOURCE_TREE", None)
    monkeypatch.setattr(paths, "EXPORTS_DIR", None)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return home / "Documents"


def test_installed_copy_proposes_documents_for_the_bundled_chart(qapp, installed):
    bundled = paths.DEFAULT_ORGANISATION
    assert locations.documents_folder() == installed
    assert locations.open_folder(bundled) == installed
    assert locations.export_suggestion(bundled, "notice.pdf") == installed / "notice.pdf"
    assert locations.save_as_suggestion(bundled) == installed / "dicom-organigramme.json"
    assert locations.save_as_suggestion(None) == installed / "organisation.json"


def test_a_users_file_keeps_its_own_folder(qapp, installed, tmp_path):
    mine = tmp_path / "travail" / "org.json"
    assert locations.export_folder(mine) == mine.parent
    assert locations.open_folder(mine) == mine.parent
    assert locations.save_as_suggestion(mine) == mine


def test_a_clone_proposes_exports_for_the_bundled_chart(qapp):
    assert locations.export_folder(paths.DEFAULT_ORGANISATION) == paths.REPO_ROOT / "exports"
    assert locations.save_as_suggestion(paths.DEFAULT_ORGANISATION) == paths.DEFAULT_ORGANISATION


def _written_beside(folder):
    """Lock files and backups the editor may leave beside a document."""
    return sorted(folder.glob(".~*.lock")) + sorted(folder.glob("*.bak"))


class RecordingDialogs(ScriptedDialogs):
    def __init__(self) -> None:
        super().__init__()
        self.suggested: list[str] = []

    def save_path(self, title, suggested, file_filter=""):
        self.suggested.append(suggested)
        return None  # cancelled: nothing is written

    def ask_image_options(self, branch_name, branch_default=False):
        from dicom_desktop.ui.dialogs.image_export_dialog import ImageOptions

        return ImageOptions(branch_only=False, scale=1.0)


def test_editor_on_the_bundled_chart_never_proposes_the_installation(qtbot, settings, installed, tmp_path):
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow

    create_application()
    dialogs = RecordingDialogs()
    win = MainWindow(settings=settings, dialogs=dialogs)
    qtbot.addWidget(win)
    example = tmp_path / "exemple.json"
    shutil.copyfile(paths.EXAMPLES_DIR / "dicom-scenarios.json", example)
    # (A developer's own editor may hold the clone's chart meanwhile: compare, do not expect none.)
    written_before = _written_beside(paths.RESOURCES_DIR)
    assert win.open_path(paths.DEFAULT_ORGANISATION, prompt=False)
    assert _written_beside(paths.RESOURCES_DIR) == written_before  # no lock file inside the installation
    win.exports.export_pdf()
    win.exports.export_image()
    win.exports.export_sheet()
    assert not win.save()  # the shipped chart is a template: « Enregistrer » asks where
    assert len(dialogs.suggested) == 4
    for suggested in dialogs.suggested:
        assert not paths.is_shipped(suggested), suggested
        assert suggested.startswith(str(installed)), suggested
    assert dialogs.suggested[-1].endswith("dicom-organigramme.json")
    assert _written_beside(paths.RESOURCES_DIR) == written_before  # no backup either: nothing was saved there
    win.undo_stack.setClean()
    win.close()
