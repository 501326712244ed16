"""Saving never loses the user's work: atomic saves, backups, recovery snapshots, lock files.

Failures are simulated by making os calls raise (tests run as root in CI, where chmod-based
read-only folders do not fail), by removing folders, and with real processes that die.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dicom_desktop import filelock, recovery, storage
from dicom_desktop.document import Document
from dicom_desktop.errors import OrganisationFileError, SaveError
from dicom_desktop.operations import UpdateEntity
from dicom_desktop.storage import (
    atomic_write,
    backup_path,
    dump_organisation,
    load_organisation,
    migrate,
    parse_organisation,
    save_organisation,
)
from dicom_desktop.synthetic import generate_organisation

from .conftest import DICOM_FILE, minimal_file, write_json

OLD = b'{"version": "ancienne"}\n'
OLDER = b'{"version": "plus ancienne"}\n'
NEW = b'{"version": "nouvelle"}\n'


@pytest.fixture
def saved(tmp_path) -> Path:
    """A file with a previous version already in its .bak."""
    path = tmp_path / "organigramme.json"
    path.write_bytes(OLDER)
    atomic_write(path, OLD)
    assert backup_path(path).read_bytes() == OLDER
    return path


def _listing(folder: Path) -> set[str]:
    return set(os.listdir(folder))


# ---------------------------------------------------------------------------- atomic save
def test_save_replaces_and_keeps_previous_version_as_bak(saved):
    before = _listing(saved.parent)
    atomic_write(saved, NEW)
    assert saved.read_bytes() == NEW
    assert backup_path(saved).read_bytes() == OLD
    assert _listing(saved.parent) == before  # no temporary file left


def test_backup_can_be_disabled(tmp_path):
    path = tmp_path / "f.json"
    path.write_bytes(OLD)
    atomic_write(path, NEW, backup=False)
    assert not backup_path(path).exists()


def _fail_with(errno_code):
    def fail(*args, **kwargs):
        raise OSError(errno_code, os.strerror(errno_code))

    return fail


@pytest.mark.parametrize(
    ("call", "code", "reason"),
    [
        ("fsync", errno.ENOSPC, "le disque est plein"),
        ("write", errno.ENOSPC, "le disque est plein"),
        ("replace", errno.EACCES, "écriture refusée"),
        ("replace", errno.EROFS, "lecture seule"),
        ("fsync", errno.EIO, "erreur d’entrée-sortie"),
        ("fchmod", errno.EDQUOT, "quota disque dépassé"),
    ],
)
def test_failed_save_leaves_file_and_bak_intact_and_no_temp(saved, monkeypatch, call, code, reason):
    before = _listing(saved.parent)
    monkeypatch.setattr(os, call, _fail_with(code))
    with pytest.raises(SaveError) as caught:
        atomic_write(saved, NEW)
    monkeypatch.undo()
    message = str(caught.value)
    assert reason in message and "organigramme.json" in message and "Le fichier précédent est intact" in message
    assert saved.read_bytes() == OLD
    assert backup_path(saved).read_bytes() == OLDER
    assert _listing(saved.parent) == before


def test_partial_write_then_disk_full(saved, monkeypatch):
    """The disk fills up half-way through the file: nothing of it may remain."""
    real_write = os.write
    calls = []

    def half_then_full(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    before = _listing(saved.parent)
    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(SaveError, match="le disque est plein"):
        atomic_write(saved, NEW * 1000)
    monkeypatch.undo()
    assert saved.read_bytes() == OLD and backup_path(saved).read_bytes() == OLDER
    assert _listing(saved.parent) == before


def test_folder_removed_before_save(tmp_path):
    folder = tmp_path / "clé USB"
    folder.mkdir()
    path = folder / "organigramme.json"
    path.write_bytes(OLD)
    path.unlink()
    folder.rmdir()
    with pytest.raises(SaveError, match="le dossier n’existe pas"):
        atomic_write(path, NEW)
    assert not folder.exists()


def test_saving_over_a_folder_is_refused(tmp_path):
    (tmp_path / "dossier.json").mkdir()
    with pytest.raises(SaveError, match="c’est un dossier"):
        atomic_write(tmp_path / "dossier.json", NEW)
    assert _listing(tmp_path) == {"dossier.json"}


def test_permissions_are_kept(tmp_path):
    path = tmp_path / "f.json"
    path.write_bytes(OLD)
    os.chmod(path, 0o640)
    atomic_write(path, NEW)
    assert path.stat().st_mode & 0o777 == 0o640


def test_new_file_follows_umask_not_mkstemp_0600(tmp_path):
    old_mask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "nouveau.json", NEW)
    finally:
        os.umask(old_mask)
    assert (tmp_path / "nouveau.json").stat().st_mode & 0o777 == 0o644


def test_symlink_is_followed_and_kept(tmp_path):
    real = tmp_path / "réel.json"
    real.write_bytes(OLD)
    link = tmp_path / "lien.json"
    link.symlink_to(real)
    atomic_write(link, NEW)
    assert link.is_symlink() and real.read_bytes() == NEW
    assert backup_path(real).read_bytes() == OLD


def test_stale_temporary_files_of_a_killed_save_are_cleaned(saved):
    old_tmp = saved.parent / f".{saved.name}.abc123.tmp"
    fresh_tmp = saved.parent / f".{saved.name}.def456.tmp"  # maybe another window saving now
    other = saved.parent / ".autre.json.abc.tmp"
    for leftover in (old_tmp, fresh_tmp, other):
        leftover.write_bytes(b"{")
    two_hours_ago = time.time() - 7200
    os.utime(old_tmp, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    atomic_write(saved, NEW)
    assert not old_tmp.exists()
    assert fresh_tmp.exists() and other.exists()


def test_document_stays_modified_when_save_fails(tmp_path, monkeypatch):
    path = tmp_path / "dicom.json"
    path.write_bytes(DICOM_FILE.read_bytes())
    doc = Document.open(path)
    doc.apply(UpdateEntity("bureau-campagnes", {"name": "Bureau des campagnes nationales"}))
    monkeypatch.setattr(os, "fsync", _fail_with(errno.ENOSPC))
    with pytest.raises(SaveError):
        doc.save()
    monkeypatch.undo()
    assert doc.modified
    assert path.read_bytes() == DICOM_FILE.read_bytes()
    doc.save()
    assert not doc.modified and b"campagnes nationales" in path.read_bytes()
    assert backup_path(path).read_bytes() == DICOM_FILE.read_bytes()


def test_saved_file_reloads_identically(tmp_path):
    data = generate_organisation(300, seed=4)
    path = tmp_path / "org.json"
    save_organisation(data, path)
    assert dump_organisation(load_organisation(path).data) == path.read_bytes()


def test_fast_dump_is_the_reference_dump():
    data = generate_organisation(500, seed=2)
    assert dump_organisation(data) == storage.dump_organisation_reference(data)
    doc = Document.open(DICOM_FILE)  # model_construct'ed file model, as the editor saves it
    assert dump_organisation(doc.to_file_model()) == storage.dump_organisation_reference(doc.to_file_model())
    assert dump_organisation(doc.to_file_model()) == DICOM_FILE.read_bytes()


# ---------------------------------------------------------------------------- reading limits
def test_deep_nesting_is_refused_in_milliseconds():
    raw = ("[" * 100_000 + "]" * 100_000).encode()
    start = time.perf_counter()
    with pytest.raises(OrganisationFileError, match="imbriqué beaucoup trop profondément"):
        parse_organisation(raw)
    assert time.perf_counter() - start < 1


def test_deep_value_inside_a_field_is_a_schema_error_not_a_crash():
    data = minimal_file()
    raw = json.dumps(data).replace('"name": "Bureau A"', '"name": ' + "[" * 700 + "]" * 700).encode()
    with pytest.raises(OrganisationFileError) as caught:
        parse_organisation(raw)
    assert "entité « a », champ « name » : doit être un texte" in str(caught.value)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "gros.json"
    with open(path, "wb") as handle:
        handle.truncate(storage.MAX_FILE_BYTES + 1)
    with pytest.raises(OrganisationFileError, match="fichier trop volumineux"):
        load_organisation(path)


# ---------------------------------------------------------------------------- schema versions
def test_newer_version_is_refused(tmp_path):
    path = write_json(tmp_path, {**minimal_file(), "schema_version": 2})
    with pytest.raises(OrganisationFileError) as caught:
        load_organisation(path)
    assert "version plus récente de dicom-desktop (format 2, cette version lit jusqu’au format 1)" in str(caught.value)


def test_migration_steps_run_in_order(monkeypatch):
    """A fake format 2 (kind renamed from « type ») then 3: a version-1 file is brought up to date."""

    def v1_to_v2(obj):
        obj["entities"] = [{**{k: v for k, v in e.items() if k != "type"}, "kind": e.get("type", "bureau")} for e in obj["entities"]]
        return obj

    def v2_to_v3(obj):
        obj["organisation"] = {**obj["organisation"], "acronym": obj["organisation"].get("acronym") or "?"}
        return obj

    monkeypatch.setitem(storage.MIGRATIONS, 1, v1_to_v2)
    monkeypatch.setitem(storage.MIGRATIONS, 2, v2_to_v3)
    old = minimal_file(entities=[{"id": "r", "name": "Direction", "type": "direction"}], acronym="")
    migrated = migrate(json.loads(json.dumps(old)), target=3)
    assert migrated["schema_version"] == 3
    assert migrated["entities"][0]["kind"] == "direction" and "type" not in migrated["entities"][0]
    assert migrated["organisation"]["acronym"] == "?"
    monkeypatch.setattr(storage, "SCHEMA_VERSION", 2)
    loaded = parse_organisation(json.dumps(old).encode())  # the whole load path uses the table
    assert loaded.data.schema_version == 2 and loaded.data.entities[0].kind == "direction"


def test_missing_migration_step_is_a_french_error(monkeypatch):
    monkeypatch.setattr(storage, "SCHEMA_VERSION", 2)
    with pytest.raises(OrganisationFileError, match="aucune conversion connue du format 1 vers le format 2"):
        parse_organisation(json.dumps(minimal_file()).encode())


# ---------------------------------------------------------------------------- recovery
def _modified_doc(tmp_path) -> Document:
    path = tmp_path / "docs" / "organigramme.json"
    path.parent.mkdir()
    path.write_bytes(DICOM_FILE.read_bytes())
    doc = Document.open(path)
    doc.apply(UpdateEntity("bureau-production", {"name": "Bureau de la production audiovisuelle"}))
    return doc


def test_recovery_path_for(tmp_path):
    data = tmp_path / "data"
    a = recovery.recovery_path_for(tmp_path / "a" / "organigramme.json", data)
    b = recovery.recovery_path_for(tmp_path / "b" / "organigramme.json", data)
    untitled = recovery.recovery_path_for(None, data)
    assert a.parent == b.parent == untitled.parent == data / "recovery"
    assert a != b and a.name.startswith("organigramme-") and untitled.name.startswith("sans-titre-")
    assert str(os.getpid()) in a.name
    assert a == recovery.recovery_path_for(tmp_path / "a" / "organigramme.json", data)  # stable
    assert recovery.recovery_path_for(None, data, instance="2") != untitled


def test_autosave_never_touches_the_users_file_and_clean_exit_removes_it(tmp_path):
    doc = _modified_doc(tmp_path)
    user_file = doc.path
    before = (user_file.read_bytes(), user_file.stat().st_mtime_ns, _listing(user_file.parent))
    saver = recovery.Autosaver(tmp_path / "data")
    snapshot = saver.autosave(doc)
    assert snapshot is not None and snapshot.exists()
    assert (user_file.read_bytes(), user_file.stat().st_mtime_ns, _listing(user_file.parent)) == before
    assert snapshot.stat().st_mode & 0o777 == 0o600
    info, loaded = recovery.read_recovery(snapshot)
    assert info.original_path == user_file
    assert loaded.data.entities == doc.graph.to_entities()
    # a window that is still open does not offer its own snapshot for recovery
    assert recovery.find_recoveries(tmp_path / "data") == []
    saver.close()
    assert not snapshot.exists()


def test_unmodified_document_is_not_autosaved(tmp_path):
    doc = Document.open(DICOM_FILE)
    assert recovery.Autosaver(tmp_path).autosave(doc) is None
    assert not (tmp_path / "recovery").exists()


def test_saving_the_document_drops_the_snapshot(tmp_path):
    doc = _modified_doc(tmp_path)
    saver = recovery.Autosaver(tmp_path / "data")
    snapshot = saver.autosave(doc)
    doc.save()
    saver.document_saved(doc)
    assert not snapshot.exists()
    assert saver.autosave(doc) is None  # nothing unsaved any more


def test_save_as_moves_the_snapshot(tmp_path):
    doc = _modified_doc(tmp_path)
    saver = recovery.Autosaver(tmp_path / "data")
    first = saver.autosave(doc)
    doc.path = tmp_path / "copie.json"
    second = saver.autosave(doc)
    assert second != first and second.exists() and not first.exists()


def _write_snapshot_in_a_process_that_dies(tmp_path, doc_path: Path, data_dir: Path) -> Path:
    script = (
        "import sys; from pathlib import Path; from dicom_desktop import recovery; "
        "from dicom_desktop.document import Document; "
        "doc = Document.open(sys.argv[1]); "
        "doc.graph.rename('bureau-production', 'Bureau de la production audiovisuelle'); "
        "print(recovery.write_recovery(sys.argv[2], doc.to_file_model(), doc.path))"
    )
    result = subprocess.run([sys.executable, "-c", script, str(doc_path), str(data_dir)], capture_output=True, text=True, check=True)
    return Path(result.stdout.strip())


def test_crash_then_recover_restore_and_discard(tmp_path):
    doc_path = tmp_path / "organigramme.json"
    doc_path.write_bytes(DICOM_FILE.read_bytes())
    data_dir = tmp_path / "data"
    snapshot = _write_snapshot_in_a_process_that_dies(tmp_path, doc_path, data_dir)
    found = recovery.find_recoveries(data_dir)
    assert [info.path for info in found] == [snapshot]
    info = found[0]
    assert info.original_path == doc_path and info.entity_count == 10 and not info.error
    assert abs((info.saved_at - __import__("datetime").datetime.now().astimezone()).total_seconds()) < 120
    text = info.describe()
    assert text.startswith("« organigramme.json » — modifications non enregistrées du ") and "(10 entités)" in text

    restored = recovery.restore(info)
    assert restored.modified and restored.path == doc_path
    assert restored.graph.entity("bureau-production").name == "Bureau de la production audiovisuelle"
    assert doc_path.read_bytes() == DICOM_FILE.read_bytes()  # restoring does not save by itself

    saver = recovery.Autosaver(data_dir)
    saver.adopt(info)
    new_snapshot = saver.autosave(restored)
    assert new_snapshot.exists() and not snapshot.exists()  # replaced, not duplicated
    saver.close()
    assert recovery.find_recoveries(data_dir, include_live=True) == []

    again = _write_snapshot_in_a_process_that_dies(tmp_path, doc_path, data_dir)
    recovery.discard(recovery.find_recoveries(data_dir)[0])
    assert not again.exists() and recovery.find_recoveries(data_dir) == []


def test_damaged_snapshot_is_listed_for_discarding(tmp_path):
    data_dir = tmp_path / "data"
    folder = data_dir / "recovery"
    folder.mkdir(parents=True)
    (folder / "organigramme-0123456789ab-99999.recovery.json").write_bytes(b'{"dicom_desktop_recovery": 1, "docu')
    (folder / ".organigramme-0123456789ab-99999.recovery.json.x.tmp").write_bytes(b"{")
    found = recovery.find_recoveries(data_dir)
    assert len(found) == 1 and "tronqué" in found[0].error
    assert "copie de secours illisible" in found[0].describe()
    recovery.discard(found[0])
    assert recovery.find_recoveries(data_dir) == []


def test_failed_autosave_reports_and_keeps_previous_snapshot(tmp_path, monkeypatch):
    doc = _modified_doc(tmp_path)
    saver = recovery.Autosaver(tmp_path / "data")
    snapshot = saver.autosave(doc)
    before = snapshot.read_bytes()
    doc.apply(UpdateEntity("bureau-production", {"name": "Autre nom"}))
    monkeypatch.setattr(os, "fsync", _fail_with(errno.ENOSPC))
    assert saver.autosave(doc) is None
    monkeypatch.undo()
    assert "le disque est plein" in saver.last_error
    assert snapshot.read_bytes() == before
    assert _listing(snapshot.parent) == {snapshot.name}


# ---------------------------------------------------------------------------- lock files
def test_lock_acquire_and_second_window_is_warned(tmp_path):
    doc = tmp_path / "organigramme.json"
    doc.write_bytes(OLD)
    first = filelock.DocumentLock(doc)
    assert first.acquire().acquired and first.held
    assert first.path == tmp_path / ".~organigramme.json.lock"
    info = filelock.read_lock(first.path)
    assert info.pid == os.getpid() and info.hostname == socket.gethostname()
    second = filelock.DocumentLock(doc).acquire()
    assert not second.acquired and second.holder == info
    message = second.message()
    assert "« organigramme.json » est déjà ouvert dans une autre fenêtre" in message and "lecture seule" in message
    first.release()
    assert not first.path.exists()
    assert filelock.DocumentLock(doc).acquire().acquired


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write_lock(path: Path, **fields) -> None:
    info = {"pid": os.getpid(), "hostname": socket.gethostname(), "user": "marie", "started_at": "2026-01-05T09:00:00+01:00",
            "process_start": filelock._process_start(os.getpid()), "token": "x", "format": 1}
    info.update(fields)
    path.write_text(json.dumps(info), encoding="utf-8")


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"pid": None}, id="dead-pid"),
        pytest.param({"process_start": "1"}, id="pid-reused-by-another-program"),
        pytest.param({"hostname": "autre-poste", "age": 3600}, id="other-host-not-refreshed"),
        pytest.param({"garbage": True}, id="unreadable"),
    ],
)
def test_stale_lock_is_cleared(tmp_path, fields):
    doc = tmp_path / "organigramme.json"
    lock_path = filelock.lock_path_for(doc)
    fields = dict(fields)
    if fields.get("pid", 0) is None:
        fields["pid"] = _dead_pid()
    age = fields.pop("age", 0)
    if fields.pop("garbage", False):
        lock_path.write_bytes(b"\x00{pid")
    else:
        _write_lock(lock_path, **fields)
    if age:
        os.utime(lock_path, (time.time() - age, time.time() - age))
    lock = filelock.DocumentLock(doc)
    assert lock.acquire().acquired
    assert filelock.read_lock(lock_path).pid == os.getpid()
    lock.release()


def test_live_lock_from_another_host_is_respected(tmp_path):
    doc = tmp_path / "organigramme.json"
    _write_lock(filelock.lock_path_for(doc), hostname="autre-poste", pid=1234)
    result = filelock.DocumentLock(doc).acquire()
    assert not result.acquired and "sur le poste autre-poste" in result.message()


def test_force_takes_over_and_the_first_window_does_not_remove_it(tmp_path):
    doc = tmp_path / "organigramme.json"
    first = filelock.DocumentLock(doc)
    first.acquire()
    second = filelock.DocumentLock(doc)
    assert not second.acquire().acquired
    assert second.acquire(force=True).acquired
    assert not first.held and second.held
    first.release()
    assert second.held  # still there
    second.release()
    assert not filelock.lock_path_for(doc).exists()


def test_lock_in_a_missing_folder_reports_without_crash(tmp_path):
    result = filelock.DocumentLock(tmp_path / "absent" / "f.json").acquire()
    assert not result.acquired and result.holder is None and "dossier introuvable" in result.message()


def test_lock_of_a_killed_process_is_detected(tmp_path):
    """A real process takes the lock and is SIGKILLed: the lock is then stale and cleared."""
    doc = tmp_path / "organigramme.json"
    script = (
        "import sys, time; from dicom_desktop.filelock import DocumentLock; "
        "assert DocumentLock(sys.argv[1]).acquire().acquired; print('ok', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(doc)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ok"
        result = filelock.DocumentLock(doc).acquire()
        assert not result.acquired and result.holder.pid == proc.pid
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    lock = filelock.DocumentLock(doc)
    assert lock.acquire().acquired
    lock.release()


def test_failed_first_save_says_nothing_was_written(tmp_path, monkeypatch):
    target = tmp_path / "nouveau.json"
    monkeypatch.setattr(os, "replace", _fail_with(errno.ENOSPC))
    with pytest.raises(SaveError) as caught:
        atomic_write(target, NEW)
    monkeypatch.undo()
    message = str(caught.value)
    assert "le disque est plein" in message and "Aucun fichier n’a été écrit" in message
    assert "précédent" not in message
    assert not target.exists() and list(tmp_path.iterdir()) == []
