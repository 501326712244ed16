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
from .values import unprotect_formula
from dicom_desktop.wording import plural

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
            raise SheetReadError(path, "le fichier annonce UTF-8 (BOM) mais contient un octet invalide "
                                       f"(0x{raw[exc.start]:02X}) à la ligne {line}") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            unit = exc.start // 2 + 1
            what = ("nombre impair d’octets : le fichier est tronqué" if exc.reason == "truncated data"
                    else "demi-paire de substitution isolée (caractère invalide)")
            raise SheetReadError(path, f"le fichier annonce UTF-16 (BOM) mais est invalide ({what}, vers le caractère "
                                       f"{unit}) ; réenregistrez-le en « CSV UTF-8 »") from None
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


# An attributions cell holds at most a few dozen paragraphs of 20,000 characters: a field beyond
# this is a broken file (an unclosed quote, a binary blob), refused with the limit named.
MAX_FIELD_CHARS = 1_000_000
MAX_CSV_ROWS = 200_000  # twice the largest organisation the editor is measured with
MAX_LINE_CHARS = 2 * MAX_FIELD_CHARS


def read_csv(raw: bytes, path: object = None, *, separator: str | None = None, encoding: str | None = None) -> tuple[Table, CsvFormat]:
    """Parse CSV bytes into a Table (header = first non-blank row), with the format used.

    The parser streams records with a field-size limit and a row limit, both reported in French;
    a quote still open at the end of the file is an error naming the row where it opened; rows
    whose field count differs from the header's are listed in ``table.problems``.
    """
    text, used_encoding = decode_csv(raw, path, encoding)
    end = text.find("\n", 0, 16)
    first_line = text[: end if end >= 0 else 16]
    hint = first_line.strip().lower()
    first_number = 1
    start = 0
    if hint.startswith("sep=") and len(hint) in (5, 6):
        # Excel's "sep=;" first line: an explicit separator, not data.
        separator = separator or first_line.strip()[4:5] or ","
        start = end + 1
        first_number = 2
    sep = separator or sniff_separator(text[start:start + _SAMPLE_CHARS + 1])
    records, lines, multiline = _records(text, start, sep, path, first_number)
    if any("\x00" in cell for record in records[:20] for cell in record):
        raise SheetReadError(path, "ce n’est pas un fichier texte CSV (contenu binaire) ; un fichier .csv ou .xlsx est attendu")
    _refuse_open_quote(text, start, records, lines, sep, path, first_number)
    for record in records:  # the apostrophe our export puts before a formula trigger (values.py)
        for i, cell in enumerate(record):
            if cell[:1] == "'":
                record[i] = unprotect_formula(cell)
    # Rows are numbered by record, as a spreadsheet shows them (a quoted cell may span lines).
    table = table_from_cells(records, name="", first_number=first_number)
    table.multiline_cells = multiline
    table.problems = _field_count_problems(records, table.width, first_number)
    return table, CsvFormat(sep, used_encoding)


def _lines(text: str, start: int, path: object, first_number: int):
    """The lines of ``text`` from ``start``, one slice at a time (io.StringIO would copy the whole
    text at 4 bytes per character); a line longer than MAX_LINE_CHARS is refused before it is copied."""
    number = first_number
    size = len(text)
    while start < size:
        end = text.find("\n", start, start + MAX_LINE_CHARS + 1)
        if end < 0:
            if size - start > MAX_LINE_CHARS:
                raise SheetReadError(path, f"ligne {number} du fichier : plus de {MAX_LINE_CHARS:,} caractères sans retour à "
                                           "la ligne (limite de dicom-desktop) : ce n’est pas un tableau d’entités"
                                     .replace(",", "\u202f"))
            end = size - 1
        yield text[start:end + 1]
        start = end + 1
        number += 1


