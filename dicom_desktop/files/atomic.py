"""Atomic writes: a crash, a full disk or a power cut leaves the old file or the new one, whole.

Used by every writer of user data (the organisation file, recovery snapshots, lock files,
exports written through :func:`dicom_desktop.files.outputs.write_output`): a temporary file in
the same folder, fsync, one rename, fsync of the folder, and the previous version kept as
``FILE.bak``.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
import time
from pathlib import Path

from dicom_desktop.errors import SaveError, os_reason


def backup_path(path: str | os.PathLike) -> Path:
    """Where the previous version of ``path`` is kept: ``FILE.json.bak`` beside it."""
    p = Path(path)
    return p.with_name(p.name + ".bak")


def atomic_write(path: str | os.PathLike, content: bytes, *, backup: bool = True, mode: int | None = None) -> None:
    """Replace ``path`` by ``content`` so that a crash leaves either the old or the new file, whole.

    Steps: temporary file in the same folder (same permissions as the file it replaces), write,
    fsync, then the previous version is hard-linked aside, one ``os.replace`` puts the new file in
    place, the aside link becomes ``FILE.bak`` and the folder is fsynced. On any failure the old
    file *and* the old ``.bak`` are untouched, no temporary file is left, and a SaveError in French
    says why. A symbolic link is followed: the file it points to is replaced, the link kept.
    ``mode`` forces the permissions (e.g. 0o600 for private recovery files).
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    tmp_name: str | None = None
    staged_backup: Path | None = None
    try:
        try:
            current = os.stat(target)
        except FileNotFoundError:
            current = None
        if current is not None and stat.S_ISDIR(current.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            _match_permissions(fd, current, mode)
            view = memoryview(content)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup and current is not None:
            staged_backup = _stage_backup(target, folder)
        os.replace(tmp_name, target)
        tmp_name = None
        if staged_backup is not None:
            try:
                os.replace(staged_backup, backup_path(target))
            except OSError:
                pass  # the save itself succeeded; the older .bak stays
            # A concurrent save may have made FILE.bak a hard link of this very inode: rename()
            # onto the same file then does nothing and leaves the staged name; ``finally``
            # removes it (after a real rename the name is gone and unlink() fails quietly).
        _fsync_dir(folder)
    except OSError as exc:
        raise SaveError(_save_reason(Path(path), exc), os_reason(exc, writing=True)) from None
    except ValueError:  # a NUL character in the path
        raise SaveError(f"Impossible d’enregistrer « {path} » : chemin de fichier invalide.", "chemin de fichier invalide") from None
    finally:
        for leftover in (tmp_name, staged_backup):
            if leftover is not None:
                try:
                    os.unlink(leftover)
                except OSError:
                    pass
    _remove_stale_temps(folder, target.name)


def _match_permissions(fd: int, current: os.stat_result | None, mode: int | None = None) -> None:
    """mkstemp makes 0600 files: give the new file the old one's mode (or the umask's default)."""
    if mode is None:
        mode = stat.S_IMODE(current.st_mode) if current is not None else new_file_mode()
    os.fchmod(fd, mode)
    if current is not None and hasattr(os, "fchown"):
        try:
            os.fchown(fd, current.st_uid, current.st_gid)
        except OSError:
            pass  # only root may give a file away; ours is then owned by us, like any new file


def new_file_mode() -> int:
    """The mode a new file gets from the umask (mkstemp makes 0600; shared documents want more)."""
    return 0o666 & ~_umask()


def _umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stage_backup(target: Path, folder: Path) -> Path | None:
    """A second name for the current file, to become FILE.bak once the new file is in place.

    A hard link costs nothing and is the very same bytes; where links are impossible (some network
    or FAT file systems) a copy is made and fsynced. Returns None if neither works: a backup that
    cannot be written must not block the save itself.
    """
    staged = folder / f".{target.name}.bak-{os.getpid()}-{os.urandom(4).hex()}.tmp"
    try:
        os.link(target, staged)
        return staged
    except OSError:
        pass
    try:
        with open(target, "rb") as source, open(staged, "xb") as copy:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
            copy.flush()
            os.fsync(copy.fileno())
        return staged
    except OSError:
        try:
            os.unlink(staged)
        except OSError:
            pass
        return None


_STALE_TEMP_SECONDS = 3600


def _remove_stale_temps(folder: Path, name: str) -> None:
    """Temporary files left by a save that was killed (power cut…) more than an hour ago."""
    now = time.time()
    try:
        candidates = list(folder.glob(f".{glob.escape(name)}.*.tmp"))
    except OSError:
        return
    for candidate in candidates:
        try:
            if now - candidate.lstat().st_mtime > _STALE_TEMP_SECONDS:
                candidate.unlink()
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (the folder's entry), where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _save_reason(target: Path, exc: OSError) -> str:
    reason = os_reason(exc, writing=True)
    try:
        existed = target.is_file()
    except OSError:
        existed = False
    outcome = "Le fichier précédent est intact." if existed else "Aucun fichier n’a été écrit."
    return f"Impossible d’enregistrer « {target} » : {reason}. {outcome}"
