"""A lock file beside an open document, so that a second window opens it read-only.

Why not QLockFile: the lock must be understood by the editor *and* by headless tools (and
tests) without Qt, and the editor needs to tell the user *who* holds the file. Use this module in
the editor too (never mix it with QLockFile: their file formats differ).

The lock of ``/dossier/organigramme.json`` is ``/dossier/.~organigramme.json.lock`` (the
LibreOffice convention, hidden on Linux and macOS), a small JSON file holding the pid, host name,
user, process start time and lock time. It is created atomically (written to a temporary file, then
hard-linked to its final name, which fails if a lock exists), so nobody ever reads half a lock.

A lock is stale, and cleared on the next attempt, when its process is gone:

- on this host: the pid no longer runs, or now belongs to another program (its start time
  differs: pids get reused after a reboot or a long uptime);
- on another host (a shared network folder): its owner has not refreshed it for ``stale_after``
  (15 minutes by default). The editor calls :meth:`DocumentLock.refresh` every minute, from the
  autosave timer, so a live lock is never that old.

Typical use in the editor::

    lock = DocumentLock(path)
    result = lock.acquire()
    if not result.acquired and result.holder is not None:
        # show result.message() and open read-only, unless the user insists:
        result = lock.acquire(force=True)
    ...
    lock.refresh()   # each minute
    lock.release()   # when the document is closed (also done at exit by atexit)
"""

from __future__ import annotations

import atexit
import datetime as _dt
import getpass
import json
import os
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from dicom_desktop.wording import date_time

LOCK_FORMAT = 1
DEFAULT_STALE_AFTER = 15 * 60  # seconds without refresh, for a lock held from another host
MAX_LOCK_BYTES = 64 * 1024  # a real lock is ~250 bytes
MAX_PID = 2**31 - 1  # pid_t is a signed 32-bit integer: os.kill() overflows beyond


def lock_path_for(document: str | os.PathLike) -> Path:
    """``/dossier/FICHIER.json`` → ``/dossier/.~FICHIER.json.lock``."""
    p = Path(os.path.abspath(document))
    return p.with_name(f".~{p.name}.lock")


@dataclass(frozen=True)
class LockInfo:
    """Who holds a document: enough to tell the user, and to decide whether the lock is stale."""

    pid: int
    hostname: str
    user: str
    started_at: str  # ISO 8601, local time with offset: when the lock was taken
    process_start: str = ""  # opaque start-time token of the process (Linux), "" if unknown
    token: str = ""  # random: tells our own lock from one that replaced it
    format: int = LOCK_FORMAT

    def started(self) -> _dt.datetime | None:
        try:
            return _dt.datetime.fromisoformat(self.started_at)
        except ValueError:
            return None

    def describe(self) -> str:
        """« par marie sur le poste pc-dicom-12 (processus 4242), depuis le 25/11/2026 à 15:42 »."""
        when = self.started()
        since = f", depuis le {date_time(when)}" if when else ""
        where = "sur ce poste" if self.hostname == socket.gethostname() else f"sur le poste {self.hostname}"
        return f"par {self.user or 'un utilisateur inconnu'} {where} (processus {self.pid}){since}"


#: What an unreadable lock (garbage, a directory, a FIFO, a 1 Go file…) reads as: a dead owner.
UNREADABLE_LOCK = LockInfo(pid=0, hostname="", user="", started_at="")


@dataclass(frozen=True)
class LockResult:
    """The outcome of :meth:`DocumentLock.acquire`."""

    acquired: bool
    holder: LockInfo | None = None  # the other process, when it holds the lock
    error: str = ""  # why no lock could be taken at all (read-only folder…): open normally
    document: Path | None = None

    def message(self) -> str:
        """The French warning the editor shows when another window has the file open."""
        name = f"« {self.document.name} »" if self.document else "Ce fichier"
        if self.holder is not None:
            return (
                f"{name} est déjà ouvert dans une autre fenêtre de dicom-desktop, {self.holder.describe()}. "
                "Il est ouvert en lecture seule pour ne pas écraser les modifications de l’autre fenêtre. "
                "Vous pouvez tout de même le modifier si vous êtes sûr que l’autre fenêtre est fermée."
            )
        if self.error:
            return f"{name} n’a pas pu être verrouillé ({self.error}) : veillez à ne pas l’ouvrir deux fois."
        return ""


def _process_start(pid: int) -> str:
    """The kernel's start time of ``pid`` (field 22 of /proc/PID/stat), "" where unavailable."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
        return raw.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _pid_alive(pid: int) -> bool:
    if pid <= 0 or pid > MAX_PID:
        return False  # not a pid this system can have (garbage or a lock from elsewhere)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError, ValueError):
        return False
    except PermissionError:
        return True  # it exists, it is someone else's
    except OSError:
        return True  # cannot tell: assume alive (the safe side)
    return True


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return ""


def _own_info() -> LockInfo:
    return LockInfo(
        pid=os.getpid(),
        hostname=socket.gethostname(),
        user=_user(),
        started_at=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        process_start=_process_start(os.getpid()),
        token=os.urandom(8).hex(),
    )


def read_lock(lock_path: str | os.PathLike) -> LockInfo | None:
    """The lock's content; None if there is no lock. An unreadable lock reads as a dead owner."""
    from dicom_desktop.errors import InputFileError
    from dicom_desktop.files.inputs import read_bounded

    try:
        os.lstat(lock_path)
    except FileNotFoundError:
        return None
    except OSError:
        return UNREADABLE_LOCK
    try:
        # Bounded and never blocking: a lock file that is a FIFO, a device, a directory or a
        # huge file reads as garbage, i.e. a stale lock, never as a hang or a crash.
        raw = read_bounded(lock_path, MAX_LOCK_BYTES)
    except InputFileError:
        return None if not os.path.lexists(lock_path) else UNREADABLE_LOCK
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockInfo(
            pid=int(data["pid"]),
            hostname=str(data["hostname"]),
            user=str(data.get("user", "")),
            started_at=str(data.get("started_at", "")),
            process_start=str(data.get("process_start", "")),
            token=str(data.get("token", "")),
            format=int(data.get("format", LOCK_FORMAT)),
        )
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError):
        return UNREADABLE_LOCK  # garbage: stale


