"""Shipped files come from inside the package; outputs never go inside an installation."""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import pytest

from dicom_desktop.files import paths
from dicom_desktop.cli import main

from .conftest import REPO


def test_shipped_files_are_package_resources():
    root = importlib.resources.files("dicom_desktop") / "resources"
    assert paths.RESOURCES_DIR == root
    assert paths.RESOURCES_DIR.is_relative_to(paths.PACKAGE_DIR)
    assert paths.DEFAULT_ORGANISATION.is_file()
    assert (paths.EXAMPLES_DIR / "dicom-scenarios.json").is_file()
    assert all(path.is_file() for path in paths.FONT_FILES.values())


def test_a_clone_writes_to_its_exports_folder():
    assert paths.SOURCE_TREE == REPO
    assert paths.EXPORTS_DIR == REPO / "exports"
    assert paths.default_output_dir(paths.DEFAULT_ORGANISATION) == REPO / "exports"
    # In a clone the bundled chart is the developers' source: it stays writable.
    assert not paths.is_read_only_resource(paths.DEFAULT_ORGANISATION)


@pytest.fixture
def installed(monkeypatch, tmp_path):
    """Behave as an installed copy (no clone around the package), with a throw-away home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(paths, "SOURCE_TREE", None)
    monkeypatch.setattr(paths, "EXPORTS_DIR", None)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


def test_installed_copy_writes_next_to_the_users_file(installed, tmp_path):
    mine = tmp_path / "travail" / "org.json"
    mine.parent.mkdir()
    mine.write_text("{}", encoding="utf-8")
    assert paths.default_output_dir(mine) == mine.parent


def test_installed_copy_never_writes_into_the_installation(installed):
    assert paths.is_read_only_resource(paths.DEFAULT_ORGANISATION)
    assert paths.default_output_dir(paths.DEFAULT_ORGANISATION) == installed / "Documents"
    assert paths.default_output_dir(None) == installed / "Documents"


def test_installed_copy_falls_back_to_documents_for_a_read_only_folder(installed, tmp_path, monkeypatch):
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    (folder / "org.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != folder)  # root may write anywhere
    assert paths.default_output_dir(folder / "org.json") == installed / "Documents"


def test_documents_folder_follows_xdg_user_dirs(installed, tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.mkdir()
    (config / "user-dirs.dirs").write_text(
        '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/Bureau"\nXDG_DOCUMENTS_DIR="$HOME/Mes documents"\n',
        encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    assert paths.documents_dir() == installed / "Mes documents"


def test_export_pdf_of_the_bundled_chart_goes_to_documents_when_installed(installed, capsys):
    assert main(["export-pdf"]) == 0
    written = list((installed / "Documents").glob("DICOM-*-notice.pdf"))
    assert len(written) == 1 and written[0].stat().st_size > 10_000
    assert str(written[0]) in capsys.readouterr().out
    assert not list(paths.PACKAGE_DIR.rglob("*.pdf"))
