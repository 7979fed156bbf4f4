"""Reading the export files of the registration office: CSV (any of ; , tab) and XLSX.

The file's content decides, not its name: an ``.xlsx`` must really be a zip archive with a
workbook in it, a CSV must decode as text. CSV exports come in UTF-8 (with or without byte
order mark), sometimes in Windows-1252 and, from Excel's "Unicode text", in UTF-16. Rows are
numbered as a person counts them in a spreadsheet: the header is row 1, a record with a line
break inside quotes is still one row, and blank rows count but carry nothing.

Everything here is German-speaking: a ``FileProblem`` names the row where it can.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx",)
DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {
    ";": gettext_lazy("Semikolon (;)"),
    ",": gettext_lazy("Komma (,)"),
    "\t": gettext_lazy("Tabulator"),
}
# An XLSX is a zip archive; refuse archives that unpack to more than this (zip bombs).
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Excel's way to keep leading zeros in a CSV: ="06667"
_EXCEL_TEXT = re.compile(r'^="(.*)"$')


class FileProblem(Exception):
    """The file cannot be read as a table; the message says why, in German."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Zeile %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class FileFormat:
    kind: str  # "csv" or "xlsx"
    encoding: str = ""  # codec of a CSV: utf-8-sig, utf-16 or cp1252
    delimiter: str = ""


@dataclass(frozen=True)
class Record:
    """One non-blank data row: its spreadsheet row number and its cells as text."""

    row: int
    cells: list[str]


@dataclass
class Inspection:
    format: FileFormat
    header: list[str]
    total_rows: int
    sheet_name: str = ""
    sheet_count: int = 0
    problems: list[FileProblem] = field(default_factory=list)


def kind_for_name(name: str) -> str:
    """``csv`` or ``xlsx`` by the file name; other spreadsheet formats get a German hint."""
    suffix = Path(name).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in (".xls", ".ods", ".numbers"):
        raise FileProblem(
            _(
                "Dateien im Format %(suffix)s liest Lotse nicht. Bitte speichern Sie die Tabelle "
                "als Excel-Arbeitsmappe (.xlsx) oder als CSV-Datei (.csv)."
            )
            % {"suffix": suffix}
        )
    raise FileProblem(_("Bitte laden Sie eine CSV-Datei (.csv) oder eine Excel-Arbeitsmappe (.xlsx) hoch."))


def column_name(index: int) -> str:
    """``0`` → ``A``: the column letter a spreadsheet shows."""
    return get_column_letter(index + 1)