def is_stale(info: LockInfo, lock_path: str | os.PathLike, *, stale_after: float = DEFAULT_STALE_AFTER, now: float | None = None) -> bool:
    """True when the process that took the lock can no longer be using the document."""
    if info.pid <= 0 or not info.hostname:
        return True
    if info.hostname == socket.gethostname():
        if not _pid_alive(info.pid):
            return True
        current = _process_start(info.pid)
        return bool(info.process_start and current and current != info.process_start)
    try:
        age = (time.time() if now is None else now) - os.stat(lock_path).st_mtime
    except OSError:
        return True
    return age > stale_after


class DocumentLock:
    """The lock of one document, held by this process from acquire() to release()."""

    def __init__(self, document: str | os.PathLike, *, stale_after: float = DEFAULT_STALE_AFTER) -> None:
        self.document = Path(os.path.abspath(document))
        self.path = lock_path_for(document)
        self.stale_after = stale_after
        self._mine: LockInfo | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock (and nobody forcibly took it over)."""
        return self._mine is not None and read_lock(self.path) == self._mine

    def holder(self) -> LockInfo | None:
        """The current, live holder (another process or us); None if free or stale."""
        info = read_lock(self.path)
        if info is None or is_stale(info, self.path, stale_after=self.stale_after):
            return None
        return info

    def acquire(self, *, force: bool = False) -> LockResult:
        """Take the lock. Clears a stale lock first. ``force`` takes it over from a live holder
        (the user insisted); the other window then finds, on release, that it is no longer its own.
        """
        if self.held:
            return LockResult(True, document=self.document)
        mine = _own_info()
        for _attempt in range(3):
            try:
                if self._create(mine):
                    self._mine = mine
                    atexit.register(self.release)
                    return LockResult(True, document=self.document)
            except OSError as exc:
                return LockResult(False, error=_lock_error(exc), document=self.document)
            info = read_lock(self.path)
            if info is None:
                continue  # released meanwhile: try again
            if force or is_stale(info, self.path, stale_after=self.stale_after):
                self._remove_if_unchanged(info)
                continue
            return LockResult(False, holder=info, document=self.document)
        info = read_lock(self.path)
        return LockResult(False, holder=info, error="" if info else "verrou disputé", document=self.document)

    def refresh(self) -> bool:
        """Touch the lock so that other hosts see it alive; False if we no longer hold it."""
        if not self.held:
            return False
        try:
            os.utime(self.path)
        except OSError:
            return False
        return True

    def release(self) -> None:
        """Remove the lock if it is still ours (never someone else's that replaced it)."""
        if self._mine is None:
            return
        if read_lock(self.path) == self._mine:
            try:
                os.unlink(self.path)
            except OSError:
                pass
        self._mine = None
        try:
            atexit.unregister(self.release)
        except Exception:  # noqa: BLE001
            pass

    def __enter__(self) -> "DocumentLock":
        result = self.acquire()
        if not result.acquired:
            from dicom_desktop.errors import DicomError

            raise DicomError(result.message())
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    # ------------------------------------------------------------------ internals
    def _create(self, info: LockInfo) -> bool:
        """Write the lock under a temporary name, then link it into place: all or nothing."""
        tmp = self.path.with_name(f"{self.path.name}.{info.token}.tmp")
        try:
            with open(tmp, "x", encoding="utf-8") as handle:
                json.dump(asdict(info), handle, ensure_ascii=False)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:
                # No hard links here (some network file systems): exclusive create instead.
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(asdict(info), handle, ensure_ascii=False)
            return True
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _remove_if_unchanged(self, seen: LockInfo) -> None:
        """Remove a stale lock, but not a fresh one another process put there in the meantime.

        The lock is first renamed to a private name (atomic); if what was moved aside is not the
        lock we judged stale, it is put back (with link, which never overwrites).
        """
        aside = self.path.with_name(f"{self.path.name}.{os.getpid()}-{os.urandom(4).hex()}.stale")
        try:
            os.replace(self.path, aside)
        except OSError:
            return
        try:
            if read_lock(aside) != seen:
                try:
                    os.link(aside, self.path)
                except OSError:
                    pass
        finally:
            try:
                os.unlink(aside)
            except IsADirectoryError:
                try:
                    os.rmdir(aside)  # an empty directory where the lock should be
                except OSError:
                    pass
            except OSError:
                pass


def _lock_error(exc: OSError) -> str:
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "dossier en lecture seule"
    if exc.errno == errno.ENOENT:
        return "dossier introuvable"
    from dicom_desktop.errors import os_reason

    return os_reason(exc)
