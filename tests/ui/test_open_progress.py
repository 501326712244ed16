"""Opening a large organisation shows its phases in a progress dialog; a small one shows none."""

from __future__ import annotations

import pytest

from dicom_desktop.ui.services.open_progress import CHECKING, LAYOUT, PANELS, PHASES, READING, SCENE


def _progress_dialogs(window):
    from PySide6.QtWidgets import QProgressDialog

    return [d for d in window.findChildren(QProgressDialog) if d.isVisible()]


@pytest.fixture
def large_file(tmp_path):
    from dicom_desktop.files.storage import save_organisation
    from dicom_desktop.synthetic import generate_organisation

    path = tmp_path / "grande-organisation.json"
    save_organisation(generate_organisation(6000, seed=3), path)
    return path


def test_large_open_reports_each_phase_in_order_then_closes(window, large_file, qtbot):
    seen = []
    window.files.open_progress_hook = lambda label, dialog: seen.append(
        (label, dialog.isVisible(), dialog.labelText(), dialog.value(), window.doc.path))
    previous = window.doc.path

    assert window.open_path(large_file, prompt=False)

    assert [label for label, *_ in seen] == [READING, CHECKING, LAYOUT, SCENE, PANELS]
    assert list(window.files.last_open_phases) == list(PHASES)
    assert all(visible for _, visible, *_ in seen)  # really on screen at each phase
    assert all(label in text and "grande-organisation.json" in text for label, _, text, *_ in seen)
    assert [value for *_, value, _ in seen] == sorted(value for *_, value, _ in seen)
    assert seen[0][-1] == previous  # reading: the previous document is still the window's
    assert len(window.doc.graph) == 6000 and len(window.scene.box_items()) > 0
    assert _progress_dialogs(window) == []
    qtbot.wait(10)
    assert _progress_dialogs(window) == []


def test_unreadable_large_file_closes_the_dialog_and_keeps_the_document(window, tmp_path):
    bad = tmp_path / "abime.json"
    bad.write_bytes(b'{"schema_version": 1, "entities": [' + b" " * 2_500_000 + b"]")
    before = window.doc

    assert not window.open_path(bad, prompt=False)

    assert window.doc is before
    assert list(window.files.last_open_phases) == [READING]
    assert window.dialogs.errors and "abime.json" in window.dialogs.errors[-1][1]
    assert _progress_dialogs(window) == []


def test_small_file_shows_no_progress(window, dicom_copy, qtbot):
    from PySide6.QtWidgets import QProgressDialog

    seen = []
    window.files.open_progress_hook = lambda label, dialog: seen.append(label)
    assert window.open_path(dicom_copy, prompt=False)
    assert seen == [] and list(window.files.last_open_phases) == []
    assert window.findChildren(QProgressDialog) == []