def clean_cell(value: Any) -> str:
    """A cell as text: dates as TT.MM.JJJJ, whole numbers without ``.0``, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\u00a0", " ").strip()
    if match := _EXCEL_TEXT.match(text):
        text = match[1].strip()
    return text


def _header(cells: list[str]) -> list[str]:
    """Header names; empty ones become „Spalte C“, repeated ones get their letter."""
    names = [
        " ".join(cell.split()) or _("Spalte %(letter)s") % {"letter": column_name(i)}
        for i, cell in enumerate(cells)
    ]
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [
        f"{name} ({_('Spalte')} {column_name(i)})" if seen[name] > 1 else name for i, name in enumerate(names)
    ]


# --- CSV -------------------------------------------------------------------------------------


def _utf16_without_bom(raw: bytes) -> str:
    """``utf-16-le`` or ``utf-16-be`` when the bytes look like UTF-16 text without a byte order
    mark (every other byte a NUL, as Latin letters are in UTF-16), else ''."""
    sample = raw[:4000]
    if len(sample) < 4:
        return ""
    pairs = len(sample) // 2
    even_nul = sample[0::2].count(0) / pairs
    odd_nul = sample[1::2].count(0) / pairs
    if odd_nul > 0.6 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.1:
        return "utf-16-be"
    return ""


# A byte sequence that is valid UTF-8 for a letter beyond ASCII (ä = C3 A4): in a file that is
# not UTF-8 as a whole, it betrays lines of different encodings.
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _first_line_not_utf8(raw: bytes) -> int:
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _check_characters(text: str) -> None:
    """Control characters (NUL, escape ...) belong in no register field: name the line."""
    match = _CONTROL.search(text)
    if match is None:
        return
    line = text.count("\n", 0, match.start()) + 1
    raise FileProblem(
        _(
            "Die Datei ist keine Textdatei oder beschädigt: Sie enthält hier ein Steuerzeichen "
            "(%(char)s), das in keiner Tabelle steht. Bitte laden Sie eine CSV-Datei hoch oder "
            "exportieren Sie die Datei erneut."
        )
        % {"char": f"U+{ord(match[0]):04X}"},
        line,
    )


def decode(raw: bytes) -> tuple[str, str]:
    """(text, codec). UTF-8 with or without BOM, UTF-16 with BOM (or without, recognised by its
    NUL bytes), else Windows-1252. A file that mixes UTF-8 lines with others is refused."""
    if raw.startswith(b"PK\x03\x04"):
        raise FileProblem(
            _(
                "Die Datei ist keine CSV-Datei, sondern ein gepacktes Archiv (vermutlich eine "
                "Excel-Arbeitsmappe). Bitte laden Sie sie mit der Endung .xlsx hoch."
            )
        )
    utf16 = (
        "utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _utf16_without_bom(raw)
    )
    if utf16:
        try:
            text = raw.decode(utf16)
        except UnicodeDecodeError:
            raise FileProblem(
                _(
                    "Die Datei sieht nach UTF-16 aus, ist aber unvollständig oder beschädigt. "
                    "Bitte exportieren Sie sie erneut, am besten als CSV in UTF-8."
                )
            ) from None
        _check_characters(text)
        return text.removeprefix("\ufeff"), "utf-16"
    try:
        text, codec = raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        if _UTF8_LETTER.search(raw):
            raise FileProblem(
                _(
                    "Die Datei mischt Zeichenkodierungen: Manche Zeilen sind in UTF-8 geschrieben, "
                    "Zeile %(line)s nicht (etwa in Windows-1252). Umlaute würden verfälscht. Bitte "
                    "exportieren Sie die Datei erneut, einheitlich als CSV in UTF-8."
                )
                % {"line": _first_line_not_utf8(raw)}
            ) from None
        try:
            text, codec = raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise FileProblem(
                _(
                    "Die Datei ist weder UTF-8- noch Windows-1252-kodiert. Bitte exportieren Sie sie "
                    "aus dem Melderegister als CSV in UTF-8."
                )
            ) from None
    _check_characters(text)
    return text, codec


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields; ``;`` wins ties."""
    lines = text.lstrip("\ufeff").splitlines()
    first = lines[0] if lines else ""
    best, best_count = ";", 1
    for delimiter in DELIMITERS:
        try:
            fields = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:  # a quote left open in the header: the reading names the row
            fields = []
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, raw cells) for every record, header included; malformed CSV raises."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "end of data" in str(error) or "EOF" in str(error):
                raise FileProblem(
                    _(
                        'Ein Anführungszeichen (") wird geöffnet, aber bis zum Ende der Datei nicht '
                        "geschlossen. Bitte prüfen Sie diese Zeile."
                    ),
                    row,
                ) from None
            if "expected after" in str(error):
                raise FileProblem(
                    _(
                        "Nach einem Anführungszeichen folgt kein Trennzeichen. Steht ein Anführungszeichen "
                        'mitten in einem Feld? Dann verdoppeln Sie es ("") oder setzen das ganze Feld in '
                        "Anführungszeichen."
                    ),
                    row,
                ) from None
            if "field limit" in str(error):
                raise FileProblem(
                    _(
                        "Ein Feld ist länger als %(limit)s Zeichen; so lang ist kein Eintrag des "
                        "Melderegisters. Fehlt ein Anführungszeichen oder ein Zeilenumbruch?"
                    )
                    % {"limit": f"{csv.field_size_limit():,}".replace(",", ".")},
                    row,
                ) from None
            raise FileProblem(
                _("Die Zeile lässt sich nicht lesen (%(error)s).") % {"error": error}, row
            ) from None
        yield row, cells


# --- XLSX ------------------------------------------------------------------------------------


def _content(source: Path | bytes) -> bytes:
    """The file's bytes: the import keeps them in the encrypted file store and hands them over
    decrypted; tests and tools may still give a path."""
    return source if isinstance(source, bytes) else source.read_bytes()


