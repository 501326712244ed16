"""Typed errors carrying French messages a secretary can act on.

Every error that can reach a user names the problem *and* the place (file, JSON line and
column, entity id, field). The command line prints ``str(error)`` and exits with code 2;
the editor shows the same text in a dialog. No traceback ever reaches the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from dicom_desktop.wording import plural


@dataclass(frozen=True)
class Problem:
    """One problem found in a file or an edit, with where it is."""

    message: str
    entity_id: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None

    def where(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"ligne {self.line}" + (f", colonne {self.column}" if self.column else ""))
        if self.entity_id is not None:
            parts.append(f"entité « {self.entity_id} »")
        if self.field is not None:
            parts.append(f"champ « {self.field} »")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where} : {self.message}" if where else self.message


class DicomError(Exception):
    """Base class of every error the user may see."""


class OrganisationFileError(DicomError):
    """A file that cannot be read as an organisation (I/O, encoding, JSON syntax, schema)."""

    def __init__(self, path: object, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.path = str(path) if path is not None else None
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        head = f"Fichier « {self.path} » invalide" if self.path else "Organisation invalide"
        shown = self.problems[:20]
        lines = [f"{head} ({plural(len(self.problems), 'problème')}) :"]
        lines += [f"  – {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  … et {plural(len(self.problems) - len(shown), 'autre problème', 'autres problèmes')}.")
        return "\n".join(lines)


class OrganisationInvalid(DicomError):
    """An organisation (already parsed) that breaks an invariant: ids, parents, roots, cycles, links."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class EditRefused(DicomError):
    """An edit the model refuses before changing anything (e.g. moving an entity under itself)."""


class SaveError(DicomError):
    """A save that failed; the previous file on disk is intact. ``reason``: the French cause alone."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message


# ------------------------------------------------------------------------ OS errors in French
# The one errno → French table: every message about a file system failure goes through
# os_reason(), so that no « Read-only file system » or « Too many levels of symbolic links »
# reaches a user in English.
_ERRNO_FRENCH = {
    "ENOENT": "fichier ou dossier introuvable",
    "ENOTDIR": "un élément du chemin n’est pas un dossier",
    "EISDIR": "c’est un dossier, pas un fichier",
    "EACCES": "accès refusé (droits insuffisants)",
    "EPERM": "opération refusée (droits insuffisants)",
    "EROFS": "le disque est en lecture seule",
    "ENOSPC": "disque plein",
    "EDQUOT": "quota disque dépassé",
    "EIO": "erreur d’entrée-sortie (disque ou réseau défaillant)",
    "ENAMETOOLONG": "le nom du fichier est trop long",
    "ELOOP": "trop de liens symboliques (boucle de liens ?)",
    "EBUSY": "périphérique ou ressource occupé",
    "ETXTBSY": "fichier occupé par un programme",
    "EEXIST": "le fichier existe déjà",
    "EXDEV": "déplacement impossible entre deux disques",
    "EFBIG": "fichier trop volumineux pour ce disque",
    "EMFILE": "trop de fichiers ouverts",
    "ENFILE": "trop de fichiers ouverts sur le système",
    "ENXIO": "périphérique absent ou tube sans lecteur",
    "ENODEV": "périphérique absent",
    "EAGAIN": "ressource momentanément indisponible",
    "EINVAL": "opération invalide sur ce fichier",
    "ENOTEMPTY": "le dossier n’est pas vide",
    "ESTALE": "fichier réseau périmé (reconnectez le partage)",
    "ETIMEDOUT": "délai dépassé (réseau ?)",
    "EPIPE": "tube fermé par le programme lecteur",
    "ENOMEM": "mémoire insuffisante",
}


# While writing a file, some causes read better said from the writer's side.
_ERRNO_FRENCH_WRITING = {
    "ENOSPC": "le disque est plein",
    "EACCES": "écriture refusée (accès refusé : droits insuffisants ou dossier en lecture seule)",
    "EPERM": "écriture refusée (droits insuffisants)",
    "ENOENT": "dossier introuvable — le dossier n’existe pas (ou plus)",
}


def os_reason(exc: OSError, *, writing: bool = False) -> str:
    """French words for an OSError's errno (never the English strerror when the errno is known)."""
    import errno as _errno

    table = {**_ERRNO_FRENCH, **_ERRNO_FRENCH_WRITING} if writing else _ERRNO_FRENCH
    for name, words in table.items():
        if exc.errno is not None and exc.errno == getattr(_errno, name, None):
            return words
    return f"erreur système {exc.errno}" if exc.errno else "erreur système"


def os_error_message(exc: OSError, path: object = None) -> str:
    """« « FICHIER » : raison » — the file named by the error (or ``path``) and the French reason."""
    name = path if path is not None else (exc.filename if exc.filename is not None else None)
    return f"« {name} » : {os_reason(exc)}" if name is not None else os_reason(exc)


class InputFileError(DicomError):
    """An input file refused before (or while) reading it: missing, not a regular file, too big…"""

    def __init__(self, path: object, reason: str):
        self.path = None if path is None else str(path)
        self.reason = reason
        super().__init__(f"Lecture de « {self.path} » impossible : {reason}" if self.path else reason)


class OutputRefused(DicomError):
    """An export whose output path would overwrite something it must not (the input, an organisation file)."""
