"""Reading a file the user named, with limits checked before the work.

Every input (organisation file, CSV, XLSX, recovery snapshot, lock file) is read through
:func:`read_bounded`: the path must lead to a regular file — a FIFO would block forever, a
device such as ``/dev/zero`` never ends, a directory is not a document — and the file must not be
larger than the caller's limit. Both are checked on the opened descriptor, so a file swapped for a
pipe between the check and the open is refused too. Failures become :class:`InputFileError` (or
the caller's own error type) in French, naming the file and what it is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from dicom_desktop.errors import DicomError, InputFileError, os_reason

ErrorFactory = Callable[[object, str], DicomError]


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in French (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "c’est un dossier, pas un fichier"
    if stat.S_ISFIFO(mode):
        return "c’est un tube nommé (FIFO), pas un fichier ordinaire : sa lecture pourrait ne jamais finir"
    if stat.S_ISCHR(mode):
        return "c’est un périphérique (caractères, comme /dev/zero), pas un fichier ordinaire"
    if stat.S_ISBLK(mode):
        return "c’est un périphérique (disque), pas un fichier ordinaire"
    if stat.S_ISSOCK(mode):
        return "c’est une socket, pas un fichier ordinaire"
    return "ce n’est pas un fichier ordinaire"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo" if size >= 1024 * 1024 else f"{size} octets"


def too_big_reason(size: int | None, limit: int) -> str:
    found = f"{_megabytes(size)} ; " if size is not None else ""
    return f"fichier trop volumineux ({found}au plus {_megabytes(limit)})"


def check_regular(path: str | os.PathLike, error: ErrorFactory = InputFileError) -> os.stat_result:
    """stat() of a path that must be a regular file (symbolic links followed), else ``error``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise error(path, _read_reason(exc)) from None
    except ValueError:  # a NUL character in the path
        raise error(path, "chemin de fichier invalide") from None
    reason = kind_of(info.st_mode)
    if reason is not None:
        raise error(path, reason)
    return info


def read_bounded(path: str | os.PathLike, limit: int, error: ErrorFactory = InputFileError,
                 too_big: Callable[[int | None], str] | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``error(path, reason)`` otherwise.

    ``too_big(size)`` words the refusal of a file over the limit (default: size and limit in Mo).
    """
    p = Path(path)
    check_regular(p, error)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise error(p, _read_reason(exc)) from None
    try:
        info = os.fstat(fd)
        reason = kind_of(info.st_mode)
        if reason is not None:  # swapped for a pipe or a device since check_regular
            raise error(p, reason)
        if info.st_size > limit:
            raise error(p, too_big(info.st_size) if too_big else too_big_reason(info.st_size, limit))
        chunks = []
        remaining = limit + 1  # the file may have grown since fstat()
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise error(p, _read_reason(exc)) from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise error(p, too_big(None) if too_big else too_big_reason(None, limit))
    return raw


def _read_reason(exc: OSError) -> str:
    import errno

    if exc.errno in (errno.ENOENT,):
        return "fichier introuvable"
    if exc.errno == errno.EACCES:
        return "lecture refusée (droits insuffisants)"
    return f"lecture impossible ({os_reason(exc)})"
