"""The register import fed with bad files: random bytes, wrong and mixed encodings, broken and
truncated workbooks, NUL bytes, huge fields, formula-looking cells.

Whatever comes in, reading it ends in rows or in a ``FileProblem`` with a German message that
says what is wrong (and where, when it can); through the services, an unreadable upload leaves
neither an import nor a stored file behind, and checking a file writes nobody to the register.
CI runs the ``ci`` profile (tests/properties.py); by hand::

    LOTSE_DEBUG=1 .venv/bin/pytest -n 0 --hypothesis-profile=thorough \\
        tests/clearing/test_register_import_fuzz.py

Found by this fuzz and fixed in ``lotse.clearing.register_files``: a carriage return in the
header line crashed the delimiter guess; a broken sheet inside an intact workbook archive
raised the XML parser's error (a server error) instead of a message; a NUL byte after the
first 100,000 characters went through to the database (PostgreSQL refuses it in text);
UTF-16 without byte order mark was called "keine Textdatei"; a file of UTF-8 and
Windows-1252 lines was read as Windows-1252, its UTF-8 umlauts silently garbled; a field
over 131,072 characters was reported with Python's English error text.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from lotse.clearing import register_files, services
from lotse.clearing.models import RegisterImport
from lotse.clearing.register_files import FileProblem
from lotse.clearing.register_import import RowValidator, guess_mapping, mapping_problems
from lotse.core.exports import spreadsheet_text
from lotse.people.models import Person
from tests.properties import examples

from .conftest import upload, xlsx_bytes

HEADER = ["Ordnungsmerkmal", "Familienname", "Vornamen", "Geburtsdatum", "Ort"]
# What a message must never look like: Python's own words instead of a German sentence.
PYTHON_WORDS = re.compile(r"Error\b|Traceback|Exception|expected|column \d|line \d|codec|[Bb]yte \d")


def read_all(content: bytes, kind: str) -> list[tuple[int, list[str]]]:
    """What the import reads and checks of a file: header, rows, the row checks of a mapping."""
    inspection = register_files.inspect(content, kind)
    mapping = guess_mapping(inspection.header)
    if mapping_problems(mapping):
        mapping = {"register_id": 0, "family_name": 0, "given_names": 0}
    validator = RowValidator(inspection.header, mapping)
    rows = []
    for record in register_files.read_records(content, inspection.format):
        validator.validate(record)
        rows.append((record.row, record.cells))
    return rows


def assert_german(problem: FileProblem) -> None:
    message = str(problem)
    assert message and not PYTHON_WORDS.search(message), message
    assert re.search(r"Datei|Zeile|Feld|Excel|Tabellenblatt|Kopfzeile", message), message


def read_or_problem(content: bytes, kind: str) -> list[tuple[int, list[str]]] | FileProblem:
    try:
        return read_all(content, kind)
    except FileProblem as problem:
        assert_german(problem)
        return problem


# --- random bytes ----------------------------------------------------------------------------


@example(content=b"\r ", kind="csv")  # the delimiter guess crashed on a lone carriage return
@example(content=b"PK\x03\x04garbage", kind="xlsx")
@example(content=b"\xff\xfe\x00", kind="csv")  # half a UTF-16 character after the mark
@given(content=st.binary(max_size=2000), kind=st.sampled_from(["csv", "xlsx"]))
def test_random_bytes_are_read_or_refused_in_german(content, kind):
    read_or_problem(content, kind)


@given(
    text=st.text(st.characters(codec="utf-8") | st.sampled_from(';,\t"\r\n\x00'), max_size=400),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]),
)
def test_random_text_in_any_encoding_is_read_or_refused_in_german(text, encoding):
    try:
        content = (";".join(HEADER) + "\r\n" + text).encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    read_or_problem(content, "csv")


# --- encodings -------------------------------------------------------------------------------

NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüßÄÖÜéèçăâîșțąłńśźżőűčřšžА-яЁё -."
cells = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüßÄÖÜéèçăâîșțąłńśźżőűčřšž- .")
    | st.characters(min_codepoint=0x410, max_codepoint=0x44F),
    max_size=15,
).map(str.strip)
rows_of_cells = st.lists(st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=6)


def csv_text(rows: list[list[str]]) -> str:
    return "\r\n".join(";".join(row) for row in [HEADER, *rows]) + "\r\n"


@given(
    rows=rows_of_cells,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]),
)
def test_a_file_in_any_usual_encoding_reads_as_written_or_is_refused(rows, encoding):
    """Never garbled: the cells as written, or a message. UTF-8 and UTF-16 with a byte order
    mark always read; Windows-1252 does unless its bytes happen to be valid UTF-8 as well."""
    assume(any(any(row) for row in rows))
    try:
        content = csv_text(rows).encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    if encoding == "cp1252":
        try:
            content.decode("utf-8")
            assume(False)  # the same bytes in both encodings: nobody can tell which was meant
        except UnicodeDecodeError:
            pass
    result = read_or_problem(content, "csv")
    if encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252"):
        assert not isinstance(result, FileProblem), result
    if not isinstance(result, FileProblem):
        expected = [(number, row) for number, row in enumerate(rows, start=2) if any(row)]
        assert [(number, cells[: len(HEADER)]) for number, cells in result] == expected


def test_utf16_without_byte_order_mark_is_recognised():
    text = csv_text([["MR-1", "Müller", "Jürgen", "01.02.1990", "Weißenfels"]])
    for encoding in ("utf-16-le", "utf-16-be"):
        content = text.encode(encoding)
        assert not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        inspection = register_files.inspect(content, "csv")
        assert inspection.format.encoding == "utf-16"
        assert next(register_files.read_records(content, inspection.format)).cells[1:3] == [
            "Müller",
            "Jürgen",
        ]


@given(rows=rows_of_cells, at=st.integers(0, 5))
def test_lines_of_utf8_and_windows_1252_mixed_are_refused_naming_the_line(rows, at):
    at = min(at, len(rows) - 1)
    rows[at][1] = "Müller"
    others = [row for index, row in enumerate(rows) if index != at]
    assume(others)
    others[0][2] = "Jörg"
    lines = [";".join(row) + "\r\n" for row in [HEADER, *rows]]
    content = b"".join(
        line.encode("cp1252" if number == at + 1 else "utf-8", errors="replace")
        for number, line in enumerate(lines)
    )
    with pytest.raises(FileProblem) as problem:
        register_files.inspect(content, "csv")
    assert_german(problem.value)
    assert f"mischt Zeichenkodierungen: Manche Zeilen sind in UTF-8 geschrieben, Zeile {at + 2} nicht" in str(
        problem.value
    )


# --- control characters, huge fields, formulas ----------------------------------------------


@example(char="\x00", row=8000)  # after the first 100,000 characters it used to pass
@given(char=st.sampled_from("\x00\x01\x08\x0b\x0c\x1b\x7f"), row=st.integers(0, 30))
def test_a_control_character_is_refused_naming_its_row(char, row):
    rows = [[f"MR-{n}", "Popescu", "Ana", "1990", "Weißenfels"] for n in range(max(row + 1, 3))]
    rows[row][1] = f"Pop{char}escu"
    with pytest.raises(FileProblem) as problem:
        register_files.inspect(csv_text(rows).encode(), "csv")
    assert_german(problem.value)
    assert str(problem.value).startswith(f"Zeile {row + 2}: Die Datei ist keine Textdatei oder beschädigt")
    assert f"U+{ord(char):04X}" in str(problem.value)


def test_a_huge_field_is_refused_in_german_naming_its_row():
    content = csv_text([["MR-1", "Pop", "Ana", "", ""], ["MR-2", "A" * 200_000, "Ion", "", ""]]).encode()
    with pytest.raises(FileProblem) as problem:
        register_files.inspect(content, "csv")
    assert str(problem.value).startswith("Zeile 3: Ein Feld ist länger als 131.072 Zeichen")


def test_formula_looking_cells_are_text_and_leave_as_text():
    formulas = ["=cmd|' /C calc'!A0", "@SUM(A1:A9)", "+49 3443 1", "-1+1"]
    rows = [[f"MR-{n}", formula, "Ana", "", ""] for n, formula in enumerate(formulas)]
    content = csv_text(rows).encode()
    inspection = register_files.inspect(content, "csv")
    validator = RowValidator(inspection.header, guess_mapping(inspection.header))
    names = [
        validator.validate(record)[0].family_name
        for record in register_files.read_records(content, inspection.format)
    ]
    assert names == formulas  # kept as written, never evaluated
    assert all(spreadsheet_text(name).startswith("'") for name in names)  # exports show them as text


def test_a_formula_cell_of_a_workbook_counts_by_its_stored_value_never_by_its_formula():
    # openpyxl writes "=..." as a formula without a computed value: the import reads that value
    # (none), so the family name is missing – a row error, not a run formula.
    content = xlsx_bytes([["MR-1", "=1+1", "Ana", "", ""]], HEADER)
    inspection = register_files.inspect(content, "xlsx")
    validator = RowValidator(inspection.header, guess_mapping(inspection.header))
    row, errors = validator.validate(next(register_files.read_records(content, inspection.format)))
    assert row is None
    assert [str(error) for error in errors] == ["Zeile 2, Spalte „Familienname“: der Eintrag fehlt."]


# --- broken workbooks ------------------------------------------------------------------------

WORKBOOK = xlsx_bytes([["MR-1", "Popescu", "Ana", "14.03.1988", "Weißenfels"]], HEADER)
MEMBERS = zipfile.ZipFile(io.BytesIO(WORKBOOK)).namelist()


@given(cut=st.integers(0, len(WORKBOOK)), tail=st.binary(max_size=64))
def test_a_truncated_workbook_is_read_or_refused_in_german(cut, tail):
    read_or_problem(WORKBOOK[:cut] + tail, "xlsx")


def _rezip(replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            if name in replace and replace[name] == b"<deleted>":
                continue
            archive.writestr(name, replace.get(name, source.read(name)))
    return buffer.getvalue()


@example(member="xl/worksheets/sheet1.xml", at=183, junk=b"\x00")  # the XML parser's error escaped
@given(member=st.sampled_from(MEMBERS), at=st.integers(0, 3000), junk=st.binary(min_size=1, max_size=40))
def test_a_workbook_with_garbage_inside_is_read_or_refused_in_german(member, at, junk):
    data = zipfile.ZipFile(io.BytesIO(WORKBOOK)).read(member)
    read_or_problem(_rezip({member: data[:at] + junk + data[at:]}), "xlsx")


@given(missing=st.sampled_from(MEMBERS))
def test_a_workbook_without_one_of_its_parts_is_read_or_refused_in_german(missing):
    read_or_problem(_rezip({missing: b"<deleted>"}), "xlsx")


# --- through the services: nothing half-saved ------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=examples(8))
@example(content=b"OM;Name;Vorname\r\n1;P\x00p;Ana\r\n", name="export.csv")
@example(content=WORKBOOK[: len(WORKBOOK) // 2], name="export.xlsx")
@given(
    content=st.one_of(
        st.binary(max_size=600),
        st.builds(
            lambda cut, tail: WORKBOOK[:cut] + tail, st.integers(0, len(WORKBOOK)), st.binary(max_size=16)
        ),
        rows_of_cells.map(lambda rows: csv_text(rows).encode("utf-16-le")),
    ),
    name=st.sampled_from(["export.csv", "export.xlsx"]),
)
def test_an_upload_is_kept_whole_or_not_at_all_and_checking_writes_nobody(personas, settings, content, name):
    before = RegisterImport.objects.count()
    stored_before = _stored_files(settings)
    try:
        register_import = services.register_import_create(
            actor=personas.clearing, organisation=personas.city, upload=upload(name, content)
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        assert message.startswith(("Die Datei lässt sich nicht lesen.", "Bitte laden Sie")), message
        assert not PYTHON_WORDS.search(message), message
        assert RegisterImport.objects.count() == before
        assert _stored_files(settings) == stored_before
        return
    assert RegisterImport.objects.count() == before + 1
    persons = Person.objects.count()
    try:
        services.register_import_map(
            actor=personas.clearing, register_import=register_import, mapping=register_import.mapping
        )
    except ValidationError as error:
        assert not PYTHON_WORDS.search(" ".join(error.messages)), error.messages
    assert Person.objects.count() == persons


def _stored_files(settings) -> set[str]:
    folder = settings.LOTSE_IMPORT_DIR
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


@pytest.mark.django_db
def test_the_upload_page_answers_garbage_with_a_german_message(personas, client_for):
    client = client_for(personas.clearing)
    broken_sheet = _rezip({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c"})
    for name, content in (
        ("export.xlsx", broken_sheet),
        ("export.csv", b"\r "),
        ("export.csv", csv_text([["MR-1", "Pop", "Ana", "", ""]]).encode("utf-16-be")),
    ):
        response = client.post("/clearingstelle/melderegister/neu/", {"file": upload(name, content)})
        assert response.status_code in (200, 302, 400), (name, response.status_code)
        if response.status_code == 400:
            assert "Die Datei lässt sich nicht lesen." in response.content.decode()
