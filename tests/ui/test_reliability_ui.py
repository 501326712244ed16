"""Issue 17 in the editor: the recovery folder and the lock file are input too, the export
dialogs never write over the open document, the import dialog shows rows with a wrong field count."""

from __future__ import annotations

import json
import os
import socket

import pytest

from dicom_desktop.files import recovery
from dicom_desktop.files.filelock import lock_path_for
from tests.ui.conftest import ScriptedDialogs
from tests.ui.test_robustness_ui import close_cleanly, data_home, recovery_folder  # noqa: F401 - autouse fixture


def test_start_up_survives_a_fifo_and_a_link_to_dev_zero_in_the_recovery_folder(qtbot, settings, data_home):  # noqa: F811
    from dicom_desktop.ui.app import start_editor

    folder = recovery_folder(data_home)
    folder.mkdir(parents=True)
    os.mkfifo(folder / f"tube{recovery.RECOVERY_SUFFIX}")  # used to block the start-up forever
    (folder / f"zero{recovery.RECOVERY_SUFFIX}").symlink_to("/dev/zero")  # used to die with MemoryError
    dialogs = ScriptedDialogs()
    dialogs.recovery_answer = "discard"
    window = start_editor(None, settings=settings, dialogs=dialogs)
    qtbot.addWidget(window)
    assert window.isVisible() or window.doc is not None
    assert len(dialogs.recoveries) == 2 and all(damaged for _, damaged in dialogs.recoveries)
    texts = " ".join(text for text, _ in dialogs.recoveries)
    assert "tube nommé" in texts and "périphérique" in texts
    close_cleanly(window)


def test_a_lock_with_a_pid_beyond_pid_t_does_not_stop_the_file_from_opening(qtbot, settings, window, tmp_path):
    other = tmp_path / "autre.json"
    other.write_bytes(window.doc.path.read_bytes())
    lock_path_for(other).write_text(json.dumps({"pid": 2**80, "hostname": socket.gethostname(), "user": "x",
                                                "started_at": "2026-01-01T00:00:00+01:00"}), encoding="utf-8")
    assert window.open_path(other, prompt=False)  # used to exit 3 with OverflowError
    assert window.doc.path == other and not window.locks.read_only


@pytest.mark.parametrize(("name", "export"), [("vue.svg", "export_image"), ("tableau.csv", "export_sheet"),
                                             ("notice.pdf", "export_pdf")])
def test_exports_never_write_over_the_open_document(window, name, export):
    """A save place that is a link to the open document is refused in French, the document kept."""
    document = window.doc.path
    before = document.read_bytes()
    link = document.with_name(name)
    link.symlink_to(document.name)
    window.dialogs.ask_image_options = lambda *args: type("O", (), {"scale": 2.0, "branch_only": False})()
    window.dialogs.save_path_answer = link
    assert getattr(window.exports, export)() is None
    [(_title, text)] = window.dialogs.errors
    assert "c’est le fichier d’entrée" in text and document.read_bytes() == before


def test_import_dialog_shows_rows_with_a_wrong_field_count_and_imports_nothing(window, tmp_path):
    from dicom_desktop.ui.dialogs.sheet_import import MappingChoice

    path = tmp_path / "decale.csv"
    path.write_text("Identifiant;Nom;Rattachement\r\nd;Direction;\r\nb;Bureau;d;débordement\r\n", encoding="utf-8")
    shown = []
    window.dialogs.show_import_problems = lambda source, problems: shown.append((source, problems))
    window.dialogs.ask_column_mapping = lambda spreadsheet, mapping: MappingChoice(mapping, None)
    document = window.doc.path
    window.dialogs.open_sheet_path = lambda directory: path
    assert not window.import_sheet()
    [(source, problems)] = shown
    assert source == "decale.csv"
    [problem] = problems
    assert problem.row == 3 and "4 champs au lieu de 3" in problem.message and "« débordement »" in problem.message
    assert window.doc.path == document  # nothing was imported
