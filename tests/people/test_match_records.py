"""manage.py match_records: CSV in, pairs out, clear German errors, no half-written output."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lotse.demo.population import generate, write_csv

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id,given_name,family_name,birth_date,sex,nationality,street,postcode,city\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(tmp_path: Path, text: str | bytes, *extra: str) -> list[list[str]]:
    source = tmp_path / "in.csv"
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        write(source, text)
    out = tmp_path / "pairs.csv"
    call_command("match_records", str(source), "--out", str(out), *extra)
    with open(out, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def fails(tmp_path: Path, text: str | bytes, message: str, *extra: str) -> None:
    source = tmp_path / "in.csv"
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        write(source, text)
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError) as info:
        call_command("match_records", str(source), "--out", str(out), *extra)
    assert message in str(info.value)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in.csv"]  # no temporary file left either


SMALL = (
    HEADER
    + "1,Ion,Ștefănescu,12.03.1985,m,RO,Merseburger Straße 12,06667,Weißenfels\n"
    + "2,Ion,Stefanescu,1985-03-12,m,RO,Jenaer Straße 3,06618,Naumburg\n"
    + "3,Георги,Щерев,00.00.1979,m,BG,Zeitzer Straße 4,06667,Weißenfels\n"
    + "4,Georgi,Shterev,05.06.1979,m,BG,Zeitzer Straße 4,06667,Weißenfels\n"
    + "5,Ana,Popa,03.04.2012,f,RO,Promenade 1,06667,Weißenfels\n"
    + "6,Ioana,Popa,03.04.2012,f,RO,Promenade 1,06667,Weißenfels\n"
)


def test_writes_pairs_with_exact_header(tmp_path):
    rows = run(tmp_path, SMALL)
    assert rows[0] == ["id_a", "id_b", "score"]
    assert [r[:2] for r in rows[1:]] == [["1", "2"], ["3", "4"]]  # the twins 5/6 stay apart
    for _, _, score in rows[1:]:
        assert 0.0 <= float(score) <= 1.0
        assert len(score.split(".")[1]) == 4


def test_threshold_moves_the_cut_off(tmp_path):
    assert len(run(tmp_path, SMALL, "--threshold", "0.999999")) < len(run(tmp_path, SMALL))
    assert len(run(tmp_path, SMALL, "--threshold", "0")) > len(run(tmp_path, SMALL))


def test_threshold_out_of_range(tmp_path):
    with pytest.raises(CommandError, match="zwischen 0 und 1"):
        run(tmp_path, SMALL, "--threshold", "1.5")


def test_header_is_case_insensitive_trimmed_with_bom_and_extra_columns(tmp_path):
    text = (
        "\ufeff ID , Given_Name,FAMILY_NAME , Birth_Date ,Bemerkung\n1,Ion,Popa,1985,x\n2,Ion,Popa,1985,y\n"
    )
    rows = run(tmp_path, text)
    assert rows[1][:2] == ["1", "2"]


def test_only_required_columns_and_empty_birth_dates(tmp_path):
    text = "id,given_name,family_name,birth_date\n1,Ion,Popa,\n2,Georgi,Ivanov,\n"
    assert run(tmp_path, text) == [["id_a", "id_b", "score"]]


def test_semicolon_separated_file(tmp_path):
    text = "id;given_name;family_name;birth_date\n1;Ion;Popa;12.03.1985\n2;Ion;Popa;1985-03-12\n"
    assert run(tmp_path, text)[1][:2] == ["1", "2"]


def test_header_only_gives_header_only(tmp_path):
    assert run(tmp_path, HEADER) == [["id_a", "id_b", "score"]]


def test_synthetic_file_round_trip(tmp_path):
    records, truth = generate(400, seed=8)
    write_csv(records, tmp_path / "in.csv")
    out = tmp_path / "pairs.csv"
    call_command("match_records", str(tmp_path / "in.csv"), "--out", str(out))
    with open(out, encoding="utf-8") as fh:
        found = {frozenset(r[:2]) for r in list(csv.reader(fh))[1:]}
    assert len(found & truth) >= 0.9 * len(truth)


# --- errors ----------------------------------------------------------------------------------


def test_missing_column(tmp_path):
    fails(
        tmp_path,
        "id,given_name,family_name\n1,Ion,Popa\n",
        "Spalte „birth_date“ fehlt. Vorhandene Spalten: id, given_name, family_name",
    )


def test_duplicate_ids(tmp_path):
    fails(
        tmp_path,
        HEADER + "7,Ion,Popa,1985,,,,,\n7,Ana,Popa,1986,,,,,\n",
        "Zeile 3, Spalte „id“: die Kennung „7“",
    )


def test_missing_id(tmp_path):
    fails(tmp_path, HEADER + ",Ion,Popa,1985,,,,,\n", "Zeile 2, Spalte „id“: die Kennung fehlt")


def test_strict_refuses_an_impossible_date_naming_row_and_column(tmp_path):
    rows = "".join(f"{i},Ion,Popa,1985,,,,,\n" for i in range(1, 13))
    fails(
        tmp_path,
        HEADER + rows + "13,Ana,Popa,31.02.1990,,,,,\n",
        "Zeile 14, Spalte „birth_date“: Ungültiges Geburtsdatum „31.02.1990“: den 31. Februar gibt es nicht.",
        "--strict",
    )


def test_strict_refuses_a_row_without_names(tmp_path):
    fails(
        tmp_path,
        HEADER + "1,Ion,Popa,1985,,,,,\n2,,,1985,,,,,\n",
        "Zeile 3, Spalten „given_name“ und „family_name“: beide sind leer.",
        "--strict",
    )


# FEBRL-style dirt: typos in the date's digits ("1955-11-92" for 1955-11-29), names left out.
DIRTY = (
    HEADER
    + "1,Ion,Ștefănescu,1955-11-29,m,RO,Merseburger Straße 12,06667,Weißenfels\n"
    + "2,Ion,Stefanescu,1955-11-92,m,RO,Merseburger Straße 12,06667,Weißenfels\n"
    + "3,Ana,Popa,03.04.2012,f,RO,Promenade 1,06667,Weißenfels\n"
    + "4,,,03.04.2012,f,RO,Promenade 1,06667,Weißenfels\n"
    + "5,Maria,Ionescu,1990-13-05,f,RO,Jenaer Straße 3,06618,Naumburg\n"
    + "6,Maria,Ionescu,gestern,f,RO,Jenaer Straße 3,06618,Naumburg\n"
)


def test_dirty_values_are_compared_as_far_as_they_go(tmp_path, capsys):
    rows = run(tmp_path, DIRTY)
    pairs = [r[:2] for r in rows[1:]]
    # The impossible date's digits still agree with the real one (two digits transposed).
    assert ["1", "2"] in pairs
    # A row without names is compared on the rest: same birth date, sex and address.
    assert ["3", "4"] in pairs
    # An unreadable date counts as missing; names and address still find the pair.
    assert ["5", "6"] in pairs
    err = capsys.readouterr().err
    assert "4 Zeilen mit ungültigen Werten" in err
    assert "--strict" in err
    assert (
        "Zeile 3, Spalte „birth_date“: Ungültiges Geburtsdatum „1955-11-92“: einen Tag 92 gibt es nicht."
        in err
    )
    assert "Zeile 5, Spalten „given_name“ und „family_name“: beide sind leer." in err


def test_only_the_first_few_dirty_rows_are_named(tmp_path, capsys):
    rows = "".join(f"{i},Ion,Popa{i},1985-02-3{i % 10},,,,,\n" for i in range(10, 22))
    run(tmp_path, HEADER + rows)
    err = capsys.readouterr().err
    assert "12 Zeilen mit ungültigen Werten" in err
    assert err.count("Spalte „birth_date“") == 5
    assert "… und 7 weitere." in err


def test_columns_named_otherwise_are_mapped(tmp_path):
    text = (
        "rec_id, given_name, surname, street_number, address_1, date_of_birth\n"
        "rec-1-org, ion, stefanescu, 12, merseburger street, 19551129\n"
        "rec-1-dup-0, ion, stefanescu, 12, merseburger street, 19551192\n"
        "rec-2-org, ana, popa, 3, promenade, 19800101\n"
    )
    rows = run(
        tmp_path,
        text,
        "--column",
        "id=rec_id",
        "--column",
        "family_name=surname",
        "--column",
        "birth_date=date_of_birth",
        "--column",
        "street=street_number+address_1",
    )
    assert [r[:2] for r in rows[1:]] == [["rec-1-dup-0", "rec-1-org"]]


def test_a_mapped_column_that_is_missing_stops_the_run(tmp_path):
    fails(
        tmp_path,
        HEADER + "1,Ion,Popa,1985,,,,,\n",
        "Spalte „surname“ (für family_name) fehlt.",
        "--column",
        "family_name=surname",
    )


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("12.13.1990", "einen Monat 13"),
        ("1850", "vor 1880"),
        ("2999-01-01", "Zukunft"),
        ("gestern", "Format"),
    ],
)
def test_other_bad_dates(tmp_path, date, message):
    fails(tmp_path, HEADER + f"1,Ion,Popa,{date},,,,,\n", message, "--strict")


def test_wrong_number_of_fields(tmp_path):
    fails(tmp_path, HEADER + "1,Ion,Popa,1985,,,,,\n2,Ion,Popa,1985\n", "Zeile 3: 4 Felder statt 9")


def test_unbalanced_quotes(tmp_path):
    fails(tmp_path, HEADER + '1,"Ion,Popa,1985,,,,,\n2,Ana,Popa,1986,,,,,\n', "Zeile 2: Anführungszeichen")


def test_windows_1252_file_is_rejected_with_advice(tmp_path):
    text = HEADER + "1,Jürgen,Müller,1960,,,,,\n"
    fails(
        tmp_path,
        text.encode("cp1252"),
        "Die Datei „in.csv“ ist nicht UTF-8-kodiert "
        "(vermutlich Windows-1252; erstes ungültiges Zeichen in Zeile 2)",
    )


@pytest.mark.parametrize("text", ["", "\n  \n", "\ufeff"])
def test_empty_file(tmp_path, text):
    fails(tmp_path, text, "ist leer")


def test_missing_input_file(tmp_path):
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("match_records", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out.csv"))


def test_existing_output_is_kept_when_input_is_bad(tmp_path):
    out = tmp_path / "pairs.csv"
    out.write_text("old\n")
    write(tmp_path / "in.csv", "id,given_name\n1,Ion\n")
    with pytest.raises(CommandError):
        call_command("match_records", str(tmp_path / "in.csv"), "--out", str(out))
    assert out.read_text() == "old\n"


# --- as a process: exit codes and stderr ------------------------------------------------------


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOTSE_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "match_records", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_process_success_exit_code(tmp_path):
    write(tmp_path / "in.csv", SMALL)
    result = manage(str(tmp_path / "in.csv"), "--out", str(tmp_path / "pairs.csv"))
    assert result.returncode == 0, result.stderr
    assert "2 Paare" in result.stdout
    assert (tmp_path / "pairs.csv").read_text(encoding="utf-8").startswith("id_a,id_b,score\n")


def test_process_error_exit_code_and_german_stderr(tmp_path):
    write(tmp_path / "in.csv", HEADER + "1,Ion,Popa,31.02.1990,,,,,\n")
    result = manage(str(tmp_path / "in.csv"), "--out", str(tmp_path / "pairs.csv"), "--strict")
    assert result.returncode != 0
    assert "Zeile 2, Spalte „birth_date“" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "pairs.csv").exists()


def test_the_profile_follows_the_data_and_can_be_set(tmp_path):
    source = write(tmp_path / "in.csv", SMALL)
    out = tmp_path / "pairs.csv"
    said = io.StringIO()
    call_command("match_records", str(source), "--out", str(out), stdout=said)
    assert "Gewichte „register“ nach den Daten" in said.getvalue()  # six rows: too few to tell
    said = io.StringIO()
    call_command("match_records", str(source), "--out", str(out), "--profile", "generic", stdout=said)
    assert "Gewichte „generic“)" in said.getvalue()
