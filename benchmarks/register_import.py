"""Register import into a register that already holds 10,000 to 1,000,000 persons.

The database is a generated population (``manage.py generate_population --persons N --seed 1``,
kept between runs); each run imports into a fresh copy of it, so every run starts from the
same register. The import file is an export as a registration office writes it (semicolons,
German headers, country names, columns Lotse does not take), made from the register itself:

* half its rows are persons of the register as the register has them (unchanged),
* a fifth are persons of the register with news (moved house, the full birth date, the move-in
  date), which the import updates,
* a fifth are new arrivals (from another seed of the same generator),
* a tenth are persons of the register under a new register id (a typo or a dropped second
  given name, another address): the check flags them as likely duplicates, and the clerk's
  decision links half of them to the person in the register and creates the rest anew.

It goes the way a clerk's file goes: ``register_import_create`` (upload), ``register_import_map``
(every row checked, the new rows looked up among the register's duplicate keys),
``register_import_start`` with a decision for every flagged row, and then the task the worker
runs (``lotse.clearing.tasks.run_register_import``), called here in the process. Each chunk
(``CHUNK_SIZE`` rows, one transaction) is timed and its SQL queries counted.

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/register_import.py \
        [--persons 10000,100000] [--db sqlite|postgres|both] [--rows 2000] [--shapes] [--profile]

Without ``--persons`` the sizes of the run (``make bench``: 10k and 100k; ``make bench-full``:
up to 1M). Not a test: it prints a table and writes benchmarks/results/register_import.md/.json.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import random
import re
import statistics
import sys
import time
from collections import Counter

import _harness
from _harness import Measurement, databases, percentile, run_child, save, setup_django, sizes

MARITAL = ["ledig", "verheiratet", "verheiratet", "geschieden"]


def _country(code: str) -> str:
    """The state as registration offices name it (the demo's sample export), else its code."""
    from lotse.demo import sample_export

    return (sample_export._country(code) or code) if code else ""


def _date(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%d.%m.%Y") if value else ""


def _row_of_person(person, rng: random.Random) -> list[str]:  # type: ignore[no-untyped-def]
    """The person as the register's export has them (the values Lotse stored from it)."""
    dwelling = person.dwelling
    building = dwelling.building if dwelling else None
    from lotse.clearing.services import _partial_date_of
    from lotse.demo.population import format_date
    from lotse.people.services import NO_DWELLING_LABEL

    label = dwelling.label if dwelling and dwelling.label != NO_DWELLING_LABEL else ""
    return [
        person.register_id,
        person.family_name,
        person.given_names,
        person.birth_name,
        format_date(_partial_date_of(person)),
        {"f": "w", "m": "m", "d": "d"}.get(person.sex, "x"),
        ", ".join(_country(code) for code in person.nationalities),
        rng.choice(MARITAL),
        building.street if building else "",
        building.house_number if building else "",
        building.postcode if building else "",
        building.city if building else "",
        label,
        _date(person.move_in_date),
        _country(person.previous_country),
        "ja" if person.register_block else "nein",
    ]


def _import_file(organisation, rows: int, seed: int) -> tuple[bytes, set[str]]:  # type: ignore[no-untyped-def]
    """The export (CSV bytes) and the register ids of the rows that re-register a known person."""
    from lotse.demo.population import format_date, generate, place
    from lotse.demo.register import person_input
    from lotse.demo.sample_export import HEADER, NEW_STREETS
    from lotse.people.matching import PartialDate
    from lotse.people.models import Person

    rng = random.Random(seed)
    town = place()
    known, news, arrivals = rows // 2, rows // 5, rows // 5
    variants = rows - known - news - arrivals
    register = Person.objects.filter(
        organisation=organisation, merged_into__isnull=True, register_id__startswith="GP"
    )
    ids = list(register.values_list("pk", flat=True))
    picked = rng.sample(ids, known + news + variants)
    persons = {p.pk: p for p in register.filter(pk__in=picked).select_related("dwelling__building")}
    lines: list[list[str]] = []
    for pk in picked[:known]:
        lines.append(_row_of_person(persons[pk], rng))
    for number, pk in enumerate(picked[known : known + news]):
        line = _row_of_person(persons[pk], rng)
        if number % 3 == 0 or not line[8]:  # moved within the town
            street, postcode = NEW_STREETS[number % len(NEW_STREETS)]
            line[8:13] = [street, str(rng.randint(1, 60)), postcode, town.town, rng.choice(town.dwellings)]
            line[13] = f"{rng.randint(1, 28):02d}.{rng.randint(1, 11):02d}.2026"
        elif number % 3 == 1 and persons[pk].birth_year:  # the full birth date is known now
            line[4] = format_date(PartialDate(persons[pk].birth_year, rng.randint(1, 12), rng.randint(1, 28)))
        else:  # the register now has the move-in date
            line[13] = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2025"
        lines.append(line)
    again: set[str] = set()
    for number, pk in enumerate(picked[known + news :]):
        line = _row_of_person(persons[pk], rng)
        line[0] = f"BMV{number:07d}"
        given = line[2].split()
        if len(given) > 1:
            line[2] = given[0]  # the second given name dropped
        elif len(line[2]) > 4:
            i = rng.randrange(1, len(line[2]) - 2)
            line[2] = line[2][:i] + line[2][i + 1] + line[2][i] + line[2][i + 2 :]
        street = rng.choice(town.streets)
        line[8:13] = [street, str(rng.randint(1, 80)), town.postcode, town.town, rng.choice(town.dwellings)]
        again.add(line[0])
        lines.append(line)
    records = generate(arrivals + arrivals // 5, duplicate_rate=0.0, seed=seed + 1000)[0]
    for number, record in enumerate(records[:arrivals]):
        data = person_input(record, rng, town)
        address, values = data.address, data.values
        lines.append(
            [
                f"BMN{number:07d}",
                data.family_name,
                data.given_names,
                values.get("birth_name", ""),
                format_date(data.birth_date),
                {"f": "w", "m": "m"}.get(values.get("sex", ""), "x"),
                ", ".join(_country(code) for code in values.get("nationalities", [])),
                rng.choice(MARITAL),
                address.street if address else "",
                address.house_number if address else "",
                address.postcode if address else "",
                address.city if address else "",
                address.dwelling_label if address else "",
                f"{rng.randint(1, 28):02d}.{rng.randint(1, 11):02d}.2026",
                _country(values.get("previous_country", "")),
                "nein",
            ]
        )
    rng.shuffle(lines)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(lines)
    return out.getvalue().encode("utf-8"), again


def _shape(sql: str) -> str:
    """A query without its values, to count the kinds of queries in a chunk."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\?|%s)(?:,\s*(?:\?|%s))*\)", "(…)", sql)
    return sql[:160]


def _child(db: str, persons: int, rows: int, seed: int, shapes: bool, profile: bool) -> None:
    """Runs in a subprocess with DATABASE_URL set to a fresh copy of the population."""
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from lotse.accounts.models import Unit, User
    from lotse.clearing import import_duplicates, services
    from lotse.clearing.models import RegisterImport
    from lotse.clearing.tasks import run_register_import
    from lotse.core import access
    from lotse.demo.bulk import register_organisation
    from lotse.people.models import Person

    call_command("migrate", verbosity=0)
    organisation = register_organisation(None)
    clearing = Unit.objects.get(kind=Unit.Kind.CLEARING, organisations=organisation)
    actor = next(
        user
        for user in User.objects.filter(memberships__unit=clearing).order_by("pk")
        if access.can(user, "keep_register", organisation)
    )
    in_register = Person.objects.filter(organisation=organisation).count()
    content, again = _import_file(organisation, rows, seed)
    load_before = _harness.load_average()

    started = time.perf_counter()
    register_import = services.register_import_create(
        actor=actor, organisation=organisation, upload=SimpleUploadedFile("melderegister.csv", content)
    )
    upload_s = time.perf_counter() - started
    started = time.perf_counter()
    register_import = services.register_import_map(
        actor=actor, register_import=register_import, mapping=register_import.mapping
    )
    check_s = time.perf_counter() - started
    assert register_import.status == RegisterImport.Status.READY, register_import.row_errors[:5]
    # The clerk's decisions: a row re-registering a known person joins them (half of them),
    # every other flagged row (namesakes among the arrivals, the other half) becomes a new person.
    decisions: dict[str, str] = {}
    linked: set[int] = set()
    lines = csv.reader(io.StringIO(content.decode()), delimiter=";")
    register_ids = {index + 1: line[0] for index, line in enumerate(lines) if index}  # header: row 1
    for number, flags in enumerate(register_import.duplicates):
        row = flags["row"]
        choice = import_duplicates.NEW
        if register_ids.get(row, "") in again and number % 2 == 0:
            person = next((p for p in flags["persons"] if p not in linked), None)
            if person is not None:
                linked.add(person)
                choice = f"{import_duplicates.LINK_PREFIX}{person}"
        decisions[str(row)] = choice
    register_import = services.register_import_start(
        actor=actor, register_import=register_import, decisions=decisions
    )

    # Each chunk timed and its queries counted, around the function the task calls.
    chunk_ms: list[float] = []
    chunk_cpu_ms: list[float] = []  # this process only (not PostgreSQL's server)
    chunk_queries: list[int] = []
    shape_counts: list[Counter[str]] = []
    process_chunk = services._process_chunk

    def timed_chunk(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen: Counter[str] = Counter()

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            seen[_shape(sql) if shapes else ""] += 1
            return execute(sql, params, many, context)

        begun, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            result = process_chunk(*args, **kwargs)
        chunk_ms.append((time.perf_counter() - begun) * 1000)
        chunk_cpu_ms.append((time.process_time() - cpu) * 1000)
        chunk_queries.append(sum(seen.values()))
        shape_counts.append(seen)
        return result

    services._process_chunk = timed_chunk
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    outcome = run_register_import.call(register_import.pk, register_import.attempt)
    run_s = time.perf_counter() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.DONE, register_import.failure
    total = register_import.processed_rows
    if shapes:
        middle = sorted(range(len(chunk_queries)), key=chunk_queries.__getitem__)[len(chunk_queries) // 2]
        print(f"[{db}] query kinds of a median chunk ({chunk_queries[middle]} queries):", flush=True)
        for sql, n in shape_counts[middle].most_common(25):
            print(f"  {n:5d}  {sql}", flush=True)
    ordered = sorted(chunk_ms)
    print(
        "RESULT|"
        + "|".join(
            str(value)
            for value in (
                db,
                in_register,
                total,
                len(chunk_ms),
                f"{statistics.median(ordered):.1f}",
                f"{percentile(ordered, 0.95):.1f}",
                int(statistics.median(chunk_queries)),
                min(chunk_queries),
                max(chunk_queries),
                f"{total / run_s:.0f}",
                f"{total / (sum(chunk_ms) / 1000):.0f}",
                f"{statistics.median(chunk_cpu_ms):.1f}",
                f"{upload_s:.2f}",
                f"{check_s:.2f}",
                f"{run_s:.2f}",
                len(register_import.duplicates),
                outcome["created"],
                outcome["updated"],
                outcome["unchanged"],
                outcome["skipped"],
                f"{load_before} → {_harness.load_average()}",
            )
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", help="sizes, comma-separated (default: those of the run)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=2000, help="rows of the import file")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--shapes", action="store_true", help="print the kinds of queries of a chunk")
    parser.add_argument("--profile", action="store_true", help="print where the task's time goes")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, int(args.persons), args.rows, args.seed, args.shapes, args.profile)
        return
    rows, measurements = [], []
    extra_args = [
        "--rows",
        str(args.rows),
        "--seed",
        str(args.seed),
        *(["--shapes"] if args.shapes else []),
        *(["--profile"] if args.profile else []),
    ]
    for persons in sizes(args.persons):
        for db in databases(args.db):
            _harness.population_database(db, persons)
            _harness.database_copy(db, persons, "population", "importrun")
            try:
                found = run_child(__file__, db, "importrun", persons, *extra_args)
            finally:
                _harness.database_drop(db, "importrun", persons)
            for row in found:
                (db_, register, total, chunks, p50, p95, queries, q_min, q_max, rate, rate_busy, cpu,
                 upload_s, check_s, run_s, flagged, created, updated, unchanged, skipped,
                 load) = row  # fmt: skip
                rows.append(
                    f"| {db_} | {int(register):,} | {int(total):,} | {chunks} | {p50} | {p95} | {cpu} | "
                    f"{queries} ({q_min}–{q_max}) | **{int(rate):,}** | {int(rate_busy):,} | {check_s} | "
                    f"{flagged} | {created} / {updated} / {unchanged} / {skipped} | {load} |"
                )
                common = {"rows": int(total), "load_average": load}
                measurements.append(
                    Measurement(
                        "register import (chunk of rows)",
                        int(persons),
                        db_,
                        float(p50),
                        float(p95),
                        int(queries),
                        extra={
                            **common,
                            "rows_per_s": int(rate),
                            "rows_per_s_in_chunks": int(rate_busy),
                            "chunk_cpu_ms_p50": float(cpu),
                            "chunk_rows": int(total) // int(chunks) if int(chunks) else 0,
                            "queries_per_chunk_min_max": [int(q_min), int(q_max)],
                            "run_s": float(run_s),
                            "created_updated_unchanged_skipped": [
                                int(created),
                                int(updated),
                                int(unchanged),
                                int(skipped),
                            ],
                        },
                    )
                )
                measurements.append(
                    Measurement(
                        "register import check (whole file)",
                        int(persons),
                        db_,
                        p50_ms=round(float(check_s) * 1000, 1),
                        extra={**common, "upload_s": float(upload_s), "flagged_rows": int(flagged)},
                    )
                )
    save(
        "register_import",
        "Register import into a generated population",
        "`benchmarks/register_import.py`: a file of realistic rows (half unchanged persons, a fifth "
        "with news, a fifth new arrivals, a tenth known persons under a new id) imported as a clerk "
        "does it, the task called as the worker calls it, into a fresh copy of "
        "`generate_population --persons N --seed 1`. *rows/s*: rows ÷ the task's wall time "
        "(on SQLite with the import's pause between chunks); *in chunks*: without the pauses. "
        "*check s*: the whole file checked and its new rows looked up among the duplicate keys "
        "(before the start). *chunk CPU ms*: this process's CPU time (median; PostgreSQL's own not in it). "
        "Queries: per chunk, median (min–max). The machine is shared with "
        "other sessions: see the load average (1/5/15 min, before → after).",
        [
            "| database | persons in register | rows | chunks | chunk p50 ms | chunk p95 ms | chunk CPU ms "
            "| queries per chunk | rows/s | rows/s in chunks | check s | flagged "
            "| created / updated / unchanged / skipped | load |",
            "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|",
            *rows,
        ],
        measurements,
    )


if __name__ == "__main__":
    sys.exit(main())
