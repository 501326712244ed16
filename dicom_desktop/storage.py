"""Reading and writing organisation files: bytes → checked model, model → bytes on disk, safely.

Reading never trusts the file: size, encoding, JSON syntax, duplicate keys, nesting depth,
schema, structure — each failure becomes an :class:`OrganisationFileError` in French naming the
place. Writing is atomic: a temporary file in the same folder, fsync, one rename, fsync of the
folder, and the previous version kept as ``FILE.bak`` — a crash leaves the old file or the new one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .errors import OrganisationFileError, Problem, SaveError
from .model import SCHEMA_VERSION, OrganisationFile
from .validation import check_structure, kind_warnings

MAX_FILE_BYTES = 200 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class LoadedFile:
    """A file that passed every check, with its non-blocking warnings (unknown kinds…)."""

    data: OrganisationFile
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None


class _DuplicateKey(ValueError):
    pass


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def decode_json(raw: bytes, path: object = None) -> object:
    """Bytes → Python objects, with French errors for every way a file can be broken."""
    if len(raw) > MAX_FILE_BYTES:
        raise OrganisationFileError(path, f"fichier trop volumineux ({len(raw) // (1024 * 1024)} Mo ; au plus {MAX_FILE_BYTES // (1024 * 1024)} Mo)")
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM):]
    if not raw.strip():
        raise OrganisationFileError(path, "le fichier est vide")
    if b"\x00" in raw[:4096] and not raw.lstrip().startswith((b"{", b"[")):
        raise OrganisationFileError(path, "ce n’est pas un fichier texte (contenu binaire) ; un fichier d’organisation JSON est attendu")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        raise OrganisationFileError(
            path,
            Problem(
                "le fichier n’est pas encodé en UTF-8 (octet 0x%02X) ; il a peut-être été enregistré en Latin-1 ou "
                "Windows-1252 : réenregistrez-le en UTF-8" % raw[exc.start],
                line=line,
                column=col,
            ),
        ) from None
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except _DuplicateKey as exc:
        raise OrganisationFileError(
            path, f"la clé « {exc.args[0]} » apparaît deux fois dans le même objet JSON ; le sens est ambigu, supprimez l’une des deux"
        ) from None
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg, exc.msg)
        if exc.pos >= len(text.rstrip()):
            reason = "le fichier s’arrête avant la fin du JSON (fichier tronqué ?)"
        raise OrganisationFileError(path, Problem(f"JSON invalide : {reason}", line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        raise OrganisationFileError(path, "JSON imbriqué trop profondément : ce n’est pas un fichier d’organisation") from None


_JSON_REASONS = {
    "Expecting value": "une valeur est attendue",
    "Expecting property name enclosed in double quotes": "un nom de champ entre guillemets droits \" est attendu",
    "Expecting ',' delimiter": "une virgule est attendue",
    "Expecting ':' delimiter": "deux-points « : » attendus",
    "Extra data": "du texte en trop après la fin du JSON",
    "Unterminated string starting at": "texte entre guillemets non terminé",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d’échappement « \\ » invalide",
    "Invalid \\uXXXX escape": "séquence « \\u » invalide",
}


_PYDANTIC_REASONS = {
    "missing": "champ obligatoire manquant",
    "string_type": "doit être un texte entre guillemets",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
    "list_type": "doit être une liste [ … ]",
    "dict_type": "doit être un objet { … }",
    "model_type": "doit être un objet { … }",
    "model_attributes_type": "doit être un objet { … }",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "date_parsing": "date invalide (format attendu AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date invalide (format attendu AAAA-MM-JJ)",
    "date_type": "date invalide (format attendu AAAA-MM-JJ)",
    "greater_than_equal": "doit être positif ou nul",
    "less_than_equal": "valeur trop grande",
}


def _problems_from_validation(exc: ValidationError, raw: object) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        entity_id, field_path = _locate(loc, raw)
        if err["type"] == "value_error":
            reason = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            reason = _PYDANTIC_REASONS.get(err["type"], f"valeur invalide ({err['msg']})")
        problems.append(Problem(reason, entity_id, field_path))
    return problems


def _locate(loc: tuple, raw: object) -> tuple[str | None, str]:
    """Turn a pydantic location into (entity id if known, readable field path)."""
    entity_id = None
    node = raw
    for i, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if i > 0 and loc[i - 1] == "entities" and isinstance(node, dict) and isinstance(node.get("id"), str):
                entity_id = node["id"]
        else:
            node = None
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    if entity_id is not None:
        # "entities[3].name" reads better as field "name" of entity "bureau-x".
        tail = text.rsplit("].", 1)[-1] if "entities[" in text else text
        return entity_id, tail
    return None, text


def parse_organisation(raw: bytes, path: object = None) -> LoadedFile:
    """Parse and check a whole file; raise OrganisationFileError listing every problem."""
    obj = decode_json(raw, path)
    if not isinstance(obj, dict):
        raise OrganisationFileError(path, "le fichier doit contenir un objet JSON { … } avec « schema_version », « organisation » et « entities »")
    obj = migrate(obj, path)
    try:
        data = OrganisationFile.model_validate(obj)
    except ValidationError as exc:
        raise OrganisationFileError(path, _problems_from_validation(exc, obj)) from None
    except RecursionError:
        raise OrganisationFileError(path, "JSON imbriqué trop profondément") from None
    problems = check_structure(data.entities, data.links)
    for scenario in data.scenarios:
        problems += check_structure(scenario.entities, scenario.links, where=f"scénario « {scenario.name} »")
    if problems:
        raise OrganisationFileError(path, problems)
    return LoadedFile(data, kind_warnings(data.entities), Path(path) if path else None)


def migrate(obj: dict, path: object = None) -> dict:
    """Bring an older file up to SCHEMA_VERSION; refuse files from a newer version."""
    version = obj.get("schema_version")
    if version is None:
        raise OrganisationFileError(path, Problem("champ obligatoire manquant (version du format)", field="schema_version"))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise OrganisationFileError(path, Problem("doit être un nombre entier positif", field="schema_version"))
    if version > SCHEMA_VERSION:
        raise OrganisationFileError(
            path,
            Problem(
                f"ce fichier a été écrit par une version plus récente de dicom-desktop (format {version}, "
                f"cette version lit jusqu’au format {SCHEMA_VERSION}) : mettez l’application à jour",
                field="schema_version",
            ),
        )
    # Version 1 is current: no migration step yet. Future steps go here, one per version.
    return obj


def load_organisation(path: str | os.PathLike) -> LoadedFile:
    """Read a file from disk (see parse_organisation)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise OrganisationFileError(p, "c’est un dossier, pas un fichier")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise OrganisationFileError(p, f"fichier trop volumineux ({size // (1024 * 1024)} Mo ; au plus {MAX_FILE_BYTES // (1024 * 1024)} Mo)")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise OrganisationFileError(p, "fichier introuvable") from None
    except PermissionError:
        raise OrganisationFileError(p, "lecture refusée (droits insuffisants)") from None
    except OSError as exc:
        raise OrganisationFileError(p, f"lecture impossible ({exc.strerror or exc})") from None
    return parse_organisation(raw, p)