def _records(text: str, start: int, sep: str, path: object, first_number: int) -> tuple[list[list[str]], list[int], int]:
    """(records, line where each record ends, cells spanning several lines), limits checked on the way."""
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    records: list[list[str]] = []
    lines: list[int] = []
    multiline = 0
    reader = csv.reader(_lines(text, start, path, first_number), delimiter=sep, strict=False)
    try:
        previous_line = 0
        for record in reader:
            if len(records) >= MAX_CSV_ROWS:
                raise SheetReadError(path, f"trop de lignes : au plus {MAX_CSV_ROWS:,} lignes sont lues (limite de "
                                           "dicom-desktop) ; découpez le tableau".replace(",", "\u202f"))
            if reader.line_num - previous_line > 1:
                multiline += sum(1 for cell in record if "\n" in cell or "\r" in cell)
            previous_line = reader.line_num
            records.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        row = len(records) + first_number
        if "field larger than field limit" in str(exc):
            raise SheetReadError(path, f"ligne {row} : une cellule dépasse {MAX_FIELD_CHARS:,} caractères (limite de "
                                       "dicom-desktop) ; guillemet jamais fermé ou fichier qui n’est pas un tableau ?"
                                 .replace(",", "\u202f")) from None
        raise SheetReadError(path, f"ligne {row} : CSV illisible ({_CSV_ERRORS.get(str(exc), 'syntaxe invalide')})") from None
    finally:
        csv.field_size_limit(old_limit)
    return records, lines, multiline


_CSV_ERRORS = {"new-line character seen in unquoted field - do you need to open the file with newline=''?":
               "retour à la ligne inattendu dans une cellule sans guillemets"}


def _refuse_open_quote(text: str, start: int, records: list[list[str]], lines: list[int], sep: str, path: object,
                       first_number: int) -> None:
    """A quote still open at the end of the file swallows every following row into one cell:
    the last record is parsed again, strictly, to tell that from a legitimate multi-line cell."""
    if not records:
        return
    start_line = (lines[-2] if len(records) > 1 else 0) + 1
    if lines[-1] <= start_line:
        return  # the last record is one line: no quote left open across lines
    offset = start
    for _ in range(start_line - 1):
        offset = text.index("\n", offset) + 1
    try:
        for _ in csv.reader(_lines(text, offset, path, start_line), delimiter=sep, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
        row = len(records) - 1 + first_number
        raise SheetReadError(
            path, f"ligne {row} (ligne {start_line} du fichier) : un guillemet ouvert n’est jamais fermé ; toutes les "
                  f"lignes suivantes ({plural(lines[-1] - start_line, 'ligne')} du fichier) seraient avalées dans une seule "
                  "cellule. Fermez le guillemet (\") ou doublez-le (\"\") s’il fait partie du texte ; rien n’a été importé."
        ) from None


def _field_count_problems(records: list[list[str]], width: int, first_number: int) -> list:
    """Rows with more or fewer cells than the header (a stray separator, a missing one)."""
    from .errors import RowProblem

    found = []
    header_seen = False
    for number, record in enumerate(records, start=first_number):
        if all(not cell.strip() for cell in record):
            continue
        if not header_seen:
            header_seen = True
            continue
        if len(record) == width:
            continue
        if len(record) > width:
            extra = next((c for c in record[width:] if c.strip()), record[width])
            if all(not c.strip() for c in record[width:]):
                continue  # only empty trailing cells: a trailing separator, nothing lost
            from openpyxl.utils import get_column_letter

            column = next(i for i in range(width, len(record)) if record[i].strip())
            found.append(RowProblem(f"{len(record)} champs au lieu de {width} ; valeur en trop : « {extra.strip()[:60]} » "
                                    "(séparateur dans une cellule sans guillemets ?)", number,
                                    f"{get_column_letter(column + 1)} (sans titre)"))
        else:
            found.append(RowProblem(f"{plural(len(record), 'champ')} au lieu de {width} ; dernière valeur : "
                                    f"« {record[-1].strip()[:60]} » (séparateur manquant ?)", number))
    return found


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