def _open_workbook(source: Path | bytes) -> Any:
    not_xlsx = _(
        "Die Datei ist keine Excel-Arbeitsmappe im Format .xlsx (oder sie ist mit einem Kennwort "
        "geschützt). Bitte speichern Sie sie in Excel als „Excel-Arbeitsmappe (.xlsx)“ ohne Kennwort, "
        "oder als CSV."
    )
    data = _content(source)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
    except zipfile.BadZipFile:
        raise FileProblem(not_xlsx) from None
    if "xl/workbook.xml" not in names:
        raise FileProblem(not_xlsx)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(_("Die Excel-Datei ist entpackt zu groß, um sie zu lesen."))
    import openpyxl  # slow to import; only needed here

    try:
        # A file object, not the path: openpyxl would insist on an .xlsx suffix, and stored
        # uploads are named by a random token.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for broken files
        raise FileProblem(not_xlsx) from None
    if not workbook.worksheets:
        workbook.close()
        raise FileProblem(_("Die Excel-Arbeitsmappe enthält kein Tabellenblatt."))
    return workbook


def _xlsx_rows(workbook: Any) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows. openpyxl reads the sheet only now (read-only mode): a sheet
    that is broken inside an intact archive fails here, and is named in German."""
    row = 0
    try:
        sheet = workbook.worksheets[0]
        for row, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [clean_cell(value) for value in values]
            for cell in cells:
                if match := _CONTROL.search(cell):
                    raise FileProblem(
                        _(
                            "Eine Zelle enthält ein Steuerzeichen (%(char)s), das in keinen Eintrag des "
                            "Melderegisters gehört. Bitte entfernen Sie es."
                        )
                        % {"char": f"U+{ord(match[0]):04X}"},
                        row,
                    )
            yield row, cells
    except FileProblem:
        raise
    except Exception:  # broken XML, a missing part: openpyxl and the XML parser raise many kinds
        raise FileProblem(
            _(
                "Das Tabellenblatt der Excel-Arbeitsmappe ist beschädigt und lässt sich ab hier nicht "
                "lesen. Bitte öffnen Sie die Datei in Excel und speichern Sie sie erneut, oder "
                "exportieren Sie sie als CSV."
            ),
            row + 1,
        ) from None


# --- both ------------------------------------------------------------------------------------


def _raw_rows(source: Path | bytes, fmt: FileFormat) -> Iterator[tuple[int, list[str]]]:
    if fmt.kind == "xlsx":
        workbook = _open_workbook(source)
        try:
            yield from _xlsx_rows(workbook)
        finally:
            workbook.close()
    else:
        text, _codec = decode(_content(source))
        for row, cells in _csv_rows(text, fmt.delimiter):
            yield row, [clean_cell(cell) for cell in cells]


def read_records(source: Path | bytes, fmt: FileFormat) -> Iterator[Record]:
    """The data rows after the header, blank rows left out (but counted)."""
    rows = _raw_rows(source, fmt)
    next(rows, None)
    for row, cells in rows:
        if any(cells):
            yield Record(row, cells)


def inspect(source: Path | bytes, kind: str) -> Inspection:
    """Read the whole file once: format, header, number of data rows. Unreadable files raise."""
    sheet_name, sheet_count = "", 0
    if kind == "xlsx":
        source = _content(source)
        workbook = _open_workbook(source)
        try:
            sheet_name, sheet_count = workbook.worksheets[0].title, len(workbook.worksheets)
        finally:
            workbook.close()
        fmt = FileFormat("xlsx")
    else:
        source = _content(source)
        text, codec = decode(source)
        fmt = FileFormat("csv", codec, sniff_delimiter(text))
    rows = _raw_rows(source, fmt)
    header_cells: list[str] = []
    for _row, cells in rows:
        header_cells = cells
        break
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    if not header_cells:
        raise FileProblem(_("Die Datei ist leer: Es fehlt schon die Kopfzeile mit den Spaltennamen."))
    total = sum(1 for _row, cells in rows if any(cells))
    if total == 0:
        raise FileProblem(_("Die Datei enthält nur die Kopfzeile, aber keine Datenzeilen."))
    return Inspection(fmt, _header(header_cells), total, sheet_name, sheet_count)
