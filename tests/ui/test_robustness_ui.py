"""Issue 6 in the editor: autosave and crash recovery, one file in two windows, failed saves,
every bad file of the corpus through « Ouvrir », and ``dicom-desktop FILE`` on a bad file.

The user's data folder (AppDataLocation) is redirected to tmp_path through XDG_DATA_HOME and
QSettings to an ini file in tmp_path: nothing touches the real profile.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dicom_desktop.files import recovery
from dicom_desktop.files.filelock import lock_path_for, read_lock
from dicom_desktop.operations import UpdateEntity
from tests.test_bad_inputs import ACCEPTED, BAD_DIR, EXPECTED, GENERATED, generated_bad_file  # noqa: F401
from tests.ui.conftest import ScriptedDialogs

ENTITY = "bureau-production"


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """AppDataLocation → tmp_path/data/DICOM/dicom-desktop (read by Qt at each call)."""
    home = tmp_path / "data"
    home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def recovery_folder(data_home: Path) -> Path:
    return data_home / "DICOM" / "dicom-desktop" / "recovery"


def snapshots(data_home: Path) -> list[Path]:
    folder = recovery_folder(data_home)
    return sorted(folder.glob(f"*{recovery.RECOVERY_SUFFIX}")) if folder.exists() else []


def new_window(qtbot, settings, path=None, **answers):
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow

    create_application()
    dialogs = ScriptedDialogs()
    for name, value in answers.items():
        setattr(dialogs, name, value)
    win = MainWindow(settings=settings, dialogs=dialogs)
    qtbot.addWidget(win)
    win.show()
    if path is not None:
        assert win.open_path(path, prompt=False)
    return win


def rename(window, text="Production audiovisuelle et graphique"):
    return window.execute(UpdateEntity(ENTITY, {"name": text}))


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def close_cleanly(window):
    window.undo_stack.setClean()
    window.close()


# ============================================================================ autosave
def test_autosave_writes_a_snapshot_on_the_timer_never_over_the_users_file(window, dicom_copy, data_home):
    before = dicom_copy.read_bytes()
    controller = window.autosave
    assert controller.timer.isActive() and controller.timer.interval() == 60_000
    controller.timer.timeout.emit()  # the timer fires: nothing to save yet
    assert snapshots(data_home) == []
    assert rename(window)
    controller.timer.timeout.emit()
    [snapshot] = snapshots(data_home)
    info, loaded = recovery.read_recovery(snapshot)
    assert info.original_path == dicom_copy
    assert next(e for e in loaded.data.entities if e.id == ENTITY).name == "Production audiovisuelle et graphique"
    assert dicom_copy.read_bytes() == before  # the user's file is untouched
    assert not dicom_copy.with_name(dicom_copy.name + ".bak").exists()
    assert window.isWindowModified()  # an autosave is not a save
    assert oct(snapshot.stat().st_mode & 0o777) == "0o600"


def test_undo_back_to_the_saved_state_drops_the_snapshot(window, data_home):
    assert rename(window)
    assert window.autosave.autosave_now() is not None
    window.undo_stack.undo()
    assert window.autosave.autosave_now() is None
    assert snapshots(data_home) == []


def test_save_then_clean_close_remove_the_snapshot(qtbot, settings, dicom_copy, data_home):
    win = new_window(qtbot, settings, dicom_copy)
    assert rename(win)
    win.autosave.autosave_now()
    assert len(snapshots(data_home)) == 1
    assert win.save()
    assert snapshots(data_home) == []
    assert rename(win, "Production (bis)")
    win.autosave.autosave_now()
    assert len(snapshots(data_home)) == 1
    win.dialogs.save_answer = "discard"  # the user closes and does not want the changes
    win.close()
    assert not win.isVisible()
    assert snapshots(data_home) == []
    assert not lock_path_for(dicom_copy).exists()


def test_interval_comes_from_the_settings_and_the_menu_entry(qtbot, settings, dicom_copy):
    settings.setValue("autosave/interval_seconds", 5)
    win = new_window(qtbot, settings)
    assert win.autosave.timer.interval() == 5000 and win.autosave.timer.isActive()
    entry = win.autosave.action
    assert entry in win.file_menu.actions() and entry.text().replace("&", "") == "Enregistrement automatique…"
    win.dialogs.autosave_interval_answer = 0
    entry.trigger()
    assert not win.autosave.timer.isActive()
    assert int(settings.value("autosave/interval_seconds")) == 0
    win.dialogs.autosave_interval_answer = 120
    entry.trigger()
    assert win.autosave.timer.isActive() and win.autosave.timer.interval() == 120_000
    settings.setValue("autosave/interval_seconds", "n’importe quoi")
    assert new_window(qtbot, settings).autosave.timer.interval() == 60_000


# ============================================================================ crash and recovery
CRASHING_EDITOR = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from dicom_desktop.operations import UpdateEntity
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow
    create_application()
    window = MainWindow(settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.show()
    assert window.open_path(Path(sys.argv[1]), prompt=False)
    window.execute(UpdateEntity("bureau-production", {"name": "Renommé avant la panne"}))
    assert window.autosave.autosave_now() is not None
    os.kill(os.getpid(), signal.SIGKILL)  # power cut: no clean exit, lock and snapshot left behind
""")