def dump_organisation(data: OrganisationFile) -> bytes:
    """The canonical bytes of a file: UTF-8, readable accents, two-space indent, final newline."""
    payload = data.model_dump(mode="json")
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def atomic_write(path: str | os.PathLike, content: bytes, *, backup: bool = True) -> None:
    """Replace ``path`` by ``content`` so that a crash leaves either the old or the new file, whole.

    The previous version is kept as ``path + '.bak'``. On failure the old file is untouched and
    a SaveError in French says why.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp_name, target.stat().st_mode & 0o777)
            if backup:
                bak = target.with_name(target.name + ".bak")
                try:
                    _copy_backup(target, bak)
                except OSError:
                    pass  # a backup that cannot be written must not block the save itself
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        raise SaveError(_save_reason(target, exc)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _copy_backup(target: Path, bak: Path) -> None:
    """Keep the previous version beside the file (hard link when possible: instant and atomic)."""
    tmp_bak = bak.with_name(bak.name + ".tmp")
    try:
        os.unlink(tmp_bak)
    except FileNotFoundError:
        pass
    try:
        os.link(target, tmp_bak)
    except OSError:
        tmp_bak.write_bytes(target.read_bytes())
    os.replace(tmp_bak, bak)


def _fsync_dir(folder: Path) -> None:
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
    import errno

    reasons = {
        errno.ENOSPC: "le disque est plein",
        errno.EACCES: "écriture refusée (droits insuffisants ou dossier en lecture seule)",
        errno.EPERM: "écriture refusée (droits insuffisants)",
        errno.EROFS: "le disque est en lecture seule",
        errno.ENOENT: "le dossier n’existe pas (ou plus)",
        errno.ENOTDIR: "le chemin ne désigne pas un dossier",
        errno.EDQUOT: "quota disque dépassé",
    }
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return f"Impossible d’enregistrer « {target} » : {reason}. Le fichier précédent est intact."


def save_organisation(data: OrganisationFile, path: str | os.PathLike, *, backup: bool = True) -> None:
    """Validate-free canonical save (the model is already valid in memory), atomic."""
    atomic_write(path, dump_organisation(data), backup=backup)
