"""CSV as people really have it: « ; » from Excel in France, « , » elsewhere, tabs, pipes;
UTF-8 with or without BOM, or Windows-1252 when Excel saved it as « CSV (séparateur : point-virgule) ».

Reading guesses the encoding (UTF-8 strictly first, then Windows-1252) and the separator (the
one that splits the header into the most columns, consistently over the first rows), unless told.
Writing defaults to what Excel in France opens right: UTF-8 with BOM, « ; », CRLF.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from .errors import SheetExportError, SheetReadError
from .table import Table, table_from_cells

SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_ROWS = 50


@dataclass(frozen=True)
class CsvFormat:
    """What was detected (or imposed) when reading a CSV file."""

    separator: str
    encoding: str


def parse_separator(text: str) -> str:
    """The separator given on the command line: a character, or a French/English name of one."""
    named = {
        "tab": "\t", "\\t": "\t", "tabulation": "\t", "point-virgule": ";", "semicolon": ";",
        "virgule": ",", "comma": ",", "pipe": "|", "barre": "|",
    }
    value = named.get(text.strip().lower(), text)
    if len(value) != 1 or value in "\"\r\n":
        raise SheetReadError(None, f"séparateur « {text} » invalide : un seul caractère est attendu (; , | ou « tab »)")
    return value


def check_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise SheetReadError(None, f"encodage « {name} » inconnu (essayez utf-8, utf-8-sig ou cp1252)") from None


def decode_csv(raw: bytes, path: object = None, encoding: str | None = None) -> tuple[str, str]:
    """Bytes → (text, encoding used). UTF-8 (BOM or not) is tried strictly before Windows-1252."""
    if encoding:
        encoding = check_encoding(encoding)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise SheetReadError(path, f"le fichier n’est pas encodé en {encoding} (octet 0x{raw[exc.start]:02X} à la ligne {line})") from None
        return text.removeprefix("\ufeff"), encoding
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise SheetReadError(path, f"le fichier annonce UTF-8 (BOM) mais contient un octet invalide (0x{raw[exc.start]:02X}) à la ligne {line}") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SheetReadError(
            path,
            f"encodage non reconnu (ni UTF-8 ni Windows-1252 : octet 0x{raw[exc.start]:02X} à la ligne {line}) ; "
            "enregistrez le fichier en « CSV UTF-8 » ou précisez --encoding",
        ) from None


def sniff_separator(text: str) -> str:
    """The candidate separator that gives the widest header, consistently over the first rows."""
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    best, best_score = ";", (-1.0, 0)
    for sep in SEPARATORS:
        rows = []
        try:
            for record in csv.reader(io.StringIO(sample), delimiter=sep):
                if any(cell.strip() for cell in record):
                    rows.append(len(record))
                if len(rows) >= _SAMPLE_ROWS:
                    break
        except csv.Error:
            continue
        if not rows or rows[0] < 2:
            continue
        width = rows[0]
        consistent = sum(1 for n in rows if n == width) / len(rows)
        score = (consistent, width)
        if score > best_score:
            best, best_score = sep, score
    return best


def read_csv(raw: bytes, path: object = None, *, separator: str | None = None, encoding: str | None = None) -> tuple[Table, CsvFormat]:
    """Parse CSV bytes into a Table (header = first non-blank row), with the format used."""
    text, used_encoding = decode_csv(raw, path, encoding)
    first_line, _, rest = text.partition("\n")
    hint = first_line.strip().lower()
    first_number = 1
    if hint.startswith("sep=") and len(hint) in (5, 6):
        # Excel's "sep=;" first line: an explicit separator, not data.
        separator = separator or first_line.strip()[4:5] or ","
        text = rest
        first_number = 2
    sep = separator or sniff_separator(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False))
    except csv.Error as exc:
        raise SheetReadError(path, f"CSV illisible ({exc})") from None
    if any("\x00" in cell for record in records[:20] for cell in record):
        raise SheetReadError(path, "ce n’est pas un fichier texte CSV (contenu binaire) ; un fichier .csv ou .xlsx est attendu")
    # Rows are numbered by record, as a spreadsheet shows them (a quoted cell may span lines).
    table = table_from_cells(records, name="", first_number=first_number)
    return table, CsvFormat(sep, used_encoding)


def write_csv(rows: list[list[object]], *, separator: str = ";", encoding: str = "utf-8-sig") -> bytes:
    """Rows (header first) → CSV bytes, CRLF, quoted where needed; French error if a character cannot be encoded."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    text = buffer.getvalue()
    try:
        return text.encode(check_encoding(encoding))
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        line = text.count("\n", 0, exc.start) + 1
        raise SheetExportError(
            f"Le caractère « {bad} » (ligne {line}) ne peut pas être écrit en {encoding} ; choisissez l’encodage UTF-8."
        ) from None
