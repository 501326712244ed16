"""Recovery snapshots: autosaves written atomically, found after a crash, restored or discarded."""


import errno
import os
import subprocess
import sys
from pathlib import Path

from dicom_desktop.files import recovery
from dicom_desktop.document import Document
from dicom_desktop.operations import UpdateEntity

from .test_storage import _fail_with, _listing
from .conftest import DICOM_FILE


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
        "import sys; from pathlib import Path; from dicom_desktop.files import recovery; "
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
