"""Reading register exports without the database: encodings, delimiters, headers, values."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.clearing import register_files
from lotse.clearing.register_files import FileFormat, FileProblem, Record
from lotse.clearing.register_import import (
    RowValidator,
    guess_mapping,
    mapping_problems,
    parse_countries,
    parse_country,
    parse_full_date,
    parse_languages,
    parse_sex,
)

from .conftest import HEADER, ROWS, csv_bytes, xlsx_bytes

TODAY = dt.date(2025, 6, 30)


def write(tmp_path, content: bytes, name: str = "f"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("text", "code"),
    [("Rumänien", "RO"), ("rumänisch", "RO"), ("ROU", "RO"), ("ro", "RO"), ("Bulgarien", "BG"),
     ("Polen", "PL"), ("Syrien", "SY"), ("Russische Föderation", "RU"), ("Russland", "RU"),
     ("Türkei", "TR"), ("Romania", "RO"), ("Rumanien", "RO"), ("staatenlos", None)],
)  # fmt: skip
def test_country_names_codes_and_adjectives(text, code):
    assert parse_country(text) == code


def test_unknown_country_says_so_in_german():
    with pytest.raises(ValueError, match="unbekannter Staat „Atlantis“"):
        parse_countries("Rumänien, Atlantis")
    assert parse_countries("Rumänien / Deutschland, rumänisch") == ["RO", "DE"]


def test_sex_and_languages():
    assert [parse_sex(v) for v in ("m", "W", "weiblich", "männlich", "d", "x", "")] == [
        "m",
        "f",
        "f",
        "m",
        "d",
        "u",
        "u",
    ]
    with pytest.raises(ValueError, match="„q“ ist kein Geschlecht"):
        parse_sex("q")
    assert parse_languages("Rumänisch, de, Romanes") == ["ro", "de", "rom"]


def test_move_in_date_is_complete_and_possible():
    assert parse_full_date("1.10.2022", TODAY) == dt.date(2022, 10, 1)
    assert parse_full_date("2022-10-01", TODAY) == dt.date(2022, 10, 1)
    with pytest.raises(ValueError, match=r"den 31\. Februar gibt es nicht"):
        parse_full_date("31.02.2023", TODAY)
    with pytest.raises(ValueError, match="in der Zukunft"):
        parse_full_date("01.01.2030", TODAY)


def test_german_register_headers_are_recognised():
    header = ["OM", "Name", "Vorname(n)", "Geburtsname", "Geb.-Datum", "Geschlecht",
              "Staatsangehörigkeit(en)", "Straße", "Hausnr.", "Postleitzahl", "Ort", "Lage", "Zuzugsdatum",
              "Herkunftsstaat", "Sprachen", "Auskunftssperre"]  # fmt: skip
    mapping = guess_mapping(header)
    assert {key: header[index] for key, index in mapping.items()} == {
        "register_id": "OM",
        "family_name": "Name",
        "given_names": "Vorname(n)",
        "birth_name": "Geburtsname",
        "birth_date": "Geb.-Datum",
        "sex": "Geschlecht",
        "nationalities": "Staatsangehörigkeit(en)",
        "street": "Straße",
        "house_number": "Hausnr.",
        "postcode": "Postleitzahl",
        "city": "Ort",
        "dwelling_label": "Lage",
        "move_in_date": "Zuzugsdatum",
        "previous_country": "Herkunftsstaat",
        "languages": "Sprachen",
        "register_block": "Auskunftssperre",  # kept, not dropped (decision 0028)
    }
    assert mapping_problems(mapping) == []


def test_missing_required_and_half_an_address_are_mapping_problems():
    problems = mapping_problems({"register_id": 0, "given_names": 1, "street": 2})
    assert any("„Familienname“" in p for p in problems)
    assert any("Anschrift fehlt die Zuordnung von: Postleitzahl, Ort" in p for p in problems)


def test_impossible_date_names_row_and_column():
    validator = RowValidator(HEADER, guess_mapping(HEADER), today=TODAY)
    bad = list(ROWS[0])
    bad[3] = "31.02.1988"
    row, errors = validator.validate(Record(14, bad))
    assert row is None
    assert [str(e) for e in errors] == ["Zeile 14, Spalte „Geburtsdatum“: den 31. Februar gibt es nicht."]


def test_row_checks_collect_every_problem_of_a_row():
    validator = RowValidator(HEADER, guess_mapping(HEADER), today=TODAY)
    assert validator.validate(Record(2, ROWS[0]))[0] is not None
    bad = ["MR-1001", "", "Ion", "1985", "q", "Atlantis", "Markt", "", "6667", "Weißenfels", "", "", ""]
    _row, errors = validator.validate(Record(3, bad))
    assert [(e.row, e.column) for e in errors] == [
        (3, "Ordnungsmerkmal"),  # the same id as row 2
        (3, "Familienname"),
        (3, "Geschlecht"),
        (3, "Staatsangehörigkeit"),
        (3, "Hausnummer"),
    ]
    assert "steht schon in Zeile 2" in errors[0].message
    assert "die Anschrift ist unvollständig: die Hausnummer fehlt" in errors[4].message


def test_house_number_in_the_street_column_and_postcode_without_leading_zero():
    header = ["ID", "Familienname", "Vornamen", "Straße", "PLZ", "Ort"]
    validator = RowValidator(header, guess_mapping(header), today=TODAY)
    row, errors = validator.validate(
        Record(2, ["7", "Nowak", "Piotr", "Naumburger Straße 12a", "6667", "Weißenfels"])
    )
    assert errors == []
    assert row is not None and row.address is not None
    assert (row.address.street, row.address.house_number, row.address.postcode) == (
        "Naumburger Straße",
        "12a",
        "06667",
    )


def test_names_in_cyrillic_keep_the_original_and_a_latin_form():
    validator = RowValidator(HEADER, guess_mapping(HEADER), today=TODAY)
    row, _errors = validator.validate(Record(4, ROWS[2]))
    assert row is not None
    assert (row.family_name, row.values["family_name_original"]) == ("Ivanov", "Иванов")


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-16")])
def test_csv_delimiters_and_encodings_are_detected(tmp_path, delimiter, encoding):
    path = write(tmp_path, csv_bytes(ROWS, delimiter=delimiter, encoding=encoding))
    inspection = register_files.inspect(path, "csv")
    assert inspection.format.delimiter == delimiter
    assert inspection.header == HEADER and inspection.total_rows == 3
    records = list(register_files.read_records(path, inspection.format))
    assert records[2].cells[1] == "Иванов" and records[0].cells[6] == "Naumburger Straße"


def test_windows_1252_is_decoded(tmp_path):
    rows = [
        [
            "MR-1",
            "Müller",
            "Jürgen",
            "",
            "",
            "",
            "Weißenfelser Straße",
            "1",
            "06667",
            "Weißenfels",
            "",
            "",
            "",
        ]
    ]
    path = write(tmp_path, csv_bytes(rows, encoding="cp1252"))
    inspection = register_files.inspect(path, "csv")
    assert inspection.format.encoding == "cp1252"
    assert next(register_files.read_records(path, inspection.format)).cells[1:3] == ["Müller", "Jürgen"]


def test_unbalanced_quote_names_the_row(tmp_path):
    path = write(tmp_path, b'OM;Name;Vorname\n1;Pop;Ana\n2;"Pop;Ion\n3;Ene;Ana\n')
    with pytest.raises(FileProblem) as problem:
        register_files.inspect(path, "csv")
    assert str(problem.value).startswith("Zeile 3: Ein Anführungszeichen")


def test_blank_rows_count_but_are_skipped_and_multiline_cells_are_one_row(tmp_path):
    path = write(tmp_path, b'OM;Name;Vorname\n1;Pop;Ana\n;;\n2;"Pop\nPopa";Ion\n3;Ene;Ana\n')
    records = list(register_files.read_records(path, FileFormat("csv", "utf-8-sig", ";")))
    assert [r.row for r in records] == [2, 4, 5]


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        (b"PK\x03\x04garbage", "csv", "gepacktes Archiv"),
        (b"OM;Name\x00\x01\x02;x\n", "csv", "keine Textdatei"),
        (b"OM;Name;Vorname\n", "csv", "nur die Kopfzeile"),
        (b"", "csv", "Die Datei ist leer"),
        (b"OM;Name;Vorname\n1;Pop;Ana\n", "xlsx", "keine Excel-Arbeitsmappe"),
        (b"\x81\x8d\x8f\x90\x9d\xff\xfe\xfd", "csv", "weder UTF-8- noch Windows-1252"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(tmp_path, content, kind, message):
    with pytest.raises(FileProblem, match=message):
        register_files.inspect(write(tmp_path, content), kind)


def test_xlsx_cells_become_register_text(tmp_path):
    row = [1001, "Popescu", "Ana", dt.datetime(1988, 3, 14), "w", "Rumänien", "Markt", 3, 6667,
           "Weißenfels", None, dt.date(2022, 10, 1), "RO"]  # fmt: skip
    path = write(tmp_path, xlsx_bytes([row]))
    inspection = register_files.inspect(path, "xlsx")
    assert inspection.sheet_name == "Export" and inspection.total_rows == 1
    record = next(register_files.read_records(path, inspection.format))
    assert record.cells[:4] == ["1001", "Popescu", "Ana", "14.03.1988"]
    assert record.cells[8] == "6667" and record.cells[11] == "01.10.2022"


@pytest.mark.parametrize(
    ("name", "message"), [("export.xls", ".xls liest Lotse nicht"), ("a.pdf", "CSV-Datei")]
)
def test_file_names_with_other_formats_get_a_hint(name, message):
    with pytest.raises(FileProblem, match=message):
        register_files.kind_for_name(name)


def test_a_name_with_an_invisible_direction_change_is_a_row_problem():
    validator = RowValidator(HEADER, guess_mapping(HEADER), today=TODAY)
    bad = list(ROWS[0])
    bad[1] = "Pope\u202escu"
    row, errors = validator.validate(Record(7, bad))
    assert row is None
    assert [(e.row, e.column) for e in errors] == [(7, "Familienname")]
    assert "„Familienname“ enthält U+202E" in errors[0].message
