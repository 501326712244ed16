"""Saving never loses the user's work: atomic saves, backups, reading limits, schema versions.

(Recovery snapshots: tests/test_recovery.py; lock files: tests/test_filelock.py.)

Failures are simulated by making os calls raise (tests run as root in CI, where chmod-based
read-only folders do not fail), by removing folders, and with real processes that die.
"""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import pytest

from dicom_desktop.files import storage
from dicom_desktop.document import Document
from dicom_desktop.errors import OrganisationFileError, SaveError
from dicom_desktop.operations import UpdateEntity
from dicom_desktop.files.atomic import atomic_write, backup_path
from dicom_desktop.files.storage import (
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