def test_crash_then_next_start_offers_the_snapshot_and_restores_it(qtbot, settings, dicom_copy, data_home, tmp_path, capsys):
    from dicom_desktop.ui.app import start_editor

    before = dicom_copy.read_bytes()
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "QT_QPA_PLATFORM": "offscreen"}
    crashed = subprocess.run([sys.executable, "-c", CRASHING_EDITOR, str(dicom_copy), str(tmp_path / "other.ini")],
                             env=env, capture_output=True, text=True, timeout=120)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert len(snapshots(data_home)) == 1 and lock_path_for(dicom_copy).exists()  # left by the crash
    assert dicom_copy.read_bytes() == before

    dialogs = ScriptedDialogs()
    dialogs.recovery_answer = "restore"
    win = start_editor(dicom_copy, settings=settings, dialogs=dialogs)
    qtbot.addWidget(win)
    [(description, damaged)] = dialogs.recoveries
    assert not damaged and "« dicom.json »" in description and str(dicom_copy) in description
    saved_at = recovery.read_recovery(snapshots(data_home)[0])[0].saved_at
    assert saved_at.strftime("du %d/%m/%Y à %H:%M") in description
    assert not getattr(dialogs, "locked", [])  # the dead process's lock was cleared silently
    assert not win.locks.read_only and read_lock(lock_path_for(dicom_copy)).pid == os.getpid()
    assert win.doc.graph.entity(ENTITY).name == "Renommé avant la panne"
    assert win.doc.path == dicom_copy and win.isWindowModified() and win.is_modified()
    assert dicom_copy.read_bytes() == before  # restoring writes nothing yet
    assert win.save()  # Enregistrer writes the user's file
    from dicom_desktop.document import Document

    assert Document.open(dicom_copy).graph.entity(ENTITY).name == "Renommé avant la panne"
    assert not win.isWindowModified() and snapshots(data_home) == []
    close_cleanly(win)


def _orphan_snapshot(window, data_home) -> Path:
    """The snapshot of a window that died: same content, written by a process that is gone."""
    written = window.autosave.autosave_now()
    obj = json.loads(written.read_text(encoding="utf-8"))
    obj["pid"] = dead_pid()
    orphan = written.with_name(written.name.replace(f"-{os.getpid()}-", f"-{obj['pid']}-"))
    orphan.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return orphan


def test_ignore_deletes_the_snapshot_later_keeps_it(qtbot, settings, window, data_home):
    from dicom_desktop.ui.app import start_editor

    assert rename(window)
    orphan = _orphan_snapshot(window, data_home)
    close_cleanly(window)  # its own snapshot goes; the orphan stays
    assert snapshots(data_home) == [orphan]

    later = ScriptedDialogs()  # « Plus tard » / Échap: nothing lost
    first = start_editor(None, settings=settings, dialogs=later)
    qtbot.addWidget(first)
    assert len(later.recoveries) == 1 and orphan.exists() and first.doc.path is None
    close_cleanly(first)

    ignore = ScriptedDialogs()
    ignore.recovery_answer = "discard"
    second = start_editor(None, settings=settings, dialogs=ignore)
    qtbot.addWidget(second)
    assert len(ignore.recoveries) == 1 and not orphan.exists()
    close_cleanly(second)

    third = ScriptedDialogs()
    qtbot.addWidget(start_editor(None, settings=settings, dialogs=third))
    assert not getattr(third, "recoveries", [])  # nothing left to offer


def test_a_damaged_snapshot_can_only_be_ignored(qtbot, settings, data_home):
    from dicom_desktop.ui.app import start_editor

    folder = recovery_folder(data_home)
    folder.mkdir(parents=True)
    broken = folder / f"organigramme-abc-{dead_pid()}{recovery.RECOVERY_SUFFIX}"
    broken.write_bytes(b'{"dicom_desktop_recovery": 1, "document": {')
    dialogs = ScriptedDialogs()
    dialogs.recovery_answer = "restore"  # not offered: the dialog has no « Restaurer »
    win = start_editor(None, settings=settings, dialogs=dialogs)
    qtbot.addWidget(win)
    [(description, damaged)] = dialogs.recoveries
    assert damaged and "illisible" in description
    assert broken.exists() and win.doc.path is None and not dialogs.errors


