"""Find duplicate persons in a CSV file: ``manage.py match_records INPUT.csv --out PAIRS.csv``.

Needs no database. Input: UTF-8 CSV (a byte-order mark is fine; comma or semicolon as separator)
whose header names at least ``id, given_name, family_name, birth_date``; optional columns are
``sex, nationality, street, postcode, city, birth_name``; other columns are ignored; header names
are case-insensitive and trimmed. Output: ``id_a,id_b,score`` for each pair judged the same
person, sorted, scores with four decimals.

Weights: ``--profile auto`` (the default) looks at the data — records sharing an address
that are clearly different people mean households, hence REGISTER (twins and fathers and
sons kept apart); a list without households gets GENERIC (``matching/households.py``).
Under REGISTER a pair is left out when one of its records has a better partner that the
other record does not match (one person's records match each other; decision 0050).

Encoding: a file that is not valid UTF-8 is rejected with a message naming the line and
guessing the encoding (usually Windows-1252 from Excel). We do not silently convert it: names
like "Ștefănescu" or "Иванов" cannot be written in Windows-1252, so such a file has most likely
lost letters already, and the clerk should export again as UTF-8.

Dirty values do not stop the run: duplicate detection exists for dirty data. An impossible
birth date ("1955-11-92") is compared by its digits (a typo of 1955-11-29 still agrees), an
unreadable one counts as missing, a row without any name is compared on the rest (date,
address). The number of such rows and the first few are reported on stderr; ``--strict``
refuses the file at the first of them instead.

Columns named differently (FEBRL's ``rec_id, surname, date_of_birth``, a house number in a
column of its own) are mapped with ``--column FIELD=HEADER`` (several headers joined with
``+``, their values with a space): ``--column street=street_number+address_1``.

Structural errors (missing columns, an undecodable file, broken CSV, missing or repeated ids)
are reported in German on stderr with row and column; the command then exits non-zero and
leaves no output file behind (it writes to a temporary file and renames it at the end).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.people.matching import PROFILES, PersonRecord, choose_profile, find_matches, parse_birth_date

REQUIRED = ("id", "given_name", "family_name", "birth_date")
OPTIONAL = ("sex", "nationality", "street", "postcode", "city", "birth_name")
# Rows with dirty values named on stderr (the rest are only counted).
SHOWN_PROBLEMS = 5


@dataclass
class Reading:
    """The records of a file and the rows whose values were compared as far as they could be."""

    records: list[PersonRecord]
    problems: list[str] = field(default_factory=list)


def parse_columns(specs: list[str]) -> dict[str, tuple[str, ...]]:
    """``["family_name=surname", "street=street_number+address_1"]`` → field → header names."""
    mapping: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        name, _, headers = spec.partition("=")
        name = name.strip().lower()
        parts = tuple(h.strip().lower() for h in headers.split("+") if h.strip())
        if name not in REQUIRED + OPTIONAL or not parts:
            raise CommandError(
                f"--column „{spec}“: erwartet wird FELD=SPALTE (oder SPALTE+SPALTE) mit einem Feld aus "
                f"{', '.join(REQUIRED + OPTIONAL)}."
            )
        mapping[name] = parts
    return mapping


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        try:
            raw.decode("cp1252")
            guess = "vermutlich Windows-1252"
        except UnicodeDecodeError:
            guess = "Kodierung unbekannt"
        raise CommandError(
            f"Die Datei „{name}“ ist nicht UTF-8-kodiert "
            f"({guess}; erstes ungültiges Zeichen in Zeile {line}). "
            "Bitte als UTF-8 speichern (in Excel: „CSV UTF-8 (durch Trennzeichen getrennt)“)."
        ) from error


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_records(
    path: Path, *, strict: bool = False, columns: dict[str, tuple[str, ...]] | None = None
) -> Reading:
    """Parse the input file; structural errors (and with ``strict`` any bad value) raise
    CommandError with a German message."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise CommandError(f"Die Datei „{path}“ gibt es nicht.") from error
    except OSError as error:
        raise CommandError(f"Die Datei „{path}“ lässt sich nicht lesen: {error.strerror}.") from error
    text = _decode(raw, name)
    if not text.strip():
        raise CommandError(
            f"Die Datei „{name}“ ist leer; erwartet wird eine Kopfzeile mit {', '.join(REQUIRED)}."
        )

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise CommandError(f"Zeile 1 (Kopfzeile): die CSV-Datei ist fehlerhaft ({error}).") from error
    headers = [h.strip().lower() for h in header]
    present = ", ".join(h.strip() for h in header if h.strip()) or "keine"
    sources = {c: (c,) for c in REQUIRED + OPTIONAL if c in headers} | (columns or {})
    for column in REQUIRED:
        if column not in sources:
            raise CommandError(f"Spalte „{column}“ fehlt. Vorhandene Spalten: {present}.")
    for column, parts in sources.items():
        for part in parts:
            if part not in headers:
                raise CommandError(f"Spalte „{part}“ (für {column}) fehlt. Vorhandene Spalten: {present}.")
            if headers.count(part) > 1:
                raise CommandError(f"Spalte „{part}“ kommt in der Kopfzeile mehrfach vor.")
    index = {c: [headers.index(p) for p in parts] for c, parts in sources.items()}

    reading = Reading(records=[])
    first_line_of: dict[str, int] = {}

    def dirty(message: str) -> None:
        if strict:
            raise CommandError(message)
        reading.problems.append(message)

    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "end of data" in str(error) or "EOF" in str(error):
                raise CommandError(
                    f"Zeile {start}: Anführungszeichen wird nicht geschlossen; die CSV-Datei ist fehlerhaft."
                ) from error
            raise CommandError(f"Zeile {start}: die CSV-Datei ist fehlerhaft ({error}).") from error
        if not row or all(not cell.strip() for cell in row):
            continue  # blank line
        if len(row) != len(header):
            raise CommandError(
                f"Zeile {start}: {len(row)} Felder statt {len(header)} wie in der Kopfzeile. "
                "Fehlt ein Trennzeichen, oder steht ein Komma ohne Anführungszeichen im Text?"
            )
        values = {c: " ".join(v for i in cells if (v := row[i].strip())) for c, cells in index.items()}
        rid = values["id"]
        if not rid:
            raise CommandError(f"Zeile {start}, Spalte „id“: die Kennung fehlt.")
        if rid in first_line_of:
            raise CommandError(
                f"Zeile {start}, Spalte „id“: die Kennung „{rid}“ kommt schon "
                f"in Zeile {first_line_of[rid]} vor."
            )
        first_line_of[rid] = start
        if not values["given_name"] and not values["family_name"]:
            dirty(f"Zeile {start}, Spalten „given_name“ und „family_name“: beide sind leer.")
        try:
            birth_date = parse_birth_date(values["birth_date"])
        except ValueError as error:
            dirty(f"Zeile {start}, Spalte „birth_date“: {error}")
            try:
                # The digits of an impossible date are still evidence; an unreadable one is missing.
                birth_date = parse_birth_date(values["birth_date"], keep_impossible=True)
            except ValueError:
                birth_date = None
        reading.records.append(
            PersonRecord(
                id=rid,
                given_names=values["given_name"],
                family_name=values["family_name"],
                birth_date=birth_date,
                sex=values.get("sex", ""),
                nationality=values.get("nationality", ""),
                street=values.get("street", ""),
                postcode=values.get("postcode", ""),
                city=values.get("city", ""),
                birth_name=values.get("birth_name", ""),
            )
        )
    return reading


