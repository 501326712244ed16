"""Lock files: two windows never overwrite each other's work; a dead process's lock is stale."""


import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dicom_desktop.files import filelock

from .test_storage import OLD


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
        "import sys, time; from dicom_desktop.files.filelock import DocumentLock; "
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