# ============================================================================ two windows, one file
def test_second_window_is_warned_and_read_only(qtbot, settings, window, dicom_copy, tmp_path):
    before = dicom_copy.read_bytes()
    second = new_window(qtbot, settings, dicom_copy)
    [message] = second.dialogs.locked
    assert "Ce fichier est déjà ouvert par " in message and "depuis le " in message
    assert not second.locks.badge.isHidden() and window.locks.badge.isHidden()
    assert f"(processus {os.getpid()})" in message and "« dicom.json »" in message
    assert second.locks.read_only and "(lecture seule)" in second.windowTitle()
    assert "(lecture seule)" not in window.windowTitle()
    second.select(ENTITY)
    for action in (second.act_add_child, second.act_add_sibling, second.act_rename, second.act_delete):
        assert not action.isEnabled(), action.text()
    window.select(ENTITY)
    assert window.act_add_child.isEnabled()  # the first window is not affected
    assert not rename(second) and second.doc.graph.entity(ENTITY).name != "Production audiovisuelle et graphique"
    assert second.dialogs.infos[-1][0] == "Lecture seule" and not second.is_modified()

    # Enregistrer becomes Enregistrer sous; the other window's file is refused as a target.
    second.dialogs.save_path_answer = None
    assert not second.save()
    second.dialogs.save_path_answer = dicom_copy
    assert not second.save()
    assert "est ouvert par" in second.dialogs.errors[-1][1] and dicom_copy.read_bytes() == before
    copy = tmp_path / "copie.json"
    second.dialogs.save_path_answer = copy
    assert second.save() and copy.exists()
    assert not second.locks.read_only and "(lecture seule)" not in second.windowTitle()
    assert second.locks.badge.isHidden()
    assert rename(second)  # the copy is editable
    assert lock_path_for(copy).exists()
    close_cleanly(second)
    assert not lock_path_for(copy).exists()
    assert window.locks.lock.held  # the first window kept its lock throughout


def test_open_anyway_gives_a_writable_document(qtbot, settings, window, dicom_copy):
    forced = new_window(qtbot, settings, dicom_copy, locked_answer="force")
    assert len(forced.dialogs.locked) == 1
    assert not forced.locks.read_only and "(lecture seule)" not in forced.windowTitle()
    assert rename(forced) and forced.save()
    assert forced.locks.lock.held and not window.locks.lock.held
    # The first window learns, when it saves, that the file was taken over.
    assert rename(window, "Production (première fenêtre)")
    window.dialogs.yes_no_answer = False
    assert not window.save()
    assert window.is_modified()
    close_cleanly(window)
    assert lock_path_for(dicom_copy).exists()  # the first window did not remove the other's lock
    close_cleanly(forced)
    assert not lock_path_for(dicom_copy).exists()


def test_a_stale_lock_of_a_dead_process_is_cleared_silently(qtbot, settings, dicom_copy):
    lock = lock_path_for(dicom_copy)
    lock.write_text(json.dumps({"pid": dead_pid(), "hostname": socket.gethostname(), "user": "marie",
                                "started_at": "2025-01-02T09:00:00+01:00"}), encoding="utf-8")
    win = new_window(qtbot, settings, dicom_copy)
    assert not getattr(win.dialogs, "locked", [])
    assert not win.locks.read_only and read_lock(lock).pid == os.getpid()
    close_cleanly(win)


def test_opening_another_file_releases_the_lock(window, dicom_copy, tmp_path):
    other = tmp_path / "autre.json"
    shutil.copyfile(dicom_copy, other)
    assert lock_path_for(dicom_copy).exists()
    assert window.open_path(other, prompt=False)
    assert not lock_path_for(dicom_copy).exists() and lock_path_for(other).exists()
    window.files.new_document()
    assert not lock_path_for(other).exists()


