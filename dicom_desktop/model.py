"""The organisation file, as pydantic models: what is on disk, field by field.

The file is JSON, UTF-8, versioned by ``schema_version``. Field-level rules live here (types,
empty names, control characters); rules that need the whole organisation (unique ids, one root,
no cycle, known link ends) live in :mod:`dicom_desktop.validation`.
"""

from __future__ import annotations

import datetime as _dt
import re
import types
from dataclasses import dataclass
from operator import itemgetter
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SCHEMA_VERSION = 1

MAX_NAME_LENGTH = 300
MAX_PARAGRAPH_LENGTH = 20_000
MAX_ID_LENGTH = 200

# C0/C1 control characters and lone UTF-16 surrogates (json accepts "\ud800"; nothing can print it),
# bidirectional embedding/override/isolate controls (U+202E reverses the rest of a line on screen
# and in a terminal: « Trojan Source » spoofing) and Unicode noncharacters (U+FFFF…).
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
# Invisible format characters: harmless inside a name (a zero-width joiner in some scripts), never
# in an identifier, where they make two different ids look the same.
_INVISIBLE_FORMAT = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff\uffa0"
# Character class bodies (ranges of literal characters), compiled below for Python and rendered by
# :func:`rust_text_patterns` for pydantic's Rust core: one definition, two engines.
_NOT_IN_LINE = f"\x00-\x1f\x7f-\x9f\ud800-\udfff{_BIDI_CONTROLS}{_NONCHARACTERS}"
_NOT_IN_ID = _NOT_IN_LINE + _INVISIBLE_FORMAT
_NOT_IN_PARAGRAPH = f"\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_BIDI_CONTROLS}{_NONCHARACTERS}"
_FORBIDDEN_IN_LINE = re.compile(f"[{_NOT_IN_LINE}]")
_FORBIDDEN_IN_ID = re.compile(f"[{_NOT_IN_ID}]")
_FORBIDDEN_IN_PARAGRAPH = re.compile(f"[{_NOT_IN_PARAGRAPH}]")
_WORD = re.compile(r"[^\W_]")  # a letter or a digit: the common proof that a text can be seen


