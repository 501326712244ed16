"""Autosave snapshots and crash recovery, without Qt.

Unsaved changes are written every minute (``DEFAULT_AUTOSAVE_SECONDS``, configurable) to a
*recovery file* in the user's data folder — never over the user's own file. After a crash the
next start lists the recovery files left by dead processes (:func:`find_recoveries`), with their
date, and offers to restore (:func:`restore`) or discard (:func:`discard`) each one. A clean exit
removes the snapshot (:meth:`Autosaver.close`).

The editor passes ``QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)`` as
``data_dir``; snapshots go to ``data_dir/recovery/`` (folder private to the user, files 0600).

A recovery file is one JSON object, written atomically (files.atomic.atomic_write)::

    {"dicom_desktop_recovery": 1, "original_path": "/…/organigramme.json" or null,
     "saved_at": "2026-11-25T15:42:10+01:00", "pid": 4242, "hostname": "…", "user": "…",
     "process_start": "…", "document": { …the organisation file, canonical… }}

so the metadata and the document can never disagree. Each process writes its own files (the pid
is in the name): two windows never overwrite each other's snapshots, and a snapshot whose process
is still running is not offered for recovery by another window.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from dicom_desktop.errors import DicomError, OrganisationFileError, SaveError, os_reason
from dicom_desktop.files.filelock import DEFAULT_STALE_AFTER, LockInfo, _process_start, _user, is_stale
from dicom_desktop.model import OrganisationFile
from dicom_desktop.files.inputs import read_bounded
from dicom_desktop.files.atomic import atomic_write
from dicom_desktop.files.storage import MAX_FILE_BYTES, LoadedFile, check_organisation_object, decode_json, dump_organisation
from dicom_desktop.wording import date_time, plural

T = TypeVar("T")

RECOVERY_FORMAT = 1
RECOVERY_SUBDIR = "recovery"
RECOVERY_SUFFIX = ".recovery.json"
DEFAULT_AUTOSAVE_SECONDS = 60
_SAFE = re.compile(r"[^0-9A-Za-zÀ-ÿ._-]+")


def recovery_dir(data_dir: str | os.PathLike) -> Path:
    return Path(data_dir) / RECOVERY_SUBDIR


def recovery_path_for(document_path: str | os.PathLike | None, data_dir: str | os.PathLike, *, instance: str = "") -> Path:
    """Where this process autosaves ``document_path`` (None for an untitled document).

    ``organigramme-3f2a9c0d1b7e-4242.recovery.json``: readable stem, hash of the absolute path (two
    files with the same name in different folders never collide), pid of this process. ``instance``
    tells apart several untitled windows of one process.
    """
    suffix = f"-{os.getpid()}" + (f"-{_SAFE.sub('_', instance)}" if instance else "")
    if document_path is None:
        stem = "sans-titre"
    else:
        absolute = os.path.abspath(document_path)
        digest = hashlib.sha1(absolute.encode("utf-8", "surrogateescape")).hexdigest()[:12]
        stem = f"{_SAFE.sub('_', Path(absolute).stem)[:60] or 'document'}-{digest}"
    return recovery_dir(data_dir) / f"{stem}{suffix}{RECOVERY_SUFFIX}"


@dataclass(frozen=True)
class RecoveryInfo:
    """One recovery file found on disk, described for the « Récupération » dialog."""

    path: Path
    original_path: Path | None
    saved_at: _dt.datetime | None
    pid: int = 0
    hostname: str = ""
    organisation_name: str = ""
    entity_count: int = 0
    error: str = ""  # non-empty: the snapshot is damaged and can only be discarded

    def title(self) -> str:
        return f"« {self.original_path.name} »" if self.original_path else "Document sans titre"

    def describe(self) -> str:
        """« « organigramme.json » — modifications non enregistrées du 25/11/2026 à 15:42 (12 entités) »."""
        if self.error:
            return f"{self.title()} — copie de secours illisible : {self.error}"
        when = f" du {date_time(self.saved_at)}" if self.saved_at else ""
        count = f" ({plural(self.entity_count, 'entité')})" if self.entity_count else ""
        return f"{self.title()} — modifications non enregistrées{when}{count}"


# ---------------------------------------------------------------------------- writing
def snapshot_bytes(document: bytes, original_path: str | os.PathLike | None, *, saved_at: _dt.datetime | None = None) -> bytes:
    """The recovery file's content around the canonical bytes of a document."""
    now = (saved_at or _dt.datetime.now()).astimezone()
    meta = {
        "dicom_desktop_recovery": RECOVERY_FORMAT,
        "original_path": os.path.abspath(original_path) if original_path is not None else None,
        "saved_at": now.isoformat(timespec="seconds"),
        "pid": os.getpid(),
        "hostname": socket.gethostname(),
        "user": _user(),
        "process_start": _process_start(os.getpid()),
    }
    head = json.dumps(meta, ensure_ascii=False, indent=2)[:-2]  # drop the closing "\n}"
    return head.encode("utf-8") + b',\n  "document": ' + document.rstrip(b"\n") + b"\n}\n"