# ============================================================================ failed saves
def _raise(code):
    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("function, code, reason", [
    ("replace", errno.ENOSPC, "le disque est plein"),
    ("fsync", errno.EROFS, "le disque est en lecture seule"),
    ("replace", errno.EACCES, "écriture refusée"),
])
def test_failed_save_keeps_the_old_file_its_backup_and_the_modified_mark(window, dicom_copy, monkeypatch, function, code, reason):
    assert rename(window, "Première version enregistrée")
    assert window.save()  # now a .bak exists
    backup = dicom_copy.with_name(dicom_copy.name + ".bak")
    old, old_backup = dicom_copy.read_bytes(), backup.read_bytes()
    assert rename(window, "Version jamais écrite")
    monkeypatch.setattr(os, function, _raise(code))
    assert not window.save()
    monkeypatch.undo()
    title, text = window.dialogs.errors[-1]
    assert title == "Enregistrement impossible" and reason in text and "dicom.json" in text
    assert "Le fichier précédent est intact" in text and "non enregistré" in text
    assert dicom_copy.read_bytes() == old and backup.read_bytes() == old_backup
    assert window.isWindowModified() and window.is_modified()
    assert [p.name for p in dicom_copy.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_save_into_a_folder_that_vanished(window, tmp_path):
    folder = tmp_path / "partage"
    folder.mkdir()
    window.dialogs.save_path_answer = folder / "organigramme.json"
    assert rename(window)
    folder.rmdir()
    assert not window.save_as()
    assert "le dossier n’existe pas" in window.dialogs.errors[-1][1]
    assert window.is_modified() and window.doc.path.name == "dicom.json"


# ============================================================================ bad corpus through « Ouvrir »
def _listing(path: Path):
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def _open_bad_file(window, dicom_copy, path, expected):
    problem, place = expected
    doc_before = window.doc
    before = _listing(path)
    window.dialogs.open_answer = path
    window.files.open_document()  # Fichier › Ouvrir…
    title, text = window.dialogs.errors[-1]
    assert title == "Ouverture impossible"
    assert path.name in text and problem in text, text
    if place:
        assert place in text, text
    assert "Traceback" not in text
    assert window.doc is doc_before and window.doc.path == dicom_copy
    assert _listing(path) == before
    # The current document is still there and editable.
    old_name = window.doc.graph.entity(ENTITY).name
    assert rename(window) and window.isWindowModified()
    window.undo_stack.undo()
    assert window.doc.graph.entity(ENTITY).name == old_name and not window.isWindowModified()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_bad_file_through_ouvrir(window, dicom_copy, name):
    _open_bad_file(window, dicom_copy, BAD_DIR / name, EXPECTED[name])


def test_generated_bad_files_through_ouvrir(window, dicom_copy, generated_bad_file):
    path, expected = generated_bad_file
    _open_bad_file(window, dicom_copy, path, expected)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_corpus_file_opens(window, tmp_path, name):
    copy = tmp_path / name  # a copy: opening takes a lock beside the file
    shutil.copyfile(BAD_DIR / name, copy)
    window.dialogs.open_answer = copy
    window.files.open_document()
    assert window.doc.path == copy and not window.dialogs.errors
    assert copy.read_bytes() == (BAD_DIR / name).read_bytes()


def test_corpus_on_disk_matches_the_expectations():
    """Every file of tests/data/bad is tried with its expected French refusal (or is known to be
    accepted): a bad file added without an expectation, or an expectation whose file is gone,
    fails here instead of silently testing less."""
    on_disk = {p.name for p in BAD_DIR.glob("*.json")}
    assert on_disk == set(EXPECTED) | ACCEPTED
    assert not set(GENERATED) & on_disk  # generated at test time, never committed


# ============================================================================ dicom-desktop FILE
def test_start_on_a_bad_file_explains_and_opens_a_usable_window(qtbot, settings, capsys):
    from dicom_desktop.ui.app import start_editor

    path = BAD_DIR / "truncated.json"
    before = _listing(path)
    dialogs = ScriptedDialogs()
    win = start_editor(path, settings=settings, dialogs=dialogs)
    qtbot.addWidget(win)
    [(title, text)] = dialogs.errors
    assert title == "Ouverture impossible" and "fichier tronqué" in text and "ligne 15, colonne 13" in text
    assert "nouveau document" in capsys.readouterr().err
    assert win.isVisible() and win.doc.path is None and not win.locks.read_only
    win.select(win.doc.graph.root)
    assert win.gestures.add_child() is not None and len(win.doc.graph) == 2
    assert _listing(path) == before
    close_cleanly(win)


def test_start_on_a_good_file_opens_it(qtbot, settings, dicom_copy):
    from dicom_desktop.ui.app import start_editor

    win = start_editor(dicom_copy, settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(win)
    assert win.doc.path == dicom_copy and not win.dialogs.errors
    close_cleanly(win)


def test_screenshot_command_never_asks_about_a_file_open_elsewhere(window, dicom_copy, tmp_path, monkeypatch):
    from dicom_desktop.cli import main
    from dicom_desktop.ui.dialogs.common import Dialogs

    def must_not_ask(self, text):
        raise AssertionError("a command must not ask « Ouvrir quand même »")

    monkeypatch.setattr(Dialogs, "ask_open_locked", must_not_ask)
    holder = read_lock(lock_path_for(dicom_copy))
    assert main(["screenshot", str(dicom_copy), "-o", str(tmp_path / "capture.png")]) == 0
    assert read_lock(lock_path_for(dicom_copy)) == holder  # the editor's lock is untouched
