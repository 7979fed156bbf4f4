"""Find duplicate persons in a CSV file: ``manage.py match_records INPUT.csv --out PAIRS.csv``.

Needs no database. Input: UTF-8 CSV (a byte-order mark is fine; comma or semicolon as separator)
whose header names at least ``id, given_name, family_name, birth_date``; optional columns are
``sex, nationality, street, postcode, city, birth_name``; other columns are ignored; header names
are case-insensitive and trimmed. Output: ``id_a,id_b,score`` for each pair judged the same
person, sorted, scores with four decimals.

Weights: ``--profile auto`` (the default) looks at the data — records sharing an address
that are clearly different people mean households, hence REGISTER (twins and fathers and
sons kept apart); a list without households gets GENERIC (``matching/households.py``).

Encoding: a file that is not valid UTF-8 is rejected with a message naming the line and
guessing the encoding (usually Windows-1252 from Excel). We do not silently convert it: names
like "Ștefănescu" or "Иванов" cannot be written in Windows-1252, so such a file has most likely
lost letters already, and the clerk should export again as UTF-8.

Errors are reported in German on stderr with row and column; the command then exits non-zero
and leaves no output file behind (it writes to a temporary file and renames it at the end).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.people.matching import PROFILES, PersonRecord, choose_profile, find_matches, parse_birth_date

REQUIRED = ("id", "given_name", "family_name", "birth_date")
OPTIONAL = ("sex", "nationality", "street", "postcode", "city", "birth_name")


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


def read_records(path: Path) -> list[PersonRecord]:
    """Parse and validate the input file; raises CommandError with a German message."""
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
    columns = [h.strip().lower() for h in header]
    for column in REQUIRED:
        if column not in columns:
            present = ", ".join(h.strip() for h in header if h.strip()) or "keine"
            raise CommandError(f"Spalte „{column}“ fehlt. Vorhandene Spalten: {present}.")
    seen_columns: set[str] = set()
    for column in columns:
        if column in REQUIRED + OPTIONAL and column in seen_columns:
            raise CommandError(f"Spalte „{column}“ kommt in der Kopfzeile mehrfach vor.")
        seen_columns.add(column)
    index = {c: i for i, c in enumerate(columns) if c in REQUIRED + OPTIONAL}

    records: list[PersonRecord] = []
    first_line_of: dict[str, int] = {}
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
        values = {c: row[i].strip() for c, i in index.items()}
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
            raise CommandError(f"Zeile {start}, Spalten „given_name“ und „family_name“: beide sind leer.")
        try:
            birth_date = parse_birth_date(values["birth_date"])
        except ValueError as error:
            raise CommandError(f"Zeile {start}, Spalte „birth_date“: {error}") from error
        records.append(
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
    return records


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

    def handle(
        self, *args: Any, input: str, out: str, threshold: float | None, profile: str, **options: Any
    ) -> None:
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise CommandError(f"--threshold muss zwischen 0 und 1 liegen, nicht {threshold}.")
        started = time.perf_counter()
        records = read_records(Path(input))
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