class Command(BaseCommand):
    help = (
        "Sucht Dubletten in einer CSV-Datei (Spalten id, given_name, family_name, birth_date; "
        "optional sex, nationality, street, postcode, city, birth_name) und schreibt die Paare "
        "als id_a,id_b,score. Braucht keine Datenbank."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="Eingabedatei (CSV, UTF-8)")
        parser.add_argument("--out", required=True, help="Ausgabedatei für die Paare (CSV)")
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Schwelle für den Score zwischen 0 und 1 (Standard: 0.5); höher = weniger, sicherere Paare",
        )
        parser.add_argument(
            "--profile",
            choices=["auto", *sorted(PROFILES)],
            default="auto",
            help="Gewichte: auto (Standard: nach den Daten), register (Melderegister mit "
            "Haushalten) oder generic (Listen ohne Haushalte)",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Die Datei beim ersten ungültigen Wert ablehnen (unmögliches Geburtsdatum, "
            "Zeile ohne Namen), statt zu vergleichen, was da ist",
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="FELD=SPALTE",
            help="Feld aus einer anders benannten Spalte lesen, z. B. family_name=surname; "
            "mehrere Spalten mit + verbinden: street=street_number+address_1",
        )

    def handle(
        self,
        *args: Any,
        input: str,
        out: str,
        threshold: float | None,
        profile: str,
        strict: bool = False,
        column: list[str] | None = None,
        **options: Any,
    ) -> None:
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise CommandError(f"--threshold muss zwischen 0 und 1 liegen, nicht {threshold}.")
        started = time.perf_counter()
        reading = read_records(Path(input), strict=strict, columns=parse_columns(column or []))
        records = reading.records
        if reading.problems:
            count = len(reading.problems)
            self.stderr.write(
                f"{count} {'Zeile' if count == 1 else 'Zeilen'} mit ungültigen Werten – verglichen wird, "
                "was lesbar ist (ein unmögliches Datum nach seinen Ziffern, eine Zeile ohne Namen nach "
                "dem Rest); mit --strict wird die Datei stattdessen abgelehnt."
            )
            for problem in reading.problems[:SHOWN_PROBLEMS]:
                self.stderr.write(f"  {problem}")
            if count > SHOWN_PROBLEMS:
                self.stderr.write(f"  … und {count - SHOWN_PROBLEMS} weitere.")
        chosen = choose_profile(records) if profile == "auto" else PROFILES[profile]
        pairs = sorted(find_matches(records, threshold=threshold, profile=chosen))
        out_path = Path(out)
        directory = out_path.parent if str(out_path.parent) else Path(".")
        if not directory.is_dir():
            raise CommandError(f"Das Verzeichnis „{directory}“ für die Ausgabedatei gibt es nicht.")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(["id_a", "id_b", "score"])
                for id_a, id_b, score in pairs:
                    writer.writerow([id_a, id_b, f"{score:.4f}"])
            os.replace(tmp_name, out_path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        seconds = time.perf_counter() - started
        used = chosen.threshold if threshold is None else threshold
        self.stdout.write(
            f"{len(records)} Datensätze gelesen, {len(pairs)} Paare mit Score ≥ {used:g} "
            f"nach „{out_path}“ geschrieben ({seconds:.1f} s; Gewichte „{chosen.name}“"
            f"{' nach den Daten' if profile == 'auto' else ''})."
        )