def _describe_char(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"un caractère invalide (demi-paire UTF-16 isolée U+{code:04X})"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"un caractère de contrôle bidirectionnel (U+{code:04X}), qui inverse ou déplace l’affichage du texte"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return f"un non-caractère Unicode (U+{code:04X}), réservé à l’usage interne des logiciels"
    if code >= 0xA0:
        return f"un caractère invisible (U+{code:04X}), interdit dans un identifiant"
    return f"un caractère de contrôle invisible (U+{code:04X})"


def is_visible(value: str) -> bool:
    """True if some character of ``value`` shows on screen (a letter, digit, punctuation or symbol),
    False for blanks, zero-width characters and lone combining marks."""
    import unicodedata

    return _WORD.search(value) is not None or any(unicodedata.category(c)[0] in "LNPS" for c in value)


def _clean_line(value: str, *, max_length: int, what: str, forbidden: re.Pattern = _FORBIDDEN_IN_LINE) -> str:
    bad = forbidden.search(value)
    if bad:
        raise ValueError(f"{what} contient, à la position {bad.start() + 1}, {_describe_char(bad.group())}")
    if not value.strip():
        raise ValueError(f"{what} est vide")
    if not is_visible(value):
        raise ValueError(f"{what} n’est fait que de caractères invisibles (espaces de largeur nulle, signes "
                         "diacritiques seuls…) : il ne se verrait pas")
    if len(value) > max_length:
        raise ValueError(f"{what} est trop long ({len(value)} caractères, au plus {max_length})")
    return value


def _clean_optional_line(value: str, *, max_length: int, what: str, forbidden: re.Pattern = _FORBIDDEN_IN_LINE) -> str:
    return _clean_line(value, max_length=max_length, what=what, forbidden=forbidden) if value else value


def _clean_paragraph(value: str) -> str:
    bad = _FORBIDDEN_IN_PARAGRAPH.search(value)
    if bad:
        raise ValueError(f"le paragraphe contient, à la position {bad.start() + 1}, {_describe_char(bad.group())}")
    if len(value) > MAX_PARAGRAPH_LENGTH:
        raise ValueError(f"le paragraphe est trop long ({len(value)} caractères, au plus {MAX_PARAGRAPH_LENGTH})")
    return value


def _rust_class(body: str) -> str:
    """A class body of literal characters and ``a-b`` ranges → the same set in the syntax of the
    Rust ``regex`` crate, minus the surrogates (a Rust string cannot hold one, and the Rust JSON
    reader refuses a lone ``\\ud800``)."""
    ranges = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            ranges.append((ord(body[i]), ord(body[i + 2])))
            i += 3
        else:
            ranges.append((ord(body[i]), ord(body[i])))
            i += 1
    kept = []
    for lo, hi in ranges:
        kept += [(a, b) for a, b in ((lo, min(hi, 0xD7FF)), (max(lo, 0xE000), hi)) if a <= b]
    return "".join(f"\\x{{{lo:X}}}" if lo == hi else f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in kept)


def _rust_visible() -> str:
    """A letter, number, punctuation or symbol (what :func:`is_visible` looks for), among the
    characters of the Unicode version Python's ``unicodedata`` knows: the Rust tables may be newer."""
    import unicodedata

    version = ".".join(unicodedata.unidata_version.split(".")[:2])
    return f"[\\p{{L}}\\p{{N}}\\p{{P}}\\p{{S}}]&&\\p{{Age:{version}}}"


@dataclass(frozen=True)
class LineRule:
    """A single-line text: what the French message calls it, its maximum length, may it be empty."""

    what: str
    max_length: int
    optional: bool = False
    identifier: bool = False  # an id: invisible format characters refused too (two ids must not look alike)

    def rust_pattern(self) -> str:
        """The rule (but the length) as a Rust regex: no forbidden character and at least one
        visible one; empty allowed when optional. Used by the one-pass reader of whole files
        (:mod:`dicom_desktop.files.one_pass`), which leaves any text it refuses to this module's
        French messages."""
        forbidden = _rust_class(_NOT_IN_ID if self.identifier else _NOT_IN_LINE)
        text = f"[^{forbidden}]*[[{_rust_visible()}]--[{forbidden}]][^{forbidden}]*"
        return f"^(?:{text})?$" if self.optional else f"^{text}$"


@dataclass(frozen=True)
class ParagraphRule:
    """A paragraph: any printable text, tabs and newlines allowed, at most MAX_PARAGRAPH_LENGTH."""

    max_length: ClassVar[int] = MAX_PARAGRAPH_LENGTH

    def rust_pattern(self) -> str:
        """The rule (but the length) as a Rust regex (see :meth:`LineRule.rust_pattern`)."""
        return f"^[^{_rust_class(_NOT_IN_PARAGRAPH)}]*$"


# Text fields are plain ``str`` for pydantic (checked in Rust); their rules ride along as
# ``Annotated`` metadata, read once per model from ``model_fields`` and applied by
# ``_Strict._check_texts`` (one regex over the joined values), not by a Python call per string:
# at 100,000 entities that is 0.4 s saved.
EntityId = Annotated[str, LineRule("l’identifiant", MAX_ID_LENGTH, identifier=True)]
Name = Annotated[str, LineRule("le nom", MAX_NAME_LENGTH)]
ShortText = Annotated[str, LineRule("le texte", MAX_NAME_LENGTH, optional=True)]
Paragraph = Annotated[str, ParagraphRule()]
def _tuple_getter(names: list[str]):
    """``values -> tuple of values[name]`` (itemgetter returns a bare value for one name)."""
    if len(names) == 1:
        only = names[0]
        return lambda values: (values[only],)
    return itemgetter(*names) if names else (lambda values: ())


class _TextRules:
    """Which fields of a model are single lines (and with which rule) and which are paragraphs."""

    def __init__(self, lines: list[tuple[str, LineRule]], paragraphs: list[str], paragraph_lists: list[str]):
        self.lines = [name for name, _ in lines]
        self.rules: dict[str, LineRule | ParagraphRule] = dict(lines)  # every text field's rule
        self.rules.update((name, ParagraphRule()) for name in paragraphs + paragraph_lists)
        self.line_rules = {name: (rule.what, rule.max_length, rule.optional) for name, rule in lines}
        self.id_lines = [name for name, rule in lines if rule.identifier]
        self.required = [name for name, rule in lines if not rule.optional]
        self.shortest_max = min([rule.max_length for _, rule in lines], default=0)
        self.paragraphs = paragraphs
        self.paragraph_lists = paragraph_lists
        # Getters returning tuples, built once: the fast path runs for every entity.
        self._lines = _tuple_getter(self.lines) if self.lines else None
        self._required = _tuple_getter(self.required)
        self._ids = _tuple_getter(self.id_lines) if self.id_lines else None
        self._texts = None
        if paragraphs or paragraph_lists:
            scalars = _tuple_getter(paragraphs) if paragraphs else None
            lists = itemgetter(*paragraph_lists) if paragraph_lists else None
            many = len(paragraph_lists) > 1

            def texts(values):
                out = [t for t in scalars(values) if t is not None] if scalars else []
                if lists is not None:
                    if many:
                        for items in lists(values):
                            out += items
                    else:
                        out += lists(values)
                return out

            self._texts = texts

    def all_valid(self, values: dict) -> bool:
        """Fast path: True when every text field of a validated model obeys its rule.

        ``isprintable`` (C) rules out every control character and lone surrogate at once; only a
        text with a non-printable character (a non-breaking space, a tab in a paragraph…) goes
        on to the regex. ``isspace`` is True exactly for a non-empty, blank value."""
        if self._lines is not None:
            lines = self._lines(values)
            if None in lines:  # an optional identifier (parent) left out
                lines = [v for v in lines if v is not None]
            joined = "".join(lines)
            if not joined.isprintable() and _FORBIDDEN_IN_LINE.search(joined):
                return False
            if self._ids is not None:  # some invisible characters of ids are printable (U+3164…)
                ids = "".join(filter(None, self._ids(values)))
                if not ids.isascii() and _FORBIDDEN_IN_ID.search(ids):
                    return False
            if not all(map(_WORD.search, filter(None, lines))) and not all(map(is_visible, filter(None, lines))):
                return False
            if any(map(str.isspace, lines)) or "" in self._required(values):
                return False
            if len(joined) > self.shortest_max and any(
                len(values[name]) > self.line_rules[name][1] for name in self.lines if values[name] is not None
            ):
                return False
        if self._texts is not None:
            texts = self._texts(values)
            joined = "".join(texts)
            if not joined.isprintable() and _FORBIDDEN_IN_PARAGRAPH.search(joined):
                return False
            if len(joined) > MAX_PARAGRAPH_LENGTH and any(len(t) > MAX_PARAGRAPH_LENGTH for t in texts):
                return False
        return True

    def errors(self, values: object) -> list[dict]:
        """Slow path: one pydantic line error per bad text, with the same French message and place
        as a per-field validator would give. Values that are not text are left to pydantic."""
        if not isinstance(values, dict):
            values = getattr(values, "__dict__", {})
        found = []

        def check(loc, value, clean):
            if isinstance(value, str):
                try:
                    clean(value)
                except ValueError as exc:
                    found.append({"type": "value_error", "loc": loc, "input": value, "ctx": {"error": exc}})

        for name in self.lines:
            what, limit, optional = self.line_rules[name]
            cleaner = _clean_optional_line if optional else _clean_line
            forbidden = _FORBIDDEN_IN_ID if name in self.id_lines else _FORBIDDEN_IN_LINE
            check((name,), values.get(name),
                  lambda v, c=cleaner, n=limit, w=what, f=forbidden: c(v, max_length=n, what=w, forbidden=f))
        for name in self.paragraphs:
            check((name,), values.get(name), _clean_paragraph)
        for name in self.paragraph_lists:
            items = values.get(name)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    check((name, i), item, _clean_paragraph)
        return found


def _rule_in(metadata: Any) -> LineRule | ParagraphRule | None:
    return next((m for m in metadata if isinstance(m, (LineRule, ParagraphRule))), None)


def _rule_of(annotation: Any) -> LineRule | ParagraphRule | None:
    """The rule of an annotation such as ``Annotated[str, rule]`` or ``Annotated[str, rule] | None``."""
    if get_origin(annotation) is Annotated:
        return _rule_in(get_args(annotation)[1:])
    if get_origin(annotation) in (Union, types.UnionType):
        found = [r for r in map(_rule_of, get_args(annotation)) if r is not None]
        return found[0] if found else None
    return None


def _text_rules_of(model: type[BaseModel]) -> _TextRules:
    """Read the text rules from the fields' ``Annotated`` metadata (``Name``, ``list[Paragraph]``,
    ``EntityId | None``…): the resolved types pydantic keeps in ``model_fields``, not their spelling."""
    lines: list[tuple[str, LineRule]] = []
    paragraphs: list[str] = []
    paragraph_lists: list[str] = []
    for name, info in model.model_fields.items():
        rule = _rule_in(info.metadata) or _rule_of(info.annotation)
        if isinstance(rule, LineRule):
            lines.append((name, rule))
        elif isinstance(rule, ParagraphRule):
            paragraphs.append(name)
        elif get_origin(info.annotation) is list and isinstance(_rule_of(get_args(info.annotation)[0]), ParagraphRule):
            paragraph_lists.append(name)
    return _TextRules(lines, paragraphs, paragraph_lists)


def _merged_error(cls, errors: list[Any]) -> ValidationError:
    """One ValidationError with the errors in field order, as per-field validators report them.

    ``errors`` mixes pydantic's own ``ErrorDetails`` and ours (``InitErrorDetails``-shaped dicts),
    which ``from_exception_data`` both accepts; hence ``Any``."""
    order = {name: i for i, name in enumerate(cls.model_fields)}
    errors.sort(key=lambda e: order.get(e["loc"][0], len(order)) if e["loc"] else -1)
    return ValidationError.from_exception_data(cls.__name__, errors)


class _Strict(BaseModel):
    # Unknown fields are refused: a typo such as "parnet" must not silently drop a reporting line.
    model_config = ConfigDict(extra="forbid", validate_assignment=False)
    _text_rules: ClassVar[_TextRules] = _TextRules([], [], [])

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._text_rules = _text_rules_of(cls)  # once the fields are built and their types resolved

    @model_validator(mode="wrap")
    @classmethod
    def _check_texts(cls, data, handler):
        rules = cls._text_rules
        try:
            model = handler(data)
        except ValidationError as exc:
            extra = rules.errors(data)
            if not extra:
                raise
            raise _merged_error(cls, exc.errors(include_url=False) + extra) from None
        if not rules.all_valid(model.__dict__):
            errors = rules.errors(model.__dict__)
            if errors:
                raise _merged_error(cls, errors)
        return model


class Organisation(_Strict):
    """What the organisation is: name, legal basis, missions, where the data comes from."""

    name: Name
    acronym: ShortText = ""
    missions: list[Paragraph] = Field(default_factory=list)
    legal_basis: Paragraph = ""
    updated: _dt.date | None = None
    source: Paragraph = ""
    notes: Paragraph = ""


class Entity(_Strict):
    """One box of the chart: a délégation, a bureau, an adjoint…

    ``parent`` and ``order`` describe the hierarchy on disk; in memory the
    :class:`~dicom_desktop.graph.OrgGraph` is authoritative and keeps them in step.
    """

    id: EntityId
    name: Name
    kind: ShortText = "bureau"
    parent: EntityId | None = None
    attributions: list[Paragraph] = Field(default_factory=list)
    short_name: ShortText = ""
    head_title: ShortText = ""
    head_name: ShortText = ""
    headcount: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    vacant: bool = False
    legal_reference: ShortText = ""
    effective_date: _dt.date | None = None
    order: Annotated[int, Field(ge=0)] = 0
    staff: bool = False
    # Provenance: the fields that are the editor's reading rather than a statement of the source
    # (« parent », « head_title »…). Published documents say so, and print the source reference
    # only on what the source states.
    inferred: list[ShortText] = Field(default_factory=list)

    @field_validator("inferred")
    @classmethod
    def _known_inferred_fields(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in INFERABLE_FIELDS]
        if unknown:
            raise ValueError(f"« {unknown[0]} » n’est pas un champ dont la provenance se note "
                             f"(attendu : {', '.join(INFERABLE_FIELDS)})")
        return list(dict.fromkeys(value))


# Fields whose provenance can be noted, with their French name (panel, notice, spreadsheets).
INFERABLE_FIELDS: dict[str, str] = {
    "parent": "rattachement",
    "staff": "position d’état-major",
    "head_title": "intitulé du responsable",
    "kind": "type",
    "attributions": "attributions",
    "legal_reference": "référence",
    "effective_date": "date d’effet",
}


class Link(_Strict):
    """A functional (non-hierarchical) link, drawn dotted."""

    source: EntityId
    target: EntityId
    kind: ShortText = "functional"
    label: ShortText = ""


class Scenario(_Strict):
    """A named variant of the organisation, for reorganisation simulations."""

    id: EntityId
    name: Name
    description: Paragraph = ""
    created: _dt.date | None = None
    entities: list[Entity]
    links: list[Link] = Field(default_factory=list)


class OrganisationFile(_Strict):
    """The whole file: the current organisation and its scenarios."""

    schema_version: int
    organisation: Organisation
    entities: list[Entity]
    links: list[Link] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
