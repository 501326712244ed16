"""The column vocabulary of organisation spreadsheets, in French and English, and header matching.

A header matches a field whatever its accents, case, spacing, apostrophe or punctuation
(« Intitulé du responsable », « INTITULE DU RESPONSABLE », « head_title » are one column).
:func:`detect_columns` gives a :class:`ColumnMapping` that the editor's mapping dialog shows and
lets the user amend (``mapping.assign(column, field)``) before :func:`~.importer.import_rows`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldSpec:
    """One entity field a column can hold: its key, the header written on export, its synonyms."""

    key: str
    header: str
    synonyms: tuple[str, ...]
    help: str
    required: bool = False


# Order = column order on export and in the template.
FIELDS: dict[str, FieldSpec] = {
    f.key: f
    for f in (
        FieldSpec("id", "Identifiant", ("identifiant", "id", "code", "identifier", "ident", "id entite", "identifiant de l entite"),
                  "identifiant unique, sans espace (généré à partir du nom si la colonne est absente)"),
        FieldSpec("name", "Nom", ("nom", "name", "intitule", "intitule de l entite", "nom de l entite", "libelle",
                                  "entite", "entity", "entity name", "denomination", "nom entite"),
                  "nom complet de l’entité (obligatoire)", required=True),
        FieldSpec("kind", "Type", ("type", "kind", "nature", "type d entite", "type de l entite", "niveau", "entity type"),
                  "direction, délégation, service, sous-direction, bureau, pôle… (bureau si vide)"),
        FieldSpec("parent", "Rattachement", ("rattachement", "parent", "entite de rattachement", "rattache a", "rattachee a",
                                             "parent id", "id parent", "identifiant du parent", "entite parente", "parent name",
                                             "nom du parent", "superieur", "reports to", "entite superieure"),
                  "identifiant ou nom de l’entité de rattachement (vide pour l’entité de tête)"),
        FieldSpec("position", "Position", ("position", "ordre", "order", "rang", "ordre d affichage", "sort order"),
                  "ordre parmi les entités de même rattachement (1, 2, 3…)"),
        FieldSpec("staff", "État-major", ("etat major", "staff", "etat-major", "position d etat major", "aupres de",
                                          "rattachement fonctionnel aupres"),
                  "oui pour une position placée à côté de l’entité supérieure (adjoints, secrétariat général)"),
        FieldSpec("short_name", "Nom court", ("nom court", "short name", "sigle", "abreviation", "acronyme", "acronym",
                                              "nom abrege", "libelle court"),
                  "sigle ou nom abrégé"),
        FieldSpec("head_title", "Intitulé du responsable", ("intitule du responsable", "titre", "head title", "titre du responsable",
                                                             "fonction", "fonction du responsable", "title", "job title",
                                                             "intitule du poste"),
                  "fonction du responsable (« Chef de bureau »…)"),
        FieldSpec("head_name", "Responsable", ("responsable", "nom du responsable", "head name", "head", "titulaire",
                                               "chef", "nom prenom", "prenom nom", "occupant"),
                  "prénom et nom du responsable"),
        FieldSpec("headcount", "Effectif", ("effectif", "headcount", "effectifs", "nombre d agents", "agents", "etp", "staff count"),
                  "nombre d’agents (entier)"),
        FieldSpec("vacant", "Poste vacant", ("poste vacant", "vacant", "vacance", "vacancy", "poste a pourvoir"),
                  "oui si le poste de responsable est vacant"),
        FieldSpec("attributions", "Attributions", ("attributions", "missions", "competences", "responsibilities", "description",
                                                   "attributions de l entite"),
                  "paragraphes séparés par une ligne vide"),
        FieldSpec("legal_reference", "Référence", ("reference", "legal reference", "reference juridique", "texte", "base juridique",
                                                   "texte de reference", "fondement"),
                  "texte qui crée ou organise l’entité"),
        FieldSpec("effective_date", "Date d’effet", ("date d effet", "effective date", "date", "depuis le", "date de creation",
                                                     "en vigueur le"),
                  "JJ/MM/AAAA ou AAAA-MM-JJ"),
        FieldSpec("inferred", "Lecture de l’éditeur", ("lecture de l editeur", "inferred", "champs deduits", "deduit",
                                                       "provenance", "non source", "lecture"),
                  "champs qui sont une lecture de l’éditeur et non un énoncé de la source, séparés par des virgules "
                  "(rattachement, intitulé du responsable…)"),
    )
}

HEADERS: list[str] = [f.header for f in FIELDS.values()]


def normalise_header(text: object) -> str:
    """Accent-, case-, punctuation- and space-insensitive form of a header or a name."""
    if text is None:
        return ""
    plain = str(text)
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    plain = plain.casefold()
    plain = re.sub(r"[\s’'`´_\-.:/\\()\[\]*#]+", " ", plain)
    return " ".join(plain.split())


_SYNONYM_INDEX: dict[str, str] = {}
for _spec in FIELDS.values():
    for _word in (_spec.key, _spec.header, *_spec.synonyms):
        _SYNONYM_INDEX.setdefault(normalise_header(_word), _spec.key)


def field_for_header(header: object) -> str | None:
    """The field key a header names, or None when it is not in the vocabulary."""
    return _SYNONYM_INDEX.get(normalise_header(header))


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based index) feeds which field; what the mapping dialog shows and edits.

    ``fields`` maps field key → column index. ``unrecognised`` lists the columns mapped to no
    field (ignored on import unless the user assigns them).
    """

    headers: tuple[str, ...]
    fields: dict[str, int] = field(default_factory=dict)

    @property
    def unrecognised(self) -> list[int]:
        used = set(self.fields.values())
        return [i for i, h in enumerate(self.headers) if i not in used and h.strip()]

    @property
    def recognised(self) -> dict[str, str]:
        """Field key → header text, in vocabulary order (for display)."""
        return {key: self.headers[self.fields[key]] for key in FIELDS if key in self.fields}

    @property
    def missing_required(self) -> list[str]:
        return [key for key, spec in FIELDS.items() if spec.required and key not in self.fields]

    def column_of(self, key: str) -> int | None:
        return self.fields.get(key)

    def field_of(self, column: int) -> str | None:
        for key, index in self.fields.items():
            if index == column:
                return key
        return None

    def header_of(self, key: str) -> str:
        """The header the user wrote for a field (for error messages), or the canonical one."""
        index = self.fields.get(key)
        if index is not None and index < len(self.headers) and self.headers[index].strip():
            return self.headers[index]
        return FIELDS[key].header

    def assign(self, column: int, key: str | None) -> "ColumnMapping":
        """A new mapping where ``column`` feeds ``key`` (None: ignore the column).

        A field fed by one column only: assigning it elsewhere frees the previous column.
        """
        if not 0 <= column < len(self.headers):
            raise ValueError(f"colonne {column} hors du tableau")
        if key is not None and key not in FIELDS:
            raise ValueError(f"champ inconnu : {key}")
        fields = {k: i for k, i in self.fields.items() if i != column and k != key}
        if key is not None:
            fields[key] = column
        return ColumnMapping(self.headers, fields)

    def describe(self) -> list[str]:
        """French lines: what each column was recognised as (for the command line and the dialog)."""
        lines = [f"« {self.headers[i]} » → {FIELDS[k].header}" for k, i in sorted(self.fields.items(), key=lambda kv: kv[1])]
        lines += [f"« {self.headers[i]} » → colonne ignorée (non reconnue)" for i in self.unrecognised]
        return lines


def detect_columns(headers) -> ColumnMapping:
    """Recognise each header; the first column naming a field wins, later duplicates stay unrecognised."""
    headers = tuple("" if h is None else str(h) for h in headers)
    fields: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = field_for_header(header)
        if key is not None and key not in fields:
            fields[key] = index
    return ColumnMapping(headers, fields)
