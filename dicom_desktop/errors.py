"""Typed errors carrying French messages a secretary can act on.

Every error that can reach a user names the problem *and* the place (file, JSON line and
column, entity id, field). The command line prints ``str(error)`` and exits with code 2;
the editor shows the same text in a dialog. No traceback ever reaches the user.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        lines = [f"{head} ({len(self.problems)} problème{'s' if len(self.problems) > 1 else ''}) :"]
        lines += [f"  – {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  … et {len(self.problems) - len(shown)} autre(s) problème(s).")
        return "\n".join(lines)


class OrganisationInvalid(DicomError):
    """An organisation (already parsed) that breaks an invariant: ids, parents, roots, cycles, links."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class EditRefused(DicomError):
    """An edit the model refuses before changing anything (e.g. moving an entity under itself)."""


class SaveError(DicomError):
    """A save that failed; the previous file on disk is intact."""
