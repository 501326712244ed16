"""Where an export may write: never over its input, the open document or any organisation file.

Every exporter (``export-pdf``, ``screenshot``, ``export-image``, ``export-sheet``, ``import``, the
editor's export dialogs) writes through :func:`write_output`, or checks its path with
:func:`check_output` first when a library writes the file. The output path is resolved the way
the system will (symbolic links, ``..``) and compared by device and inode with the inputs, so a
hard link is caught as well. An existing file that *is* an organisation file is refused too:
only « Enregistrer » writes organisation files (``storage.save_organisation``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from dicom_desktop.errors import OutputRefused, os_error_message
from dicom_desktop.files.inputs import kind_of

_SNIFF_BYTES = 4096


def looks_like_organisation(path: str | os.PathLike) -> bool:
    """An organisation file (or a recovery snapshot): a JSON object that declares ``schema_version``.

    Only the first 4 Kio of a regular file are read (the canonical file starts with the key).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, _SNIFF_BYTES)
    except OSError:
        return False
    finally:
        os.close(fd)
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"{") and (b'"schema_version"' in head or b'"dicom_desktop_recovery"' in head)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_output(out: str | os.PathLike, *, inputs: Iterable[str | os.PathLike | None] = (),
                 allow_organisation: bool = False) -> Path:
    """Refuse (OutputRefused, French) an output that would destroy an input or an organisation file.

    ``inputs``: the files read by the command, and in the editor the open document's file.
    ``allow_organisation``: for ``import``, whose output *is* a new organisation file (it still
    may not replace an existing one). Returns the path unchanged.
    """
    path = Path(out)
    try:
        target = os.stat(path)
    except FileNotFoundError:
        target = None
    except (OSError, ValueError):  # a link loop, a component that is a file…: the writer says it in French
        return path
    if target is None:
        # A dangling symbolic link: writing would create the file it points to; refuse nothing
        # here unless it points to an input by name (the input is then missing, not at risk).
        return path
    if stat.S_ISDIR(target.st_mode):
        raise OutputRefused(f"Sortie « {path} » : c’est un dossier ; indiquez un nom de fichier.")
    if not stat.S_ISREG(target.st_mode):
        raise OutputRefused(f"Sortie « {path} » : {kind_of(target.st_mode)} ; indiquez un fichier ordinaire.")
    for source in inputs:
        if source is None:
            continue
        try:
            if _same_file(target, os.stat(source)):
                how = "" if os.path.abspath(path) == os.path.abspath(source) else " (par un lien ou un autre chemin)"
                raise OutputRefused(
                    f"Sortie « {path} » refusée : c’est le fichier d’entrée « {source} »{how}. "
                    "L’exporter à sa place le détruirait ; choisissez un autre nom de fichier.")
        except OSError:
            continue
    if looks_like_organisation(path):
        only = "un nouveau fichier" if allow_organisation else "un export"
        raise OutputRefused(
            f"Sortie « {path} » refusée : c’est un fichier d’organisation, {only} ne le remplace pas "
            "(seul « Enregistrer » écrit les fichiers d’organisation) ; choisissez un autre nom de fichier.")
    return path


def write_output(out: str | os.PathLike, content: bytes, *, inputs: Iterable[str | os.PathLike | None] = (),
                 allow_organisation: bool = False, backup: bool = False) -> Path:
    """Check ``out`` (see :func:`check_output`), then write it through the one atomic writer."""
    from dicom_desktop.files.atomic import atomic_write

    path = check_output(out, inputs=inputs, allow_organisation=allow_organisation)
    atomic_write(path, content, backup=backup)
    return path


def make_parent(out: str | os.PathLike) -> None:
    """Create the output's folder if needed; a French OutputRefused if the system refuses."""
    parent = Path(out).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputRefused(f"Impossible de créer le dossier {os_error_message(exc, parent)}.") from None


FILE_STEM_LIMIT = 60  # characters, all ASCII: far below every file system's 255-byte name limit


def file_stem(text: str, fallback: str = "organisation", limit: int = FILE_STEM_LIMIT) -> str:
    """A default file name part that is always valid: transliterated to ASCII (« Délégation » →
    « Delegation »), other characters turned into « - », at most ``limit`` characters."""
    import re
    import unicodedata

    words = re.sub(r"[^\w.]+", "-", text)  # separators first: « d’essai » → « d-essai »
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._]+", "-", ascii_text).strip("-._")
    return stem[:limit].rstrip("-._") or fallback