def write_recovery(
    data_dir: str | os.PathLike,
    data: OrganisationFile | bytes,
    original_path: str | os.PathLike | None,
    *,
    path: str | os.PathLike | None = None,
) -> Path:
    """Write a snapshot atomically (never touching the user's file); returns its path.

    ``data`` is the document (or its canonical bytes, from storage.dump_organisation).
    Raises SaveError in French (disk full…): the previous snapshot is then intact.
    """
    target = Path(path) if path is not None else recovery_path_for(original_path, data_dir)
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"Impossible de créer le dossier de récupération « {target.parent} » : {os_reason(exc)}.") from None
    document = data if isinstance(data, bytes) else dump_organisation(data)
    atomic_write(target, snapshot_bytes(document, original_path), backup=False, mode=0o600)
    return target


# ---------------------------------------------------------------------------- reading
def read_recovery(path: str | os.PathLike) -> tuple[RecoveryInfo, LoadedFile]:
    """Read and fully check a snapshot; raises OrganisationFileError (French) if it is damaged."""
    p = Path(path)
    obj = decode_json(read_bounded(p, MAX_FILE_BYTES, OrganisationFileError), p)
    if not isinstance(obj, dict) or obj.get("dicom_desktop_recovery") != RECOVERY_FORMAT or "document" not in obj:
        raise OrganisationFileError(p, "ce n’est pas une copie de secours de dicom-desktop")
    loaded = check_organisation_object(obj["document"], p)
    return _info(p, obj, loaded), loaded


def _info(path: Path, obj: dict, loaded: LoadedFile | None, error: str = "") -> RecoveryInfo:
    original = obj.get("original_path")
    saved_at: _dt.datetime | None
    try:
        saved_at = _dt.datetime.fromisoformat(obj["saved_at"])
    except (KeyError, TypeError, ValueError):
        saved_at = _mtime(path)
    return RecoveryInfo(
        path=path,
        original_path=Path(original) if isinstance(original, str) else None,
        saved_at=saved_at,
        pid=_value(obj, "pid", 0),
        hostname=_value(obj, "hostname", ""),
        organisation_name=loaded.data.organisation.name if loaded else "",
        entity_count=len(loaded.data.entities) if loaded else 0,
        error=error,
    )


def _value(obj: dict, key: str, default: T) -> T:
    """``obj[key]`` when it has the type of ``default`` (a snapshot is input: anything may be there)."""
    value = obj.get(key)
    return value if isinstance(value, type(default)) else default


def _mtime(path: Path) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    except OSError:
        return None


def _owner_alive(path: Path, obj: dict) -> bool:
    """Is the process that wrote this snapshot still running (so it is not ours to recover)?"""
    owner = LockInfo(
        pid=_value(obj, "pid", 0),
        hostname=_value(obj, "hostname", ""),
        user="",
        started_at="",
        process_start=_value(obj, "process_start", ""),
    )
    return not is_stale(owner, path, stale_after=DEFAULT_STALE_AFTER)


def find_recoveries(data_dir: str | os.PathLike, *, include_live: bool = False) -> list[RecoveryInfo]:
    """Snapshots left by processes that are gone (crash, power cut), newest first.

    Damaged snapshots are listed too, with ``error`` set, so that the user can discard them.
    Snapshots of windows still open (this process or another running instance) are skipped unless
    ``include_live``.
    """
    folder = recovery_dir(data_dir)
    try:
        candidates = sorted(folder.glob(f"*{RECOVERY_SUFFIX}"))
    except OSError:
        return []
    found = []
    for path in candidates:
        if path.name.startswith("."):
            continue  # a temporary file of atomic_write
        try:
            # Bounded, never blocking: the folder is input too (a FIFO or a link to /dev/zero
            # there must not freeze or kill the editor's start-up).
            obj = decode_json(read_bounded(path, MAX_FILE_BYTES, OrganisationFileError), path)
        except (OrganisationFileError, OSError) as exc:
            found.append(RecoveryInfo(path, None, _mtime(path), error=_short_error(exc)))
            continue
        if not isinstance(obj, dict):
            found.append(RecoveryInfo(path, None, _mtime(path), error="contenu inattendu"))
            continue
        if not include_live and _owner_alive(path, obj):
            continue
        try:
            loaded = check_organisation_object(obj.get("document"), path)
        except OrganisationFileError as exc:
            found.append(_info(path, obj, None, error=_short_error(exc)))
            continue
        found.append(_info(path, obj, loaded))
    epoch = _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)
    return sorted(found, key=lambda info: info.saved_at or epoch, reverse=True)


def _short_error(exc: Exception) -> str:
    if isinstance(exc, OrganisationFileError) and exc.problems:
        return str(exc.problems[0])
    return str(exc)


def restore(recovery: RecoveryInfo | str | os.PathLike):
    """The recovered document, marked modified, pointing at its original file (not saved yet).

    The recovery file stays until the user saves or discards: hand it to
    :meth:`Autosaver.adopt` so that the next autosave replaces it and a clean exit removes it.
    """
    from dicom_desktop.document import Document

    path = recovery.path if isinstance(recovery, RecoveryInfo) else Path(recovery)
    info, loaded = read_recovery(path)
    doc = Document.from_file_model(loaded.data, info.original_path, loaded.warnings)
    doc.modified = True
    return doc


def discard(recovery: RecoveryInfo | str | os.PathLike) -> None:
    """Delete a snapshot (the user chose « Ignorer »). Missing already: nothing to do."""
    path = recovery.path if isinstance(recovery, RecoveryInfo) else Path(recovery)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise DicomError(f"Impossible de supprimer la copie de secours « {path} » : {os_reason(exc)}.") from None


# ---------------------------------------------------------------------------- the editor's helper
def _document_bytes(doc) -> bytes:
    """A document's canonical bytes: written straight from its records when it can (Document)."""
    file_bytes = getattr(doc, "file_bytes", None)
    return file_bytes() if callable(file_bytes) else dump_organisation(doc.to_file_model())


class Autosaver:
    """What the editor's QTimer calls: one per open document window.

    ``autosave(doc)`` every ``interval`` seconds writes a snapshot if the document has unsaved
    changes; ``document_saved(doc)`` after a successful save drops it (the user's file is now the
    truth); ``close()`` on a clean exit removes it. A failing autosave never interrupts the user:
    it returns the French reason, for the status bar.
    """

    def __init__(self, data_dir: str | os.PathLike, *, interval: float = DEFAULT_AUTOSAVE_SECONDS, instance: str = "") -> None:
        self.data_dir = Path(data_dir)
        self.interval = interval
        self.instance = instance
        self.current: Path | None = None  # the snapshot this window owns, if any
        self.last_error = ""

    def autosave(self, doc) -> Path | None:
        """Snapshot ``doc`` if it is modified; returns the snapshot path, None if nothing written."""
        if not getattr(doc, "modified", False):
            return None
        target = recovery_path_for(doc.path, self.data_dir, instance=self.instance)
        try:
            write_recovery(self.data_dir, _document_bytes(doc), doc.path, path=target)
        except (SaveError, OSError) as exc:
            self.last_error = str(exc)
            return None
        self.last_error = ""
        if self.current is not None and self.current != target:
            self._remove(self.current)  # the document was renamed (Enregistrer sous…)
        self.current = target
        return target

    def adopt(self, recovery: RecoveryInfo | str | os.PathLike) -> None:
        """Take over a restored snapshot: removed by the next save, replaced by the next autosave."""
        old = recovery.path if isinstance(recovery, RecoveryInfo) else Path(recovery)
        if self.current is not None and self.current != old:
            self._remove(self.current)
        self.current = old

    def document_saved(self, doc=None) -> None:
        """The user's file now holds everything: the snapshot is no longer needed."""
        self.close()

    def close(self) -> None:
        """Clean exit (or document closed without crash): remove this window's snapshot."""
        if self.current is not None:
            self._remove(self.current)
            self.current = None

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass
